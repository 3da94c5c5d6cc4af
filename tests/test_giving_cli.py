"""Giving, withdrawing and swapping references: `app add/update --ref`, `--withdraw-ref`, `--swap`.

Today is pinned to 2026-11-30. Bob turns drop on 2026-09-20 (a verbatim negative from a recruiter).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


@pytest.fixture
def acme(runner: Runner, registry: Path) -> Path:
    """Jane (manager), Bob (colleague) and Cara (mentor, tested); Acme given Jane and Bob; Bob drop from 20 Sep."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    runner.ok("ref", "add", "Bob Smith", "--relationship", "colleague")
    runner.ok("ref", "add", "Cara Lee", "--relationship", "mentor")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "2026-09-01", "--ref", "jane", "--ref", "bob")
    runner.ok(
        "feedback", "log", "bob", "--sentiment", "negative", "--source", "recruiter", "--certainty", "verbatim",
        "--app", "acme", "--on", "2026-09-20", "--quote", "Would not hire again",
    )  # fmt: skip
    return registry


def app_json(runner: Runner, app: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(runner.ok("app", "show", app, "--json").stdout)
    return data


def uses(runner: Runner, ref: str, as_of: str) -> tuple[int, str | None]:
    verdict = json.loads(runner.ok("audit", ref, "--as-of", as_of, "--json").stdout)["references"][0]
    return verdict["uses"], verdict["last_used"]


def refused(runner: Runner, registry: Path, args: list[str], code: int) -> str:
    before = registry.read_bytes()
    result = runner(*args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert registry.read_bytes() == before
    return result.stderr


BOB_DROP = (
    "Warning: Bob Smith (bob-smith) is drop as of {day}. One credible negative report means drop (report f1). "
    "The lineup's pick instead: Jane Doe (jane-doe).\n"
)


# --- warning at the moment of giving -----------------------------------------------------


def test_app_add_warns_on_stderr_and_prints_the_id_alone(runner: Runner, acme: Path) -> None:
    """Giving a dropped reference prints the id alone on stdout and, on stderr, why and the lineup's pick."""
    result = runner.ok("app", "add", "Globex", "--role", "Analyst", "--applied", "2026-10-01", "--ref", "bob")
    assert result.stdout == "globex-analyst\n"
    assert result.stderr == BOB_DROP.format(day="2026-10-01")
    assert app_json(runner, "globex")["references"] == ["bob-smith"]  # never blocks


def test_the_warning_uses_the_audit_of_the_day_given(runner: Runner, acme: Path) -> None:
    """Given on 10 Sep, before the report of 20 Sep, Bob was still keep: no warning."""
    result = runner.ok("app", "add", "Globex", "--role", "Analyst", "--applied", "2026-09-10", "--ref", "bob")
    assert (result.stdout, result.stderr) == ("globex-analyst\n", "")


def test_app_update_ref_warns_too(runner: Runner, acme: Path) -> None:
    """`app update --ref` warns the same way, as of --on; stdout is the id alone."""
    runner.ok("app", "add", "Globex", "--role", "Analyst", "--applied", "2026-10-01", "--ref", "cara")
    result = runner.ok("app", "update", "globex", "--ref", "bob", "--on", "2026-10-03")
    assert result.stdout == "globex-analyst\n"
    assert result.stderr == BOB_DROP.format(day="2026-10-03")


def test_no_warning_for_a_keep(runner: Runner, acme: Path) -> None:
    """A reference the audit keeps, unflagged, is given silently."""
    runner.ok("feedback", "log", "cara", "--sentiment", "positive", "--source", "mock-call", "--on", "2026-09-02")
    result = runner.ok("app", "add", "Globex", "--role", "Analyst", "--applied", "2026-10-01", "--ref", "cara")
    assert (result.stdout, result.stderr) == ("globex-analyst\n", "")


def test_overused_is_warned_about(runner: Runner, acme: Path) -> None:
    """A reference flagged overused that day gets a warning naming the flag."""
    for i, day in enumerate(["2026-10-01", "2026-10-03", "2026-10-05", "2026-10-07"], start=1):
        runner.ok("app", "add", f"Co{i}", "--role", "Analyst", "--applied", day, "--ref", "jane")
    result = runner.ok("app", "add", "Co5", "--role", "Analyst", "--applied", "2026-10-09", "--ref", "jane")
    assert result.stdout == "co5-analyst\n"
    assert "Warning: Jane Doe (jane-doe) is overused as of 2026-10-09." in result.stderr
    assert "Overused: given often lately" in result.stderr


# --- withdraw and swap -------------------------------------------------------------------


def test_withdraw_ref_keeps_them_in_references_and_dates_it(runner: Runner, acme: Path) -> None:
    """--withdraw-ref adds {reference, on} to withdrawn and a timeline event; references keeps everyone."""
    assert runner.ok("app", "update", "acme", "--withdraw-ref", "bob", "--on", "2026-09-22").stdout == "acme-analyst\n"
    data = app_json(runner, "acme")
    assert data["references"] == ["jane-doe", "bob-smith"]
    assert data["withdrawn"] == [{"reference": "bob-smith", "on": "2026-09-22"}]
    assert data["timeline"][-1] == {"on": "2026-09-22", "event": "withdraw-ref", "value": "bob-smith"}


def test_uses_after_the_withdrawal_leave_them_out(runner: Runner, acme: Path) -> None:
    """The audit counts Bob's use on Acme until the day he is withdrawn, not after."""
    runner.ok("app", "update", "acme", "--withdraw-ref", "bob", "--on", "2026-09-22")
    assert uses(runner, "bob", "2026-09-21") == (1, "2026-09-01")
    assert uses(runner, "bob", "2026-09-22") == (0, None)


def test_swap_is_one_command_two_events(runner: Runner, acme: Path) -> None:
    """--swap OLD=NEW withdraws OLD and gives NEW on --on; the audit counts NEW from that day."""
    assert runner.ok("app", "update", "acme", "--swap", "bob=cara", "--on", "2026-09-23").stdout == "acme-analyst\n"
    data = app_json(runner, "acme")
    assert data["references"] == ["jane-doe", "bob-smith", "cara-lee"]
    assert data["withdrawn"] == [{"reference": "bob-smith", "on": "2026-09-23"}]
    assert data["timeline"][-2:] == [
        {"on": "2026-09-23", "event": "withdraw-ref", "value": "bob-smith"},
        {"on": "2026-09-23", "event": "ref", "value": "cara-lee"},
    ]
    assert uses(runner, "cara", "2026-09-23")[0] == 1  # and not known before: never given
    shown = runner.ok("app", "show", "acme").stdout
    assert "  Bob Smith (bob-smith)  not briefed  withdrawn 2026-09-23\n" in shown
    assert "  2026-09-23  gave Cara Lee (cara-lee)\n" in shown


def test_a_withdrawn_reference_can_be_given_again(runner: Runner, acme: Path) -> None:
    """--ref after a withdrawal gives them again from that day."""
    runner.ok("app", "update", "acme", "--withdraw-ref", "bob", "--on", "2026-09-22")
    runner.ok("app", "update", "acme", "--ref", "bob", "--on", "2026-09-25")
    assert uses(runner, "bob", "2026-09-23") == (0, None)
    assert uses(runner, "bob", "2026-09-25")[0] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--swap", "bob"], 2, "'bob' is not OLD=NEW; give the reference to take off and the one to give"),
        (["--swap", "=cara"], 2, "'=cara' is not OLD=NEW"),
        (["--swap", "bob=bob"], 1, "Error: --swap bob-smith=bob-smith names the same reference twice"),
        (["--swap", "bob=jane"], 1, "Error: --swap bob-smith=jane-doe: Jane Doe (jane-doe) is already given on"),
        (["--swap", "bob=nobody"], 1, "Error: No reference matches 'nobody'."),
        (["--withdraw-ref", "cara"], 1, "Error: Cara Lee (cara-lee) is not given on acme-analyst as of 2026-11-30"),
        (["--withdraw-ref", "bob", "--withdraw-ref", "bob"], 1, "is taken off acme-analyst twice in one command"),
        (["--withdraw-ref", "bob", "--on", "2026-08-01"], 1, "is before you applied to Acme"),
        (["--withdraw-ref", "bob", "--on", "2027-01-01"], 1, "Error: --on 2027-01-01 is in the future"),
        (["--swap", "bob="], 2, "'bob=' is not OLD=NEW"),
    ],
    ids=[
        "no-equals",
        "no-old",
        "same",
        "new-already-given",
        "unknown-new",
        "not-given",
        "twice",
        "before",
        "future",
        "no-new",
    ],
)
def test_withdraw_and_swap_refuse_bad_input(
    runner: Runner, acme: Path, args: list[str], code: int, message: str
) -> None:
    """Bad --swap / --withdraw-ref values exit 1 or 2 naming the value; the registry is unchanged."""
    assert message in refused(runner, acme, ["app", "update", "acme", *args], code)


def test_withdrawn_survives_export_and_import(runner: Runner, acme: Path, tmp_path: Path) -> None:
    """YAML, JSON and CSV exports carry withdrawn, and importing them into a new registry keeps it."""
    runner.ok("app", "update", "acme", "--swap", "bob=cara", "--on", "2026-09-23")
    for fmt in ("yaml", "json", "csv"):
        out = tmp_path / f"export-{fmt}"
        runner.ok("export", "--format", fmt, "-o", str(out))
        other = tmp_path / f"other-{fmt}.refaudit"
        env = {"REFAUDIT_REGISTRY": str(other)}
        runner.ok("init", "--no-recovery-key", "--kdf-memory", "19", "--kdf-passes", "2", env=env)
        runner.ok("import", str(out), "--format", fmt, env=env)
        shown = json.loads(runner.ok("app", "show", "acme", "--json", env=env).stdout)
        assert shown["withdrawn"] == [{"reference": "bob-smith", "on": "2026-09-23"}], fmt
