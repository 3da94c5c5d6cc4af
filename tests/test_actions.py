"""The actions due: one kind at a time, at and around each threshold, then order and --as-of."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import pytest

from refaudit import settings as settings_mod
from refaudit.actions import ACTION_KINDS, Action, due_actions, subject
from refaudit.audit import WATCH_MEANS
from refaudit.drafts import draft_command
from refaudit.errors import ValidationError
from refaudit.model import Application, Briefing, Event, Feedback, Reference, Registry

TODAY = date(2026, 11, 25)
SETTINGS = settings_mod.defaults()
NEXT = SETTINGS["next"]


@dataclass(frozen=True)
class Verdict:
    """Stands in for ``refaudit.audit.Verdict``: the same fields, set by hand."""

    id: str
    name: str = ""
    status: str = "active"
    recommendation: str = "keep"
    risk: float = 0.0
    evidence_weight: float = 0.0
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    uses: int = 0
    last_used: date | None = None
    moved: list[str] = field(default_factory=list)
    rule: str | None = None
    claims: list[Any] = field(default_factory=list)
    advice: str = field(default="", repr=False, compare=False)
    plain_number: bool = field(default=False, repr=False, compare=False)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def ref(ref_id: str = "jane-doe", name: str = "Jane Doe", **kw: Any) -> Reference:
    return Reference(id=ref_id, name=name, added_on=kw.pop("added_on", days_ago(400)), **kw)


def app(app_id: str = "acme-data-analyst", **kw: Any) -> Application:
    kw.setdefault("applied_on", days_ago(5))
    return Application(id=app_id, company=kw.pop("company", "Acme Corp"), role=kw.pop("role", "Data Analyst"), **kw)


def busy(n: int = 3) -> list[Application]:
    """Enough fresh open applications that apply-more stays quiet."""
    return [app(f"busy-{i}", company=f"Busy {i}", applied_on=TODAY) for i in range(n)]


def registry(refs: list[Reference] | None = None, apps: list[Application] | None = None, **kw: Any) -> Registry:
    reg = Registry(
        owner="Alex Candidate",
        references=refs if refs is not None else [ref()],
        applications=(apps or []) + busy(),
        **kw,
    )
    reg.check_integrity()
    return reg


def untested_audit(reg: Registry, as_of: date = TODAY) -> list[Verdict]:
    """A tiny audit: a reference nobody has reported on is flagged untested."""
    return [
        Verdict(
            r.id,
            r.name,
            flags=[] if any(f.reported_on <= as_of for f in reg.feedback_for(r.id)) else ["untested"],
        )
        for r in reg.references
    ]


def due(
    reg: Registry,
    verdicts: list[Verdict] | None = None,
    as_of: date = TODAY,
    kind: str | None = None,
    settings: settings_mod.Settings = SETTINGS,
) -> list[Action]:
    actions = due_actions(reg, verdicts or [], settings, as_of)
    return [a for a in actions if kind is None or a.kind == kind]


def with_next(**overrides: Any) -> settings_mod.Settings:
    return settings_mod.build({"next": overrides})


# --- brief -------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["reference-check", "final"], ids=["reference-check", "final"])
def test_brief_is_due_for_every_unbriefed_reference_at_a_calling_stage(stage: str) -> None:
    """An open application at reference-check or final asks to brief each reference it names."""
    reg = registry(
        [ref(), ref("bob-smith", "Bob Smith")],
        [app(references=["jane-doe", "bob-smith"], stage=stage, updated_on=days_ago(2))],
    )
    actions = due(reg, kind="brief")
    assert [(a.reference, a.application, a.due) for a in actions] == [
        ("bob-smith", "acme-data-analyst", days_ago(2)),
        ("jane-doe", "acme-data-analyst", days_ago(2)),
    ]
    assert actions[1].command == "refaudit app update acme-data-analyst --briefed jane-doe"
    assert actions[1].reason == (
        f"At {stage} since {days_ago(2).isoformat()}, and they have not been told a call may be coming."
    )


@pytest.mark.parametrize(
    ("source", "sentiment", "briefed"),
    [
        ("reference-service", "positive", []),  # the check service heard her on this application
        ("employer", "lukewarm", []),
        ("contact", "lukewarm", []),  # a rumour of what she told them: the call has come too
        ("employer", "no-response", ["jane-doe"]),  # they tried and failed: she still needs telling
        ("mock-call", "positive", ["jane-doe"]),  # a friend's call, not the employer's
    ],
)
def test_brief_is_not_due_for_a_reference_already_heard_on_that_application(
    source: str, sentiment: str, briefed: list[str]
) -> None:
    """Once someone has heard the reference speak about this application, briefing them for it is too late."""
    reg = registry(apps=[app(references=["jane-doe"], stage="reference-check", updated_on=days_ago(3))])
    reg.feedback.append(
        Feedback("f1", "jane-doe", days_ago(1), sentiment, source=source, application="acme-data-analyst")
    )
    assert [a.reference for a in due(reg, kind="brief")] == briefed


@pytest.mark.parametrize("stage", ["applied", "screening", "interview", "offer"])
def test_brief_is_not_due_before_the_calling_stages(stage: str) -> None:
    """Earlier stages (and an offer) do not ask for a briefing."""
    reg = registry(apps=[app(references=["jane-doe"], stage=stage)])
    assert due(reg, kind="brief") == []


def test_brief_is_not_due_once_the_application_is_closed() -> None:
    """A rejection at reference-check leaves nobody to brief."""
    reg = registry(
        apps=[
            app(
                references=["jane-doe"],
                stage="reference-check",
                outcome="rejected",
                closed_on=days_ago(1),
                reason="Filled internally",
            )
        ]
    )
    assert due(reg, kind="brief") == []


def test_briefing_makes_the_brief_disappear_without_unbriefing_others() -> None:
    """Recording a briefing (which bumps updated_on) clears it; earlier briefings still count."""
    application = app(references=["jane-doe", "bob-smith"], stage="reference-check", updated_on=days_ago(3))
    reg = registry([ref(), ref("bob-smith", "Bob Smith")], [application])
    application.briefed.append(Briefing("jane-doe", days_ago(2)))
    application.updated_on = days_ago(2)
    assert [a.reference for a in due(reg, kind="brief")] == ["bob-smith"]
    application.briefed.append(Briefing("bob-smith", TODAY))
    application.updated_on = TODAY
    assert due(reg, kind="brief") == []


# --- thank -------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["offer", "accepted"])
def test_thank_is_due_for_each_reference_on_an_offer(outcome: str) -> None:
    """An application that ended in an offer asks to thank the references given on it."""
    reg = registry(
        [ref(), ref("bob-smith", "Bob Smith")],
        [
            app(
                references=["jane-doe", "bob-smith"],
                stage="offer",
                outcome=outcome,
                closed_on=days_ago(1),
            )
        ],
    )
    actions = due(reg, kind="thank")
    assert [(a.reference, a.due) for a in actions] == [
        ("bob-smith", days_ago(1)),
        ("jane-doe", days_ago(1)),
    ]
    assert actions[0].command == "refaudit app update acme-data-analyst --thanked bob-smith"


@pytest.mark.parametrize(
    ("age", "expected"),
    [(NEXT["thank_within_days"], 1), (NEXT["thank_within_days"] + 1, 0)],
    ids=["last-day", "day-after"],
)
def test_thank_stays_due_for_the_configured_days(age: int, expected: int) -> None:
    """Thanking stays on the list for thank_within_days after the offer, then leaves it."""
    reg = registry(
        apps=[
            app(
                references=["jane-doe"],
                applied_on=days_ago(age + 20),
                stage="offer",
                outcome="offer",
                closed_on=days_ago(age),
            )
        ]
    )
    assert len(due(reg, kind="thank")) == expected


def test_thanks_recorded_after_the_offer_marks_it_done() -> None:
    """A briefing, or thanks recorded before the offer, do not count; thanks on or after it do."""
    application = app(
        references=["jane-doe"],
        stage="offer",
        outcome="offer",
        closed_on=days_ago(3),
        briefed=[Briefing("jane-doe", days_ago(1))],
        thanked=[Briefing("jane-doe", days_ago(4))],
    )
    reg = registry(apps=[application])
    assert len(due(reg, kind="thank")) == 1
    application.thanked.append(Briefing("jane-doe", TODAY))
    assert due(reg, kind="thank") == []


# --- debrief -----------------------------------------------------------------------


def test_debrief_is_due_after_a_rejection_with_nothing_recorded() -> None:
    """A bare rejection asks for the reason, constructive criticism and job leads."""
    reg = registry(apps=[app(stage="reference-check", outcome="rejected", closed_on=days_ago(2))])
    [action] = due(reg, kind="debrief")
    assert (action.application, action.reference, action.due) == (
        "acme-data-analyst",
        None,
        days_ago(2),
    )
    assert "find out the reason" in action.reason
    assert "ask for constructive criticism" in action.reason
    assert "ask for job leads" in action.reason
    assert action.command == "refaudit app debrief acme-data-analyst --reason TEXT --criticism TEXT --lead TEXT"


@pytest.mark.parametrize(
    ("age", "expected"),
    [(NEXT["debrief_within_days"], 1), (NEXT["debrief_within_days"] + 1, 0)],
    ids=["last-day", "day-after"],
)
def test_debrief_stays_due_for_the_configured_days(age: int, expected: int) -> None:
    """Asking for a debrief is worth it for debrief_within_days after the rejection."""
    reg = registry(apps=[app(applied_on=days_ago(age + 10), outcome="rejected", closed_on=days_ago(age))])
    assert len(due(reg, kind="debrief")) == expected


@pytest.mark.parametrize(
    "record",
    [
        {"reason": "Went with a candidate with more experience"},
        {"criticism": ["More SQL depth"]},
        {"leads": ["Globex is hiring"]},
    ],
    ids=["reason", "criticism", "lead"],
)
def test_recording_any_debrief_makes_it_disappear(record: dict[str, Any]) -> None:
    """What `app debrief` records — a reason, criticism or a lead — clears the action."""
    application = app(outcome="rejected", closed_on=days_ago(2))
    reg = registry(apps=[application])
    assert len(due(reg, kind="debrief")) == 1
    for key, value in record.items():
        setattr(application, key, value)
    assert due(reg, kind="debrief") == []


@pytest.mark.parametrize(
    ("reason", "kind", "said"),
    [
        ("We decided to go another way.", None,
         'the reason "We decided to go another way." says nothing concrete (guessed from the wording — set '
         "--reason-kind to be sure)"),
        ("Thanks for your time.", "none-given", 'the reason "Thanks for your time." says nothing concrete'),
        ("\u202eDROP TABLE; <script>", None,
         'the reason "\u202eDROP TABLE; <script>" says nothing concrete (guessed from the wording — set '
         "--reason-kind to be sure)"),
        (None, "none-given", "gave no reason"),
        (None, None, "no reason is recorded"),
    ],
    ids=["vague-guessed", "none-given", "hostile", "kind-only", "nothing"],
)  # fmt: skip
def test_a_vague_reason_still_asks_for_a_debrief(reason: str | None, kind: str | None, said: str) -> None:
    """A rejection whose stated reason says nothing concrete asks for the reason, criticism and leads."""
    reg = registry(apps=[app(outcome="rejected", closed_on=days_ago(2), reason=reason, reason_kind=kind)])
    [action] = due(reg, kind="debrief")
    assert action.reason == (
        f"Said no on {days_ago(2).isoformat()} and {said}: find out the reason, ask for constructive criticism "
        "and ask for job leads."
    )


def test_a_concrete_reason_kind_needs_no_debrief() -> None:
    """A recorded kind that names a cause (fit) is a debrief done, whatever the wording."""
    reg = registry(apps=[app(outcome="rejected", closed_on=days_ago(2), reason="Hmm.", reason_kind="fit")])
    assert due(reg, kind="debrief") == []


@pytest.mark.parametrize(
    ("stage", "level", "kinds"),
    [
        ("interview", "watch", ["swap"]),
        ("screening", "watch", []),
        ("reference-check", "keep", ["brief"]),
    ],
)
def test_a_watched_reference_on_a_live_application_is_swapped_or_briefed(
    stage: str, level: str, kinds: list[str]
) -> None:
    """From interview on, a reference the audit says watch gets swap (or brief them) for that application."""
    reg = registry(apps=[app(stage=stage, updated_on=days_ago(1), references=["jane-doe"])])
    actions = due(reg, [Verdict("jane-doe", recommendation=level)])
    assert [a.kind for a in actions if a.application == "acme-data-analyst"] == kinds
    if kinds == ["swap"]:
        [swap] = [a for a in actions if a.kind == "swap"]
        assert swap.reason.startswith(
            f"The audit says {level}, and this application is at {stage}: swap them if you still can, "
            "or brief them now."
        )
        assert swap.command == "refaudit app update acme-data-analyst --briefed jane-doe"


@pytest.mark.parametrize("stage", ["applied", "screening", "interview", "final"])
def test_a_dropped_reference_is_swapped_for_the_lineups_free_pick_before_the_check(stage: str) -> None:
    """Before the reference check, a drop is swapped for the lineup's best reference not on it; never briefed."""
    people = [ref(), ref("bob-smith", "Bob Smith"), ref("cara-lee", "Cara Lee", relationship="mentor")]
    reg = registry(people, apps=[app(stage=stage, updated_on=days_ago(1), references=["jane-doe", "bob-smith"])])
    verdicts = [
        Verdict("jane-doe", recommendation="drop"), Verdict("bob-smith", "Bob Smith"), Verdict("cara-lee", "Cara Lee")
    ]  # fmt: skip
    [swap] = [a for a in due(reg, verdicts) if a.application == "acme-data-analyst" and a.reference == "jane-doe"]
    assert (swap.kind, swap.reference) == ("swap", "jane-doe")
    assert swap.command == "refaudit app update acme-data-analyst --swap jane-doe=cara-lee"
    assert swap.reason.endswith(
        f"this application is at {stage}, before its reference check: swap them for Cara Lee, the lineup's best "
        "free reference, now."
    )
    assert "brief" not in swap.reason


