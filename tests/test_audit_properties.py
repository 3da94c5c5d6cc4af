"""Properties of the audit under the shipped settings, for any registry hypothesis can build.

- Adding a credible negative, mixed or lukewarm report about a reference never lowers that
  reference's recommendation; adding a credible positive one never raises it.
- A rejection whose stated reason lies elsewhere never creates a pattern.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from refaudit import settings as settings_mod
from refaudit.audit import RECOMMENDATIONS, audit
from refaudit.model import (
    CERTAINTIES,
    FEEDBACK_SOURCES,
    OUTCOMES,
    REASON_KINDS,
    SENTIMENTS,
    STAGES,
    Application,
    Feedback,
    Reference,
    Registry,
)

AS_OF = date(2026, 11, 25)
CONF = settings_mod.defaults()
REFS = ("r0", "r1", "r2")
APPS = ("a0", "a1", "a2", "a3", "a4")
LEVEL = {r: i for i, r in enumerate(RECOMMENDATIONS)}
CREDIBLE_SOURCES = ("employer", "reference-service", "mock-call", "recruiter")
ELSEWHERE = tuple(k for k in REASON_KINDS if k not in ("references", "none-given"))

days = st.integers(min_value=0, max_value=900)
reporters = st.sampled_from([None, "Sam", "Kim"])


@st.composite
def applications(draw: Any) -> list[Application]:
    apps = []
    for app_id in APPS[: draw(st.integers(0, len(APPS)))]:
        outcome = draw(st.sampled_from(OUTCOMES))
        applied = AS_OF - timedelta(days=draw(days))
        apps.append(
            Application(
                id=app_id,
                company=app_id.upper(),
                role="Analyst",
                applied_on=applied,
                references=draw(st.lists(st.sampled_from(REFS), min_size=1, max_size=3, unique=True)),
                stage=draw(st.sampled_from(STAGES)),
                outcome=outcome,
                reason=draw(st.sampled_from([None, "went another way", "more experience", "references"])),
                reason_kind=draw(st.none() | st.sampled_from(REASON_KINDS)),
                closed_on=None if outcome == "pending" else applied,
            )
        )
    return apps


@st.composite
def reports(draw: Any, apps: list[str], *, n: int = 8) -> list[Feedback]:
    out = []
    for i in range(draw(st.integers(0, n))):
        sentiment = draw(st.sampled_from(SENTIMENTS))
        out.append(
            Feedback(
                id=f"f{i + 1}",
                reference=draw(st.sampled_from(REFS)),
                reported_on=AS_OF - timedelta(days=draw(days)),
                sentiment=sentiment,
                application=draw(st.none() | st.sampled_from(apps)) if apps else None,
                source=draw(st.sampled_from(FEEDBACK_SOURCES)),
                certainty=draw(st.sampled_from(CERTAINTIES)),
                reporter=draw(reporters),
                attempts=draw(st.none() | st.integers(1, 4)) if sentiment == "no-response" else None,
            )
        )
    return out


@st.composite
def registries(draw: Any) -> Registry:
    apps = draw(applications())
    return Registry(
        references=[Reference(id=r, name=r.upper(), added_on=AS_OF - timedelta(days=1000)) for r in REFS],
        applications=apps,
        feedback=draw(reports([a.id for a in apps])),
    )


@st.composite
def credible_report(draw: Any, reg: Registry, sentiments: tuple[str, ...]) -> Feedback:
    apps = [a.id for a in reg.applications]
    return Feedback(
        id="f99",
        reference=draw(st.sampled_from(REFS)),
        reported_on=AS_OF - timedelta(days=draw(days)),
        sentiment=draw(st.sampled_from(sentiments)),
        application=draw(st.none() | st.sampled_from(apps)) if apps else None,
        source=draw(st.sampled_from(CREDIBLE_SOURCES)),
        certainty=draw(st.sampled_from(("verbatim", "direct"))),
        reporter=draw(reporters),
    )


def levels(reg: Registry) -> dict[str, int]:
    return {v.id: LEVEL[v.recommendation] for v in audit(reg, CONF, AS_OF)}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_credible_adverse_report_never_lowers_the_recommendation(data: st.DataObject) -> None:
    """Adding a credible negative, mixed or lukewarm report never lowers that reference's recommendation."""
    reg = data.draw(registries())
    extra = data.draw(credible_report(reg, ("negative", "mixed", "lukewarm")))
    before = levels(reg)[extra.reference]
    after = levels(replace(reg, feedback=[*reg.feedback, extra]))[extra.reference]
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_credible_positive_report_never_raises_the_recommendation(data: st.DataObject) -> None:
    """Adding a credible positive report never raises that reference's recommendation."""
    reg = data.draw(registries())
    extra = data.draw(credible_report(reg, ("positive",)))
    before = levels(reg)[extra.reference]
    after = levels(replace(reg, feedback=[*reg.feedback, extra]))[extra.reference]
    assert after <= before


@settings(max_examples=150, deadline=None)
@given(
    registries(),
    st.lists(st.sampled_from(REFS), min_size=1, max_size=3, unique=True),
    st.sampled_from(ELSEWHERE),
    st.sampled_from(("reference-check", "offer")),
    days,
)
def test_a_rejection_for_a_reason_elsewhere_never_creates_a_pattern(
    reg: Registry, refs: list[str], kind: str, stage: str, ago: int
) -> None:
    """A late rejection whose stated reason kind lies elsewhere adds the pattern flag to nobody."""
    when = AS_OF - timedelta(days=ago)
    rejected = Application(
        id="late", company="Late", role="Analyst", applied_on=when, references=refs, stage=stage,
        outcome="rejected", reason="We said why.", reason_kind=kind, closed_on=when,
    )  # fmt: skip
    before = {v.id for v in audit(reg, CONF, AS_OF) if "pattern" in v.flags}
    after = {
        v.id
        for v in audit(replace(reg, applications=[*reg.applications, rejected]), CONF, AS_OF)
        if "pattern" in v.flags
    }
    assert after <= before
