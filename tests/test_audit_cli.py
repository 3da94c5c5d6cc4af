"""``refaudit audit`` and ``refaudit lineup`` on real encrypted registries, through the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from refaudit import service, store, vault
from refaudit.model import Application, Feedback, Reference, Registry
from tests.conftest import PASSPHRASE, Runner
from tests.test_audit import AS_OF, _lineup_registry, _pattern_registry, app, ref, report


def seed(path: Path, reg: Registry) -> None:
    """Put ``reg``'s records into the (already initialised) registry at ``path``."""
    access = service.Access(
        store=store.Store(path, lock_timeout=2),
        unlock=lambda blob: vault.unlock_passphrase(blob, PASSPHRASE),
        now=lambda: datetime(2026, 11, 25, 12, tzinfo=UTC),
    )

    def change(target: Registry) -> service.Change:
        target.references.extend(reg.references)
        target.applications.extend(reg.applications)
        target.feedback.extend(reg.feedback)
        return service.Change("seeded for a test")

    service.update(access, "test", change)


def audit_json(runner: Runner, *extra: str, as_of: date = AS_OF) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(runner.ok(*extra, "audit", "--as-of", as_of.isoformat(), "--json").stdout)
    return data


def one(runner: Runner, registry: Path, reg: Registry, ref_id: str = "jane") -> dict[str, Any]:
    seed(registry, reg)
    return next(v for v in audit_json(runner)["references"] if v["id"] == ref_id)


def single(refs: list[Reference], feedback: list[Feedback] = (), apps: list[Application] = ()) -> Registry:  # type: ignore[assignment]
    return Registry(references=list(refs), feedback=list(feedback), applications=list(apps))


# --- every behaviour, through audit --json -------------------------------------------------

BEHAVIOURS = {
    "credible-negative-drop": (
        single([ref("jane")], [report("f1", "jane", "negative", source="recruiter", quote="Missed deadlines.")]),
        "drop",
        [],
        ["f1"],
    ),
    "only-positive-keep": (
        single([ref("jane")], [report("f1", "jane", "positive"), report("f2", "jane", "positive")]),
        "keep",
        [],
        ["f1", "f2"],
    ),
    "no-reports-untested": (single([ref("jane")]), "keep", ["untested"], []),
    "hearsay-negative-watch": (
        single([ref("jane")], [report("f1", "jane", "negative", certainty="hearsay")]),
        "watch",
        [],
        ["f1"],
    ),
    "inferred-negative-watch": (
        single([ref("jane")], [report("f1", "jane", "negative", source="recruiter", certainty="inferred")]),
        "watch",
        [],
        ["f1"],
    ),
    "two-lukewarm-watch": (
        single([ref("jane")], [report("f1", "jane", "lukewarm"), report("f2", "jane", "lukewarm", days_ago=5)]),
        "watch",
        [],
        ["f1", "f2"],
    ),
    "two-no-response-unreachable": (
        single([ref("jane")], [report("f1", "jane", "no-response"), report("f2", "jane", "no-response", days_ago=5)]),
        "watch",
        ["unreachable"],
        ["f1", "f2"],
    ),
    "declined-policy-limited": (
        single([ref("jane")], [report("f1", "jane", "declined")]),
        "keep",
        ["untested", "policy-limited"],
        ["f1"],
    ),
    "old-negative-forgiven": (
        single(
            [ref("jane")],
            [
                report("f1", "jane", "negative", days_ago=500),
                report("f2", "jane", "positive", days_ago=40),
                report("f3", "jane", "positive", source="reference-service", days_ago=20),
            ],
        ),
        "keep",
        [],
        ["f2", "f3", "f1"],
    ),
    "late-rejections-pattern": (_pattern_registry([None, None, None]), "watch", ["untested", "pattern"], []),
    "rejection-reason-elsewhere": (
        _pattern_registry([None, None, "They hired an internal candidate."]),
        "keep",
        ["untested"],
        [],
    ),
    "overused": (
        single(
            [ref("jane")],
            [report("f1", "jane", "positive")],
            [app(f"co{i}-analyst", ["jane"], days_ago=2 + i) for i in range(4)],
        ),
        "keep",
        ["overused"],
        ["f1"],
    ),
    "user-dropped": (
        single([ref("jane", status="dropped", status_on=date(2026, 10, 1))], [report("f1", "jane", "positive")]),
        "keep",
        ["user-dropped"],
        ["f1"],
    ),
    "stale": (single([ref("jane", consent_on=date(2025, 3, 1))]), "keep", ["untested", "stale"], []),
}


