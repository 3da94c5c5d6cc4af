"""The one "as of" view: the registry as it stood on a day."""

from __future__ import annotations

from datetime import date

from refaudit.asof import view
from refaudit.model import Application, Briefing, Event, Feedback, Reference, Registry, Said


def _registry() -> Registry:
    app = Application(
        id="acme", company="Acme", role="Analyst", applied_on=date(2026, 9, 1), references=["jane"],
        stage="reference-check", outcome="rejected", reason="went with someone else", reason_kind="none-given",
        criticism=[Said("more SQL")], closed_on=date(2026, 10, 1),
        briefed=[Briefing("jane", date(2026, 9, 20))],
        timeline=[
            Event(date(2026, 9, 10), "stage", "interview"),
            Event(date(2026, 9, 20), "stage", "reference-check"),
            Event(date(2026, 10, 1), "outcome", "rejected"),
        ],
    )  # fmt: skip
    return Registry(
        references=[
            Reference(id="jane", name="Jane", added_on=date(2026, 10, 5), status="dropped", status_on=date(2026, 10, 5))
        ],
        applications=[app],
        feedback=[Feedback(id="f1", reference="jane", reported_on=date(2026, 9, 25), sentiment="lukewarm")],
    )


def test_stage_outcome_and_what_was_said_follow_the_timeline() -> None:
    """Before the outcome the application is pending at the stage of that day, with no reason yet."""
    reg = _registry()
    on = view(reg, date(2026, 9, 15)).applications[0]
    assert (on.stage, on.outcome, on.reason, on.reason_kind, on.criticism, on.briefed) == (
        "interview", "pending", None, None, [], []
    )  # fmt: skip
    later = view(reg, date(2026, 10, 2)).applications[0]
    assert (later.stage, later.outcome, later.closed_on, later.reason) == (
        "reference-check", "rejected", date(2026, 10, 1), "went with someone else"
    )  # fmt: skip


def test_reports_references_and_statuses_as_of_the_day() -> None:
    """A back-filled reference is known through its older records; a later status is not yet set."""
    reg = _registry()
    before_report = view(reg, date(2026, 9, 24))
    assert before_report.feedback == []
    assert [r.id for r in before_report.references] == ["jane"]  # given on the application already
    assert before_report.references[0].status == "active"
    assert view(reg, date(2026, 8, 1)).references == []
    assert view(reg, date(2026, 10, 6)).references[0].status == "dropped"


def test_the_view_does_not_change_the_registry() -> None:
    """The registry passed in is left as it was."""
    reg = _registry()
    view(reg, date(2026, 9, 15))
    assert reg.applications[0].outcome == "rejected"
    assert reg.references[0].status == "dropped"


def test_an_application_settled_before_the_day_is_shared_not_copied() -> None:
    """An application with nothing after the day (and no timeline) is the record itself; a later closing is not."""
    done = Application(
        id="old", company="Old", role="Analyst", applied_on=date(2026, 1, 5), references=["jane"],
        outcome="rejected", reason="none", closed_on=date(2026, 2, 1), updated_on=date(2026, 2, 1),
        briefed=[Briefing("jane", date(2026, 1, 20))],
    )  # fmt: skip
    reg = Registry(references=[Reference(id="jane", name="Jane")], applications=[done])
    assert view(reg, date(2026, 3, 1)).applications[0] is done
    then = view(reg, date(2026, 1, 25)).applications[0]
    assert (then.outcome, then.reason, then.closed_on, then.updated_on) == ("pending", None, None, date(2026, 1, 20))
    assert done.outcome == "rejected"  # the registry's record is untouched
