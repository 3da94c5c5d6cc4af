"""The audit: what the evidence says about each reference, as of a given day.

Pure functions of ``(registry, settings, as_of)``: no I/O, no clock. The model is
explained for users in ``docs/SCORING.md``; in short:

1. Every report is evidence with a weight: source weight x certainty weight x
   ``0.5 ** (age / half_life)``. Its sentiment splits that weight between "hurts" and
   "helps" (a Beta-Bernoulli update with fractional observations).
2. A prior leaning towards trust is added, and ``risk = hurts / (hurts + helps)``.
   The risk sets the recommendation against two thresholds (watch, drop).
3. Rules the number alone cannot express raise that recommendation, never lower it:
   one credible negative report means drop; hearsay negatives, repeated lukewarm
   reports, repeated no-responses and a pattern of late rejections mean watch.
4. Flags say what else to do: untested, overused, stale, unreachable, policy-limited,
   pattern, user-dropped.

Work is linear in the registry's size: feedback and applications are indexed by
reference once, then each reference looks only at its own records.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from refaudit.errors import ValidationError
from refaudit.model import (
    CERTAINTIES,
    OFFER_OUTCOMES,
    SENTIMENTS,
    SOURCES,
    Application,
    Feedback,
    Reference,
    Registry,
    fold,
)
from refaudit.settings import Settings

RECOMMENDATIONS = ("keep", "watch", "drop")
FLAGS = (
    "untested",
    "overused",
    "stale",
    "unreachable",
    "policy-limited",
    "pattern",
    "user-dropped",
)

_LEVEL = {rec: i for i, rec in enumerate(RECOMMENDATIONS)}
# Sentiments that show the employer reached the reference (ends a run of no-responses).
_REACHED = ("positive", "neutral", "lukewarm", "mixed", "negative", "declined")
_LATE_STAGES = ("reference-check", "offer")


@dataclass(frozen=True)
class Verdict:
    """The audit's judgement of one reference."""

    id: str
    name: str
    status: str
    recommendation: str
    risk: float
    evidence_weight: float
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # every report the reasons cite
    uses: int = 0
    last_used: date | None = None
    # The reports that moved the recommendation (the report's ◆); a subset of ``evidence``.
    moved: list[str] = field(default_factory=list)
    # When a rule rather than the risk number set the recommendation: that rule, in words.
    rule: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "recommendation": self.recommendation,
            "risk": self.risk,
            "evidence_weight": self.evidence_weight,
            "flags": list(self.flags),
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "uses": self.uses,
            "last_used": self.last_used.isoformat() if self.last_used else None,
        }


@dataclass(frozen=True)
class Pick:
    """One reference proposed for the next application, and why."""

    id: str
    name: str
    relationship: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "relationship": self.relationship,
            "reason": self.reason,
        }


# --- settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Knobs:
    """``settings["scoring"]`` checked for sense (settings.py has checked names and types)."""

    prior_helps: float
    prior_hurts: float
    source_weight: Mapping[str, float]
    certainty_weight: Mapping[str, float]
    hurts: Mapping[str, float]
    helps: Mapping[str, float]
    half_life_days: int
    watch_risk: float
    drop_risk: float
    credible_weight: float
    negative_horizon_days: int
    forgive_after_positives: int
    lukewarm_count: int
    unreachable_count: int
    pattern_min: int
    overuse_count: int
    overuse_window_days: int
    stale_days: int
    not_their_fault: tuple[str, ...]


def _bad(key: str, value: Any, wanted: str) -> ValidationError:
    return ValidationError(f"config: {key} must be {wanted}, not {value!r}.")