@pytest.mark.parametrize(("reg", "recommendation", "flags", "evidence"), BEHAVIOURS.values(), ids=BEHAVIOURS.keys())
def test_each_behaviour_through_the_cli(
    runner: Runner, registry: Path, reg: Registry, recommendation: str, flags: list[str], evidence: list[str]
) -> None:
    """audit --json gives each behaviour's recommendation, flags and evidence, every evidence id in the reasons."""
    v = one(runner, registry, reg)
    assert (v["recommendation"], v["flags"], v["evidence"]) == (recommendation, flags, evidence)
    assert v["reasons"]
    for fid in evidence:
        assert any(fid in r for r in v["reasons"])


def test_json_shape_is_spec(runner: Runner, registry: Path) -> None:
    """audit --json has as_of and references with exactly docs/SPEC.md's keys, dates as ISO text."""
    seed(registry, single([ref("jane")], [report("f1", "jane", "positive")], [app("acme-analyst", ["jane"])]))
    data = audit_json(runner)
    assert data["as_of"] == "2026-11-25"
    (v,) = data["references"]
    assert list(v) == [
        "id", "name", "status", "recommendation", "risk", "evidence_weight", "flags", "reasons", "evidence",
        "moved", "rule", "claims", "uses", "last_used",
    ]  # fmt: skip
    assert (v["risk"], v["evidence_weight"], v["uses"], v["last_used"]) == (0.152, 0.78, 1, "2026-09-26")


def test_the_credible_negative_reason_quotes_the_report(runner: Runner, registry: Path) -> None:
    """The drop reason quotes what was said and names the report."""
    v = one(runner, registry, BEHAVIOURS["credible-negative-drop"][0])
    assert v["reasons"][0].startswith('A recruiter (direct) on 2026-11-15: "Missed deadlines." (report f1).')


def test_as_of_ignores_later_records(runner: Runner, registry: Path) -> None:
    """--as-of before a report reproduces the audit without it."""
    seed(registry, single([ref("jane")], [report("f1", "jane", "negative", days_ago=2)]))
    assert audit_json(runner)["references"][0]["recommendation"] == "drop"
    earlier = audit_json(runner, as_of=date(2026, 11, 20))
    assert (earlier["as_of"], earlier["references"][0]["recommendation"]) == ("2026-11-20", "keep")


def test_table_puts_the_word_first_with_reasons_underneath(runner: Runner, registry: Path) -> None:
    """The terminal table starts each reference with KEEP/WATCH/DROP, then name, id, risk and flags, reasons below."""
    seed(registry, BEHAVIOURS["two-no-response-unreachable"][0])
    out = runner.ok("audit", "--as-of", "2026-11-25", env={"COLUMNS": "100"}).stdout
    assert out == (
        "Audit as of 2026-11-25: 1 watch.\n"
        "\n"
        "WATCH  Jane (jane)  risk 0.25  [unreachable]\n"
        "       - The employer (direct) on 2026-11-15: could not reach them (report f1). The employer\n"
        "         (direct) on 2026-11-20: could not reach them (report f2). 2 failed attempts to reach them:\n"
        "         call them and confirm their number, email and availability. Give them only alongside a\n"
        "         strong reference, and test them soon with a mock call.\n"
    )
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_empty_registry_says_how_to_start(runner: Runner, registry: Path) -> None:
    """audit on an empty registry says how to add a reference; --json gives an empty list."""
    assert "refaudit ref add" in runner.ok("audit").stdout
    assert json.loads(runner.ok("audit", "--json").stdout)["references"] == []


# --- config --------------------------------------------------------------------------------


