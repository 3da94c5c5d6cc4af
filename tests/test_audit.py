"""The audit's judgement, built from Registry objects in Python with fixed dates."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from refaudit import settings as settings_mod
from refaudit.audit import FLAGS, WATCH_MEANS, Verdict, audit, audit_json, held_back, lineup, weight
from refaudit.errors import ValidationError
from refaudit.model import Application, Briefing, Feedback, Reference, Registry

AS_OF = date(2026, 11, 25)
SCORING_MD = Path(__file__).resolve().parents[1] / "docs" / "SCORING.md"


# --- builders ------------------------------------------------------------------------


def ref(ref_id: str, relationship: str = "colleague", **kw: Any) -> Reference:
    kw.setdefault("added_on", date(2026, 1, 5))
    kw.setdefault("consent_on", date(2026, 9, 1))  # recent contact: not stale unless a test says so
    return Reference(id=ref_id, name=kw.pop("name", ref_id.replace("-", " ").title()), relationship=relationship, **kw)


def report(
    fid: str,
    ref_id: str,
    sentiment: str,
    *,
    source: str = "employer",
    certainty: str = "direct",
    days_ago: int = 10,
    **kw: Any,
) -> Feedback:
    return Feedback(
        id=fid,
        reference=ref_id,
        reported_on=AS_OF - timedelta(days=days_ago),
        sentiment=sentiment,
        source=source,
        certainty=certainty,
        **kw,
    )


def app(app_id: str, refs: list[str], *, days_ago: int = 60, **kw: Any) -> Application:
    kw.setdefault("company", app_id.split("-")[0].title())
    kw.setdefault("role", "Data Analyst")
    return Application(id=app_id, applied_on=AS_OF - timedelta(days=days_ago), references=refs, **kw)


def registry(refs: list[Reference], feedback: list[Feedback] = (), apps: list[Application] = ()) -> Registry:  # type: ignore[assignment]
    return Registry(references=list(refs), feedback=list(feedback), applications=list(apps))


@pytest.fixture(scope="module")
def settings() -> dict[str, Any]:
    return settings_mod.load(None)


def verdict_of(reg: Registry, settings: dict[str, Any], ref_id: str, as_of: date = AS_OF) -> Verdict:
    return next(v for v in audit(reg, settings, as_of) if v.id == ref_id)


# --- the behaviours of the issue ---------------------------------------------------------


@pytest.mark.parametrize("source", ["employer", "recruiter", "reference-service"])
@pytest.mark.parametrize("certainty", ["verbatim", "direct"])
def test_one_credible_negative_means_drop(settings: dict[str, Any], source: str, certainty: str) -> None:
    """One negative report from an employer, recruiter or reference service, verbatim or direct: drop."""
    reg = registry(
        [ref("jane")],
        [report("f1", "jane", "negative", source=source, certainty=certainty, quote="Missed every deadline.")],
    )
    v = verdict_of(reg, settings, "jane")
    assert v.recommendation == "drop"
    assert v.evidence == ["f1"]
    assert '"Missed every deadline." (report f1)' in v.reasons[0]


def test_one_credible_negative_outweighs_earlier_praise(settings: dict[str, Any]) -> None:
    """A recent credible negative means drop even after several positive reports."""
    reg = registry(
        [ref("jane")],
        [report(f"p{i}", "jane", "positive", days_ago=100 + i) for i in range(4)]
        + [report("f9", "jane", "negative", source="recruiter")],
    )
    assert verdict_of(reg, settings, "jane").recommendation == "drop"


def test_only_positive_reports_mean_keep(settings: dict[str, Any]) -> None:
    """Only positive reports mean keep, with the risk below the prior's and the reports as evidence."""
    reg = registry(
        [ref("jane")],
        [report("f1", "jane", "positive"), report("f2", "jane", "positive", source="contact", certainty="hearsay")],
    )
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags, v.evidence) == ("keep", [], ["f1", "f2"])
    assert v.risk < 0.2
    assert "(reports f1, f2)" in v.reasons[0]


def test_no_reports_mean_keep_untested(settings: dict[str, Any]) -> None:
    """No reports mean keep, flagged untested, with a reason saying how to test them."""
    v = verdict_of(registry([ref("jane")]), settings, "jane")
    assert (v.recommendation, v.flags, v.risk, v.evidence_weight) == ("keep", ["untested"], 0.2, 0.0)
    assert "reference-checking service" in v.reasons[0]


@pytest.mark.parametrize(
    ("source", "certainty"),
    [("employer", "hearsay"), ("recruiter", "inferred"), ("contact", "direct"), ("other", "inferred")],
    ids=["employer-hearsay", "recruiter-inferred", "contact-direct", "other-inferred"],
)
def test_a_single_indirect_negative_means_watch(settings: dict[str, Any], source: str, certainty: str) -> None:
    """A single negative that is only hearsay, inferred or from a weak source means watch, not drop."""
    reg = registry([ref("jane")], [report("f1", "jane", "negative", source=source, certainty=certainty)])
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.evidence) == ("watch", ["f1"])
    assert "(report f1)" in v.reasons[0]