def test_a_dropped_reference_with_nobody_free_is_withdrawn() -> None:
    """No free reference in the lineup: the command takes them off (--withdraw-ref)."""
    people = [ref(), ref("bob-smith", "Bob Smith")]
    reg = registry(people, apps=[app(stage="interview", updated_on=days_ago(1), references=["jane-doe", "bob-smith"])])
    [swap] = due(reg, [Verdict("jane-doe", recommendation="drop"), Verdict("bob-smith", "Bob Smith")], kind="swap")
    assert swap.command == "refaudit app update acme-data-analyst --withdraw-ref jane-doe"
    assert swap.reason.endswith("take them off it now. The lineup has nobody free to give instead.")


def test_at_the_reference_check_it_is_too_late_to_swap_and_never_brief() -> None:
    """At reference-check a dropped reference is too late to swap: said so, no brief, no brief draft."""
    reg = registry(apps=[app(stage="reference-check", updated_on=days_ago(1), references=["jane-doe"])])
    actions = due(reg, [Verdict("jane-doe", recommendation="drop")])
    [swap] = [a for a in actions if a.application == "acme-data-analyst"]
    assert swap.kind == "swap"
    assert "too late to swap them" in swap.reason
    assert "Do not brief them" in swap.reason
    assert swap.command == "refaudit app update acme-data-analyst --withdraw-ref jane-doe"
    assert draft_command(swap) is None


