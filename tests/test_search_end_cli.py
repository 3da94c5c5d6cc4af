"""The whole search, start to end, typed through the CLI as Lena Fischer lived it (issue 22).

Lena, a backend engineer in Berlin, types her days day-first. Her references: Jonas Weber
(former team lead), Dr. Aiko Tanaka (PhD advisor), Marco Rossi (peer) and Sara Lind (current
manager). Jonas turns drop on 08.10.2026 (a recruiter reads out his words); she gives him once
more on 09.10 (warned), swaps him off Lumen on 12.10 as `next` proposes, thanks Sara on 04.11,
and accepts Fernbahn's offer of 03.11 on 06.11 without --force. As of 07.11 `next` shows only
withdraw, thank and tell.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.conftest import Runner

TODAY = "2026-11-30"
PEOPLE = [
    ("Jonas Weber", "manager", "jonas"),
    ("Dr. Aiko Tanaka", "academic", "aiko"),
    ("Marco Rossi", "colleague", "marco"),
    ("Sara Lind", "manager", "sara"),
]
# (id, company, applied, references, [(stage, day)], outcome, outcome day, reason kind)
APPLICATIONS: list[tuple[str, str, str, list[str], list[tuple[str, str]], str | None, str | None, str | None]] = [
    ("altwerk-2025", "Altwerk", "10.12.2024", ["marco"], [], "rejected", "28.01.2025", None),
    ("helio", "Helio", "04.08.2026", ["jonas", "marco"], [("reference-check", "01.09.2026")], "rejected",
     "15.09.2026", "none-given"),
    ("quanta", "Quanta", "06.08.2026", ["jonas", "aiko"], [("reference-check", "05.09.2026")], "rejected",
     "22.09.2026", None),
    ("brightline", "Brightline", "12.08.2026", ["aiko", "sara"], [("reference-check", "10.09.2026")], "rejected",
     "30.09.2026", "experience"),
    ("kestrel", "Kestrel", "20.08.2026", ["jonas", "sara"], [("reference-check", "20.09.2026")], "rejected",
     "06.10.2026", "none-given"),
    ("ostwind", "Ostwind", "01.09.2026", ["aiko", "marco"], [("reference-check", "25.09.2026")], "rejected",
     "14.10.2026", "none-given"),
    ("fernbahn", "Fernbahn", "15.09.2026", ["marco", "sara"], [("reference-check", "12.10.2026")], None, None, None),
    ("lumen", "Lumen", "01.10.2026", ["sara", "jonas"], [("interview", "15.10.2026")], None, None, None),
    ("pixelwerk", "Pixelwerk", "03.10.2026", ["sara", "aiko"], [("interview", "16.10.2026")], None, None, None),
    ("nordlicht", "Nordlicht", "05.10.2026", ["sara", "marco"], [("interview", "20.10.2026")], None, None, None),
    ("tannhaus", "Tannhaus", "09.10.2026", ["sara", "jonas"], [("interview", "22.10.2026")], None, None, None),
    ("glasfaser", "Glasfaser", "10.10.2026", ["sara", "aiko"], [("interview", "23.10.2026")], None, None, None),
]  # fmt: skip
# (about, day, source, certainty, sentiment, reporter, application, words)
REPORTS = [
    ("jonas", "10.08.2026", "mock-call", "direct", "positive", "Felix, a friend", None,
     "the best lead I ever had on my team"),
    ("marco", "20.01.2025", "recruiter", "direct", "negative", "Anke at TalentBridge", "altwerk-2025",
     "not a team player"),
    ("aiko", "28.09.2026", "contact", "hearsay", "lukewarm", "Jan, a former labmate", "quanta", "reserved"),
    ("marco", "16.09.2026", "employer", "direct", "positive", "HR at Helio", "helio", "his reference was strong"),
    ("jonas", "08.10.2026", "recruiter", "verbatim", "negative", "Mia at Hunter & Co", "kestrel",
     "I wouldn't hire her as a senior again; she needs hand-holding on every design"),
    ("aiko", "20.10.2026", "contact", "hearsay", "lukewarm", "Olga, a friend at Ostwind", "ostwind", "cautious"),
    ("marco", "20.10.2026", "employer", "direct", "positive", "the CTO at Fernbahn", "fernbahn", "glowing"),
    ("aiko", "02.11.2026", "contact", "hearsay", "lukewarm", "Theo from a meetup", "brightline",
     "didn't go out on a limb"),
    ("sara", "28.10.2026", "employer", "direct", "positive", "HR at Fernbahn", "fernbahn",
     "very positive, but took a week to answer and sounded stretched"),
    ("jonas", "15.10.2026", "mock-call", "direct", "positive", "Felix, a friend", None, "brilliant, hire her"),
]  # fmt: skip
OPEN_IN_NOVEMBER = ["glasfaser", "lumen", "nordlicht", "pixelwerk", "tannhaus"]


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


def next_json(runner: Runner, as_of: str) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = json.loads(runner.ok("next", "--as-of", as_of, "--json").stdout)["actions"]
    return actions


def verdicts(runner: Runner, as_of: str) -> dict[str, str]:
    data = json.loads(runner.ok("audit", "--as-of", as_of, "--json").stdout)
    return {v["id"]: v["recommendation"] for v in data["references"]}


def _add_application(runner: Runner, app: tuple[Any, ...]) -> Any:
    app_id, company, applied, refs, _, _, _, _ = app
    args = ["app", "add", company, "--role", "Backend Engineer", "--applied", applied, "--id", app_id]
    for ref in refs:
        args += ["--ref", ref]
    return runner.ok(*args)


def _progress(runner: Runner, app: tuple[Any, ...]) -> None:
    app_id, _, _, _, stages, outcome, closed, kind = app
    for stage, day in stages:
        runner.ok("app", "update", app_id, "--stage", stage, "--on", day)
    if outcome is not None:
        extra = ["--reason-kind", kind] if kind else []
        runner.ok("app", "update", app_id, "--outcome", outcome, "--on", closed, *extra)


def _log(runner: Runner, report: tuple[Any, ...]) -> None:
    about, day, source, certainty, sentiment, reporter, app_id, words = report
    args = ["feedback", "log", about, "--sentiment", sentiment, "--source", source, "--certainty", certainty]
    args += ["--on", day, "--reporter", reporter, "--quote", words]
    if app_id:
        args += ["--app", app_id]
    runner.ok(*args)


@pytest.fixture
def lena(runner: Runner, registry: Path) -> Runner:
    """Lena's registry up to 10.10.2026: four references, her applications as typed, the reports so far."""
    for name, relationship, _ in PEOPLE:
        runner.ok("ref", "add", name, "--relationship", relationship)
    for app in APPLICATIONS:
        if app[0] != "tannhaus":  # given on 09.10, after Jonas turned drop: the test types it
            _add_application(runner, app)
    for report in REPORTS:
        _log(runner, report)
    for app in APPLICATIONS:
        if app[0] != "tannhaus":
            _progress(runner, app)
    return runner


