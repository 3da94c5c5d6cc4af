"""Recording real life: every event on the day it happened, stage order, feedback edit, id rename.

Today is pinned to Monday 2026-11-30 (REFAUDIT_TODAY), so relative dates have fixed answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refaudit import asof, store
from tests.conftest import PASSPHRASE, Runner

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


@pytest.fixture
def acme(runner: Runner, registry: Path) -> Path:
    """Jane Doe and Bob Smith, given on an application to Acme made on 2026-09-15."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    runner.ok("ref", "add", "Bob Smith", "--relationship", "colleague")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "15 Sep 2026", "--ref", "jane", "--ref", "bob")
    return registry


def app_json(runner: Runner, app: str = "acme") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(runner.ok("app", "show", app, "--json").stdout)
    return data


def events(runner: Runner, app: str = "acme") -> list[tuple[str, str, str | None]]:
    return [(e["on"], e["event"], e["value"]) for e in app_json(runner, app)["timeline"]]


def refused(runner: Runner, registry: Path, args: list[str], code: int) -> str:
    """Run a command that must fail; assert its exit code, that nothing was written; return stderr."""
    before = registry.read_bytes()
    result = runner(*args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert registry.read_bytes() == before
    return result.stderr


# --- every event on its day ---------------------------------------------------------------


def test_three_months_after_the_fact(runner: Runner, acme: Path) -> None:
    """Stage, briefing, outcome, thanks, note and debrief are each stored on their --on day."""
    runner.ok("app", "update", "acme", "--stage", "interview", "--on", "29.09.2026")
    runner.ok("app", "update", "acme", "--stage", "reference-check", "--briefed", "jane", "--on", "Oct 10 2026")
    runner.ok("app", "update", "acme", "--note", "called HR", "--on", "2026/10/12")
    runner.ok("app", "update", "acme", "--outcome", "rejected", "--reason-kind", "none-given", "--on", "20 Oct 2026")
    runner.ok("app", "update", "acme", "--thanked", "jane", "--on", "2026-10-21")
    runner.ok("app", "debrief", "acme", "--reason", "went quiet", "--reason-kind", "none-given", "--on", "last monday")
    assert events(runner) == [
        ("2026-09-15", "applied", None),
        ("2026-09-29", "stage", "interview"),
        ("2026-10-10", "stage", "reference-check"),
        ("2026-10-10", "briefed", "jane-doe"),
        ("2026-10-12", "note", "called HR"),
        ("2026-10-20", "outcome", "rejected"),
        ("2026-10-21", "thanked", "jane-doe"),
        ("2026-11-23", "debrief", "none-given"),
    ]
    data = app_json(runner)
    assert (data["stage"], data["outcome"], data["closed_on"], data["updated_on"], data["reason_kind"]) == (
        "reference-check", "rejected", "2026-10-20", "2026-11-23", "none-given"
    )  # fmt: skip
    assert data["briefed"] == [{"reference": "jane-doe", "on": "2026-10-10"}]
    assert data["thanked"] == [{"reference": "jane-doe", "on": "2026-10-21"}]
    assert data["notes"] == "2026-10-12: called HR"


def test_the_as_of_view_follows_the_recorded_days(runner: Runner, acme: Path, registry: Path) -> None:
    """What was recorded after the fact reads back as it stood on each day (asof.view)."""
    runner.ok("app", "update", "acme", "--stage", "final", "--on", "2026-10-01")
    runner.ok("app", "update", "acme", "--outcome", "offer", "--on", "2026-10-15")
    reg, _ = store.open_blob(registry.read_bytes(), lambda blob: _unlock(blob))
    from datetime import date

    def state(day: date) -> tuple[str, str]:
        app = asof.view(reg, day).application("acme-analyst")
        return app.stage, app.outcome

    assert state(date(2026, 9, 20)) == ("applied", "pending")
    assert state(date(2026, 10, 5)) == ("final", "pending")
    assert state(date(2026, 10, 15)) == ("offer", "offer")  # an offer moves the stage to offer


def _unlock(blob: bytes) -> Any:
    from refaudit import vault

    return vault.unlock_passphrase(blob, PASSPHRASE)


def test_app_show_lists_the_timeline(runner: Runner, acme: Path) -> None:
    """`app show` lists each stage and outcome with its date."""
    runner.ok("app", "update", "acme", "--stage", "interview", "--on", "2026-09-29")
    runner.ok("app", "update", "acme", "--outcome", "rejected", "--on", "2026-10-20")
    out = runner.ok("app", "show", "acme").stdout
    assert ("Timeline:\n  2026-09-15  applied\n  2026-09-29  stage interview\n  2026-10-20  outcome rejected\n") in out


def test_on_defaults_to_today(runner: Runner, acme: Path) -> None:
    """Without --on, the event is today's."""
    runner.ok("app", "update", "acme", "--stage", "screening")
    assert events(runner)[-1] == (TODAY, "stage", "screening")


def test_ref_status_on(runner: Runner, acme: Path) -> None:
    """`ref status --on` dates the decision; it has no lower bound."""
    runner.ok("ref", "status", "bob", "resting", "--on", "3 weeks ago")
    runner.ok("ref", "status", "jane", "dropped", "--on", "1999-01-01")
    refs = {r["id"]: r for r in json.loads(runner.ok("ref", "list", "--status", "all", "--json").stdout)}
    assert (refs["bob-smith"]["status"], refs["bob-smith"]["status_on"]) == ("resting", "2026-11-09")
    assert refs["jane-doe"]["status_on"] == "1999-01-01"


def test_feedback_log_on_is_date(runner: Runner, acme: Path) -> None:
    """`feedback log --on` is the same as --date: the day the report reached you."""
    runner.ok("feedback", "log", "jane", "-s", "lukewarm", "--on", "yesterday", "--source", "recruiter")
    runner.ok("feedback", "log", "bob", "-s", "positive", "--date", "15.10.2026", "--source", "mock-call")
    got = {f["id"]: (f["reported_on"], f["sentiment"], f["source"])
           for f in json.loads(runner.ok("feedback", "list", "--json").stdout)}  # fmt: skip
    assert got == {"f1": ("2026-11-29", "lukewarm", "recruiter"), "f2": ("2026-10-15", "positive", "mock-call")}


@pytest.mark.parametrize(
    "args",
    [
        ["app", "update", "acme", "--stage", "interview"],
        ["app", "update", "acme", "--outcome", "rejected"],
        ["app", "update", "acme", "--briefed", "jane"],
        ["app", "update", "acme", "--thanked", "jane"],
        ["app", "update", "acme", "--note", "x"],
        ["app", "debrief", "acme", "--reason", "x"],
    ],
    ids=["stage", "outcome", "briefed", "thanked", "note", "debrief"],
)
@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2026-12-01", "Error: --on 2026-12-01 is in the future; today is 2026-11-30.\n"),
        ("2026-09-14",
         "Error: --on 2026-09-14 is before you applied to Acme (acme-analyst, applied 2026-09-15); "
         "use a date on or after it.\n"),
    ],
    ids=["future", "before-applied"],
)  # fmt: skip
def test_application_events_refuse_impossible_days(
    runner: Runner, acme: Path, args: list[str], on: str, message: str
) -> None:
    """--on may be neither in the future nor before the application was made; nothing is written."""
    assert refused(runner, acme, [*args, "--on", on], 1) == message


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ref", "status", "jane", "resting", "--on", "2026-12-01"], 1,
         "Error: --on 2026-12-01 is in the future; today is 2026-11-30.\n"),
        (["feedback", "log", "jane", "-s", "positive", "--on", "2026-12-01"], 1,
         "Error: --date 2026-12-01 is in the future; today is 2026-11-30.\n"),
        (["feedback", "log", "jane", "-s", "positive", "--on", "2026-09-01", "--app", "acme"], 1,
         "Error: --date 2026-09-01 is before you applied to Acme (acme-analyst, applied 2026-09-15); a report on "
         "that application cannot have reached you earlier. Use a date on or after it, or leave out --app.\n"),
        (["app", "update", "acme", "--note", "x", "--on", "\x1b[31m"], 2, "is not a date; use YYYY-MM-DD"),
        (["app", "update", "acme", "--note", "x", "--on", "1/2/2026"], 2, "'1/2/2026' is ambiguous"),
        (["app", "update", "acme", "--reason-kind", "bad-luck"], 2, "'bad-luck' is not one of 'experience'"),
        (["app", "debrief", "acme", "--reason-kind", "références"], 2, "is not one of 'experience'"),
    ],
    ids=["status-future", "feedback-future", "feedback-before-app", "escape-as-date", "ambiguous",
         "bad-reason-kind", "accented-reason-kind"],
)  # fmt: skip
def test_other_dated_commands_refuse_impossible_days(
    runner: Runner, acme: Path, args: list[str], code: int, message: str
) -> None:
    """ref status and feedback log refuse the future; bad dates and kinds are usage errors."""
    err = refused(runner, acme, args, code)
    assert err == message if code == 1 else message in err