def test_a_withdrawn_reference_is_swapped_no_more() -> None:
    """Once withdrawn from the application, the swap is done."""
    application = app(stage="interview", updated_on=days_ago(3), references=["jane-doe"])
    reg = registry(apps=[application])
    dropped = [Verdict("jane-doe", recommendation="drop")]
    assert [a.kind for a in due(reg, dropped) if a.application == "acme-data-analyst"] == ["swap"]
    application.withdrawn.append(Briefing("jane-doe", days_ago(2)))
    assert [a.kind for a in due(reg, dropped) if a.application == "acme-data-analyst"] == []


def test_briefing_after_the_news_clears_the_swap() -> None:
    """A briefing on or after the report that moved the verdict is the swap done; an older one is not."""
    news = Feedback(id="f1", reference="jane-doe", reported_on=days_ago(5), sentiment="lukewarm", source="employer")
    application = app(
        stage="final", updated_on=days_ago(1), references=["jane-doe"], briefed=[Briefing("jane-doe", days_ago(10))]
    )
    reg = registry(apps=[application], feedback=[news])
    watched = [Verdict("jane-doe", recommendation="watch", evidence=["f1"], moved=["f1"])]
    assert [a.kind for a in due(reg, watched) if a.application == "acme-data-analyst"] == ["swap"]
    application.briefed.append(Briefing("jane-doe", days_ago(1)))
    assert [a.kind for a in due(reg, watched) if a.application == "acme-data-analyst"] == []


