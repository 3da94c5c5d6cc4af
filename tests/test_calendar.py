"""`refaudit calendar`: the due actions as an iCalendar file, parsed back with icalendar."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from refaudit import ical
from refaudit.actions import Action
from refaudit.demo import build_demo
from refaudit.model import Application, Feedback, Reference, Registry
from tests.conftest import Runner
from tests.test_drafts import hostile_registry, naughty, write

TODAY = date.today()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def demo(registry_path: Path) -> Registry:
    reg = build_demo(TODAY)
    write(registry_path, reg)
    return reg


def events(path: Path) -> list[Any]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def make(runner: Runner, path: Path, *args: str) -> list[Any]:
    runner.ok("calendar", "-o", str(path), "--force", *args)
    return events(path)


def test_one_all_day_event_with_a_reminder_per_action_due_today(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """--days 0: exactly the actions of next, each an all-day VEVENT with a VALARM, on today (overdue ones too)."""
    due = json.loads(runner.ok("next", "--json").stdout)["actions"]
    found = make(runner, tmp_path / "next.ics", "--days", "0")
    assert len(found) == len(due) > 5
    for event in found:
        assert event.decoded("dtstart") == TODAY
        assert event.decoded("dtend") == TODAY + timedelta(days=1)
        [alarm] = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY"
        assert alarm.decoded("trigger") == timedelta(hours=9)
    summaries = sorted(str(e["summary"]) for e in found)
    assert "Take Priya Natarajan off Globex (Data Analyst)" in summaries  # dropped, at the reference check
    assert "Stop giving Jane Doe as a reference" in summaries
    assert "Ask Dr Helen Park again: may I still give your name?" in summaries


def test_the_description_says_why_and_gives_both_commands(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """The reason, the day it fell due, the draft command and the command that records it done."""
    found = make(runner, tmp_path / "next.ics", "--days", "0")
    [swap] = [e for e in found if str(e["summary"]).startswith("Take ")]
    due = json.loads(runner.ok("next", "--json").stdout)["actions"][0]
    assert due["kind"] == "swap"
    overdue = " (overdue)." if due["due"] < TODAY.isoformat() else "."
    assert str(swap["description"]) == (
        f"{due['reason']}\n\nDue on {due['due']}{overdue}\n"
        "When done: refaudit app update globex-data-analyst --withdraw-ref priya-natarajan"
    )


def test_uids_are_stable_across_runs_and_unique(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """Two runs give the same UIDs (a re-import updates); no two events share one; they name nobody."""
    first = [str(e["uid"]) for e in make(runner, tmp_path / "a.ics")]
    second = [str(e["uid"]) for e in make(runner, tmp_path / "b.ics")]
    assert first == second
    assert len(set(first)) == len(first)
    ids = [r.id for r in demo.references] + [a.id for a in demo.applications]
    assert not [u for u in first if any(i in u for i in ids)]


def test_sequence_is_days_since_2000_to_the_newest_date_the_event_rests_on(
    runner: Runner, registry_path: Path, tmp_path: Path
) -> None:
    """SEQUENCE: the same on a re-run; larger once a record the event rests on changes (a report about the
    reference); untouched for an event on other records."""
    reg = Registry(
        references=[Reference(id="jane", name="Jane Doe", added_on=days_ago(400)),
                    Reference(id="bob", name="Bob Smith", added_on=days_ago(300))],
        applications=[Application(id="acme", company="Acme", role="Analyst", applied_on=days_ago(30),
                                  references=["jane"], stage="reference-check")],
        feedback=[Feedback(id="f1", reference="jane", reported_on=days_ago(200), sentiment="negative",
                           source="employer", certainty="direct")],
    )  # fmt: skip
    write(registry_path, reg)

    def sequences() -> dict[str, int]:
        return {str(e["summary"]): int(e["sequence"]) for e in make(runner, tmp_path / "next.ics")}

    first = sequences()
    assert first == sequences()
    epoch = date(2000, 1, 1)
    assert first["Stop giving Jane Doe as a reference"] == (days_ago(200) - epoch).days  # her report
    off = "Take Jane Doe off Acme (Analyst)"  # the swap action, past the reference check
    assert first[off] == (days_ago(30) - epoch).days  # the application is newer than her report
    runner.ok("feedback", "log", "jane", "--sentiment", "negative", "--source", "recruiter", "--date",
              days_ago(1).isoformat())  # fmt: skip
    after = sequences()
    changed = [t for t in after if "Jane Doe" in t]
    assert changed and all(after[t] == (days_ago(1) - epoch).days for t in changed)
    assert {t: s for t, s in after.items() if "Jane" not in t and t in first} == {
        t: s for t, s in first.items() if "Jane" not in t and t in after
    }


def test_redact_leaves_no_name_email_phone_quote_or_command(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """--redact: initials only, no emails, phones, quotes, reasons or commands; the same UIDs as without."""
    plain = make(runner, tmp_path / "plain.ics")
    path = tmp_path / "redacted.ics"
    result = runner.ok("calendar", "-o", str(path), "--redact")
    assert result.stderr == ""
    text = path.read_bytes().decode("utf-8")
    unfolded = icalendar.Calendar.from_ical(text).to_ical().decode("utf-8").replace("\r\n ", "")
    secrets = [r.name for r in demo.references] + [r.email for r in demo.references if r.email]
    secrets += [r.phone for r in demo.references if r.phone] + [f.quote for f in demo.feedback if f.quote]
    secrets += [f.reporter for f in demo.feedback if f.reporter] + ["refaudit app ", "refaudit ref ", "refaudit draft "]
    assert [s for s in secrets if s in unfolded or s in text] == []
    redacted = events(path)
    assert [str(e["description"]) for e in redacted if "refaudit " in str(e["description"])] == []
    assert [str(e["uid"]) for e in redacted] == [str(e["uid"]) for e in plain]
    assert "Take P. N. off Globex (Data Analyst)" in [str(e["summary"]) for e in redacted]


def test_days_looks_ahead_to_actions_that_fall_due(
    runner: Runner, registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An application quiet for 10 days needs a follow-up in 4: --days 3 leaves it out, --days 4 puts it on its day."""
    bench = tmp_path / "bench.yaml"
    bench.write_text("lineup:\n  size: 1\n", encoding="utf-8")  # Jane alone is a full bench: no recruit
    monkeypatch.setenv("REFAUDIT_CONFIG", str(bench))
    quiet = Application(id="acme", company="Acme Corp", role="Analyst", applied_on=days_ago(10), references=["jane"])
    fresh = [Application(id=f"busy-{i}", company=f"Busy {i}", role="Analyst", applied_on=TODAY) for i in range(2)]
    jane = Reference(id="jane", name="Jane Doe", relationship="manager", added_on=days_ago(30))
    reg = Registry(
        references=[jane],
        applications=[quiet, *fresh],
        feedback=[Feedback("f1", "jane", days_ago(20), "positive", source="employer")],
        feedback_seq=1,
    )
    write(registry_path, reg)
    assert make(runner, tmp_path / "a.ics", "--days", "3") == []
    [event] = make(runner, tmp_path / "b.ics", "--days", "4")
    assert str(event["summary"]) == "Follow up with Acme Corp (Analyst): where does it stand?"
    assert event.decoded("dtstart") == TODAY + timedelta(days=4)
    assert str(event["description"]).endswith(
        f"Due on {(TODAY + timedelta(days=4)).isoformat()}.\n"
        "Write the message: refaudit draft follow-up acme\n"
        "When done: refaudit app update acme --followed-up"
    )