# --- stage order -----------------------------------------------------------------------------


@pytest.fixture
def rejected(runner: Runner, acme: Path) -> Path:
    """Acme got to the reference check on 2026-10-10 and said no on 2026-10-20."""
    runner.ok("app", "update", "acme", "--stage", "reference-check", "--on", "2026-10-10")
    runner.ok("app", "update", "acme", "--outcome", "rejected", "--on", "2026-10-20")
    return acme


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "applied"],
         "Error: Application acme-analyst is at stage reference-check since 2026-10-10, outcome rejected since "
         "2026-10-20; stage applied on 2026-11-30 would move it backwards. Add --force to record it anyway.\n"),
        (["--stage", "offer", "--on", "2026-10-25"],
         "Error: Application acme-analyst is at stage reference-check since 2026-10-10, outcome rejected since "
         "2026-10-20; the stage cannot change on 2026-10-25, after its outcome. Add --force to record it anyway.\n"),
        (["--outcome", "offer"],
         "Error: Application acme-analyst is at stage reference-check since 2026-10-10, outcome rejected since "
         "2026-10-20; changing it to offer on 2026-11-30 changes a final outcome. Add --force to record it "
         "anyway.\n"),
        (["--outcome", "pending"],
         "Error: Application acme-analyst is at stage reference-check since 2026-10-10, outcome rejected since "
         "2026-10-20; reopening it changes a final outcome. Add --force to record it anyway.\n"),
        (["--outcome", "rejected", "--on", "2026-10-22"],
         "Error: Application acme-analyst is at stage reference-check since 2026-10-10, outcome rejected since "
         "2026-10-20; changing it to rejected on 2026-10-22 changes a final outcome. Add --force to record it "
         "anyway.\n"),
        (["--stage", "interview", "--on", "2026-10-15"],
         "Error: Application acme-analyst is at stage reference-check since 2026-10-10, outcome rejected since "
         "2026-10-20; stage interview on 2026-10-15 would move it backwards. Add --force to record it anyway.\n"),
    ],
    ids=["backwards", "after-outcome", "change-outcome", "reopen", "move-outcome-day", "backwards-in-the-past"],
)  # fmt: skip
def test_stage_order_is_kept_without_force(runner: Runner, rejected: Path, args: list[str], message: str) -> None:
    """A stage never moves backwards nor changes after an outcome; a final outcome stays; exit 1 says why."""
    assert refused(runner, rejected, ["app", "update", "acme", *args], 1) == message