def test_a_swap_is_due_from_the_news_never_overdue_from_before_it() -> None:
    """At interview since ten days ago, the report came in five days ago: the swap is due five days ago."""
    news = Feedback(id="f1", reference="jane-doe", reported_on=days_ago(5), sentiment="lukewarm", source="employer")
    application = app(stage="interview", updated_on=days_ago(10), references=["jane-doe"])
    reg = registry(apps=[application], feedback=[news])
    watched = [Verdict("jane-doe", recommendation="watch", evidence=["f1"], moved=["f1"])]
    [swap] = due(reg, watched, kind="swap")
    assert swap.due == days_ago(5)
    application.updated_on = days_ago(2)  # the stage moved after the news: due from then
    [swap] = due(reg, watched, kind="swap")
    assert swap.due == days_ago(2)


@pytest.mark.parametrize("outcome", ["ghosted", "withdrawn", "eliminated", "offer"])
def test_debrief_is_only_for_rejections(outcome: str) -> None:
    """Other endings do not ask for a debrief."""
    reg = registry(apps=[app(outcome=outcome, closed_on=days_ago(2))])
    assert due(reg, kind="debrief") == []


# --- follow up and mark ghosted ----------------------------------------------------


@pytest.mark.parametrize(
    ("idle", "kinds"),
    [
        (NEXT["follow_up_after_days"] - 1, []),
        (NEXT["follow_up_after_days"], ["follow-up"]),
        (NEXT["ghosted_after_days"] - 1, ["follow-up"]),
        (NEXT["ghosted_after_days"], ["mark-ghosted"]),
    ],
    ids=["before-follow-up", "follow-up", "before-ghosted", "ghosted"],
)
def test_a_quiet_pending_application_is_followed_up_then_marked_ghosted(idle: int, kinds: list[str]) -> None:
    """Quiet for follow_up_after_days: follow up; for ghosted_after_days: mark it ghosted."""
    reg = registry(apps=[app(applied_on=days_ago(idle + 30), updated_on=days_ago(idle), via="Hays")])
    actions = [a for a in due(reg) if a.application == "acme-data-analyst"]
    assert [a.kind for a in actions] == kinds


def test_follow_up_counts_from_the_application_when_never_updated() -> None:
    """Without updated_on, the quiet days count from applied_on; due is the threshold day."""
    n = NEXT["follow_up_after_days"]
    reg = registry(apps=[app(applied_on=days_ago(n + 2), via="Hays")])
    [action] = due(reg, kind="follow-up")
    assert action.due == days_ago(2)
    assert action.reason == (
        f"No word from the employer for {n + 2} days (since {days_ago(n + 2).isoformat()}): ask Hays or the "
        "employer where it stands."
    )
    assert action.command == "refaudit app update acme-data-analyst --followed-up"