@pytest.mark.parametrize("sentiment", ["lukewarm", "mixed"])
def test_one_credible_lukewarm_or_mixed_report_means_watch_with_its_quote(
    settings: dict[str, Any], sentiment: str
) -> None:
    """One credible lukewarm or mixed report means watch the day it is logged, quoted with date and reporter."""
    reg = registry(
        [ref("jane")],
        [report("f1", "jane", sentiment, source="recruiter", reporter="Sam at Hays", quote="Needs a lot of direction.",
                days_ago=0)],
    )  # fmt: skip
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.evidence, v.moved) == ("watch", ["f1"], ["f1"])
    quoted = (
        'Sam at Hays (recruiter, direct) on 2026-11-25: "Needs a lot of direction." (report f1). '
        f"Faint praise or reservations cost offers too. {WATCH_MEANS}"
    )
    assert quoted in v.reasons
    if sentiment == "lukewarm":  # below the watch line by the number: the rule set it
        assert (v.risk, v.rule) == (0.274, "A credible lukewarm or mixed report means at least watch.")
    else:  # mixed weighs enough to reach the watch line on its own
        assert (v.risk, v.rule) == (0.322, None)


def test_a_lukewarm_report_heard_second_hand_is_not_a_rule(settings: dict[str, Any]) -> None:
    """A lukewarm report that is not credible (a contact's hearsay) leaves the number to decide."""
    reg = registry([ref("jane")], [report("f1", "jane", "lukewarm", source="contact", certainty="hearsay")])
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.rule) == ("keep", None)


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ({"source": "recruiter", "reporter": "Kim at Hays"}, "drop"),
        ({"application": "co1-analyst"}, "drop"),
        ({}, "watch"),
    ],
    ids=["another-reporter", "another-application", "same-reporter-same-application"],
)
def test_a_lukewarm_report_corroborated_means_drop(
    settings: dict[str, Any], second: dict[str, Any], expected: str
) -> None:
    """Lukewarm plus another credible adverse report (another application or reporter) means drop."""
    apps = [app("co0-analyst", ["jane"]), app("co1-analyst", ["jane"])]
    first = report("f1", "jane", "lukewarm", application="co0-analyst", days_ago=5)
    kw: dict[str, Any] = {"application": "co0-analyst", **second}
    reg = registry([ref("jane")], [first, report("f2", "jane", "mixed", days_ago=2, **kw)], apps)
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.evidence) == (expected, ["f1", "f2"])
    if expected == "drop":
        assert v.rule == "A credible lukewarm or mixed report, corroborated, means drop."
        assert (
            "corroborated by credible reports from different applications or reporters (reports f1, f2)" in v.reasons[0]
        )


def test_a_lukewarm_report_corroborated_by_the_pattern_means_drop(settings: dict[str, Any]) -> None:
    """Lukewarm plus a pattern of late rejections means drop; the pattern alone means watch."""
    reg = _pattern_registry([None, None, None])
    assert verdict_of(reg, settings, "jane").recommendation == "watch"
    reg.feedback.append(report("f1", "jane", "lukewarm", application="co1-analyst"))
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags) == ("drop", ["pattern"])
    assert "a pattern of late rejections" in v.reasons[0]


def test_credible_neutral_and_single_no_response_reports_are_on_record(settings: dict[str, Any]) -> None:
    """Credible reports that are not positive and change nothing are still quoted in the reasons."""
    reg = registry(
        [ref("jane")],
        [report("f1", "jane", "positive", days_ago=30), report("f2", "jane", "neutral", quote="Worked here 3 years."),
         report("f3", "jane", "no-response", days_ago=1, reporter="Initech HR")],
    )  # fmt: skip
    v = verdict_of(reg, settings, "jane")
    assert v.recommendation == "keep"
    assert v.evidence == ["f1", "f2", "f3"]
    assert v.moved == ["f1", "f2"]
    assert v.reasons[1:] == [
        'The employer (direct) on 2026-11-15: "Worked here 3 years." (report f2): on record; facts without '
        "an opinion, it counts for little either way.",
        "Initech HR (employer, direct) on 2026-11-24: could not reach them (report f3): on record; fewer than 2 "
        "failed attempts so far.",
    ]


def test_two_no_responses_mean_watch_unreachable(settings: dict[str, Any]) -> None:
    """Two no-responses mean watch, flagged unreachable, asking to confirm contact details and availability."""
    reg = registry(
        [ref("jane")], [report("f1", "jane", "no-response"), report("f2", "jane", "no-response", days_ago=3)]
    )
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags, v.evidence) == ("watch", ["unreachable"], ["f1", "f2"])
    assert v.reasons == [
        "The employer (direct) on 2026-11-15: could not reach them (report f1). The employer (direct) on "
        "2026-11-22: could not reach them (report f2). 2 failed attempts to reach them: call them and confirm "
        f"their number, email and availability. {WATCH_MEANS}"
    ]


@pytest.mark.parametrize(("attempts", "expected"), [(None, []), (1, []), (2, ["unreachable"]), (99, ["unreachable"])])
def test_one_report_of_repeated_attempts_makes_them_unreachable(
    settings: dict[str, Any], attempts: int | None, expected: list[str]
) -> None:
    """One no-response report of two or more attempts is enough for unreachable."""
    reg = registry([ref("jane")], [report("f1", "jane", "no-response", attempts=attempts)])
    v = verdict_of(reg, settings, "jane")
    assert v.flags == expected
    if expected:
        assert v.reasons[0].startswith(
            f"The employer (direct) on 2026-11-15: could not reach them after {attempts} attempts (report f1)."
        )