def _swap_jonas_off_lumen(lena: Runner) -> None:
    [swap] = [a for a in next_json(lena, "2026-10-12") if a["kind"] == "swap" and a["application"] == "lumen"]
    lena.ok(*shlex.split(swap["command"])[1:], "--on", "12.10.2026")


def _to_the_end(lena: Runner) -> None:
    """Tannhaus given on 09.10 (warned), Jonas swapped off Lumen, Sara thanked on 04.11, Fernbahn accepted."""
    _add_application(lena, next(a for a in APPLICATIONS if a[0] == "tannhaus"))
    _progress(lena, next(a for a in APPLICATIONS if a[0] == "tannhaus"))
    _swap_jonas_off_lumen(lena)
    lena.ok("app", "update", "fernbahn", "--outcome", "offer", "--on", "03.11.2026")
    lena.ok("app", "update", "fernbahn", "--thanked", "sara", "--on", "04.11.2026")
    lena.ok("app", "update", "fernbahn", "--outcome", "accepted", "--on", "06.11.2026")


def test_giving_jonas_after_he_turned_drop_warns_on_stderr(lena: Runner) -> None:
    """Tannhaus on 09.10 with Jonas (drop since 08.10): the id alone on stdout, the warning and a pick on stderr."""
    result = _add_application(lena, next(a for a in APPLICATIONS if a[0] == "tannhaus"))
    assert result.stdout == "tannhaus\n"
    warning = [line for line in result.stderr.splitlines() if "Jonas" in line]
    assert len(warning) == 1
    assert warning[0].startswith("Warning: Jonas Weber (jonas-weber) is drop as of 2026-10-09. ")
    assert "(report f5)" in warning[0]
    assert "The lineup's pick instead: " in warning[0]
    assert "sara-lind" not in warning[0].split("instead: ")[1]  # Sara is on Tannhaus already
    assert json.loads(lena.ok("app", "show", "tannhaus", "--json").stdout)["references"] == ["sara-lind", "jonas-weber"]