def test_following_up_makes_it_disappear_for_follow_up_after_days() -> None:
    """`app update --followed-up` marks the follow-up done for follow_up_after_days; then it is due again."""
    n = NEXT["follow_up_after_days"]
    application = app(applied_on=days_ago(n + 1), timeline=[Event(days_ago(n + 1), "applied")])
    reg = registry(apps=[application])
    assert len(due(reg, kind="follow-up")) == 1
    application.timeline.append(Event(days_ago(1), "followed-up"))
    assert due(reg, kind="follow-up") == []
    [again] = due(reg, kind="follow-up", as_of=TODAY + timedelta(days=n - 1))
    assert again.due == TODAY + timedelta(days=n - 1)
    assert f"you last followed up on {days_ago(1).isoformat()}" in again.reason


@pytest.mark.parametrize(
    ("event", "resets"),
    [
        (Event(days_ago(3), "note", "called HR"), False),
        (Event(days_ago(3), "followed-up"), False),
        (Event(days_ago(3), "briefed", "jane-doe"), False),
        (Event(days_ago(3), "heard-back"), True),
        (Event(days_ago(3), "stage", "final"), True),
        (Event(days_ago(3), "debrief"), True),
    ],
    ids=["note", "followed-up", "briefed", "heard-back", "stage", "debrief"],
)
def test_only_the_employer_restarts_the_quiet_clock(event: Event, resets: bool) -> None:
    """42 days after the reference check, only a stage, outcome, heard-back or debrief keeps it from ghosted."""
    check = days_ago(NEXT["ghosted_after_days"])
    application = app(
        applied_on=days_ago(60),
        stage="reference-check",
        references=["jane-doe"],
        briefed=[Briefing("jane-doe", check)],
        timeline=[Event(days_ago(60), "applied"), Event(check, "stage", "reference-check"), event],
    )
    application.updated_on = days_ago(3)
    kinds = [a.kind for a in due(registry(apps=[application])) if a.application == "acme-data-analyst"]
    assert kinds == ([] if resets else ["mark-ghosted"])


def test_employer_feedback_about_the_application_restarts_the_quiet_clock() -> None:
    """A --source employer report on the application is word from the employer; a recruiter's is not."""
    application = app(applied_on=days_ago(50), timeline=[Event(days_ago(50), "applied")])
    for source, kinds in (("recruiter", ["mark-ghosted"]), ("employer", [])):
        said = Feedback(
            id="f1", reference="jane-doe", application="acme-data-analyst", reported_on=days_ago(2),
            sentiment="positive", source=source,
        )  # fmt: skip
        application.references = ["jane-doe"]
        reg = registry(apps=[application], feedback=[said])
        assert [a.kind for a in due(reg) if a.application == "acme-data-analyst"] == kinds, source


def test_marking_ghosted_makes_it_disappear() -> None:
    """`app update --outcome ghosted` closes the application and clears the action."""
    application = app(applied_on=days_ago(NEXT["ghosted_after_days"] + 5))
    reg = registry(apps=[application])
    [action] = due(reg, kind="mark-ghosted")
    assert action.command == "refaudit app update acme-data-analyst --outcome ghosted"
    assert action.due == days_ago(5)
    application.outcome, application.closed_on, application.updated_on = "ghosted", TODAY, TODAY
    assert [a for a in due(reg) if a.application == "acme-data-analyst"] == []


# --- test and refresh consent ------------------------------------------------------


def test_an_untested_active_reference_is_due_a_test() -> None:
    """The audit's untested flag asks for a test call before giving them again."""
    reg = registry()
    [action] = due(reg, untested_audit(reg), kind="test")
    assert (action.reference, action.due) == ("jane-doe", days_ago(400))
    assert action.reason == (
        "Nobody has reported what they say: before giving them again, have a trusted friend "
        "make a mock call (or order a reference-checking service)."
    )
    assert action.command == "refaudit feedback log jane-doe --sentiment SENTIMENT --source mock-call"


@pytest.mark.parametrize("status", ["resting", "dropped"])
def test_only_active_references_are_due_a_test(status: str) -> None:
    """A reference set aside by the user is not given, so not tested either."""
    reg = registry([ref(status=status, status_on=days_ago(10))])
    assert due(reg, untested_audit(reg), kind="test") == []


def test_logging_a_test_result_makes_it_disappear() -> None:
    """Once feedback is logged the audit no longer says untested, and the action goes."""
    reg = registry()
    assert len(due(reg, untested_audit(reg), kind="test")) == 1
    reg.feedback.append(Feedback("f1", "jane-doe", TODAY, "positive", source="reference-service"))
    assert due(reg, untested_audit(reg), kind="test") == []


@pytest.mark.parametrize(
    ("age", "expected"),
    [(NEXT["consent_valid_days"], 0), (NEXT["consent_valid_days"] + 1, 1)],
    ids=["last-good-day", "day-after"],
)
def test_consent_older_than_the_configured_period_is_refreshed(age: int, expected: int) -> None:
    """Consent is good for consent_valid_days; the next day it is due again."""
    reg = registry([ref(consent_on=days_ago(age))])
    actions = due(reg, kind="refresh-consent")
    assert len(actions) == expected
    if actions:
        assert actions[0].due == TODAY
        assert actions[0].command == f"refaudit ref edit jane-doe --consent-on {TODAY.isoformat()}"