def test_no_responses_before_they_were_reached_do_not_count(settings: dict[str, Any]) -> None:
    """No-responses followed by a report that reached them no longer make them unreachable."""
    reg = registry(
        [ref("jane")],
        [
            report("f1", "jane", "no-response", days_ago=30),
            report("f2", "jane", "no-response", days_ago=20),
            report("f3", "jane", "positive", days_ago=5),
        ],
    )
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags) == ("keep", [])


def test_declined_is_not_held_against_them(settings: dict[str, Any]) -> None:
    """A declined (company policy) report leaves the risk at the prior, keep, flagged policy-limited."""
    reg = registry([ref("jane")], [report("f1", "jane", "declined"), report("f2", "jane", "declined")])
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags, v.risk, v.evidence_weight) == ("keep", ["untested", "policy-limited"], 0.2, 0.0)
    assert v.reasons[0] == (
        "A dates-only answer is company policy, not a test: many people say more when asked. Nobody "
        "knows yet what they say about you; test them with a mock call."
    )
    assert "(reports f1, f2)" in v.reasons[1]
    # Once someone reports what they actually say, they are tested.
    reg.feedback.append(report("f3", "jane", "positive"))
    assert verdict_of(reg, settings, "jane").flags == ["policy-limited"]


def test_old_negative_followed_by_recent_positives_is_forgiven(settings: dict[str, Any]) -> None:
    """A credible negative older than the horizon, then two recent credible positives, is not drop."""
    reg = registry(
        [ref("jane")],
        [
            report("f1", "jane", "negative", certainty="verbatim", days_ago=500),
            report("f2", "jane", "positive", source="recruiter", days_ago=60),
            report("f3", "jane", "positive", days_ago=20),
        ],
    )
    v = verdict_of(reg, settings, "jane")
    assert v.recommendation != "drop"
    assert any(
        "(report f1) is outweighed by 2 credible positive reports since (reports f2, f3)" in r for r in v.reasons
    )


def test_old_negative_without_recent_positives_still_means_drop(settings: dict[str, Any]) -> None:
    """A credible negative older than the horizon that nothing credible has contradicted still means drop."""
    reg = registry(
        [ref("jane")],
        [
            report("f1", "jane", "negative", certainty="verbatim", days_ago=500),
            report("f2", "jane", "positive", source="contact", days_ago=20),
        ],
    )
    v = verdict_of(reg, settings, "jane")
    assert v.recommendation == "drop"
    assert v.reasons[0].endswith(
        "It is older than 365 days, but no credible positive report has come since; one would make it watch, "
        "2 would lift it."
    )


def test_the_newest_credible_word_counts_most(settings: dict[str, Any]) -> None:
    """An old credible negative followed by one newer credible positive is watch, not drop, and says so."""
    reg = registry(
        [ref("jane")],
        [
            report("f1", "jane", "negative", certainty="verbatim", days_ago=500),
            report("f3", "jane", "positive", days_ago=20),
        ],
    )
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.rule) == (
        "watch",
        "An old credible negative followed by a newer credible positive means watch.",
    )
    assert "a newer credible report speaks for them (report f3): the newest credible word counts most" in v.reasons[0]
    assert not any("nothing credible" in r or "no credible positive" in r for r in v.reasons)
    assert [c.to_json()["kind"] for c in v.claims][:1] == ["newer-credible-word"]


def test_recent_negative_is_not_forgiven_by_positives(settings: dict[str, Any]) -> None:
    """A credible negative within the horizon means drop even with two credible positives after it."""
    reg = registry(
        [ref("jane")],
        [
            report("f1", "jane", "negative", days_ago=200),
            report("f2", "jane", "positive", days_ago=60),
            report("f3", "jane", "positive", days_ago=20),
        ],
    )
    assert verdict_of(reg, settings, "jane").recommendation == "drop"


def _pattern_registry(reasons: list[str | None], *, offers: bool = True) -> Registry:
    refs = [ref("jane"), ref("bob"), ref("ann")]
    apps = [
        app(
            f"co{i}-analyst",
            ["jane", "bob"] if i == 0 else ["jane"],
            stage="reference-check",
            outcome="rejected",
            reason=r,
        )
        for i, r in enumerate(reasons)
    ]
    if offers:
        apps.append(app("globex-analyst", ["bob", "ann"], stage="offer", outcome="offer"))
    return registry(refs, apps=apps)


def _with_offers(reg: Registry, count: int) -> Registry:
    """``reg`` with ``count`` more offers given with Bob and Ann (applications without Jane)."""
    for i in range(count):
        reg.applications.append(app(f"offer{i}-analyst", ["bob", "ann"], stage="offer", outcome="offer"))
    return reg


