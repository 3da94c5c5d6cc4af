"""`refaudit next` and `refaudit demo` through the command line."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from refaudit import service, store, vault
from refaudit.demo import build_demo
from refaudit.model import Application, Feedback, Reference, Registry
from tests.conftest import PASSPHRASE, Runner

TODAY = date.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def write(path: Path, reg: Registry) -> Path:
    """Save ``reg`` as a new registry at ``path`` (cheap KDF, no recovery key)."""
    access = service.Access(
        store=store.Store(path),
        unlock=lambda blob: vault.unlock_passphrase(blob, PASSPHRASE),
        now=lambda: datetime.now(UTC),
    )
    service.init(access, PASSPHRASE, vault.MIN_KDF, recovery=False, registry=reg)
    return path


@pytest.fixture(autouse=True)
def _bench_of_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """These registries hold one reference: a lineup of one (with a manager) is a full bench, no recruit."""
    config = tmp_path / "bench.yaml"
    config.write_text("lineup:\n  size: 1\n", encoding="utf-8")
    monkeypatch.setenv("REFAUDIT_CONFIG", str(config))


def jane(added: int = 30, reported: int = 20) -> tuple[Reference, Feedback]:
    """Jane Doe, a manager, tested: an employer's good report."""
    return (
        Reference(id="jane-doe", name="Jane Doe", relationship="manager", added_on=days_ago(added)),
        Feedback("f1", "jane-doe", days_ago(reported), "positive", source="employer"),
    )


def fresh_apps(n: int = 3) -> list[Application]:
    return [Application(id=f"busy-{i}", company=f"Busy {i}", role="Analyst", applied_on=TODAY) for i in range(n)]


def one_briefing_due() -> Registry:
    """Jane (tested, positive) is given on Acme, at the reference check since yesterday; nobody briefed her."""
    acme = Application(
        id="acme-data-analyst", company="Acme Corp", role="Data Analyst", applied_on=days_ago(10),
        references=["jane-doe"], stage="reference-check", updated_on=days_ago(1),
    )  # fmt: skip
    return Registry(
        references=[Reference(id="jane-doe", name="Jane Doe", relationship="manager", added_on=days_ago(30))],
        applications=[acme, *fresh_apps(2)],
        feedback=[Feedback("f1", "jane-doe", days_ago(20), "positive", source="employer")],
        feedback_seq=1,
    )


def test_next_prints_each_action_then_its_command(runner: Runner, registry_path: Path) -> None:
    """Each action (kind, what, why, wrapped at 100 columns like audit), then the command that records it."""
    write(registry_path, one_briefing_due())
    assert runner.ok("next").stdout == (
        f"brief  Jane Doe — Acme Corp (Data Analyst): At reference-check since {days_ago(1).isoformat()}, "
        "and they have not\n"
        "       been told a call may be coming.\n"
        "         refaudit app update acme-data-analyst --briefed jane-doe\n"
        "         message: refaudit draft brief acme-data-analyst --ref jane-doe\n"
    )


def test_next_json_lists_actions_with_the_documented_keys(runner: Runner, registry_path: Path) -> None:
    """--json gives as_of and the actions as objects: kind, due, reference, application, reason, command, draft."""
    write(registry_path, one_briefing_due())
    data = json.loads(runner.ok("next", "--json").stdout)
    assert data["as_of"] == TODAY.isoformat()
    [action] = data["actions"]
    assert action == {
        "kind": "brief",
        "due": days_ago(1).isoformat(),
        "reference": "jane-doe",
        "application": "acme-data-analyst",
        "reason": f"At reference-check since {days_ago(1).isoformat()}, and they have not been told a call "
        "may be coming.",
        "command": "refaudit app update acme-data-analyst --briefed jane-doe",
        "draft": "refaudit draft brief acme-data-analyst --ref jane-doe",
    }


def test_next_with_nothing_due_says_so_in_one_line(runner: Runner, registry_path: Path) -> None:
    """Enough fresh applications and a tested reference: one friendly line."""
    ref, report = jane()
    write(registry_path, Registry(references=[ref], applications=fresh_apps(), feedback=[report], feedback_seq=1))
    assert runner.ok("next").stdout == (
        "Nothing is due today — your references are briefed, thanked and in good standing.\n"
    )
    assert json.loads(runner.ok("next", "--json").stdout)["actions"] == []


def test_next_as_of_shows_that_day(runner: Runner, registry_path: Path) -> None:
    """--as-of ignores later records: before anything was applied for, only apply-more was due."""
    write(registry_path, one_briefing_due())
    past = days_ago(20)
    data = json.loads(runner.ok("next", "--as-of", past.isoformat(), "--json").stdout)
    assert data["as_of"] == past.isoformat()
    assert [a["kind"] for a in data["actions"]] == ["apply-more"]


def test_next_as_of_nothing_due_uses_the_past_tense(runner: Runner, registry_path: Path) -> None:
    """A day with nothing due says 'was due on' that day."""
    ref, report = jane(added=60, reported=50)
    reg = Registry(references=[ref], feedback=[report], feedback_seq=1, applications=[*fresh_apps(), *(
        Application(id=f"old-{i}", company=f"Old {i}", role="Analyst", applied_on=days_ago(40)) for i in range(3)
    )])  # fmt: skip
    write(registry_path, reg)
    day = days_ago(30)
    assert runner.ok("next", "--as-of", day.isoformat()).stdout == (
        f"Nothing was due on {day.isoformat()} — your references are briefed, thanked and in good standing.\n"
    )