def test_refresh_consent_skips_unknown_consent_and_inactive_references() -> None:
    """No consent date, or a reference not active, asks nothing."""
    old = days_ago(NEXT["consent_valid_days"] + 50)
    reg = registry([ref(), ref("bob-smith", "Bob Smith", consent_on=old, status="dropped")])
    assert due(reg, kind="refresh-consent") == []


def test_refreshing_consent_makes_it_disappear() -> None:
    """`ref edit --consent-on TODAY` clears the action."""
    reference = ref(consent_on=days_ago(NEXT["consent_valid_days"] + 30))
    reg = registry([reference])
    assert len(due(reg, kind="refresh-consent")) == 1
    reference.consent_on = TODAY
    assert due(reg, kind="refresh-consent") == []


# --- drop and rest -----------------------------------------------------------------


def test_drop_is_due_for_an_active_reference_the_audit_drops() -> None:
    """The audit's drop on a still-active reference is due from the latest evidence."""
    reg = registry(
        feedback=[
            Feedback("f1", "jane-doe", days_ago(9), "negative"),
            Feedback("f2", "jane-doe", days_ago(4), "negative"),
        ]
    )
    verdict = Verdict(
        "jane-doe",
        recommendation="drop",
        reasons=["Two negative reports (f1, f2)"],
        evidence=["f1", "f2"],
    )
    [action] = due(reg, [verdict], kind="drop")
    assert action.due == days_ago(4)
    assert action.reason == "Still active, but the audit says drop. Two negative reports (f1, f2)."
    assert action.command == "refaudit ref status jane-doe dropped"


def test_a_drop_the_pattern_moved_is_due_from_the_pattern_not_the_older_report() -> None:
    """A lukewarm report 30 days ago, late rejections 20 and 12 days ago, someone else's offer 6 days ago:
    the drop became due 12 days ago, with the latest late rejection (the pattern does not wait for an
    offer since the third round), not 30."""
    late = [
        app(f"late-{n}", company=f"Late {n}", applied_on=days_ago(40), references=["jane-doe"], stage="reference-check",
            outcome="rejected", closed_on=days_ago(n))
        for n in (20, 12)
    ]  # fmt: skip
    offer = app("won", company="Won", applied_on=days_ago(40), references=["bob"], stage="offer", outcome="offer",
                closed_on=days_ago(6))  # fmt: skip
    reg = registry(
        [ref(), ref("bob", name="Bob")],
        apps=[*late, offer],
        feedback=[Feedback("f1", "jane-doe", days_ago(30), "lukewarm", source="recruiter")],
    )
    verdict = Verdict("jane-doe", recommendation="drop", flags=["pattern"], evidence=["f1"], moved=["f1"])
    [action] = due(reg, [verdict], kind="drop")
    assert action.due == days_ago(12)
    without_pattern = Verdict("jane-doe", recommendation="drop", evidence=["f1"], moved=["f1"])
    [action] = due(reg, [without_pattern], kind="drop")
    assert action.due == days_ago(30)


def test_dropping_makes_the_drop_disappear() -> None:
    """`ref status REF dropped` clears it (resting does too: the reference is no longer given)."""
    reference = ref()
    reg = registry([reference])
    verdict = Verdict("jane-doe", recommendation="drop", flags=["untested", "overused"])
    assert [a.kind for a in due(reg, [verdict]) if a.reference] == ["drop"]
    reference.status, reference.status_on = "dropped", TODAY
    assert [a for a in due(reg, [verdict]) if a.reference] == []


def test_rest_is_due_for_an_overused_reference() -> None:
    """An active reference flagged overused is due a rest."""
    reg = registry()
    verdict = Verdict("jane-doe", recommendation="keep", flags=["overused"], uses=6, last_used=days_ago(3))
    [action] = due(reg, [verdict], kind="rest")
    assert action.due == days_ago(3)
    assert action.reason == f"Given often lately (last on {days_ago(3).isoformat()}): rest them for a while."
    assert action.command == "refaudit ref status jane-doe resting"


@pytest.mark.parametrize("rest_flags", [["overused"], ["overused", "unreachable"]], ids=["shipped", "old-config"])
def test_an_unreachable_reference_is_reached_never_rested(rest_flags: list[str]) -> None:
    """Unreachable means call them, confirm number, email and availability: a reach action, never rest."""
    reg = registry()
    verdict = Verdict("jane-doe", recommendation="watch", flags=["unreachable"], last_used=days_ago(3))
    actions = due(reg, [verdict], settings=with_next(rest_flags=rest_flags))
    assert [a.kind for a in actions if a.reference] == ["reach", "test"]
    reach = actions[0]
    assert reach.reason == (
        "Employers could not reach them: call them; confirm their number, email and availability, "
        "then record that they confirmed (the command below)."
    )
    assert reach.command == f"refaudit ref edit jane-doe --consent-on {TODAY.isoformat()}"