def test_late_rejections_without_reason_make_a_pattern(settings: dict[str, Any]) -> None:
    """Three late rejections with no reason, compared with the others' offers: watch, pattern, with the numbers."""
    v = verdict_of(_with_offers(_pattern_registry([None, None, "We decided not to proceed."]), 1), settings, "jane")
    assert (v.recommendation, v.flags) == ("watch", ["untested", "pattern"])
    assert v.rule == "A pattern of late losses means watch."
    assert v.reasons[0] == (
        "Given on 3 applications that ended at or after the reference check with no cause that lies "
        "elsewhere: Co0 (co0-analyst, rejected), Co1 (co1-analyst, rejected), Co2 (co2-analyst, rejected). "
        "3 of 3 applications that reached the reference check with them ended without an offer, no other cause given; "
        "without them: "
        "0 of 2; the chance that their rate is the higher one is 97%. Ask those employers for a debrief. "
        f"{WATCH_MEANS} The reasons of co2-analyst were guessed from the wording — set --reason-kind to be sure."
    )
    claim = v.claim("late-losses")
    assert claim is not None and dict(claim.numbers) | {"probability": 0} == {
        "k": 3, "n": 3, "m": 0, "p": 2, "probability": 0, "late": 3, "too_little": 0, "guessed": 1, "co_praised": 0,
    }  # fmt: skip
    # Bob was on one of them and on the offers: no pattern for him.
    assert verdict_of(_pattern_registry([None, None, None]), settings, "bob").flags == ["untested"]


def test_a_pattern_needs_a_comparison_that_says_so(settings: dict[str, Any]) -> None:
    """When the others lose as often, no pattern: the common factor may be elsewhere."""
    reg = _pattern_registry([None, None, None])
    for i in range(3):
        reg.applications.append(app(f"lost{i}-analyst", ["bob", "ann"], stage="reference-check", outcome="rejected"))
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags) == ("keep", ["untested"])
    [said] = [r for r in v.reasons if r.startswith("Given on 3 applications")]
    assert "your other references lose as often, so the common factor may be elsewhere" in said


def test_praise_for_a_co_referee_makes_the_loss_count_more(settings: dict[str, Any]) -> None:
    """The employer praised Bob first-hand on Co0: its loss counts twice against Jane, never less."""
    reg = _with_offers(_pattern_registry([None, None, None]), 1)
    reg.feedback.append(report("f1", "bob", "positive", application="co0-analyst"))
    v = verdict_of(reg, settings, "jane")
    claim = v.claim("late-losses")
    assert claim is not None and (claim.numbers["k"], claim.numbers["n"], claim.numbers["co_praised"]) == (4, 4, 1)
    assert "pattern" in v.flags
    assert (
        "(counting 1 application 2 times, where the employer praised the other reference: the loss is likelier "
        "theirs)" in v.reasons[0]
    )


@pytest.mark.parametrize(
    "reason",
    [
        "Went with a candidate with more experience.",
        "Wanted more experience in research.",
        "Wanted more research experience.",
        "The position was eliminated.",
        "A stronger candidate applied.",
        "Not the right culture FIT for the team.",
    ],
    ids=["more-experience", "experience-in-research", "research-experience", "eliminated", "stronger", "fit"],
)
def test_rejections_for_reasons_elsewhere_are_not_held_against_them(settings: dict[str, Any], reason: str) -> None:
    """A rejection whose stated reason lies elsewhere does not count towards a pattern."""
    v = verdict_of(_pattern_registry([None, None, reason]), settings, "jane")
    assert (v.recommendation, v.flags) == ("keep", ["untested"])


def test_a_late_silence_counts_like_a_rejection_without_reason(settings: dict[str, Any]) -> None:
    """Ghosted at or after the reference check counts towards the pattern like a rejection with no reason."""
    reg = _pattern_registry([None, None, None])
    reg.applications[2].outcome = "ghosted"
    v = verdict_of(reg, settings, "jane")
    assert v.flags == ["untested", "pattern"]
    assert "Co2 (co2-analyst, ghosted)" in v.reasons[0]


@pytest.mark.parametrize(
    ("kind", "flags"),
    [("references", ["untested", "pattern"]), ("none-given", ["untested", "pattern"]), ("fit", ["untested"])],
)
def test_a_recorded_reason_kind_decides_over_the_wording(settings: dict[str, Any], kind: str, flags: list[str]) -> None:
    """A recorded reason kind is taken as it is, whatever the reason's words say."""
    reg = _pattern_registry([None, None, "More experience, they said."])
    reg.applications[2].reason_kind = kind
    assert verdict_of(reg, settings, "jane").flags == flags


def test_a_loss_a_credible_adverse_report_explains_is_not_held_against_the_others(settings: dict[str, Any]) -> None:
    """Co0 was given with Jane and Bob; a credible negative about Bob explains its loss: not Jane's."""
    reg = _pattern_registry([None, None, None])
    assert "pattern" in verdict_of(reg, settings, "jane").flags
    reg.feedback.append(report("f1", "bob", "negative", application="co0-analyst"))
    assert verdict_of(reg, settings, "jane").flags == ["untested"]


