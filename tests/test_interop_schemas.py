"""docs/schemas/: every --json output of the demo registry, and its exports, validate against their JSON Schemas."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.conftest import Runner

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"


def _validator(name: str) -> Draft202012Validator:
    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        resources.append((doc["$id"], Resource.from_contents(doc)))
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every --json output of one demo registry (made once: the demo's KDF is the real, slow one)."""
    runner = Runner()
    folder = tmp_path_factory.mktemp("demo")
    env: dict[str, str | None] = {"REFAUDIT_REGISTRY": str(folder / "demo.refaudit"), "REFAUDIT_PASSPHRASE": "demo"}
    runner.ok("demo", env=env)
    # One key derivation for the whole module: the demo uses the real (slow) KDF parameters.
    token = runner.ok("unlock", "--raw", env=env).stdout.strip()
    env = {**env, "REFAUDIT_PASSPHRASE": None, "REFAUDIT_SESSION": token}
    refs = json.loads(runner.ok("ref", "list", "--status", "all", "--json", env=env).stdout)
    apps = json.loads(runner.ok("app", "list", "--json", env=env).stdout)
    outputs: dict[str, Any] = {
        "ref-list": refs,
        "app-list": apps,
        "feedback-list": json.loads(runner.ok("feedback", "list", "--json", env=env).stdout),
        "audit": json.loads(runner.ok("audit", "--json", env=env).stdout),
        "lineup": json.loads(runner.ok("lineup", "--json", env=env).stdout),
        "next": json.loads(runner.ok("next", "--json", env=env).stdout),
        "history": json.loads(runner.ok("history", "--json", env=env).stdout),
        "export-json": json.loads(runner.ok("export", "--format", "json", env=env).stdout),
        "export-yaml": _jsonable(yaml.safe_load(runner.ok("export", "--format", "yaml", env=env).stdout)),
    }
    outputs["ref-show"] = [json.loads(runner.ok("ref", "show", r["id"], "--json", env=env).stdout) for r in refs]
    outputs["app-show"] = [json.loads(runner.ok("app", "show", a["id"], "--json", env=env).stdout) for a in apps]
    runner.ok("lock", env=env)
    return outputs


def _jsonable(data: Any) -> Any:
    """YAML's dates as the ISO text JSON carries."""
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    return data.isoformat() if isinstance(data, date) else data


CASES = [
    ("ref-list", "ref-list.schema.json", False),
    ("ref-show", "ref-show.schema.json", True),
    ("app-list", "app-list.schema.json", False),
    ("app-show", "app-show.schema.json", True),
    ("feedback-list", "feedback-list.schema.json", False),
    ("audit", "audit.schema.json", False),
    ("lineup", "lineup.schema.json", False),
    ("next", "next.schema.json", False),
    ("history", "history.schema.json", False),
    ("export-json", "export.schema.json", False),
    ("export-yaml", "export.schema.json", False),
]


@pytest.mark.parametrize(("output", "schema", "each"), CASES, ids=[c[0] for c in CASES])
def test_demo_json_output_matches_its_schema(
    demo_outputs: dict[str, Any], output: str, schema: str, each: bool
) -> None:
    """Each --json output (and each export) of the demo registry is valid against docs/schemas/<command>.schema.json."""
    validator = _validator(schema)
    documents = demo_outputs[output] if each else [demo_outputs[output]]
    assert documents, f"the demo gives no {output} to check"
    for document in documents:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
        assert errors == []


def test_schemas_catch_what_they_promise(demo_outputs: dict[str, Any]) -> None:
    """The schemas are not vacuous: a wrong recommendation, a missing key or an unknown export field fails."""
    verdicts = _validator("audit.schema.json")
    bad = json.loads(json.dumps(demo_outputs["audit"]))
    bad["references"][0]["recommendation"] = "maybe"
    assert not verdicts.is_valid(bad)
    refs = _validator("ref-list.schema.json")
    missing = [{k: v for k, v in r.items() if k != "status"} for r in demo_outputs["ref-list"]]
    assert not refs.is_valid(missing)
    export = _validator("export.schema.json")
    extra = json.loads(json.dumps(demo_outputs["export-json"]))
    extra["references"][0]["shoe_size"] = 9
    assert not export.is_valid(extra)
    newer = json.loads(json.dumps(demo_outputs["next"]))
    newer["actions"][0]["draft"] = "refaudit draft brief x --ref y"  # docs/SPEC.md: new keys may be added
    newer["actions"][0]["urgency"] = "high"
    assert _validator("next.schema.json").is_valid(newer)


def test_every_json_output_has_a_schema() -> None:
    """docs/schemas/ holds one schema per --json output docs/SPEC.md lists, plus the shared records and the export."""
    names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    elsewhere = {"records.schema.json", "merge.schema.json"}  # merge's output: tests/test_merge_cli.py
    assert names == sorted({c[1] for c in CASES} | elsewhere)