def test_config_override_changes_the_verdict(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--config lowering scoring.watch_risk turns a contact's mixed report into watch; REFAUDIT_CONFIG does too."""
    seed(registry, single([ref("jane")], [report("f1", "jane", "mixed", source="contact")]))
    assert audit_json(runner)["references"][0]["recommendation"] == "keep"
    config = tmp_path / "strict.yaml"
    config.write_text("scoring:\n  watch_risk: 0.2\n", encoding="utf-8")
    assert audit_json(runner, "--config", str(config))["references"][0]["recommendation"] == "watch"
    out = runner.ok("audit", "--as-of", "2026-11-25", "--json", env={"REFAUDIT_CONFIG": str(config)}).stdout
    assert json.loads(out)["references"][0]["recommendation"] == "watch"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "scoring:\n  watch_riks: 0.2\n",
            "Error: Config: unknown key 'scoring.watch_riks'; known keys here: ",
        ),
        (
            "scoring:\n  half_life_days: soon\n",
            "Error: Config: scoring.half_life_days must be a whole number, not 'soon'.",
        ),
        ("lineup:\n  size: 2.5\n", "Error: Config: lineup.size must be a whole number, not 2.5."),
        (
            "scoring:\n  drop_risk: 0.1\n",
            "Error: Config: scoring.drop_risk (0.1) must not be below scoring.watch_risk (0.3).",
        ),
    ],
    ids=["unknown-key", "ill-typed", "ill-typed-lineup", "out-of-order"],
)
def test_bad_config_exits_1_naming_the_key(
    runner: Runner, registry: Path, tmp_path: Path, text: str, message: str
) -> None:
    """An unknown, ill-typed or senseless config key exits 1 naming it, for audit and lineup alike."""
    config = tmp_path / "bad.yaml"
    config.write_text(text, encoding="utf-8")
    for command in ("audit", "lineup"):
        result = runner("--config", str(config), command)
        assert result.exit_code == 1
        assert result.stderr.startswith(message), result.stderr
        assert result.stdout == ""


# --- lineup --------------------------------------------------------------------------------


def test_lineup_json(runner: Runner, registry: Path) -> None:
    """lineup --json proposes the best credible word first, then other relationships, each with a reason."""
    seed(registry, _lineup_registry())
    data = json.loads(runner.ok("lineup", "--as-of", "2026-11-25", "--json").stdout)
    assert data["as_of"] == "2026-11-25"
    assert [(p["id"], p["relationship"]) for p in data["lineup"]] == [
        ("col-a", "colleague"),
        ("boss", "manager"),
        ("client", "client"),
    ]
    assert all(p["reason"] for p in data["lineup"])
    assert data["held_back"] == []


def test_lineup_size_and_text(runner: Runner, registry: Path) -> None:
    """lineup --size 1 proposes one reference, numbered, with its reason underneath."""
    seed(registry, _lineup_registry())
    assert runner.ok("lineup", "--size", "1", "--as-of", "2026-11-25", env={"COLUMNS": "100"}).stdout == (
        "1. Col A (col-a), colleague\n   Their credible reports speak best for you; keep, risk 0.12 (reports f1, f2).\n"
    )


def test_lineup_says_who_is_held_back_and_why(runner: Runner, registry: Path) -> None:
    """Fewer ready than --size: the lineup names who is held back and why; a dates-only reference never leads."""
    seed(registry, single(
        [ref("dates", "manager"), ref("jane")],
        [report("f1", "dates", "declined"), report("f2", "jane", "negative", quote="Late, always.")],
    ))  # fmt: skip
    out = runner.ok("lineup", "--as-of", "2026-11-25", env={"COLUMNS": "100"}).stdout
    assert out == (
        "No reference is ready to give: each is held back, for the reason below (refaudit audit says more).\n"
        "\n"
        "Held back (2):\n"
        "   Jane (jane): The audit says drop: One credible negative report means drop (report f2).\n"
        "   Dates (dates): Only confirms dates by company policy: never the first name you give.\n"
    )


def test_lineup_size_zero_is_a_usage_error(runner: Runner, registry: Path) -> None:
    """lineup --size 0 is refused by Click (exit 2)."""
    assert runner("lineup", "--size", "0").exit_code == 2


def test_lineup_with_nobody_ready(runner: Runner, registry: Path) -> None:
    """With no reference to give, lineup says so and points to the audit."""
    seed(registry, single([ref("jane")], [report("f1", "jane", "negative")]))
    assert "refaudit audit" in runner.ok("lineup", "--as-of", "2026-11-25").stdout