def test_a_pattern_no_longer_waits_for_an_offer(settings: dict[str, Any]) -> None:
    """Three late losses and nothing to compare them with: a suspected pattern, said to be a suspicion."""
    v = verdict_of(_pattern_registry([None, None, None], offers=False), settings, "jane")
    assert (v.recommendation, v.flags, v.rule) == (
        "watch",
        ["untested", "pattern"],
        "A suspected pattern of late losses means watch.",
    )
    assert (
        "without them: 0 of 0: too little to compare, so this is a suspicion to check, not a finding" in (v.reasons[0])
    )


def test_eliminated_outcome_is_not_a_rejection(settings: dict[str, Any]) -> None:
    """An application that ended eliminated does not count towards a pattern."""
    reg = _pattern_registry([None, None, None])
    reg.applications[2].outcome = "eliminated"
    assert verdict_of(reg, settings, "jane").flags == ["untested"]


def test_overused_is_a_flag_only(settings: dict[str, Any]) -> None:
    """Given more than the configured times within the window flags overused and leaves the recommendation alone."""
    apps = [app(f"co{i}-analyst", ["jane"], days_ago=3 + i) for i in range(4)]
    reg = registry([ref("jane")], [report("f1", "jane", "positive")], apps)
    v = verdict_of(reg, settings, "jane")
    assert (v.recommendation, v.flags, v.uses, v.last_used) == ("keep", ["overused"], 4, AS_OF - timedelta(days=3))
    assert "let them rest" in v.reasons[-1]
    three = registry([ref("jane")], [report("f1", "jane", "positive")], apps[:3])
    assert verdict_of(three, settings, "jane").flags == []


def test_user_dropped_is_shown_beside_the_recommendation(settings: dict[str, Any]) -> None:
    """The user's own status dropped is a flag beside the model's recommendation."""
    reg = registry([ref("jane", status="dropped", status_on=date(2026, 11, 1))], [report("f1", "jane", "positive")])
    v = verdict_of(reg, settings, "jane")
    assert (v.status, v.recommendation, v.flags) == ("dropped", "keep", ["user-dropped"])
    assert v.reasons[-1] == "You marked them dropped on 2026-11-01; on the evidence alone the audit says keep."


def test_stale_after_the_configured_period(settings: dict[str, Any]) -> None:
    """No contact or use for longer than the configured period flags stale."""
    old = ref("jane", consent_on=date(2025, 1, 10))
    v = verdict_of(registry([old]), settings, "jane")
    assert v.flags == ["untested", "stale"]
    assert "No contact or use since 2025-01-10" in v.reasons[-1]
    briefed = app("acme-analyst", ["jane"], days_ago=400, briefed=[Briefing("jane", AS_OF - timedelta(days=30))])
    assert verdict_of(registry([old], apps=[briefed]), settings, "jane").flags == ["untested"]


# --- the rest of the contract ------------------------------------------------------------


def test_as_of_ignores_later_records(settings: dict[str, Any]) -> None:
    """An audit as of a past date ignores later feedback, applications, references and closings."""
    reg = _pattern_registry([None, None, None])
    reg.applications[2].closed_on = date(2026, 11, 20)
    reg.feedback.append(report("f1", "bob", "negative", days_ago=2))
    reg.references.append(ref("late", added_on=date(2026, 11, 24)))
    reg.applications.append(app("late-analyst", ["bob"], days_ago=1))
    now = {v.id: v for v in audit(reg, settings, AS_OF)}
    assert (now["jane"].flags, now["bob"].recommendation, now["bob"].uses) == (["untested", "pattern"], "drop", 3)
    then = {v.id: v for v in audit(reg, settings, date(2026, 11, 19))}
    assert "late" not in then
    assert (then["jane"].flags, then["bob"].recommendation, then["bob"].uses) == (["untested"], "keep", 2)


def test_as_of_before_a_status_change_ignores_it(settings: dict[str, Any]) -> None:
    """A status set after the as-of date is not yet known: the reference counts as active."""
    reg = registry([ref("jane", status="dropped", status_on=date(2026, 11, 20))])
    assert verdict_of(reg, settings, "jane", date(2026, 11, 1)).status == "active"


def test_decay_halves_a_report_every_half_life(settings: dict[str, Any]) -> None:
    """A report's weight halves every half-life: 0.8 today, 0.4 a year ago."""
    assert weight(report("f1", "jane", "positive", days_ago=0), settings, AS_OF) == pytest.approx(0.8)
    assert weight(report("f1", "jane", "positive", days_ago=365), settings, AS_OF) == pytest.approx(0.4)