def test_stage_order_judges_by_day(runner: Runner, acme: Path) -> None:
    """Filling in an earlier, lower stage is fine; an outcome before a recorded stage is refused."""
    runner.ok("app", "update", "acme", "--stage", "final", "--on", "2026-10-10")
    runner.ok("app", "update", "acme", "--stage", "interview", "--on", "2026-10-01")
    assert app_json(runner)["stage"] == "final"
    err = refused(runner, acme, ["app", "update", "acme", "--outcome", "rejected", "--on", "2026-10-05"], 1)
    assert "outcome rejected on 2026-10-05 would come before its stage final. Add --force" in err
    runner.ok("app", "update", "acme", "--outcome", "pending")  # pending is not an outcome: nothing changes
    runner.ok("app", "update", "acme", "--outcome", "rejected", "--on", "2026-10-12")
    runner.ok("app", "update", "acme", "--outcome", "rejected", "--on", "2026-10-12")  # the same again: no change
    assert [e for e in events(runner) if e[1] == "outcome"] == [("2026-10-12", "outcome", "rejected")]


def test_force_records_it_anyway(runner: Runner, rejected: Path) -> None:
    """With --force the stage moves back and the outcome changes; the timeline keeps every step."""
    runner.ok("app", "update", "acme", "--stage", "interview", "--force", "--on", "2026-10-25")
    runner.ok("app", "update", "acme", "--outcome", "offer", "--force", "--on", "2026-10-26")
    data = app_json(runner)
    assert (data["stage"], data["outcome"], data["closed_on"]) == ("offer", "offer", "2026-10-26")
    runner.ok("app", "update", "acme", "--outcome", "pending", "--force")
    data = app_json(runner)
    assert (data["outcome"], data["closed_on"]) == ("pending", None)
    assert [e[1:] for e in events(runner)][-4:] == [
        ("stage", "interview"),
        ("stage", "offer"),
        ("outcome", "offer"),
        ("outcome", "pending"),
    ]