def _number(section: Mapping[str, Any], key: str, where: str, *, low: float, high: float | None = None) -> float:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(f"{where}.{key}", value, "a number")
    if value < low or (high is not None and value > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise _bad(f"{where}.{key}", value, f"a number {span}")
    return float(value)


def _whole(section: Mapping[str, Any], key: str, where: str, *, low: int) -> int:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _bad(f"{where}.{key}", value, f"a whole number of at least {low}")
    return value


def _knobs(settings: Settings) -> _Knobs:
    s = settings["scoring"]
    w = "scoring"
    share: dict[str, dict[str, float]] = {"hurts": {}, "helps": {}}
    for sentiment in SENTIMENTS:
        for side in share:
            share[side][sentiment] = _number(
                s["sentiment"][sentiment], side, f"{w}.sentiment.{sentiment}", low=0, high=1
            )
    watch = _number(s, "watch_risk", w, low=0, high=1)
    drop = _number(s, "drop_risk", w, low=0, high=1)
    if drop < watch:
        raise ValidationError(f"config: scoring.drop_risk ({drop:g}) must not be below scoring.watch_risk ({watch:g}).")
    phrases = s["not_their_fault"]
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise _bad(f"{w}.not_their_fault", phrases, "a list of phrases")
    prior_helps = _number(s, "prior_helps", w, low=0)
    prior_hurts = _number(s, "prior_hurts", w, low=0)
    if prior_helps + prior_hurts <= 0:
        raise ValidationError("config: scoring.prior_helps and scoring.prior_hurts must not both be 0.")
    return _Knobs(
        prior_helps=prior_helps,
        prior_hurts=prior_hurts,
        source_weight={k: _number(s["source_weight"], k, f"{w}.source_weight", low=0) for k in SOURCES},
        certainty_weight={k: _number(s["certainty_weight"], k, f"{w}.certainty_weight", low=0) for k in CERTAINTIES},
        hurts=share["hurts"],
        helps=share["helps"],
        half_life_days=_whole(s, "half_life_days", w, low=1),
        watch_risk=watch,
        drop_risk=drop,
        credible_weight=_number(s, "credible_weight", w, low=0),
        negative_horizon_days=_whole(s, "negative_horizon_days", w, low=0),
        forgive_after_positives=_whole(s, "forgive_after_positives", w, low=0),
        lukewarm_count=_whole(s, "lukewarm_count", w, low=1),
        unreachable_count=_whole(s, "unreachable_count", w, low=1),
        pattern_min=_whole(s, "pattern_min", w, low=1),
        overuse_count=_whole(s, "overuse_count", w, low=0),
        overuse_window_days=_whole(s, "overuse_window_days", w, low=1),
        stale_days=_whole(s, "stale_days", w, low=1),
        not_their_fault=tuple(fold(p.strip()) for p in phrases),
    )


# --- weighing single reports ---------------------------------------------------------


def weight(report: Feedback, settings: Settings, as_of: date) -> float:
    """The report's weight on ``as_of``: base weight halved every ``half_life_days``."""
    return _weight(report, _knobs(settings), as_of)


def _base(report: Feedback, k: _Knobs) -> float:
    return k.source_weight[report.source] * k.certainty_weight[report.certainty]


def _weight(report: Feedback, k: _Knobs, as_of: date) -> float:
    age = max(0, (as_of - report.reported_on).days)
    decay: float = 0.5 ** (age / k.half_life_days)
    return _base(report, k) * decay


def _credible(report: Feedback, k: _Knobs) -> bool:
    # A hair of tolerance so that 0.8 x 0.8 reaches a threshold written as 0.64.
    return _base(report, k) >= k.credible_weight - 1e-9


# --- the audit -----------------------------------------------------------------------


@dataclass
class _Context:
    """What every reference's judgement needs, computed once per audit."""

    k: _Knobs
    as_of: date
    feedback: dict[str, list[Feedback]]
    applications: dict[str, list[Application]]
    apps_by_id: dict[str, Application]
    offer_refs: set[str]
    last_briefed: dict[str, date]  # reference id -> latest briefing on or before as_of


def audit(registry: Registry, settings: Settings, as_of: date) -> list[Verdict]:
    """One verdict per reference known on ``as_of``: drop, watch, keep; then risk, name.

    Records dated after ``as_of`` are ignored, so an old audit can be reproduced; an
    application closed after ``as_of`` counts as still pending.
    """
    k = _knobs(settings)
    apps = [_as_of_app(a, as_of) for a in registry.applications if a.applied_on <= as_of]
    feedback: dict[str, list[Feedback]] = defaultdict(list)
    for f in registry.feedback:
        if f.reported_on <= as_of:
            feedback[f.reference].append(f)
    for reports in feedback.values():
        reports.sort(key=lambda f: f.reported_on)  # stable: same-day reports keep registry order
    by_ref: dict[str, list[Application]] = defaultdict(list)
    offer_refs: set[str] = set()
    last_briefed: dict[str, date] = {}
    for app in apps:
        for ref_id in dict.fromkeys(app.references):
            by_ref[ref_id].append(app)
        if app.outcome in OFFER_OUTCOMES:
            offer_refs.update(app.references)
        for b in app.briefed:
            if b.on <= as_of and b.on > last_briefed.get(b.reference, date.min):
                last_briefed[b.reference] = b.on
    ctx = _Context(k, as_of, feedback, by_ref, {a.id: a for a in apps}, offer_refs, last_briefed)
    # A reference typed in later but with reports or applications on or before as_of was
    # back-filled: it belongs in that day's audit. One with nothing by then does not.
    known = [
        ref
        for ref in registry.references
        if ref.added_on is None or ref.added_on <= as_of or ref.id in feedback or ref.id in by_ref
    ]
    verdicts = [_judge(ref, ctx) for ref in known]
    verdicts.sort(key=lambda v: (-_LEVEL[v.recommendation], -v.risk, fold(v.name), v.id))
    return verdicts


def audit_json(verdicts: Iterable[Verdict], as_of: date) -> dict[str, Any]:
    """The ``audit --json`` document of SPEC."""
    return {"as_of": as_of.isoformat(), "references": [v.to_json() for v in verdicts]}


def _as_of_app(app: Application, as_of: date) -> Application:
    """The application as known on ``as_of``: an outcome recorded later is not known yet."""
    if app.closed_on is not None and app.closed_on > as_of and app.outcome != "pending":
        return replace(app, outcome="pending", closed_on=None)
    return app


@dataclass(frozen=True)
class _Finding:
    """One sentence of a verdict: the level it raises the recommendation to (``""``: none),
    the flag it sets if any, and the reports it rests on."""

    level: str
    text: str
    ids: tuple[str, ...] = ()
    flag: str | None = None


def _judge(ref: Reference, ctx: _Context) -> Verdict:
    k, as_of = ctx.k, ctx.as_of
    reports = ctx.feedback.get(ref.id, [])
    apps = ctx.applications.get(ref.id, [])
    status = ref.status if ref.status_on is None or ref.status_on <= as_of else "active"

    # The number: a Beta posterior mean with fractional, ageing observations.
    # A report is adverse when it pushes the risk above the prior's, favourable when below.
    hurts, helps, total = k.prior_hurts, k.prior_helps, 0.0
    prior = k.prior_hurts / (k.prior_hurts + k.prior_helps)
    adverse: list[str] = []
    favourable: list[str] = []
    for f in reports:
        w = _weight(f, k, as_of)
        h, g = w * k.hurts[f.sentiment], w * k.helps[f.sentiment]
        hurts, helps, total = hurts + h, helps + g, total + h + g
        if h + g > 0:
            (adverse if h > prior * (h + g) else favourable).append(f.id)
    risk = round(hurts / (hurts + helps), 3)
    number_level = "drop" if risk >= k.drop_risk else "watch" if risk >= k.watch_risk else "keep"

    uses = len(apps)
    last_used = max((a.applied_on for a in apps), default=None)
    findings = _rules(reports, ctx)
    if not reports:
        findings.append(
            _Finding(
                "",
                "No reports yet, so nobody knows what they say about you: test them with a "
                "reference-checking service (or a friend calling as a mock employer) "
                "before you rely on them.",
                flag="untested",
            )
        )
    for extra in (
        _overused(apps, ctx),
        _stale(ref, reports, apps, last_used, ctx),
        _pattern(ref, apps, reports, ctx),
    ):
        if extra:
            findings.append(extra)
    recommendation = max([number_level, *(f.level for f in findings if f.level)], key=_LEVEL.__getitem__)
    if status == "dropped":
        when = f" on {ref.status_on.isoformat()}" if ref.status_on else ""
        text = f"You marked them dropped{when}; on the evidence alone the audit says {recommendation}."
        findings.append(_Finding("", text, flag="user-dropped"))

    # Reasons: what decided the recommendation first, then what else to do, flag by flag.
    deciding: list[_Finding] = []
    if number_level == recommendation and total > 0:
        deciding.append(_number_finding(number_level, risk, adverse, favourable, k))
    flagged = sorted((f for f in findings if f.flag), key=lambda f: FLAGS.index(f.flag or ""))
    deciding += [f for f in findings if f.flag is None and f.level in (recommendation, "")]
    deciding += [f for f in flagged if f.level == recommendation]
    evidence: list[str] = []
    for finding in deciding:
        evidence.extend(i for i in finding.ids if i not in evidence)
    return Verdict(
        id=ref.id,
        name=ref.name,
        status=status,
        recommendation=recommendation,
        risk=risk,
        evidence_weight=round(total, 2),
        flags=[f.flag for f in flagged if f.flag],
        reasons=[f.text for f in [*deciding, *(f for f in flagged if f not in deciding)]],
        evidence=evidence,
        uses=uses,
        last_used=last_used,
    )


def _cite(ids: Sequence[str]) -> str:
    return f"(report {ids[0]})" if len(ids) == 1 else f"(reports {', '.join(ids)})"


_WHO = {
    "employer": "The employer",
    "recruiter": "A recruiter",
    "reference-service": "A reference-checking service",
    "reference": "The reference themselves",
    "contact": "A contact",
    "other": "Someone",
}


def _describe(f: Feedback, ctx: _Context) -> str:
    """``Sam at Hays (recruiter, direct) on 2026-10-20, about Acme Corp``."""
    who = f"{f.reporter} ({f.source}, {f.certainty})" if f.reporter else f"{_WHO[f.source]} ({f.certainty})"
    about = ""
    if f.application and f.application in ctx.apps_by_id:
        about = f", about {ctx.apps_by_id[f.application].company}"
    return f"{who} on {f.reported_on.isoformat()}{about}"


def _said(f: Feedback, ctx: _Context) -> str:
    if f.quote:
        return f'{_describe(f, ctx)}: "{f.quote}"'
    return f"{_describe(f, ctx)} reported a {f.sentiment} reference"


def _number_finding(level: str, risk: float, adverse: list[str], favourable: list[str], k: _Knobs) -> _Finding:
    if level == "keep":
        if favourable:
            n = len(favourable)
            text = f"{n} report{'s' if n > 1 else ''} in their favour {_cite(favourable)}"
            if adverse:
                text += f" outweigh{'s' if n == 1 else ''} the adverse {_cite(adverse)[1:-1]}"
            text += f": risk {risk:.2f} is below the watch line of {k.watch_risk:.2f}."
            return _Finding("keep", text, tuple(favourable))
        return _Finding(
            "keep",
            f"The reports so far {_cite(adverse)} leave the risk at {risk:.2f}, below the watch "
            f"line of {k.watch_risk:.2f}: keep them, and listen for more.",
        )
    line, action = (
        ("drop line", "stop giving them")
        if level == "drop"
        else (
            "watch line",
            "ask the next employer, or a reference-checking service, what they actually say",
        )
    )
    threshold = k.drop_risk if level == "drop" else k.watch_risk
    return _Finding(
        level,
        f"The reports against them {_cite(adverse)} put the risk at {risk:.2f}, at or above "
        f"the {line} of {threshold:.2f}: {action}.",
        tuple(adverse),
    )


def _rules(reports: list[Feedback], ctx: _Context) -> list[_Finding]:
    """What the reports say beyond the number: negatives, lukewarm runs, no-responses, policy."""
    k, as_of = ctx.k, ctx.as_of
    horizon = as_of - timedelta(days=k.negative_horizon_days)
    findings: list[_Finding] = []
    credible_positives = [f for f in reports if f.sentiment == "positive" and _credible(f, k)]

    def forgiving(negative: Feedback) -> list[str]:
        """Credible positives since ``negative``, within the horizon, if enough to forgive it."""
        since = [f.id for f in credible_positives if f.reported_on > negative.reported_on and f.reported_on >= horizon]
        return since if len(since) >= max(1, k.forgive_after_positives) else []

    for f in reports:
        if f.sentiment != "negative":
            continue
        credible = _credible(f, k)
        old = f.reported_on < horizon
        since = forgiving(f)
        if since and (old or not credible):
            findings.append(
                _Finding(
                    "",
                    f"The negative report of {f.reported_on.isoformat()} {_cite([f.id])} is "
                    f"outweighed by {len(since)} credible positive reports since {_cite(since)}"
                    + (f" and is older than {k.negative_horizon_days} days." if old else "."),
                    tuple(since),
                )
            )
        elif credible:
            tail = (
                f" It is older than {k.negative_horizon_days} days, but nothing credible has "
                f"contradicted it since; {k.forgive_after_positives} credible positive reports "
                "would."
                if old
                else ""
            )
            findings.append(
                _Finding(
                    "drop",
                    f"{_said(f, ctx)} {_cite([f.id])}. One credible negative is enough to cost "
                    f"you an offer: stop giving them.{tail}",
                    (f.id,),
                )
            )
        elif not old:
            findings.append(
                _Finding(
                    "watch",
                    f"{_said(f, ctx)} {_cite([f.id])}. That is too indirect to drop them on: "
                    "find out what they really say "
                    "(a reference-checking service can).",
                    (f.id,),
                )
            )

    lukewarm = [f.id for f in reports if f.sentiment == "lukewarm" and _credible(f, k) and f.reported_on >= horizon]
    if len(lukewarm) >= k.lukewarm_count:
        findings.append(
            _Finding(
                "watch",
                f"{len(lukewarm)} credible reports call them lukewarm {_cite(lukewarm)}: faint "
                "praise costs offers too. Brief them on the role before the next call, "
                "or give someone else.",
                tuple(lukewarm),
            )
        )

    silent: list[str] = []
    for f in reports:
        if f.sentiment in _REACHED:
            silent = []
        elif f.sentiment == "no-response" and f.reported_on >= horizon:
            silent.append(f.id)
    if len(silent) >= k.unreachable_count:
        findings.append(
            _Finding(
                "watch",
                f"Employers could not reach them {len(silent)} times {_cite(silent)}: confirm "
                "their contact details and availability before you give them again.",
                tuple(silent),
                flag="unreachable",
            )
        )

    declined = [f.id for f in reports if f.sentiment == "declined"]
    if declined:
        findings.append(
            _Finding(
                "",
                f"Their employer's policy lets them confirm dates only {_cite(declined)}: not "
                "held against them, but it tells an employer little, so pair them with someone "
                "who can speak freely.",
                tuple(declined),
                flag="policy-limited",
            )
        )
    return findings


def _overused(apps: list[Application], ctx: _Context) -> _Finding | None:
    k = ctx.k
    since = ctx.as_of - timedelta(days=k.overuse_window_days)
    recent = [a.id for a in apps if a.applied_on > since]
    if len(recent) <= k.overuse_count:
        return None
    return _Finding(
        "",
        f"Given on {len(recent)} applications in the last {k.overuse_window_days} days "
        f"({', '.join(recent)}): let them rest; more than {k.overuse_count} calls in "
        f"{k.overuse_window_days} days wears out goodwill.",
        flag="overused",
    )


def _stale(
    ref: Reference,
    reports: list[Feedback],
    apps: list[Application],
    last_used: date | None,
    ctx: _Context,
) -> _Finding | None:
    as_of = ctx.as_of
    touches = [d for d in (ref.consent_on, last_used, ctx.last_briefed.get(ref.id)) if d is not None and d <= as_of]
    touches += [f.reported_on for f in reports if f.source == "reference"]
    last = max(touches, default=None)
    since = last or ref.added_on
    if since is None or (as_of - since).days <= ctx.k.stale_days:
        return None
    what = f"since {last.isoformat()}" if last else f"since you added them on {since.isoformat()}"
    return _Finding(
        "",
        f"No contact or use {what} ({(as_of - since).days} days): get back in touch and "
        "confirm they still agree to speak for you.",
        flag="stale",
    )


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    """``fold`` once per distinct reason: each is checked for every reference given on it."""
    return fold(text)


def _pattern(ref: Reference, apps: list[Application], reports: list[Feedback], ctx: _Context) -> _Finding | None:
    k = ctx.k
    if not (ctx.offer_refs - {ref.id}):
        return None  # no offer with someone else's references: the common factor may be you
    praised = {f.application for f in reports if f.sentiment == "positive" and f.application}
    late = [
        a
        for a in apps
        if a.outcome == "rejected"
        and a.stage in _LATE_STAGES
        and a.id not in praised
        and not (a.reason and any(p in _folded(a.reason) for p in k.not_their_fault))
    ]
    if len(late) < k.pattern_min:
        return None
    named = ", ".join(f"{a.company} ({a.id})" for a in late)
    return _Finding(
        "watch",
        f"Given on {len(late)} applications rejected at or after the reference check, for no "
        f"reason that lies elsewhere: {named}; your other references were on offers. Ask those "
        "employers for a debrief, or have a reference-checking service call them.",
        flag="pattern",
    )


# --- the lineup ----------------------------------------------------------------------


def lineup(registry: Registry, verdicts: list[Verdict], settings: Settings, size: int | None = None) -> list[Pick]:
    """The references to give next: keep, active, not overused; a manager first, then variety."""
    conf = settings["lineup"]
    if size is None:
        size = _whole(conf, "size", "lineup", low=1)
    elif size < 1:
        raise ValidationError(f"the lineup size must be at least 1, not {size}.")
    lead = conf["lead_relationship"]
    refs = {r.id: r for r in registry.references}
    candidates = [
        v
        for v in verdicts
        if v.recommendation == "keep" and v.status == "active" and "overused" not in v.flags and v.id in refs
    ]
    # Best first: not stale, lowest risk, most evidence.
    candidates.sort(key=lambda v: ("stale" in v.flags, v.risk, -v.evidence_weight, fold(v.name), v.id))
    picks: list[Pick] = []
    used: set[str] = set()
    while candidates and len(picks) < size:
        choice, why = candidates[0], "the lowest risk left"
        if not picks:
            leads = [v for v in candidates if refs[v.id].relationship == lead]
            if leads:
                choice, why = leads[0], f"a {lead} carries the most weight with employers"
        else:
            fresh = [v for v in candidates if refs[v.id].relationship not in used]
            if fresh:
                choice, why = fresh[0], "adds a relationship the others do not cover"
        candidates.remove(choice)
        ref = refs[choice.id]
        used.add(ref.relationship)
        picks.append(Pick(choice.id, choice.name, ref.relationship, _pick_reason(choice, ref, why)))
    return picks


def _pick_reason(v: Verdict, ref: Reference, why: str) -> str:
    at = f" at {ref.organization}" if ref.organization else ""
    text = f"{ref.relationship.capitalize()}{at}: {why}; keep, risk {v.risk:.2f}"
    text += f" {_cite(v.evidence)}." if v.evidence else "."
    if "untested" in v.flags:
        text += " Untested: brief them well, or test them first."
    if "stale" in v.flags:
        text += " You have not been in touch for a while: call them before you give their name."
    if "policy-limited" in v.flags:
        text += " Their employer only confirms dates, so pair them with someone who can speak freely."
    return text