def test_config_override_changes_a_threshold(settings: dict[str, Any], tmp_path: Path) -> None:
    """Lowering scoring.watch_risk in a config file turns a forgiven old negative into watch."""
    reg = registry(
        [ref("jane")],
        [
            report("f1", "jane", "negative", certainty="verbatim", days_ago=500),
            report("f2", "jane", "positive", source="recruiter", days_ago=400),
            report("f3", "jane", "positive", source="recruiter", days_ago=380),
        ],
    )
    assert verdict_of(reg, settings, "jane").recommendation == "keep"
    path = tmp_path / "config.yaml"
    path.write_text("scoring:\n  watch_risk: 0.2\n", encoding="utf-8")
    v = verdict_of(reg, settings_mod.load(path), "jane")
    assert (v.recommendation, v.evidence) == ("watch", ["f1", "f2", "f3"])
    assert "watch line of 0.20" in v.reasons[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scoring:\n  watch_risk: 1.5\n", "config: scoring.watch_risk must be a number between 0 and 1, not 1.5."),
        (
            "scoring:\n  drop_risk: 0.2\n",
            "config: scoring.drop_risk (0.2) must not be below scoring.watch_risk (0.3).",
        ),
        (
            "scoring:\n  half_life_days: 0\n",
            "config: scoring.half_life_days must be a whole number of at least 1, not 0.",
        ),
        (
            "scoring:\n  sentiment:\n    negative: {hurts: 2}\n",
            "config: scoring.sentiment.negative.hurts must be a number between 0 and 1, not 2.0.",
        ),
        (
            "scoring:\n  converge_watch: 4\n",
            "config: scoring.converge_drop (3) must not be below scoring.converge_watch (4).",
        ),
        (
            "scoring:\n  pattern_confidence: 1.5\n",
            "config: scoring.pattern_confidence must be a number between 0 and 1, not 1.5.",
        ),
        (
            "scoring:\n  co_praised_weight: 0\n",
            "config: scoring.co_praised_weight must be a number at least 1, not 0.",
        ),
        (
            "scoring:\n  overuse_live: 0\n",
            "config: scoring.overuse_live must be a whole number of at least 1, not 0.",
        ),
        (
            "lineup:\n  require: [boss]\n",
            "config: lineup.require must be a list drawn from: manager, colleague, report, client, mentor, "
            "academic, personal, other, not ['boss'].",
        ),
        (
            "lineup:\n  require: [colleague]\n",
            "config: lineup.lead_relationship (manager) must be one of lineup.require (colleague).",
        ),
    ],
    ids=[
        "watch-above-1",
        "drop-below-watch",
        "half-life-0",
        "share-above-1",
        "converge-watch-above-drop",
        "confidence-above-1",
        "co-praised-below-1",
        "overuse-live-0",
        "require-unknown",
        "lead-not-required",
    ],
)
def test_config_values_out_of_range_are_refused(tmp_path: Path, text: str, message: str) -> None:
    """A well-typed but senseless setting is refused, naming the key."""
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        audit(registry([ref("jane")]), settings_mod.load(path), AS_OF)
    assert str(exc.value) == message


def test_every_reason_about_reports_names_them(settings: dict[str, Any]) -> None:
    """Every id in a verdict's evidence is named in its reasons as "(report …)" or "(reports …, …)"."""
    reg = registry(
        [ref("a"), ref("b"), ref("c"), ref("d")],
        [
            report("f1", "a", "negative", source="recruiter", quote="Unreliable."),
            report("f2", "b", "mixed", certainty="verbatim"),
            report("f3", "b", "mixed", certainty="verbatim"),
            report("f4", "c", "positive"),
            report("f5", "d", "negative", source="contact"),
        ],
    )
    for v in audit(reg, settings, AS_OF):
        assert v.evidence, v
        cited = {i for r in v.reasons for m in re.findall(r"\(reports? ([^)]*)\)", r) for i in m.split(", ")}
        assert set(v.evidence) <= cited, v


def test_ordering_is_drop_watch_keep_then_risk_then_name(settings: dict[str, Any]) -> None:
    """Verdicts come drop first, then watch, then keep; within each, highest risk first, then by name."""
    reg = registry(
        [ref("zed"), ref("amy"), ref("bea"), ref("cal"), ref("dan"), ref("eve")],
        [
            report("f1", "eve", "negative"),
            report("f2", "cal", "negative", source="contact"),
            report("f3", "dan", "positive"),
            report("f4", "bea", "mixed", certainty="verbatim"),
        ],
    )
    got = [(v.id, v.recommendation) for v in audit(reg, settings, AS_OF)]
    assert got == [
        ("eve", "drop"),
        ("bea", "watch"),
        ("cal", "watch"),
        ("amy", "keep"),
        ("zed", "keep"),
        ("dan", "keep"),
    ]


def test_json_has_exactly_the_keys_of_spec(settings: dict[str, Any]) -> None:
    """audit_json gives as_of and one object per reference with docs/SPEC.md's keys, dates as ISO text."""
    reg = registry([ref("jane")], [report("f1", "jane", "positive")], [app("acme-analyst", ["jane"])])
    data = audit_json(audit(reg, settings, AS_OF), AS_OF)
    assert data == {
        "as_of": "2026-11-25",
        "references": [
            {
                "id": "jane",
                "name": "Jane",
                "status": "active",
                "recommendation": "keep",
                "risk": 0.152,
                "evidence_weight": 0.78,
                "flags": [],
                "reasons": [
                    "1 report in their favour (report f1): risk 0.15 is below the watch line of 0.30. Most "
                    "recently, the employer (direct) on 2026-11-15 reported a positive reference (report f1)."
                ],
                "evidence": ["f1"],
                "moved": ["f1"],
                "rule": None,
                "claims": [
                    {"kind": "risk", "feedback": ["f1"], "applications": [], "on": None, "numbers": {"risk": 0.152}},
                    {
                        "kind": "latest-praise",
                        "feedback": ["f1"],
                        "applications": [],
                        "on": "2026-11-15",
                        "numbers": {},
                    },
                ],
                "uses": 1,
                "last_used": "2026-09-26",
            }
        ],
    }