def test_next_refuses_a_bad_date(runner: Runner, registry_path: Path) -> None:
    """--as-of must be a date: a usage error (exit 2) naming the value."""
    write(registry_path, one_briefing_due())
    result = runner("next", "--as-of", "25/13/2026")
    assert result.exit_code == 2
    assert "'25/13/2026' is not a date" in result.stderr


def test_briefing_recorded_through_the_cli_clears_the_action(runner: Runner, registry_path: Path) -> None:
    """Running the printed command makes the action disappear."""
    if "app" not in runner("--help").stdout:
        pytest.skip("the app commands are not in this build yet")
    write(registry_path, one_briefing_due())
    command = json.loads(runner.ok("next", "--json").stdout)["actions"][0]["command"]
    runner.ok(*command.split()[1:])
    assert json.loads(runner.ok("next", "--json").stdout)["actions"] == []


def test_dropping_through_the_cli_clears_the_drop(runner: Runner, registry_path: Path) -> None:
    """`ref status REF dropped`, the command next prints, removes the drop action."""
    write(registry_path, build_demo(TODAY))
    actions = json.loads(runner.ok("next", "--json").stdout)["actions"]
    [drop, _] = [a for a in actions if a["kind"] == "drop"]
    assert drop["command"] == "refaudit ref status priya-natarajan dropped"
    runner.ok(*drop["command"].split()[1:])
    left = [a["reference"] for a in json.loads(runner.ok("next", "--json").stdout)["actions"] if a["kind"] == "drop"]
    assert left == ["jane-doe"]


PLACEHOLDERS = {"TEXT": "Went with someone else", "SENTIMENT": "positive", "NAME": "Robin Recruit"}


def test_running_every_printed_command_on_the_demo_clears_the_list(runner: Runner, registry_path: Path) -> None:
    """Each action's command, run as printed (placeholders filled in), leaves nothing due once what it
    records has been judged: a friend's good mock call about someone an employer criticised makes them
    contradicted, whose professional check is then due, and a new reference is to be tested."""
    write(registry_path, build_demo(TODAY))
    actions = json.loads(runner.ok("next", "--json").stdout)["actions"]
    assert len(actions) >= 10
    for _ in range(3):
        for action in actions:
            argv = [PLACEHOLDERS.get(arg, arg) for arg in shlex.split(action["command"])]
            assert argv[0] == "refaudit"
            runner.ok(*argv[1:])
        actions = json.loads(runner.ok("next", "--json").stdout)["actions"]
    assert runner.ok("next").stdout == (
        "Nothing is due today — your references are briefed, thanked and in good standing.\n"
    )


# --- demo ------------------------------------------------------------------------------


def test_demo_without_a_passphrase_uses_demo(
    runner: Runner, registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No passphrase source: the demo's passphrase is 'demo', and it says so."""
    monkeypatch.delenv("REFAUDIT_PASSPHRASE")
    result = runner.ok("demo")
    assert result.stdout.startswith(
        f"Created a demo registry for Alex Candidate at {registry_path} (10 references, 40 applications, 32 reports).\n"
    )
    assert "The passphrase is 'demo'.\n" in result.stdout
    assert "Recovery key: " in result.stdout
    monkeypatch.setenv("REFAUDIT_PASSPHRASE", "demo")
    assert runner.ok("verify").exit_code == 0
    assert "swap             Priya Natarajan — Globex (Data Analyst)" in runner.ok("next").stdout


def test_demo_uses_the_passphrase_given(runner: Runner, registry_path: Path) -> None:
    """With REFAUDIT_PASSPHRASE set, the demo is locked with it and the passphrase is not printed."""
    result = runner.ok("demo")
    assert "The passphrase is" not in result.stdout
    assert vault.unlock_passphrase(registry_path.read_bytes(), PASSPHRASE)
    audit = json.loads(runner.ok("audit", "--json").stdout)
    assert {r["recommendation"] for r in audit["references"]} == {"keep", "watch", "drop"}


def test_demo_registry_option_chooses_the_file(runner: Runner, registry_path: Path, tmp_path: Path) -> None:
    """demo --registry PATH writes there, not at the global registry."""
    target = tmp_path / "sample.refaudit"
    runner.ok("demo", "--registry", str(target))
    assert target.exists()
    assert not registry_path.exists()
    assert (target.stat().st_mode & 0o777) == 0o600


def test_demo_refuses_to_overwrite(runner: Runner, registry: Path) -> None:
    """Like init, demo leaves an existing registry alone and exits 1."""
    before = registry.read_bytes()
    result = runner("demo")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "already exists" in result.stderr
    assert registry.read_bytes() == before


def test_demo_history_records_its_creation(runner: Runner) -> None:
    """The sample's change log starts with the demo command."""
    runner.ok("demo")
    if "history" not in runner("--help").stdout:
        pytest.skip("the history command is not in this build yet")
    entries = json.loads(runner.ok("history", "--json").stdout)
    assert [e["command"] for e in entries] == ["demo"]


@pytest.mark.parametrize("command", ["next", "demo"])
def test_help_has_an_example(runner: Runner, command: str) -> None:
    """Each command's help ends in an Example block."""
    assert "Example:" in runner.ok(command, "--help").stdout