def test_next_proposes_the_swap_the_day_jonas_turns_drop(lena: Runner) -> None:
    """From 08.10 every open application with Jonas before its reference check gets --swap with a free pick."""

    def swaps(as_of: str) -> list[dict[str, Any]]:
        return [a for a in next_json(lena, as_of) if a["kind"] == "swap" and a["reference"] == "jonas-weber"]

    assert swaps("2026-10-07") == []
    [swap] = swaps("2026-10-08")
    assert (swap["reference"], swap["application"], swap["due"]) == ("jonas-weber", "lumen", "2026-10-08")
    old, new = swap["command"].split("--swap ")[1].split("=")
    assert old == "jonas-weber" and new not in ("sara-lind", "jonas-weber")
    assert swap["draft"] is None
    assert "brief" not in swap["reason"]


def test_swapping_jonas_off_lumen_ends_the_swap_and_his_use_there(lena: Runner) -> None:
    """The swap's own command, on 12.10: Lumen keeps both in references, Jonas withdrawn, no more swap."""
    _swap_jonas_off_lumen(lena)
    lumen = json.loads(lena.ok("app", "show", "lumen", "--json").stdout)
    assert lumen["references"][:2] == ["sara-lind", "jonas-weber"] and len(lumen["references"]) == 3
    assert lumen["withdrawn"] == [{"reference": "jonas-weber", "on": "2026-10-12"}]
    assert [a for a in next_json(lena, "2026-10-12") if a["kind"] == "swap" and a["reference"] == "jonas-weber"] == []


def test_accepting_the_offer_needs_no_force_and_reaches_the_offer_stage(lena: Runner) -> None:
    """offer on 03.11 moves the stage to offer; accepted on 06.11 is the happy path, no --force."""
    lena.ok("app", "update", "fernbahn", "--outcome", "offer", "--on", "03.11.2026")
    fernbahn = json.loads(lena.ok("app", "show", "fernbahn", "--json").stdout)
    assert (fernbahn["stage"], fernbahn["outcome"]) == ("offer", "offer")
    assert lena.ok("app", "update", "fernbahn", "--outcome", "accepted", "--on", "06.11.2026").stdout == "fernbahn\n"
    fernbahn = json.loads(lena.ok("app", "show", "fernbahn", "--json").stdout)
    assert (fernbahn["stage"], fernbahn["outcome"], fernbahn["closed_on"]) == ("offer", "accepted", "2026-11-06")


