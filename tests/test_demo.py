"""The demo registry: deterministic, whole, varied, and telling the story the audit should find."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from refaudit import settings
from refaudit.actions import due_actions
from refaudit.demo import build_demo
from refaudit.model import CERTAINTIES, FEEDBACK_SOURCES, RELATIONSHIPS, SENTIMENTS, STAGES, Registry

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo() -> Registry:
    return build_demo(TODAY)


def test_same_today_gives_equal_registries() -> None:
    """build_demo is deterministic: the same day gives the same registry, to the byte."""
    assert build_demo(TODAY).to_plain() == build_demo(TODAY).to_plain()


def test_dates_move_with_today() -> None:
    """Every date is relative to today: a week later, everything is a week later."""
    later = build_demo(TODAY + timedelta(days=7))
    now = build_demo(TODAY)
    assert [a.applied_on - b.applied_on for a, b in zip(later.applications, now.applications, strict=True)] == [
        timedelta(days=7)
    ] * len(now.applications)


def test_integrity_holds_and_survives_a_round_trip(demo: Registry) -> None:
    """Cross-references resolve, and the plain form reads back as the same registry."""
    demo.check_integrity()
    assert Registry.from_plain(demo.to_plain()).to_plain() == demo.to_plain()


def test_sizes_and_ids(demo: Registry) -> None:
    """8–12 references, about 40 applications and 30 reports numbered f1…fN; no history yet."""
    assert 8 <= len(demo.references) <= 12
    assert 35 <= len(demo.applications) <= 45
    assert 25 <= len(demo.feedback) <= 35
    assert [f.id for f in demo.feedback] == [f"f{i}" for i in range(1, len(demo.feedback) + 1)]
    assert demo.feedback_seq == len(demo.feedback)
    assert demo.owner == "Alex Candidate"
    assert demo.history == []


def test_nothing_is_dated_after_today(demo: Registry) -> None:
    """A sample made today records nothing in the future."""
    dates = [f.reported_on for f in demo.feedback]
    for a in demo.applications:
        dates += [a.applied_on, *(d for d in (a.updated_on, a.closed_on) if d), *(b.on for b in a.briefed)]
    for r in demo.references:
        assert r.added_on is not None
        dates += [d for d in (r.added_on, r.consent_on) if d]
    assert max(dates) <= TODAY


def test_every_sentiment_source_and_certainty_is_present(demo: Registry) -> None:
    """The reports cover every sentiment, source and certainty."""
    assert {f.sentiment for f in demo.feedback} == set(SENTIMENTS)
    assert {f.source for f in demo.feedback} == set(FEEDBACK_SOURCES)
    assert {f.certainty for f in demo.feedback} == set(CERTAINTIES)


def test_references_and_applications_are_varied(demo: Registry) -> None:
    """Seven relationships, every stage, and closed applications of several kinds."""
    assert {r.relationship for r in demo.references} >= set(RELATIONSHIPS) - {"other"}
    assert {a.stage for a in demo.applications} == set(STAGES)
    assert {a.outcome for a in demo.applications} >= {"pending", "offer", "rejected", "ghosted", "withdrawn"}
    late = [a for a in demo.applications if a.stage == "reference-check" and a.outcome == "rejected"]
    assert len(late) >= 3


def test_the_acme_story_is_there(demo: Registry) -> None:
    """Acme via Hays with Jane and Bob, rejected after the reference check, then Sam's call."""
    acme = demo.application("acme-data-analyst")
    assert (acme.company, acme.role, acme.via) == ("Acme Corp", "Data Analyst", "Hays")
    assert acme.references == ["jane-doe", "bob-smith"]
    assert (acme.stage, acme.outcome) == ("reference-check", "rejected")
    assert acme.reason == "went with a candidate with more experience"
    assert any("Globex" in lead.text for lead in acme.leads)
    [sam] = [f for f in demo.feedback if f.reporter == "Sam at Hays" and f.application == "acme-data-analyst"]
    assert (sam.reference, sam.sentiment, sam.source, sam.certainty) == ("jane-doe", "negative", "recruiter", "direct")
    assert sam.quote is not None and "struggled with deadlines" in sam.quote
    assert acme.closed_on is not None and sam.reported_on == acme.closed_on + timedelta(days=7)


def test_the_audit_shows_keep_watch_drop_and_many_flags(demo: Registry) -> None:
    """The audit of the demo recommends all three and raises at least four distinct flags."""
    audit = pytest.importorskip("refaudit.audit")
    verdicts = {v.id: v for v in audit.audit(demo, settings.defaults(), TODAY)}
    assert {v.recommendation for v in verdicts.values()} == {"keep", "watch", "drop"}
    assert len({flag for v in verdicts.values() for flag in v.flags}) >= 4
    assert verdicts["jane-doe"].recommendation == "drop"
    assert verdicts["priya-natarajan"].recommendation == "drop"  # two credible lukewarm reports corroborate
    assert verdicts["helen-park"].recommendation == "watch"
    assert "unreachable" in verdicts["marcus-webb"].flags
    assert "policy-limited" in verdicts["elena-garcia"].flags
    assert "untested" in verdicts["tom-becker"].flags
    assert "overused" in verdicts["kevin-liu"].flags


def test_the_demo_has_actions_of_many_kinds(demo: Registry) -> None:
    """`next` on the demo has a briefing, a drop, a debrief, a follow-up, a ghosting and more to do."""
    audit = pytest.importorskip("refaudit.audit")
    conf = settings.defaults()
    actions = due_actions(demo, audit.audit(demo, conf, TODAY), conf, TODAY)
    kinds = {a.kind for a in actions}
    assert kinds >= {
        "swap",
        "drop",
        "reach",
        "debrief",
        "follow-up",
        "thank",
        "rest",
        "test",
        "refresh-consent",
        "mark-ghosted",
    }
    [swap] = [a for a in actions if a.kind == "swap"]
    assert (swap.reference, swap.application) == ("priya-natarajan", "globex-data-analyst")