# --- reason kinds and attempts --------------------------------------------------------------


def test_reason_kind_on_update_and_debrief(runner: Runner, acme: Path) -> None:
    """--reason-kind is stored on the application by app update and by app debrief (case-insensitive)."""
    runner.ok(
        "app", "update", "acme", "--outcome", "rejected", "--reason", "more experience", "--reason-kind", "Experience"
    )
    assert app_json(runner)["reason_kind"] == "experience"
    runner.ok("app", "debrief", "acme", "--reason-kind", "references")
    assert app_json(runner)["reason_kind"] == "references"


def test_attempts_with_no_response(runner: Runner, acme: Path) -> None:
    """--attempts N is kept with no-response."""
    runner.ok("feedback", "log", "jane", "-s", "no-response", "--attempts", "3", "--source", "employer")
    assert json.loads(runner.ok("feedback", "list", "--json").stdout)[0]["attempts"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "positive", "--attempts", "2"],
         "Error: --attempts 2 is only for --sentiment no-response, not positive.\n"),
        (["-s", "no-response", "--attempts", "0"], "Invalid value for '--attempts': 0 is not in the range 1<=x<=99."),
        (["-s", "no-response", "--attempts", "100"], "Invalid value for '--attempts': 100 is not in the range"),
        (["-s", "no-response", "--attempts", "two"], "Invalid value for '--attempts': 'two' is not a valid integer"),
        (["-s", "no-response", "--attempts", "1e9"], "Invalid value for '--attempts': '1e9' is not a valid integer"),
    ],
    ids=["not-no-response", "zero", "too-many", "word", "float"],
)  # fmt: skip
def test_attempts_refused(runner: Runner, acme: Path, args: list[str], message: str) -> None:
    """--attempts is 1 to 99 and only with no-response, else exit 2."""
    assert message in refused(runner, acme, ["feedback", "log", "jane", *args], 2)


def test_log_help_has_the_sentiment_guide(runner: Runner) -> None:
    """`feedback log --help` tells what people say -> which sentiment, lukewarm and mock-call included."""
    out = runner.ok("feedback", "log", "--help").stdout
    assert "What they said" in out and "--sentiment" in out
    assert "  Faint praise, hesitation, reservations:            lukewarm\n" in out
    assert '    "was fine, I guess", "needs a lot of direction"\n' in out
    assert "Facts only: dates, title" in out and "neutral" in out
    assert "mock-call" in out and "--attempts N" in out


# --- feedback edit -------------------------------------------------------------------------------