def test_flags_come_in_a_stable_order(settings: dict[str, Any]) -> None:
    """Flags are always listed in the order of FLAGS, whatever order they were found in."""
    apps = [app(f"co{i}-analyst", ["jane"], days_ago=1 + i) for i in range(5)]
    reg = registry(
        [ref("jane", status="dropped")],
        [report("f1", "jane", "declined"), report("f2", "jane", "no-response"), report("f3", "jane", "no-response")],
        apps,
    )
    flags = verdict_of(reg, settings, "jane").flags
    assert flags == ["overused", "unreachable", "policy-limited", "user-dropped"]
    assert flags == [f for f in FLAGS if f in flags]


# --- lineup --------------------------------------------------------------------------------


def _lineup_registry() -> Registry:
    refs = [
        ref("col-a", "colleague", organization="Acme"),
        ref("col-b", "colleague"),
        ref("boss", "manager", organization="Initech"),
        ref("client", "client"),
        ref("bad", "manager"),
        ref("tired", "mentor"),
        ref("resting", "report", status="resting"),
        ref("gone", "academic", status="dropped"),
    ]
    feedback = [
        report("f1", "col-a", "positive", certainty="verbatim"),
        report("f2", "col-a", "positive"),
        report("f3", "col-b", "positive", certainty="verbatim"),
        report("f4", "boss", "positive"),
        report("f5", "bad", "negative"),
        report("f6", "tired", "positive", certainty="verbatim"),
        report("f7", "tired", "positive", certainty="verbatim"),
        report("f8", "resting", "positive", certainty="verbatim"),
        report("f9", "gone", "positive", certainty="verbatim"),
    ]
    apps = [app(f"co{i}-analyst", ["tired"], days_ago=2 + i) for i in range(4)]
    return registry(refs, feedback, apps)


def test_lineup_leads_with_the_best_credible_word_then_varies_relationships(settings: dict[str, Any]) -> None:
    """The lineup proposes keep, active, not overused references: the best credible praise first, then variety."""
    reg = _lineup_registry()
    picks = lineup(reg, audit(reg, settings, AS_OF), settings, as_of=AS_OF)
    assert [(p.id, p.relationship) for p in picks] == [
        ("col-a", "colleague"),
        ("boss", "manager"),
        ("client", "client"),
    ]
    assert picks[0].reason == ("Their credible reports speak best for you; keep, risk 0.12 (reports f1, f2).")
    assert "Employers want to hear from a manager" in picks[1].reason  # lineup.require: [manager]
    assert "Untested" in picks[2].reason


def test_lineup_falls_back_to_a_manager_without_credible_praise(settings: dict[str, Any]) -> None:
    """With no credible positive report anywhere, a manager leads."""
    reg = registry([ref("col", "colleague"), ref("boss", "manager", organization="Initech")])
    picks = lineup(reg, audit(reg, settings, AS_OF), settings, as_of=AS_OF)
    assert [p.id for p in picks] == ["boss", "col"]
    assert picks[0].reason.startswith("A manager carries the most weight with employers")


def test_a_policy_limited_reference_never_leads_and_is_held_back_alone(settings: dict[str, Any]) -> None:
    """A dates-only reference is never first: alone, it is held back, and the lineup says why."""
    reg = registry(
        [ref("dates", "manager"), ref("col", "colleague")],
        [report("f1", "dates", "declined"), report("f2", "dates", "positive", certainty="verbatim"),
         report("f3", "col", "lukewarm")],
    )  # fmt: skip
    verdicts = audit(reg, settings, AS_OF)
    assert lineup(reg, verdicts, settings, as_of=AS_OF) == []
    held = held_back(reg, verdicts, settings, as_of=AS_OF)
    assert [(p.id, p.reason.split(":")[0]) for p in held] == [
        ("col", "The audit says watch"),
        ("dates", "Only confirms dates by company policy"),
    ]
    reg.references.append(ref("peer", "colleague"))
    verdicts = audit(reg, settings, AS_OF)
    assert [p.id for p in lineup(reg, verdicts, settings, as_of=AS_OF)] == ["peer", "dates"]


def test_a_watched_reference_is_held_back_with_what_to_do(settings: dict[str, Any]) -> None:
    """Held back on watch: the rule, its report, and the one thing to do (reach them, or watch's advice)."""
    reg = registry(
        [ref("far", "manager"), ref("warm", "colleague")],
        [report("f1", "far", "no-response", attempts=3), report("f2", "warm", "lukewarm")],
    )
    held = held_back(reg, audit(reg, settings, AS_OF), settings, as_of=AS_OF)
    assert [(p.id, p.reason) for p in held] == [
        ("warm", "The audit says watch: A credible lukewarm or mixed report means at least watch (report f2). "
                 f"{WATCH_MEANS}"),
        ("far", "The audit says watch: Repeated failed attempts to reach them mean watch (report f1). "
                "Call them first and confirm their number, email and availability."),
    ]  # fmt: skip