def test_the_day_after_acceptance_next_shows_only_withdraw_thank_and_tell(lena: Runner) -> None:
    """As of 07.11: withdraw the five open applications, thank and tell exactly those not yet thanked/told."""
    _to_the_end(lena)
    actions = next_json(lena, "2026-11-07")
    dropped = {ref for ref, level in verdicts(lena, "2026-11-07").items() if level == "drop"}
    assert "jonas-weber" in dropped  # given in the search, and dropped: neither thanked nor told
    told = {"aiko-tanaka", "marco-rossi", "sara-lind"} - dropped
    thanked = told - {"sara-lind"}  # Sara's thanks of 04.11 stay done after the acceptance of 06.11
    assert [a["kind"] for a in actions] == ["withdraw"] * 5 + ["thank"] * len(thanked) + ["tell"] * len(told)
    assert sorted(a["application"] for a in actions if a["kind"] == "withdraw") == OPEN_IN_NOVEMBER
    assert {a["reference"] for a in actions if a["kind"] == "thank"} == thanked
    assert {a["reference"] for a in actions if a["kind"] == "tell"} == told
    for action in actions:
        assert action["due"] == "2026-11-06"
        if action["kind"] == "withdraw":
            assert action["command"] == f"refaudit app update {action['application']} --outcome withdrawn"
            assert action["draft"] is None
        elif action["kind"] == "tell":
            assert action["command"] == f"refaudit app update fernbahn --told {action['reference']}"
            assert action["draft"] == f"refaudit draft tell fernbahn --ref {action['reference']}"
    # The reference swapped in on 12.10 was last given there, on Lumen; Marco otherwise on Nordlicht (05.10).
    swapped_in = json.loads(lena.ok("app", "show", "lumen", "--json").stdout)["references"][2]
    [marco] = [a for a in actions if a["kind"] == "thank" and a["reference"] == "marco-rossi"]
    last = ("lumen", "Lumen", "2026-10-12") if swapped_in == "marco-rossi" else ("nordlicht", "Nordlicht", "2026-10-05")
    assert marco["command"] == f"refaudit app update {last[0]} --thanked marco-rossi"
    assert marco["reason"] == (
        "You accepted Fernbahn (Backend Engineer) on 2026-11-06; they were your reference, last for "
        f"{last[1]} (Backend Engineer) ({last[2]}): thank them."
    )


def test_each_end_action_is_done_by_its_own_command(lena: Runner) -> None:
    """Running every command of next as of the acceptance leaves nothing due; told and withdrawn are recorded."""
    _to_the_end(lena)
    lena.ok("draft", "tell", "fernbahn", "--ref", "marco")
    for action in next_json(lena, "2026-11-07"):
        lena.ok(*shlex.split(action["command"])[1:], "--on", "07.11.2026")
    assert next_json(lena, "2026-11-07") == []
    fernbahn = json.loads(lena.ok("app", "show", "fernbahn", "--json").stdout)
    assert {"reference": "marco-rossi", "on": "2026-11-07"} in fernbahn["told"]


def test_an_application_after_the_accepted_day_starts_a_new_search(lena: Runner) -> None:
    """A new application on 20.11 ends the end-of-search view: next is the ordinary next again."""
    _to_the_end(lena)
    lena.ok("app", "add", "Polaris", "--role", "Staff Engineer", "--applied", "20.11.2026", "--ref", "marco")
    kinds = {a["kind"] for a in next_json(lena, "2026-11-20")}
    assert "apply-more" in kinds or "follow-up" in kinds or "mark-ghosted" in kinds
    assert kinds - {"withdraw", "thank", "tell"}