def test_feedback_edit_changes_only_what_is_given(runner: Runner, acme: Path) -> None:
    """`feedback edit` changes the fields given, keeps the id and the rest, and records it in the history."""
    runner.ok(
        "feedback", "log", "jane", "-s", "neutral", "--source", "recruiter", "--reporter", "Sam at Hays",
        "--quote", "she needs direction", "--topic", "autonomy", "--on", "2026-10-20", "--app", "acme",
    )  # fmt: skip
    assert runner.ok("feedback", "edit", "F1", "-s", "lukewarm", "--on", "2026-10-21").stdout == "Updated report f1.\n"
    (entry,) = json.loads(runner.ok("feedback", "list", "--json").stdout)
    assert entry == {
        "id": "f1", "reference": "jane-doe", "application": "acme-analyst", "reported_on": "2026-10-21",
        "source": "recruiter", "reporter": "Sam at Hays", "sentiment": "lukewarm", "attempts": None,
        "certainty": "direct", "quote": "she needs direction", "topics": ["autonomy"], "notes": None,
        "fatigue": None,
    }  # fmt: skip
    runner.ok("feedback", "edit", "f1", "--ref", "bob", "--no-app", "--quote", "", "--topic", "a", "--topic", "b")
    (entry,) = json.loads(runner.ok("feedback", "list", "--json").stdout)
    assert (entry["reference"], entry["application"], entry["quote"], entry["topics"]) == (
        "bob-smith",
        None,
        None,
        ["a", "b"],
    )
    assert "edited report f1 on bob-smith" in runner.ok("history", "--limit", "1").stdout


def test_feedback_edit_attempts_follow_the_sentiment(runner: Runner, acme: Path) -> None:
    """Attempts can be set on a no-response report and go when it stops being one."""
    runner.ok("feedback", "log", "jane", "-s", "no-response")
    runner.ok("feedback", "edit", "f1", "--attempts", "2")
    assert json.loads(runner.ok("feedback", "list", "--json").stdout)[0]["attempts"] == 2
    runner.ok("feedback", "edit", "f1", "-s", "negative")
    assert json.loads(runner.ok("feedback", "list", "--json").stdout)[0]["attempts"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["f1"], 1, "Error: Nothing to change: give --ref, --sentiment, --source, --certainty, --app, --no-app, "
                    "--date, --reporter, --quote, --topic, --note, --attempts or --fatigue/--no-fatigue.\n"),
        (["f9", "-s", "positive"], 1, "Error: No report has the id 'f9'"),
        (["f1", "--attempts", "2"], 2, "Error: --attempts 2 is only for --sentiment no-response, not positive.\n"),
        (["f1", "--on", "2026-12-01"], 1, "Error: --date 2026-12-01 is in the future; today is 2026-11-30.\n"),
        (["f1", "--on", "2026-09-01", "--app", "acme"], 1, "Error: --date 2026-09-01 is before you applied to Acme"),
        (["f1", "--app", "acme", "--no-app"], 2, "Error: --app and --no-app contradict each other; give one.\n"),
        (["f1", "--ref", "nobody"], 1, "Error: No reference matches 'nobody'."),
        (["f1", "--quote", "\x1b]52;c;cGF5bG9hZA==\x07"], 1, "Error: Quote contains the control character U+001B"),
        (["f1", "-s", "great"], 2, "'great' is not one of 'positive'"),
        (["f1", "--topic", " "], 1, "Error: Topic must not be empty.\n"),
    ],
    ids=["nothing", "unknown-id", "attempts-not-no-response", "future", "before-app", "app-and-no-app",
         "unknown-ref", "osc52-quote", "bad-sentiment", "blank-topic"],
)  # fmt: skip
def test_feedback_edit_refuses_bad_input(runner: Runner, acme: Path, args: list[str], code: int, message: str) -> None:
    """Bad edits are refused with the reason, and the registry is left byte for byte."""
    runner.ok("feedback", "log", "jane", "-s", "positive", "--on", "2026-10-01")
    err = refused(runner, acme, ["feedback", "edit", *args], code)
    assert err.startswith(message) if message.startswith("Error") else message in err