def test_a_watched_reference_is_due_a_mock_call_in_the_watch_words() -> None:
    """Watch means one thing, in the audit's words: the test action says it."""
    reg = registry()
    [action] = due(reg, [Verdict("jane-doe", recommendation="watch")], kind="test")
    assert action.reason == f"The audit says watch. {WATCH_MEANS}"
    assert action.command == "refaudit feedback log jane-doe --sentiment SENTIMENT --source mock-call"


def test_rest_follows_the_configured_flags() -> None:
    """A flag not in rest_flags asks for no rest; configuring it does."""
    reg = registry()
    verdict = Verdict("jane-doe", recommendation="watch", flags=["stale"])
    assert due(reg, [verdict], kind="rest") == []
    assert len(due(reg, [verdict], kind="rest", settings=with_next(rest_flags=["stale"]))) == 1


def test_resting_makes_the_rest_disappear() -> None:
    """`ref status REF resting` clears it."""
    reference = ref()
    reg = registry([reference])
    verdict = Verdict("jane-doe", recommendation="watch", flags=["overused"])
    assert len(due(reg, [verdict], kind="rest")) == 1
    reference.status, reference.status_on = "resting", TODAY
    assert due(reg, [verdict], kind="rest") == []


# --- apply more --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("open_apps", "expected"),
    [(NEXT["min_open_applications"] - 1, 1), (NEXT["min_open_applications"], 0)],
    ids=["one-short", "enough"],
)
def test_apply_more_when_too_few_applications_are_open(open_apps: int, expected: int) -> None:
    """Fewer than min_open_applications open applications ask for more."""
    reg = Registry(applications=busy(open_apps))
    assert len(due(reg, kind="apply-more")) == expected


def test_ghost_candidates_are_not_coals_in_the_fire() -> None:
    """An application silent past the ghosting threshold does not count as open."""
    stale = app("stale", applied_on=days_ago(NEXT["ghosted_after_days"]))
    reg = Registry(applications=[stale, *busy(NEXT["min_open_applications"] - 1)])
    [action] = due(reg, kind="apply-more")
    assert action.reason.startswith(f"Only {NEXT['min_open_applications'] - 1} applications are open and alive")
    assert action.command == "refaudit app add COMPANY --role ROLE --ref REF"


def test_applying_makes_apply_more_disappear() -> None:
    """Adding applications up to the minimum clears it."""
    reg = Registry(applications=[app(outcome="rejected", closed_on=days_ago(3), reason="No")])
    [action] = due(reg, kind="apply-more")
    assert action.due == days_ago(3)
    reg.applications.extend(busy())
    assert due(reg, kind="apply-more") == []


# --- order, --as-of, output --------------------------------------------------------


def test_actions_come_most_urgent_first() -> None:
    """By kind priority, then the earliest due, then by id."""
    reg = registry(
        [ref(consent_on=days_ago(500)), ref("bob-smith", "Bob Smith"), ref("cy-lee", "Cy Lee")],
        [
            app("initech", company="Initech", applied_on=days_ago(100)),
            app("globex", company="Globex", applied_on=days_ago(20)),
            app(
                "acme",
                references=["jane-doe", "bob-smith"],
                stage="reference-check",
                updated_on=days_ago(1),
            ),
            app("hooli", company="Hooli", outcome="rejected", closed_on=days_ago(3)),
        ],
    )
    verdicts = [Verdict("cy-lee", recommendation="drop"), Verdict("bob-smith", flags=["untested"])]
    got = [(a.kind, a.reference or a.application) for a in due(reg, verdicts)]
    assert got == [
        ("brief", "bob-smith"),
        ("brief", "jane-doe"),
        ("drop", "cy-lee"),
        ("debrief", "hooli"),
        ("follow-up", "globex"),
        ("test", "bob-smith"),
        ("refresh-consent", "jane-doe"),
        ("mark-ghosted", "initech"),
        ("recruit", None),  # only Bob and Jane are ready: fewer than lineup.size
    ]
    assert [k for k, _ in got] == sorted((k for k, _ in got), key=ACTION_KINDS.index)


def test_same_kind_is_ordered_by_due_date() -> None:
    """Of two follow-ups, the longer overdue comes first."""
    n = NEXT["follow_up_after_days"]
    reg = registry(apps=[app("b-newer", applied_on=days_ago(n)), app("z-older", applied_on=days_ago(n + 3))])
    assert [a.application for a in due(reg, kind="follow-up")] == ["z-older", "b-newer"]


def test_as_of_shows_the_actions_as_they_stood_that_day() -> None:
    """Records dated after as_of are ignored; a later close counts as still pending."""
    past = days_ago(60)
    reg = registry(
        [ref(consent_on=days_ago(10)), ref("bob-smith", "Bob Smith", added_on=days_ago(5))],
        [
            app(
                references=["jane-doe"],
                applied_on=days_ago(80),
                stage="reference-check",
                outcome="rejected",
                updated_on=days_ago(1),
                closed_on=days_ago(1),
                reason="Filled internally",
                briefed=[Briefing("jane-doe", days_ago(2))],
            ),
            app("later", company="Later Ltd", applied_on=days_ago(30)),
        ],
    )
    got = [(a.kind, a.reference, a.application) for a in due(reg, as_of=past)]
    # That day Acme was still open, at reference-check and unbriefed; Bob and "later" did not exist.
    assert got == [
        ("brief", "jane-doe", "acme-data-analyst"),
        ("follow-up", None, "acme-data-analyst"),
        ("apply-more", None, None),
        ("recruit", None, None),
    ]
    now = [(a.kind, a.application) for a in due(reg)]
    assert ("brief", "acme-data-analyst") not in now