def test_lineup_size_and_exclusions(settings: dict[str, Any]) -> None:
    """A larger lineup repeats relationships last, and never holds drop, overused, resting or dropped."""
    reg = _lineup_registry()
    picks = lineup(reg, audit(reg, settings, AS_OF), settings, size=10, as_of=AS_OF)
    assert [p.id for p in picks] == ["col-a", "boss", "client", "col-b"]


def test_lineup_refuses_a_size_below_one(settings: dict[str, Any]) -> None:
    """A lineup of zero references is refused."""
    reg = _lineup_registry()
    with pytest.raises(ValidationError, match="at least 1"):
        lineup(reg, audit(reg, settings, AS_OF), settings, size=0)


# --- docs/SCORING.md ---------------------------------------------------------------------


def _doc_block(marker: str) -> str:
    text = SCORING_MD.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", text, re.S)
    assert match, f"docs/SCORING.md has no block marked <!-- {marker} -->"
    return match.group(1)


def test_scoring_md_worked_example_matches_the_tool(settings: dict[str, Any]) -> None:
    """The worked example's registry, as_of and JSON output in docs/SCORING.md are what audit() gives."""
    plain = yaml.safe_load(_doc_block("worked-example-registry"))
    reg = registry(
        [Reference(**r) for r in plain["references"]],
        [Feedback(**f) for f in plain["feedback"]],
        [Application(**a) for a in plain.get("applications", [])],
    )
    expected = yaml.safe_load(_doc_block("worked-example-output"))
    as_of = date.fromisoformat(expected["as_of"])
    assert audit_json(audit(reg, settings, as_of), as_of) == expected


def test_scoring_md_weights_table_matches_the_tool(settings: dict[str, Any]) -> None:
    """Each row of the worked example's table gives the weight, hurts and helps that the tool computes."""
    plain = yaml.safe_load(_doc_block("worked-example-registry"))
    as_of = date.fromisoformat(yaml.safe_load(_doc_block("worked-example-output"))["as_of"])
    reports = {f["id"]: Feedback(**f) for f in plain["feedback"]}
    rows = re.findall(
        r"^\| (f\d+) \|.*\| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", SCORING_MD.read_text(encoding="utf-8"), re.M
    )
    assert sorted(fid for fid, *_ in rows) == sorted(reports)
    shares = settings["scoring"]["sentiment"]
    for fid, w, hurts, helps in rows:
        f = reports[fid]
        got = weight(f, settings, as_of)
        assert f"{got:.3f}" == w, fid
        assert f"{got * shares[f.sentiment]['hurts']:.3f}" == hurts, fid
        assert f"{got * shares[f.sentiment]['helps']:.3f}" == helps, fid
    text = SCORING_MD.read_text(encoding="utf-8")
    scoring = settings["scoring"]
    totals = {
        side: scoring[f"prior_{side}"]
        + sum(weight(f, settings, as_of) * shares[f.sentiment][side] for f in reports.values())
        for side in ("hurts", "helps")
    }
    for side, total in totals.items():
        match = re.search(rf"^\* {side} = .* = \*\*([\d.]+)\*\*$", text, re.M)
        assert match and match.group(1) == f"{total:.3f}", side


def test_scoring_md_states_the_shipped_weights(settings: dict[str, Any]) -> None:
    """The source-weight table in docs/SCORING.md gives the shipped config's values."""
    text = SCORING_MD.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([a-z-]+) \| (\d\.\d+) \|", text, re.M))
    for source, value in settings["scoring"]["source_weight"].items():
        assert float(rows[source]) == value, source


def test_a_rule_agreeing_with_the_number_puts_the_report_s_words_first(settings: dict[str, Any]) -> None:
    """A credible mixed report lifts the risk past the watch line: the quote, date and reporter come first,
    the number after it, and watch's advice is said once."""
    reg = registry(
        [ref("grace")],
        [report("f1", "grace", "mixed", source="recruiter", reporter="Priya at Hays", quote="was hesitant")],
    )
    v = verdict_of(reg, settings, "grace")
    assert (v.recommendation, v.risk >= 0.30, v.rule) == ("watch", True, None)
    assert v.reasons == [
        f'Priya at Hays (recruiter, direct) on 2026-11-15: "was hesitant" (report f1). Faint praise or reservations '
        f"cost offers too. {WATCH_MEANS}",
        f"The reports against them (report f1) put the risk at {v.risk:.2f}, at or above the watch line of 0.30.",
    ]
    assert (v.evidence, v.moved) == (["f1"], ["f1"])


def test_the_track_record_with_keeps_only_says_so_plainly(settings: dict[str, Any]) -> None:
    """No application given with a reference on watch or drop: the summary says none, not "of 0"."""
    from refaudit.audit.track import track_record

    reg = registry([ref("jane")], apps=[app("acme-analyst", ["jane"], stage="offer", outcome="offer")])
    record = track_record(reg, settings, AS_OF)
    assert [(e.id, [(g.reference, g.recommendation) for g in e.given], e.outcome) for e in record.applications] == [
        ("acme-analyst", [("jane", "keep")], "offer")
    ]
    assert record.summary() == (
        "No application was given with a reference then on watch or drop; of 1 application with keeps only, 1 offer."
    )
