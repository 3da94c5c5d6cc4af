"""Properties of the audit under the shipped settings, for any registry hypothesis can build.

- Adding a credible negative, mixed or lukewarm report about a reference never lowers that
  reference's recommendation; adding a credible positive one never raises it.
- A rejection whose stated reason lies elsewhere never creates a pattern for the references given on it.
- Adding a non-credible adverse report that does not increase the convergence count (independent
  reporters on independent applications) never raises the recommendation.
- Every claim a verdict carries is true of the registry it was made from.
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
reporters = st.sampled_from([None, "Sam", "Kim", "sam", "Dr. Kim", "Kim at Hays", "Léa", "Lea"])


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
                fatigue=draw(st.sampled_from([None, None, True])),
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
    # For the others it is one more application to compare with (third round): it may tip their comparison.
    assert after & set(refs) <= before


# --- convergence -------------------------------------------------------------------------


def _independent_count(reports: list[Feedback]) -> int:
    """The convergence count by brute force: the largest subset no two of which share a reporter or an
    application (reporters folded as scoring.reporters folds them; applications None are all distinct)."""
    from itertools import combinations

    from refaudit.audit.scoring import reporters as reporter_keys

    who = reporter_keys(reports)
    for size in range(len(reports), 0, -1):
        for subset in combinations(reports, size):
            if len({who[f.id] for f in subset}) < size:
                continue
            apps = [f.application for f in subset if f.application]
            if len(set(apps)) == len(apps):
                return size
    return 0


def _count(reg: Registry, ref: str) -> int:
    horizon = AS_OF - timedelta(days=CONF.scoring.negative_horizon_days)
    adverse = [
        f for f in reg.feedback if f.reference == ref and f.sentiment in ("negative", "mixed", "lukewarm")
        and f.reported_on >= horizon and f.reported_on <= AS_OF
    ]  # fmt: skip
    return _independent_count(adverse)


@st.composite
def rumour(draw: Any, reg: Registry) -> Feedback:
    """An adverse report that is not credible: hearsay or inferred, or from a weak source."""
    apps = [a.id for a in reg.applications]
    weak = draw(st.booleans())
    return Feedback(
        id="f99",
        reference=draw(st.sampled_from(REFS)),
        reported_on=AS_OF - timedelta(days=draw(days)),
        sentiment=draw(st.sampled_from(("lukewarm", "mixed", "negative"))),
        application=draw(st.none() | st.sampled_from(apps)) if apps else None,
        source=draw(st.sampled_from(("contact", "other", "reference")))
        if weak
        else draw(st.sampled_from(FEEDBACK_SOURCES)),
        certainty=draw(st.sampled_from(CERTAINTIES)) if weak else draw(st.sampled_from(("hearsay", "inferred"))),
        reporter=draw(reporters),
    )


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_rumour_that_adds_no_independent_voice_never_raises_the_recommendation(data: st.DataObject) -> None:
    """The convergence property of docs/SPEC.md: a non-credible adverse report that does not increase the
    count (it shares a reporter or an application with the others) never raises the recommendation. A
    negative rumour may still make a reference watch on its own (the weak-negative rule), so the added
    rumour is not a new negative within the horizon."""
    reg = data.draw(registries())
    extra = data.draw(rumour(reg))
    after_reg = replace(reg, feedback=[*reg.feedback, extra])
    if _count(after_reg, extra.reference) > _count(reg, extra.reference):
        return
    horizon = AS_OF - timedelta(days=CONF.scoring.negative_horizon_days)
    if extra.sentiment == "negative" and extra.reported_on >= horizon:
        return  # the weak-negative rule, documented in SCORING.md
    assert levels(after_reg)[extra.reference] <= levels(reg)[extra.reference]


# --- claims --------------------------------------------------------------------------------


def _check_claim(claim: Any, verdict: Any, reg: Registry) -> None:
    from refaudit.audit import CLAIM_KINDS, credible
    from refaudit.audit.scoring import EMPLOYER_SIDE, FRIENDLY_SOURCES

    k = CONF.scoring
    horizon = AS_OF - timedelta(days=k.negative_horizon_days)
    reports = {f.id: f for f in reg.feedback}
    apps = {a.id: a for a in reg.applications}
    assert claim.kind in CLAIM_KINDS
    cited = [reports[i] for i in claim.feedback]
    assert all(f.reference == verdict.id and f.reported_on <= AS_OF for f in cited)
    assert all(a in apps for a in claim.applications)
    n = claim.numbers
    kind = claim.kind
    if kind == "risk":
        assert n["risk"] == verdict.risk
    elif kind in ("credible-negative", "newer-credible-word", "negative-outweighed", "weak-negative"):
        first, rest = cited[0], cited[1:]
        assert first.sentiment == "negative" and claim.on == first.reported_on
        assert credible(first, k) == (kind != "weak-negative") or kind == "negative-outweighed"
        assert all(p.sentiment == "positive" and credible(p, k) and p.reported_on > first.reported_on for p in rest)
        if kind == "newer-credible-word":
            assert first.reported_on < horizon and 1 <= len(rest) < max(1, k.forgive_after_positives)
        if kind == "negative-outweighed":
            assert len(rest) >= max(1, k.forgive_after_positives)
        if kind == "credible-negative" and first.reported_on < horizon:
            # "no credible positive report has come since" must be true
            later = [
                p for p in reg.feedback
                if p.reference == verdict.id and p.sentiment == "positive" and credible(p, k)
                and first.reported_on < p.reported_on <= AS_OF and p.source not in FRIENDLY_SOURCES
            ]  # fmt: skip
            assert not later
    elif kind in ("reservations", "reservations-corroborated"):
        faint = cited if kind == "reservations" else cited[: int(n["faint"])]
        assert all(f.sentiment in ("lukewarm", "mixed") and credible(f, k) for f in faint)
    elif kind == "converging":
        matched = cited[: int(n["count"])]
        assert all(f.sentiment in ("lukewarm", "mixed", "negative") and f.reported_on >= horizon for f in matched)
        assert _independent_count(matched) == len(matched) == n["count"]
        assert n["count"] == _count(reg, verdict.id)
        # "on" is the last day the count rose: that day it reached the count, the day before it had not.
        assert claim.on is not None
        upto = [f for f in reg.feedback if f.reported_on <= claim.on]
        before = [f for f in reg.feedback if f.reported_on < claim.on]
        assert _count(replace(reg, feedback=upto), verdict.id) == n["count"]
        assert _count(replace(reg, feedback=before), verdict.id) < n["count"]
    elif kind == "contradicted":
        *friendly, bad = cited
        assert bad.sentiment in ("lukewarm", "mixed", "negative") and bad.source in EMPLOYER_SIDE
        assert credible(bad, k) and friendly
        for f in friendly:
            assert f.sentiment == "positive" and f.source in FRIENDLY_SOURCES
            assert abs((f.reported_on - bad.reported_on).days) <= k.contradiction_days
    elif kind in ("weighed-in-favour", "latest-praise"):
        assert cited and all(f.sentiment == "positive" and credible(f, k) for f in cited)
    elif kind == "unreachable":
        assert all(f.sentiment == "no-response" for f in cited)
        assert sum(f.attempts or 1 for f in cited) == n["attempts"] >= k.unreachable_count
    elif kind in ("policy-limited", "untested-dates-only"):
        assert cited and all(f.sentiment == "declined" for f in cited)
    elif kind == "untested":
        assert not [f for f in reg.feedback if f.reference == verdict.id and f.reported_on <= AS_OF]
    elif kind == "on-record":
        assert credible(cited[0], k) and cited[0].sentiment not in ("positive", "declined")
    elif kind == "rumour":
        assert not credible(cited[0], k) and cited[0].sentiment in ("lukewarm", "mixed", "negative")
        assert cited[0].reported_on >= horizon
        assert n["independent"] in (0, _count(reg, verdict.id))
    elif kind == "fatigued":
        assert cited[0].fatigue and (AS_OF - cited[0].reported_on).days <= k.fatigue_days
    elif kind == "overused":
        mine = [a for a in reg.applications if verdict.id in a.references and a.applied_on <= AS_OF]
        recent = [a for a in mine if (AS_OF - a.applied_on).days < k.overuse_window_days]
        assert n["recent"] == len(recent)
        assert n["recent"] > k.overuse_count or n["live"] >= k.overuse_live
    elif kind == "stale":
        assert claim.on is not None and n["days"] == (AS_OF - claim.on).days > k.stale_days
    elif kind == "late-losses":
        assert 0 <= n["k"] <= n["n"] and 0 <= n["m"] <= n["p"]
        for app_id in claim.applications:
            app = apps[app_id]
            assert verdict.id in app.references and app.outcome in ("rejected", "ghosted")
            assert app.stage in ("reference-check", "offer")
        assert n["late"] == len(claim.applications)
        if "pattern" in verdict.flags:
            assert n["late"] >= k.pattern_min
            assert n["too_little"] or n["probability"] >= k.pattern_confidence
    elif kind == "user-dropped":
        assert "user-dropped" in verdict.flags


@settings(max_examples=200, deadline=None)
@given(registries())
def test_every_claim_holds_in_the_registry(reg: Registry) -> None:
    """Each claim of each verdict states only what the registry holds, kind by kind."""
    for verdict in audit(reg, CONF, AS_OF):
        assert len(verdict.claims) == len(verdict.reasons) + sum(c.kind == "latest-praise" for c in verdict.claims)
        for claim in verdict.claims:
            _check_claim(claim, verdict, reg)


@settings(max_examples=150, deadline=None)
@given(registries(), st.sets(st.sampled_from(REFS)), st.integers(min_value=0, max_value=900))
def test_an_audit_of_a_few_references_says_what_the_whole_audit_says_of_them(
    reg: Registry, only: set[str], days_back: int
) -> None:
    """``audit(..., only=…)`` indexes only what judging those references reads (the track record runs one
    per day a reference was given): each verdict is the whole audit's, reasons and claims included."""
    day = AS_OF - timedelta(days=days_back)
    whole = {v.id: v.to_json() for v in audit(reg, CONF, day)}
    few = audit(reg, CONF, day, only=only)
    assert [v.id for v in few] == [i for i in whole if i in only]
    assert all(v.to_json() == whole[v.id] for v in few)


def test_an_audit_of_a_few_references_agrees_with_the_whole_on_a_long_search() -> None:
    """The same on the benchmarks' typical registry (150 applications, every sentiment, source and
    outcome), as of several days, for references one at a time and in pairs."""
    from benchmarks.generate import BENCH_DAY, build

    reg = build("typical", BENCH_DAY)
    ids = [r.id for r in reg.references]
    for day in (BENCH_DAY - timedelta(days=d) for d in (0, 45, 120, 300)):
        whole = {v.id: v.to_json() for v in audit(reg, CONF, day)}
        for group in [[i] for i in ids] + [ids[i : i + 2] for i in range(0, len(ids), 2)]:
            few = audit(reg, CONF, day, only=group)
            assert {v.id: v.to_json() for v in few} == {i: whole[i] for i in group if i in whole}
