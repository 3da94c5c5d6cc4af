"""Random command sequences against a model of the registry: the CLI agrees with the model after every step."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from refaudit.cli import cli
from refaudit.model import REFERENCE_STATUSES, SENTIMENTS
from refaudit.text import slugify
from tests.conftest import CHEAP_KDF, PASSPHRASE

STRESS = os.environ.get("REFAUDIT_STRESS") == "1"
# Format characters (Cf) in a one-line field are refused with their code point: tests/test_text.py covers that.
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1, max_size=20
)


class RegistryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.env = {
            "REFAUDIT_REGISTRY": str(Path(self.dir.name) / "r.refaudit"),
            "REFAUDIT_PASSPHRASE": PASSPHRASE,
            "REFAUDIT_SESSION": None,
            "REFAUDIT_CONFIG": None,
        }
        self.runner = CliRunner()
        self.refs: dict[str, tuple[str, str]] = {}  # id -> (name, status)
        self.feedback: dict[str, tuple[str, str]] = {}  # id -> (reference, sentiment)
        self.next_feedback = 1

    def run(self, *args: str) -> str:
        result = self.runner.invoke(cli, list(args), env=self.env, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        return result.stdout

    def teardown(self) -> None:
        self.dir.cleanup()

    @initialize()
    def init(self) -> None:
        self.run("init", "--no-recovery-key", *CHEAP_KDF)

    @rule(name=names)
    def add_reference(self, name: str) -> None:
        result = self.runner.invoke(cli, ["ref", "add", "--", name], env=self.env, catch_exceptions=False)
        if not name.strip():
            assert result.exit_code == 1
            return
        assert result.exit_code == 0, result.output
        new_id = result.stdout.strip()
        assert new_id not in self.refs
        assert new_id.startswith(slugify(name) or "ref-")
        self.refs[new_id] = (name.strip(), "active")

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), status=st.sampled_from(REFERENCE_STATUSES))
    def set_status(self, data: st.DataObject, status: str) -> None:
        ref_id = data.draw(st.sampled_from(sorted(self.refs)))
        self.run("ref", "status", ref_id, status)
        self.refs[ref_id] = (self.refs[ref_id][0], status)

    @precondition(lambda self: self.refs)
    @rule(data=st.data(), sentiment=st.sampled_from(SENTIMENTS))
    def log_feedback(self, data: st.DataObject, sentiment: str) -> None:
        ref_id = data.draw(st.sampled_from(sorted(self.refs)))
        fid = self.run("feedback", "log", ref_id, "--sentiment", sentiment).strip()
        assert fid == f"f{self.next_feedback}"
        self.next_feedback += 1
        self.feedback[fid] = (ref_id, sentiment)

    @precondition(lambda self: self.feedback)
    @rule(data=st.data())
    def remove_feedback(self, data: st.DataObject) -> None:
        fid = data.draw(st.sampled_from(sorted(self.feedback)))
        self.run("feedback", "remove", fid, "--yes")
        del self.feedback[fid]

    @precondition(lambda self: self.refs)
    @rule(data=st.data())
    def remove_reference(self, data: st.DataObject) -> None:
        ref_id = data.draw(st.sampled_from(sorted(self.refs)))
        self.run("ref", "remove", ref_id, "--yes")
        del self.refs[ref_id]
        self.feedback = {k: v for k, v in self.feedback.items() if v[0] != ref_id}

    @invariant()
    def cli_agrees_with_model(self) -> None:
        if not Path(self.env["REFAUDIT_REGISTRY"] or "").exists():
            return
        refs = json.loads(self.run("ref", "list", "--status", "all", "--json"))
        assert {r["id"]: (r["name"], r["status"]) for r in refs} == self.refs
        reports = json.loads(self.run("feedback", "list", "--json"))
        assert {f["id"]: (f["reference"], f["sentiment"]) for f in reports} == self.feedback


RegistryMachine.TestCase.settings = settings(
    max_examples=25 if STRESS else 8,
    stateful_step_count=15 if STRESS else 8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRegistryMachine = pytest.mark.slow(RegistryMachine.TestCase)