def test_the_calendar_after_acceptance_holds_only_the_end_actions(lena: Runner, tmp_path: Path) -> None:
    """The calendar as of 07.11 lists the same withdraw, thank and tell actions, nothing else."""
    _to_the_end(lena)
    out = tmp_path / "end.ics"
    lena.ok("calendar", "-o", str(out), "--days", "0", env={"REFAUDIT_TODAY": "2026-11-07"})
    events = [e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    summaries = sorted(str(e["summary"]).split(" ")[0] for e in events)
    assert set(summaries) == {"Withdraw", "Thank", "Tell"}
    assert len(events) == len(next_json(lena, "2026-11-07"))


def test_draft_tell_writes_the_news_and_signs_it(lena: Runner) -> None:
    """`draft tell APP --ref REF`: you accepted APP's offer; a reference not given there is thanked for the search."""
    _to_the_end(lena)
    text = lena.ok("draft", "tell", "fernbahn", "--ref", "aiko").stdout
    assert text.startswith("Subject: News: I have accepted an offer\n\nHi Dr. Tanaka,\n")
    assert "I have accepted an offer for the Backend Engineer role at Fernbahn (6 November 2026)" in text
    assert "Thank you for being one of my references while I was looking" in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["draft", "tell", "kestrel", "--ref", "sara"], 1, "Kestrel (Backend Engineer) has outcome rejected"),
        (["draft", "tell", "fernbahn"], 2, "Error: Draft tell needs --ref REF"),
        (["draft", "tell", "fernbahn", "--ref", "nobody"], 1, "No reference matches 'nobody'"),
        (["app", "update", "fernbahn", "--told", "nobody"], 1, "No reference matches 'nobody'"),
    ],
    ids=["not-accepted", "no-ref", "unknown-ref", "told-unknown"],
)
def test_tell_refuses_bad_input(lena: Runner, registry: Path, args: list[str], code: int, message: str) -> None:
    """draft tell and --told refuse what is not an accepted offer or a known reference; nothing is written."""
    _to_the_end(lena)
    before = registry.read_bytes()
    result = lena(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert registry.read_bytes() == before


# --- the quiet clock ---------------------------------------------------------------------------


def _quiet(lena: Runner, as_of: str) -> list[str]:
    """Pixelwerk's quiet-clock actions (a swap for a reference who turned drop may stand beside them)."""
    clock = ("follow-up", "mark-ghosted")
    return [a["kind"] for a in next_json(lena, as_of) if a["application"] == "pixelwerk" and a["kind"] in clock]


def test_a_note_never_restarts_the_quiet_clock(lena: Runner) -> None:
    """Pixelwerk, interview on 16.10, only a note of hers since: 42 days on (27.11) it is mark-ghosted."""
    lena.ok("app", "update", "pixelwerk", "--note", "Wrote to HR, no answer", "--on", "01.11.2026")
    assert _quiet(lena, "2026-11-26") == ["follow-up"]
    assert _quiet(lena, "2026-11-27") == ["mark-ghosted"]


def test_heard_back_restarts_the_quiet_clock(lena: Runner) -> None:
    """--heard-back (the employer replied) on 01.11: no follow-up until 15.11, not ghosted on 27.11."""
    assert lena.ok("app", "update", "pixelwerk", "--heard-back", "--on", "01.11.2026").stdout == "pixelwerk\n"
    assert _quiet(lena, "2026-11-14") == []
    assert _quiet(lena, "2026-11-27") == ["follow-up"]


def test_followed_up_is_the_follow_ups_command_and_does_not_restart_the_clock(lena: Runner) -> None:
    """The follow-up's command is --followed-up; done on 01.11 it is quiet for 14 days; ghosted still on 27.11."""
    [follow] = [
        a for a in next_json(lena, "2026-11-01") if a["application"] == "pixelwerk" and a["kind"] == "follow-up"
    ]
    assert (follow["kind"], follow["command"]) == ("follow-up", "refaudit app update pixelwerk --followed-up")
    lena.ok(*shlex.split(follow["command"])[1:], "--on", "01.11.2026")
    assert _quiet(lena, "2026-11-14") == []
    assert _quiet(lena, "2026-11-15") == ["follow-up"]
    assert _quiet(lena, "2026-11-27") == ["mark-ghosted"]
    events = json.loads(lena.ok("app", "show", "pixelwerk", "--json").stdout)["timeline"]
    assert events[-1] == {"on": "2026-11-01", "event": "followed-up", "value": None}