@pytest.mark.parametrize("command", ["audit", "lineup"])
def test_help_has_an_example(runner: Runner, command: str) -> None:
    """audit and lineup explain themselves with an example."""
    assert "Example:" in runner.ok(command, "--help").stdout


def test_as_of_includes_references_back_filled_later(runner: Runner, registry: Path) -> None:
    """A reference typed in today with a report from last year appears in last year's audit."""
    runner.ok("ref", "add", "Jose Nunez")
    runner.ok("ref", "add", "Ann Other")
    runner.ok("feedback", "log", "jose", "--sentiment", "negative", "--source", "employer",
              "--certainty", "verbatim", "--date", "2025-06-01")  # fmt: skip
    data = json.loads(runner.ok("audit", "--as-of", "2025-07-01", "--json").stdout)
    assert [r["id"] for r in data["references"]] == ["jose-nunez"]
    assert data["references"][0]["recommendation"] == "drop"


# --- one person at a time ----------------------------------------------------------------


def _jane_and_bob() -> Registry:
    return single(
        [ref("jane"), ref("bob")],
        [report("f1", "jane", "lukewarm", source="recruiter", reporter="Sam", quote="Needs direction.")],
    )


def test_audit_of_one_reference_has_the_shape_of_the_whole(runner: Runner, registry: Path) -> None:
    """audit REF --json is audit --json with that one element, found by name as everywhere else."""
    seed(registry, _jane_and_bob())
    whole = audit_json(runner)
    data = json.loads(runner.ok("audit", "JANE", "--as-of", "2026-11-25", "--json").stdout)
    assert data == {"as_of": "2026-11-25", "references": [v for v in whole["references"] if v["id"] == "jane"]}


def test_audit_of_one_reference_prints_its_verdict_and_reasons(runner: Runner, registry: Path) -> None:
    """audit REF prints the headline and every reason, without the summary line."""
    seed(registry, _jane_and_bob())
    out = runner.ok("audit", "jane", "--as-of", "2026-11-25", env={"COLUMNS": "100"}).stdout
    assert out == (
        "WATCH  Jane (jane)  risk 0.27\n"
        '       - Sam (recruiter, direct) on 2026-11-15: "Needs direction." (report f1). Faint praise or\n'
        "         reservations cost offers too. Give them only alongside a strong reference, and test them\n"
        "         soon with a mock call.\n"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("nobody", "Error: No reference matches 'nobody'."),
        ("'; DROP TABLE references; --", "Error: No reference matches"),
    ],
    ids=["unknown", "hostile"],
)
def test_audit_of_an_unknown_reference_is_refused(runner: Runner, registry: Path, query: str, message: str) -> None:
    """An unknown REF is exit 1 with the usual message, and the registry is left as it was."""
    seed(registry, _jane_and_bob())
    before = registry.read_bytes()
    result = runner("audit", query)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert registry.read_bytes() == before


def test_audit_of_a_reference_not_known_yet_on_the_day(runner: Runner, registry: Path) -> None:
    """audit REF --as-of before they were added says so, naming the day."""
    seed(registry, single([ref("jane", added_on=date(2026, 11, 1))]))
    result = runner("audit", "jane", "--as-of", "2026-10-01")
    assert result.exit_code == 1
    assert result.stderr == "Error: Reference 'jane' was not known yet on 2026-10-01; try a later --as-of.\n"


def test_ref_show_includes_the_verdict(runner: Runner, registry: Path) -> None:
    """ref show prints today's verdict with its reasons; --json gains verdict, the audit's entry."""
    seed(registry, _jane_and_bob())
    out = runner.ok("ref", "show", "jane", env={"COLUMNS": "100"}).stdout
    assert out.endswith(
        "\nVerdict today:\nWATCH  Jane (jane)  risk 0.27\n"
        '       - Sam (recruiter, direct) on 2026-11-15: "Needs direction." (report f1). Faint praise or\n'
        "         reservations cost offers too. Give them only alongside a strong reference, and test them\n"
        "         soon with a mock call.\n"
    )
    data = json.loads(runner.ok("ref", "show", "jane", "--json").stdout)
    [today] = json.loads(runner.ok("audit", "jane", "--json").stdout)["references"]
    assert data["verdict"] == today