def test_the_default_file_is_private_and_reported(
    runner: Runner, demo: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o: refaudit-next.ics in the current folder, 0600, the plaintext warning, and what was written."""
    monkeypatch.chdir(tmp_path)
    result = runner.ok("calendar")
    count = len(events(tmp_path / "refaudit-next.ics"))
    assert result.stdout == (
        f"Wrote {count} actions due by {(TODAY + timedelta(days=30)).isoformat()} to refaudit-next.ics\n"
    )
    assert result.stderr == (
        "Warning: refaudit-next.ics is NOT encrypted: it names your references in plain text. "
        "Keep it private and delete it when you are done.\n"
    )
    assert stat.S_IMODE((tmp_path / "refaudit-next.ics").stat().st_mode) == 0o600


ONLY_REGULAR = "refaudit writes a calendar only to a regular file. Nothing was written."


def test_refusals(runner: Runner, demo: Registry, registry_path: Path, tmp_path: Path) -> None:
    """An existing file without --force, a folder, /dev/null, the registry and a negative --days are refused;
    nothing changes."""
    before = registry_path.read_bytes()
    existing = tmp_path / "mine.ics"
    existing.write_text("keep me\n")
    cases = [
        (
            ["-o", str(existing)],
            1,
            f"Error: {str(existing)!r} already exists; refusing to overwrite it (use --force).\n",
        ),
        (["-o", str(tmp_path), "--force"], 1, f"Error: {str(tmp_path)!r} is a folder; {ONLY_REGULAR}\n"),
        (["-o", os.devnull, "--force"], 1, f"Error: '/dev/null' is a character device; {ONLY_REGULAR}\n"),
        (
            ["-o", str(registry_path), "--force"],
            1,
            f"Error: Refusing to write over the registry's own file {str(registry_path)!r}; name another file.\n",
        ),
    ]
    for args, code, message in cases:
        result = runner("calendar", *args)
        assert (result.exit_code, result.stderr, result.stdout) == (code, message, "")
    result = runner("calendar", "--days", "-1", "-o", str(tmp_path / "x.ics"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for '--days': -1 is not in the range 0<=x<=366."
    assert existing.read_text() == "keep me\n"
    assert not (tmp_path / "x.ics").exists()
    assert registry_path.read_bytes() == before


def test_upcoming_keeps_each_action_once_soonest_first() -> None:
    """The same action listed on several days is one event; overdue ones count as today, in next's order."""
    day0 = date(2026, 11, 1)

    def act(kind: str, due: date, ref: str | None = None) -> Action:
        return Action(kind, due, ref, None, "why", "cmd")

    listings = {
        day0: [act("test", date(2026, 10, 1), "a"), act("drop", day0, "b")],
        day0 + timedelta(days=1): [act("test", date(2026, 10, 1), "a"), act("rest", day0 + timedelta(days=1), "c")],
    }
    got = ical.upcoming(lambda d: listings.get(d, []), day0, 2)
    assert [(a.kind, a.reference) for a in got] == [("test", "a"), ("drop", "b"), ("rest", "c")]


def test_summaries_of_unknown_or_incomplete_actions_still_read() -> None:
    """A kind the calendar does not know (or without its person) reads '<Kind>: <what it concerns>'."""
    reg = Registry(references=[Reference(id="jane", name="Dr Jane van Doe")])
    people = {"jane": "Dr Jane van Doe"}
    swap = Action("swap", TODAY, "jane", None, "why", "cmd")
    assert ical.summary(swap, people, {}, redact=False) == "Swap: Dr Jane van Doe"
    brief = Action("brief", TODAY, None, None, "w", "c")
    assert ical.summary(brief, people, {}, redact=False) == "Brief: your job search"
    assert ical.to_ical([swap], reg, TODAY, datetime(2026, 1, 1), redact=True).count(b"BEGIN:VEVENT") == 1


def test_naughty_names_and_companies_survive_the_round_trip() -> None:
    """Naughty strings as names, companies and roles: the .ics parses back to the same summaries and reasons."""
    for text in naughty()[::7]:
        reg = hostile_registry(text)
        if reg is None:
            continue
        due = [
            Action("brief", TODAY, "r", "a", text, "refaudit app update a --briefed r"),
            Action("test", TODAY, "r", None, f"About {text}: why.", "refaudit feedback log r"),
        ]
        cal = icalendar.Calendar.from_ical(ical.to_ical(due, reg, TODAY, datetime(2026, 1, 1), redact=False))
        brief, test = cal.walk("VEVENT")
        name, job = reg.references[0].name, f"{reg.applications[0].company} ({reg.applications[0].role})"
        assert str(brief["summary"]) == f"Brief {name}: {job} may call"
        assert str(test["summary"]) == f"Have someone check what {name} says about you"
        assert str(test["description"]).startswith(f"About {text}: why.\n\nDue on ")