# --- ref edit --id ---------------------------------------------------------------------------------


def test_rename_cascades_everywhere_and_verifies(runner: Runner, acme: Path) -> None:
    """`ref edit --id` renames the reference on applications, briefings, thanks, timelines and reports."""
    runner.ok("app", "update", "acme", "--stage", "reference-check", "--briefed", "jane", "--on", "2026-10-10")
    runner.ok("app", "update", "acme", "--outcome", "offer", "--thanked", "jane", "--on", "2026-10-20")
    runner.ok("feedback", "log", "jane", "-s", "positive", "--app", "acme", "--on", "2026-10-15")
    assert runner.ok("ref", "edit", "jane", "--id", "jd").stdout == "Updated jd.\n"
    data = app_json(runner)
    assert data["references"] == ["jd", "bob-smith"]
    assert data["briefed"] == [{"reference": "jd", "on": "2026-10-10"}]
    assert data["thanked"] == [{"reference": "jd", "on": "2026-10-20"}]
    assert ("2026-10-10", "briefed", "jd") in events(runner)
    assert json.loads(runner.ok("feedback", "list", "--json").stdout)[0]["reference"] == "jd"
    assert "renamed reference jane-doe to jd" in runner.ok("history", "--limit", "1").stdout
    assert runner.ok("ref", "show", "jd").stdout.startswith("Name:         Jane Doe\nId:           jd\n")
    assert runner.ok("verify").exit_code == 0


def test_removing_a_renamed_reference_erases_the_old_id_too(runner: Runner, acme: Path) -> None:
    """After a rename, erasure finds the history lines that named the old id."""
    runner.ok("ref", "edit", "jane", "--id", "jd")
    runner.ok("ref", "edit", "jd", "--id", "person-1")
    runner.ok("ref", "remove", "person-1", "--yes")
    history = runner.ok("history").stdout
    assert "jane-doe" not in history and "jd" not in history.split()
    assert runner.ok("verify").exit_code == 0


@pytest.mark.parametrize(
    ("new_id", "message"),
    [
        ("bob-smith", "Error: Id 'bob-smith' is already used by Bob Smith; choose another --id.\n"),
        ("Jane", "Error: --id 'Jane' is not a valid id"),
        ("../etc", "Error: --id '../etc' is not a valid id"),
        ("", "Error: --id '' is not a valid id"),
        ("李", "Error: --id '李' is not a valid id"),
    ],
    ids=["taken", "uppercase", "path", "empty", "cjk"],
)
def test_rename_refuses_bad_ids(runner: Runner, acme: Path, new_id: str, message: str) -> None:
    """A taken or malformed id is refused; nothing changes."""
    assert refused(runner, acme, ["ref", "edit", "jane", "--id", new_id], 1).startswith(message)


def test_an_application_from_before_timelines_gets_one() -> None:
    """An application recorded before timelines existed is given one from what it holds, then the new event."""
    from datetime import date

    from refaudit import applications
    from refaudit.model import Application, Briefing, Registry

    app = Application(
        id="acme", company="Acme", role="A", applied_on=date(2026, 9, 1), references=["jane"], stage="interview",
        outcome="rejected", updated_on=date(2026, 10, 1), closed_on=date(2026, 10, 5),
        briefed=[Briefing("jane", date(2026, 9, 20))],
    )  # fmt: skip
    applications.update(
        Registry(applications=[app]), app, applications.AppUpdate(notes="late note"), date(2026, 11, 30)
    )
    assert [(e.on.isoformat(), e.event, e.value) for e in app.timeline] == [
        ("2026-09-01", "applied", None),
        ("2026-09-20", "briefed", "jane"),
        ("2026-10-01", "stage", "interview"),
        ("2026-10-05", "outcome", "rejected"),
        ("2026-11-30", "note", "late note"),
    ]
    assert (app.stage, app.outcome, app.closed_on, app.updated_on) == (
        "interview", "rejected", date(2026, 10, 5), date(2026, 11, 30)
    )  # fmt: skip