def test_as_of_treats_a_later_status_change_as_still_active() -> None:
    """A reference dropped after as_of was still active on that day."""
    reg = registry([ref(status="dropped", status_on=days_ago(1), consent_on=days_ago(800))])
    assert [a.kind for a in due(reg, as_of=days_ago(10)) if a.reference] == ["refresh-consent"]
    assert [a.kind for a in due(reg) if a.reference] == []


def test_nothing_due_is_an_empty_list() -> None:
    """A registry with enough fresh applications, a full bench with a manager and no issues has nothing due."""
    refs = [ref("ann", "Ann", relationship="manager"), ref("bo", "Bo", relationship="colleague"), ref("cy", "Cy")]
    assert due(Registry(references=refs, applications=busy()), [Verdict(r.id, name=r.name) for r in refs]) == []


def test_a_thin_bench_asks_to_recruit() -> None:
    """Fewer than lineup.size ready, or no manager among them: recruit, with the command that adds one."""
    refs = [ref("ann", "Ann", relationship="colleague"), ref("bo", "Bo", relationship="colleague"), ref("cy", "Cy")]
    [action] = due(Registry(references=refs, applications=busy()), [Verdict(r.id, name=r.name) for r in refs])
    assert (action.kind, action.command) == ("recruit", "refaudit ref add NAME --relationship manager")
    assert action.reason.startswith(
        "None of your ready references is a manager, and the lineup wants one: find a new reference"
    )
    tired = [Verdict("ann", name="Ann"), Verdict("bo", name="Bo", flags=["fatigued"]), Verdict("cy", name="Cy")]
    refs[0].relationship = "manager"
    kinds = [(a.kind, a.reference) for a in due(Registry(references=refs, applications=busy()), tired)]
    assert kinds == [("rest", "bo"), ("recruit", None)]


def test_to_json_has_the_documented_keys() -> None:
    """`next --json` objects carry kind, due, reference, application, reason, command."""
    action = Action("brief", TODAY, "jane-doe", "acme", "Why.", "refaudit app update acme --briefed jane-doe")
    assert action.to_json() == {
        "kind": "brief",
        "due": "2026-11-25",
        "reference": "jane-doe",
        "application": "acme",
        "reason": "Why.",
        "command": "refaudit app update acme --briefed jane-doe",
    }


def test_commands_split_into_the_intended_arguments() -> None:
    """Every command is shell-safe: ids and text come out as single arguments."""
    reg = registry(
        apps=[
            app(
                "acme.data_analyst-2",
                references=["jane-doe"],
                stage="final",
                applied_on=days_ago(NEXT["follow_up_after_days"]),
            )
        ]
    )
    for action in due(reg):
        argv = shlex.split(action.command)
        assert argv[0] == "refaudit"
    follow = due(reg, kind="follow-up")[0]
    assert shlex.split(follow.command) == [
        "refaudit",
        "app",
        "update",
        "acme.data_analyst-2",
        "--followed-up",
    ]


def test_subject_names_the_reference_and_application() -> None:
    """subject() puts what an action concerns into words."""
    reg = registry()
    assert subject(Action("brief", TODAY, "jane-doe", "busy-0", "", ""), reg) == "Jane Doe — Busy 0 (Data Analyst)"
    assert subject(Action("apply-more", TODAY, None, None, "", ""), reg) == "your job search"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ghosted_after_days": 14, "follow_up_after_days": 14},
            "config: next.ghosted_after_days must be more than next.follow_up_after_days.",
        ),
        (
            {"consent_valid_days": -1},
            "config: next.consent_valid_days must be from 0 to 36500 days, not -1.",
        ),
        (
            {"rest_flags": ["tired"]},
            "config: next.rest_flags must be a list drawn from: overused, fatigued, unreachable, stale, "
            "policy-limited, pattern, not ['tired'].",
        ),
    ],
    ids=["ghost-before-follow-up", "negative", "unknown-flag"],
)
def test_bad_thresholds_are_refused_by_name(overrides: dict[str, Any], message: str) -> None:
    """A threshold that makes no sense is refused, naming the key."""
    with pytest.raises(ValidationError) as exc:
        due(Registry(), settings=with_next(**overrides))
    assert str(exc.value) == message


def test_verdict_stand_in_matches_the_audit() -> None:
    """The hand-made Verdict has the fields of refaudit.audit.Verdict, when that exists."""
    audit = pytest.importorskip("refaudit.audit")
    from dataclasses import fields

    assert [f.name for f in fields(audit.Verdict)] == [f.name for f in fields(Verdict)]
    assert replace(Verdict("x"), recommendation="drop").recommendation == "drop"
