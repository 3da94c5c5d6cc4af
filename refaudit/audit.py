"""The audit: what the evidence says about each reference, as of a given day.

Pure functions of ``(registry, settings, as_of)``: no I/O, no clock. Everything is read
through ``asof.view(registry, as_of)``, the one "as of" view. The model is explained for
users in ``docs/SCORING.md``; in short:

1. Every report is evidence with a weight: source weight x certainty weight x
   ``0.5 ** (age / half_life)``. Its sentiment splits that weight between "hurts" and
   "helps" (a Beta-Bernoulli update with fractional observations).
2. A prior leaning towards trust is added, and ``risk = hurts / (hurts + helps)``.
   The risk sets the recommendation against two thresholds (watch, drop).
3. Rules the number alone cannot express raise that recommendation, never lower it, one
   function each (``_negatives``, ``_lukewarm``, ``_unreachable``, ``_declined``,
   ``_pattern``, ``_overused``, ``_stale``): one credible negative means drop; one
   credible lukewarm or mixed report means watch, and drop once corroborated; hearsay
   negatives, failed attempts to reach them and a pattern of late rejections mean watch.
4. Every credible report that is not positive (or declined) is quoted in the reasons,
   whatever the recommendation: adverse evidence is never silent.
5. Flags say what else to do: untested, overused, stale, unreachable, policy-limited,
   pattern, user-dropped.

Work is linear in the registry's size: feedback and applications are indexed by
reference once, then each reference looks only at its own records.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from refaudit import asof
from refaudit import settings as settings_mod
from refaudit.errors import ValidationError
from refaudit.model import OFFER_OUTCOMES, Application, Feedback, Reference, Registry
from refaudit.settings import Scoring, Settings
from refaudit.text import fold

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
# What "watch" asks of the user: the same words in audit, next, the report and SCORING.md.
WATCH_MEANS = "Give them only alongside a strong reference, and test them soon with a mock call."

_LEVEL = {rec: i for i, rec in enumerate(RECOMMENDATIONS)}
# Sentiments that show the employer reached the reference (ends a run of no-responses).
_REACHED = ("positive", "neutral", "lukewarm", "mixed", "negative", "declined")
_ADVERSE = ("negative", "mixed", "lukewarm")
_LATE_STAGES = ("reference-check", "offer")
_LATE_ENDINGS = ("rejected", "ghosted")
# Reason kinds that can count towards a pattern (with an unrecorded reason).
PATTERN_KINDS = ("references", "none-given")

# Reading a reason typed without a kind: the first kind whose words appear wins. Word
# starts, not phrases, so "more experience in research" and "more research experience"
# read alike. A reason that names no cause at all reads as none-given.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("references", ("reference", "referee", "background check")),
    ("internal-candidate", ("internal", "in-house", "promoted from within")),
    ("position-filled", ("filled", "freeze", "on hold", "cancel", "restructur", "eliminated", "no longer open")),
    ("compensation", ("salary", "compensation", "budget", "pay", "expensive", "relocation", "visa")),
    ("experience", ("experience", "qualified", "seniority", "senior", "junior", "track record")),
    ("skills", ("skill", "technical", "knowledge", "expertise", "proficien")),
    ("fit", ("fit", "culture", "personality", "team dynamic")),
)
_KIND_RES = tuple((kind, re.compile("|".join(rf"\b{re.escape(w)}" for w in words))) for kind, words in _KIND_WORDS)


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
            "moved": list(self.moved),
            "rule": self.rule,
            "uses": self.uses,
            "last_used": self.last_used.isoformat() if self.last_used else None,
        }


@dataclass(frozen=True)
class Pick:
    """One reference proposed for the next application (or held back from it), and why."""

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


# --- weighing single reports ---------------------------------------------------------


def weight(report: Feedback, settings: Settings | Mapping[str, Any], as_of: date) -> float:
    """The report's weight on ``as_of``: base weight halved every ``half_life_days``."""
    return _weight(report, settings_mod.of(settings).scoring, as_of)


def _base(report: Feedback, k: Scoring) -> float:
    return k.source_weight[report.source] * k.certainty_weight[report.certainty]


def _weight(report: Feedback, k: Scoring, as_of: date) -> float:
    age = max(0, (as_of - report.reported_on).days)
    decay: float = 0.5 ** (age / k.half_life_days)
    return _base(report, k) * decay


def credible(report: Feedback, k: Scoring) -> bool:
    """Whether the report is credible: source weight x certainty weight reaches ``credible_weight``."""
    # A hair of tolerance so that 0.8 x 0.8 reaches a threshold written as 0.64.
    return _base(report, k) >= k.credible_weight - 1e-9


def reason_kind(app: Application, k: Scoring) -> tuple[str | None, bool]:
    """Why the employer said no: ``(kind, guessed)``; ``(None, False)`` when no reason is recorded.

    A recorded ``reason_kind`` wins; otherwise the reason's wording is read (``guessed``),
    never written back.
    """
    if app.reason_kind is not None:
        return app.reason_kind, False
    if not app.reason:
        return None, False
    return _guess(app.reason, k.not_their_fault), True


@functools.lru_cache(maxsize=4096)
def _guess(reason: str, elsewhere: tuple[str, ...]) -> str:
    text = fold(reason)
    for kind, pattern in _KIND_RES:
        if pattern.search(text):
            return kind
    if any(phrase in text for phrase in elsewhere):
        return "other"  # scoring.not_their_fault: a stated cause that is not the references
    return "none-given"


# --- the audit -----------------------------------------------------------------------


@dataclass
class _Context:
    """What every reference's judgement needs, computed once per audit."""

    k: Scoring
    as_of: date
    feedback: dict[str, list[Feedback]]
    applications: dict[str, list[Application]]
    apps_by_id: dict[str, Application]
    offer_refs: set[str]
    last_briefed: dict[str, date]  # reference id -> latest briefing on or before as_of
    sole_subject: dict[str, str]  # application id -> the one reference every report on it concerns


def audit(registry: Registry, settings: Settings | Mapping[str, Any], as_of: date) -> list[Verdict]:
    """One verdict per reference known on ``as_of``: drop, watch, keep; then risk, name.

    Reads ``asof.view(registry, as_of)`` and nothing else, so an old audit can be reproduced.
    """
    k = settings_mod.of(settings).scoring
    reg = asof.view(registry, as_of)
    feedback: dict[str, list[Feedback]] = defaultdict(list)
    subjects: dict[str, set[str]] = defaultdict(set)
    for f in reg.feedback:
        feedback[f.reference].append(f)
        if f.application:
            subjects[f.application].add(f.reference)
    for reports in feedback.values():
        reports.sort(key=lambda f: f.reported_on)  # stable: same-day reports keep registry order
    by_ref: dict[str, list[Application]] = defaultdict(list)
    offer_refs: set[str] = set()
    last_briefed: dict[str, date] = {}
    for app in reg.applications:
        for ref_id in dict.fromkeys(app.references):
            by_ref[ref_id].append(app)
        if app.outcome in OFFER_OUTCOMES:
            offer_refs.update(app.references)
        for b in app.briefed:
            if b.on > last_briefed.get(b.reference, date.min):
                last_briefed[b.reference] = b.on
    sole = {app_id: next(iter(refs)) for app_id, refs in subjects.items() if len(refs) == 1}
    ctx = _Context(k, as_of, feedback, by_ref, {a.id: a for a in reg.applications}, offer_refs, last_briefed, sole)
    verdicts = [_judge(ref, ctx) for ref in reg.references]
    verdicts.sort(key=lambda v: (-_LEVEL[v.recommendation], -v.risk, fold(v.name), v.id))
    return verdicts


def audit_json(verdicts: Iterable[Verdict], as_of: date) -> dict[str, Any]:
    """The ``audit --json`` document of docs/SPEC.md."""
    return {"as_of": as_of.isoformat(), "references": [v.to_json() for v in verdicts]}


@dataclass(frozen=True)
class _Finding:
    """One sentence of a verdict: the level it raises the recommendation to (``""``: none),
    the flag it sets if any, the reports it rests on, and the rule in words."""

    level: str
    text: str
    ids: tuple[str, ...] = ()
    flag: str | None = None
    rule: str | None = None


def _judge(ref: Reference, ctx: _Context) -> Verdict:
    k = ctx.k
    reports = ctx.feedback.get(ref.id, [])
    apps = ctx.applications.get(ref.id, [])
    risk, total, adverse, favourable = _number(reports, ctx)
    number_level = "drop" if risk >= k.drop_risk else "watch" if risk >= k.watch_risk else "keep"
    last_used = max((a.applied_on for a in apps), default=None)
    findings = _findings(ref, reports, apps, last_used, ctx)
    recommendation = max([number_level, *(f.level for f in findings if f.level)], key=_LEVEL.__getitem__)
    if ref.status == "dropped":
        when = f" on {ref.status_on.isoformat()}" if ref.status_on else ""
        text = f"You marked them dropped{when}; on the evidence alone the audit says {recommendation}."
        findings.append(_Finding("", text, flag="user-dropped"))
    number = None
    if number_level == recommendation and total > 0:
        number = _number_in_words(_number_finding(number_level, risk, adverse, favourable, k), reports, ctx)
    shown, flagged, moved = _arrange(findings, number, recommendation)
    setting = [f for f in findings if f.level == recommendation]
    return Verdict(
        id=ref.id,
        name=ref.name,
        status=ref.status,
        recommendation=recommendation,
        risk=risk,
        evidence_weight=round(total, 2),
        flags=[f.flag for f in flagged if f.flag],
        # What watch asks of the user belongs to a watch verdict only, not to a drop's reasons.
        reasons=[f.text if recommendation == "watch" else f.text.replace(f" {WATCH_MEANS}", "") for f in shown],
        evidence=_ids(shown),
        uses=len(apps),
        last_used=last_used,
        moved=moved,
        rule=None if number_level == recommendation else next((f.rule for f in setting if f.rule), None),
    )


def _findings(
    ref: Reference, reports: list[Feedback], apps: list[Application], last_used: date | None, ctx: _Context
) -> list[_Finding]:
    """Every rule's finding about one reference (each may raise the level, set a flag, or only say)."""
    pattern = _pattern(ref, apps, reports, ctx)
    findings = [
        *_negatives(reports, ctx),
        *_lukewarm(reports, pattern is not None and pattern.flag == "pattern", ctx),
        *_unreachable(ref, reports, ctx),
        *_declined(reports),
        *_untested(reports),
    ]
    for extra in (_overused(apps, ctx), _stale(ref, reports, last_used, ctx), pattern):
        if extra:
            findings.append(extra)
    return [*findings, *_on_record(reports, findings, ctx)]


def _number_in_words(number: _Finding, reports: list[Feedback], ctx: _Context) -> _Finding:
    """A keep resting on good reports also quotes the newest credible one: who said it, when, and what."""
    praise = [f for f in reports if f.id in number.ids and f.sentiment == "positive" and credible(f, ctx.k)]
    if number.level != "keep" or not praise:
        return number
    newest = max(praise, key=lambda f: (f.reported_on, f.id))
    said = _said(newest, ctx)
    said = said if newest.reporter else said[0].lower() + said[1:]  # "the employer", never a name
    return _Finding(number.level, f"{number.text} Most recently, {said}.", number.ids)


def _arrange(
    findings: list[_Finding], number: _Finding | None, recommendation: str
) -> tuple[list[_Finding], list[_Finding], list[str]]:
    """The reasons in order (what decided the recommendation first, then flag by flag), the
    flagged findings, and the reports that moved the recommendation."""
    flagged = sorted((f for f in findings if f.flag), key=lambda f: FLAGS.index(f.flag or ""))
    setting = [f for f in findings if f.level == recommendation]
    deciding = [number] if number is not None else []
    deciding += [f for f in findings if f.flag is None and f.level in (recommendation, "")]
    deciding += [f for f in flagged if f.level == recommendation]
    shown = [*deciding, *(f for f in flagged if f not in deciding)]
    moved = _ids([number] if number is not None else []) + _ids(setting)
    if number in shown and any(f.ids and f.level == recommendation for f in setting):
        # A rule agreeing with the number says it with the reports' own words: those first, the
        # number after them, and what to do said once.
        shown.remove(number)
        plain = _Finding(number.level, number.text.split(": ")[0] + ".", number.ids)
        shown.insert(1, plain if any(WATCH_MEANS in f.text for f in shown) else number)
    return shown, flagged, list(dict.fromkeys(moved))


def in_a_line(v: Verdict) -> str:
    """Why the recommendation, in one line: the rule and the reports that moved it, else the first reason."""
    if v.rule:
        return f"{v.rule.rstrip('.')} {_cite(v.moved)}." if v.moved else v.rule
    return v.reasons[0] if v.reasons else f"The audit says {v.recommendation}."


def _ids(findings: Iterable[_Finding]) -> list[str]:
    ids: list[str] = []
    for finding in findings:
        ids.extend(i for i in finding.ids if i not in ids)
    return ids


def _number(reports: list[Feedback], ctx: _Context) -> tuple[float, float, list[str], list[str]]:
    """The risk (a Beta posterior mean with fractional, ageing observations), the evidence
    weight, and the reports that pushed it above the prior's risk (adverse) or below it."""
    k = ctx.k
    hurts, helps, total = k.prior_hurts, k.prior_helps, 0.0
    prior = k.prior_hurts / (k.prior_hurts + k.prior_helps)
    adverse: list[str] = []
    favourable: list[str] = []
    for f in reports:
        w = _weight(f, k, ctx.as_of)
        h, g = w * k.hurts[f.sentiment], w * k.helps[f.sentiment]
        hurts, helps = hurts + h, helps + g
        if h + g > 0:
            total += w  # the report counted: its whole weight is evidence, whatever its split
            (adverse if h > prior * (h + g) else favourable).append(f.id)
    return round(hurts / (hurts + helps), 3), total, adverse, favourable


def _cite(ids: Sequence[str]) -> str:
    return f"(report {ids[0]})" if len(ids) == 1 else f"(reports {', '.join(ids)})"


_WHO = {
    "employer": "The employer",
    "recruiter": "A recruiter",
    "reference-service": "A reference-checking service",
    "mock-call": "A mock call",
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
    """Who relayed the report, when, and the quote: ``… on 2026-10-20, about Acme: "…" (report f3)``."""
    if f.quote:
        text = f'{_describe(f, ctx)}: "{f.quote}"'
    elif f.sentiment == "no-response":
        tries = f" after {f.attempts} attempts" if f.attempts and f.attempts > 1 else ""
        text = f"{_describe(f, ctx)}: could not reach them{tries}"
    else:
        text = f"{_describe(f, ctx)} reported a {f.sentiment} reference"
    return f"{text} {_cite([f.id])}"


def _number_finding(level: str, risk: float, adverse: list[str], favourable: list[str], k: Scoring) -> _Finding:
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
    line, action = ("drop line", "stop giving them.") if level == "drop" else ("watch line", WATCH_MEANS)
    threshold = k.drop_risk if level == "drop" else k.watch_risk
    return _Finding(
        level,
        f"The reports against them {_cite(adverse)} put the risk at {risk:.2f}, at or above "
        f"the {line} of {threshold:.2f}: {action[0].lower()}{action[1:]}",
        tuple(adverse),
    )


# --- the rules, one function each ------------------------------------------------------


def _horizon(ctx: _Context) -> date:
    return ctx.as_of - timedelta(days=ctx.k.negative_horizon_days)


def _negatives(reports: list[Feedback], ctx: _Context) -> Iterable[_Finding]:
    """One credible negative: drop (forgiven once old and contradicted); a weak one: watch."""
    k, horizon = ctx.k, _horizon(ctx)
    positives = [f for f in reports if f.sentiment == "positive" and credible(f, k)]
    for f in reports:
        if f.sentiment != "negative":
            continue
        is_credible, old = credible(f, k), f.reported_on < horizon
        since = [p.id for p in positives if p.reported_on > f.reported_on and p.reported_on >= horizon]
        if len(since) < max(1, k.forgive_after_positives):
            since = []
        if since and (old or not is_credible):
            yield _Finding(
                "",
                f"{_said(f, ctx)} is outweighed by {len(since)} credible positive reports since "
                f"{_cite(since)}" + (f" and is older than {k.negative_horizon_days} days." if old else "."),
                (f.id, *since),
            )
        elif is_credible:
            tail = (
                f" It is older than {k.negative_horizon_days} days, but nothing credible has "
                f"contradicted it since; {k.forgive_after_positives} credible positive reports would."
                if old
                else ""
            )
            yield _Finding(
                "drop",
                f"{_said(f, ctx)}. One credible negative is enough to cost you an offer: stop giving them.{tail}",
                (f.id,),
                rule="One credible negative report means drop.",
            )
        elif not old:
            yield _Finding(
                "watch",
                f"{_said(f, ctx)}. That is too indirect to drop them on: find out what they really say. {WATCH_MEANS}",
                (f.id,),
                rule="A negative report heard only indirectly means watch.",
            )


def _distinct(a: Feedback, b: Feedback) -> bool:
    """Two reports corroborate each other when they concern different applications or reporters."""
    who_a = fold(a.reporter) if a.reporter else f"({a.source})"
    who_b = fold(b.reporter) if b.reporter else f"({b.source})"
    return a.application != b.application or who_a != who_b


def _lukewarm(reports: list[Feedback], pattern: bool, ctx: _Context) -> Iterable[_Finding]:
    """Credible lukewarm or mixed reports: watch the day they are logged; corroborated: drop."""
    k, horizon = ctx.k, _horizon(ctx)
    faint = [f for f in reports if f.sentiment in ("lukewarm", "mixed") and credible(f, k) and f.reported_on >= horizon]
    if len(faint) < k.lukewarm_count:
        return
    adverse = [f for f in reports if f.sentiment in _ADVERSE and credible(f, k) and f.reported_on >= horizon]
    others = [o for o in adverse if any(o is not f and _distinct(o, f) for f in faint)]
    said = " ".join(f"{_said(f, ctx)}." for f in faint)
    if others or pattern:
        why = []
        if others:
            why.append(f"credible reports from different applications or reporters {_cite([o.id for o in others])}")
        if pattern:
            why.append("a pattern of late rejections (below)")
        ids = tuple(dict.fromkeys([f.id for f in faint] + [o.id for o in others]))
        yield _Finding(
            "drop",
            f"{said} Reservations, corroborated by {' and '.join(why)}: they are costing you offers. Stop giving them.",
            ids,
            rule="A credible lukewarm or mixed report, corroborated, means drop.",
        )
    else:
        yield _Finding(
            "watch",
            f"{said} Faint praise or reservations cost offers too. {WATCH_MEANS}",
            tuple(f.id for f in faint),
            rule="A credible lukewarm or mixed report means at least watch.",
        )


def _unreachable(ref: Reference, reports: list[Feedback], ctx: _Context) -> Iterable[_Finding]:
    """Failed attempts to reach them since they were last reached: watch, flag unreachable."""
    k, horizon = ctx.k, _horizon(ctx)
    silent: list[Feedback] = []
    for f in reports:
        if f.sentiment in _REACHED:
            silent = []
        elif f.sentiment == "no-response" and f.reported_on >= horizon:
            silent.append(f)
    if silent and ref.consent_on is not None and ref.consent_on >= silent[-1].reported_on:
        return  # you reached them since, and they confirmed they will speak for you
    attempts = sum(f.attempts or 1 for f in silent)
    if attempts < k.unreachable_count:
        return
    said = " ".join(f"{_said(f, ctx)}." for f in silent)
    yield _Finding(
        "watch",
        f"{said} {attempts} failed attempts to reach them: call them and confirm their number, email "
        f"and availability. {WATCH_MEANS}",
        tuple(f.id for f in silent),
        flag="unreachable",
        rule="Repeated failed attempts to reach them mean watch.",
    )


def _declined(reports: list[Feedback]) -> Iterable[_Finding]:
    declined = [f.id for f in reports if f.sentiment == "declined"]
    if declined:
        yield _Finding(
            "",
            f"Their employer's policy lets them confirm dates only {_cite(declined)}: not held against "
            "them, but it tells an employer little, so pair them with someone who can speak freely.",
            tuple(declined),
            flag="policy-limited",
        )


def _untested(reports: list[Feedback]) -> Iterable[_Finding]:
    if not reports:
        yield _Finding(
            "",
            "No reports yet, so nobody knows what they say about you: test them with a mock call "
            "(a friend calling as an employer) or a reference-checking service before you rely on them.",
            flag="untested",
        )
    elif all(f.sentiment == "declined" for f in reports):
        yield _Finding(
            "",
            "A dates-only answer is company policy, not a test: many people say more when asked. Nobody "
            "knows yet what they say about you; test them with a mock call.",
            flag="untested",
        )


def _on_record(reports: list[Feedback], findings: list[_Finding], ctx: _Context) -> Iterable[_Finding]:
    """Every credible report that is not positive or declined, and that no rule has quoted yet."""
    k, horizon = ctx.k, _horizon(ctx)
    cited = {i for f in findings for i in f.ids}
    for f in reports:
        if f.id in cited or f.sentiment in ("positive", "declined") or not credible(f, k):
            continue
        if f.reported_on < horizon:
            why = f"older than {k.negative_horizon_days} days, it no longer counts on its own"
        elif f.sentiment == "neutral":
            why = "facts without an opinion, it counts for little either way"
        elif f.sentiment == "no-response":
            why = f"fewer than {k.unreachable_count} failed attempts so far"
        else:
            why = f"fewer than {k.lukewarm_count} such reports so far"
        yield _Finding("", f"{_said(f, ctx)}: on record; {why}.", (f.id,))


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


def _stale(ref: Reference, reports: list[Feedback], last_used: date | None, ctx: _Context) -> _Finding | None:
    as_of = ctx.as_of
    touches = [d for d in (ref.consent_on, last_used, ctx.last_briefed.get(ref.id)) if d is not None]
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


def _pattern(ref: Reference, apps: list[Application], reports: list[Feedback], ctx: _Context) -> _Finding | None:
    """Late rejections (or silences) with no cause elsewhere, while others' references reach offers."""
    k = ctx.k
    praised = {f.application for f in reports if f.sentiment == "positive" and f.application}
    late: list[tuple[Application, bool]] = []
    for a in apps:
        if a.outcome not in _LATE_ENDINGS or a.stage not in _LATE_STAGES or a.id in praised:
            continue
        if ctx.sole_subject.get(a.id, ref.id) != ref.id:
            continue  # every report on it concerns someone else: not held against this one
        kind, guessed = reason_kind(a, k)
        if kind is None or kind in PATTERN_KINDS:
            late.append((a, guessed))
    if len(late) < k.pattern_min:
        return None
    named = ", ".join(f"{a.company} ({a.id}, {a.outcome})" for a, _ in late)
    if not (ctx.offer_refs - {ref.id}):
        # No offer with someone else's references: the common factor may be you, not them.
        # Said, so the rejections are not silent, but it moves nothing.
        return _Finding(
            "",
            f"Given on {len(late)} applications that ended at or after the reference check without a "
            f"cause given: {named}. None of your other references has been on an offer yet, so it may "
            "not be them: not yet counted as a pattern. Ask those employers for a debrief.",
        )
    guesses = [a.id for a, g in late if g]
    note = (
        f" The reasons of {', '.join(guesses)} were guessed from the wording — set --reason-kind to be sure."
        if guesses
        else ""
    )
    return _Finding(
        "watch",
        f"Given on {len(late)} applications that ended at or after the reference check with no "
        f"cause that lies elsewhere: {named}; your other references were on offers. Ask those "
        f"employers for a debrief. {WATCH_MEANS}{note}",
        flag="pattern",
        rule="A pattern of late rejections means watch.",
    )


# --- the lineup ----------------------------------------------------------------------


def lineup(
    registry: Registry,
    verdicts: list[Verdict],
    settings: Settings | Mapping[str, Any],
    size: int | None = None,
    as_of: date | None = None,
) -> list[Pick]:
    """The references to give next: keep, active, not overused; the best credible word first.

    The first pick is the one whose credible reports speak best for you (never a
    policy-limited one), then relationships not yet covered. ``as_of`` (default: the
    newest record) is the day the credible reports are weighed on.
    """
    picks, _ = _lineup(registry, verdicts, settings_mod.of(settings), size, as_of)
    return picks


def held_back(
    registry: Registry,
    verdicts: list[Verdict],
    settings: Settings | Mapping[str, Any],
    size: int | None = None,
    as_of: date | None = None,
) -> list[Pick]:
    """When the lineup is short of ``size``: who is held back from it, and why."""
    return lineup_and_held_back(registry, verdicts, settings, size, as_of)[1]


def lineup_and_held_back(
    registry: Registry,
    verdicts: list[Verdict],
    settings: Settings | Mapping[str, Any],
    size: int | None = None,
    as_of: date | None = None,
) -> tuple[list[Pick], list[Pick]]:
    """The lineup, and who is held back from it when it is short of ``size`` (else nobody), worked out once."""
    typed = settings_mod.of(settings)
    picks, held = _lineup(registry, verdicts, typed, size, as_of)
    wanted = size if size is not None else typed.lineup.size
    return picks, held if len(picks) < wanted else []


def _lineup(
    registry: Registry, verdicts: list[Verdict], s: Settings, size: int | None, as_of: date | None
) -> tuple[list[Pick], list[Pick]]:
    if size is None:
        size = s.lineup.size
    elif size < 1:
        raise ValidationError(f"the lineup size must be at least 1, not {size}.")
    day = as_of or max(
        [f.reported_on for f in registry.feedback] + [a.applied_on for a in registry.applications], default=date.min
    )
    reg = asof.view(registry, day) if as_of is not None else registry
    refs = {r.id: r for r in reg.references}
    praise: dict[str, float] = defaultdict(float)
    for f in reg.feedback:
        if f.sentiment == "positive" and credible(f, s.scoring):
            praise[f.reference] += _weight(f, s.scoring, day)
    held: list[Pick] = []
    candidates: list[Verdict] = []
    for v in verdicts:
        if v.id not in refs:
            continue
        why = _not_ready(v)
        if why:
            held.append(Pick(v.id, v.name, refs[v.id].relationship, why))
        else:
            candidates.append(v)
    # Best first: not stale, lowest risk, most evidence.
    candidates.sort(key=lambda v: ("stale" in v.flags, v.risk, -v.evidence_weight, fold(v.name), v.id))
    lead = s.lineup.lead_relationship
    picks: list[Pick] = []
    used: set[str] = set()
    while candidates and len(picks) < size:
        pool = [v for v in candidates if "policy-limited" not in v.flags] if not picks else candidates
        if not pool:
            break
        choice, why = pool[0], "the lowest risk left"
        if not picks:
            best = max(pool, key=lambda v: praise.get(v.id, 0.0))
            leads = [v for v in pool if refs[v.id].relationship == lead]
            if praise.get(best.id, 0.0) > 0:
                choice, why = best, "their credible reports speak best for you"
            elif leads:
                choice, why = leads[0], f"a {lead} carries the most weight with employers"
        else:
            fresh = [v for v in pool if refs[v.id].relationship not in used]
            if fresh:
                choice, why = fresh[0], "adds a relationship the others do not cover"
        candidates.remove(choice)
        ref = refs[choice.id]
        used.add(ref.relationship)
        picks.append(Pick(choice.id, choice.name, ref.relationship, _pick_reason(choice, ref, why)))
    for v in candidates:
        why = (
            "Only confirms dates by company policy: never the first name you give."
            if "policy-limited" in v.flags and not picks
            else "Ready, but the lineup is full."
        )
        held.append(Pick(v.id, v.name, refs[v.id].relationship, why))
    return picks, held


def _not_ready(v: Verdict) -> str | None:
    """Why a reference cannot be given now, or None."""
    if v.status != "active":
        return f"Status {v.status}: you set them aside."
    if v.recommendation != "keep":
        text = f"The audit says {v.recommendation}: {in_a_line(v)}"
        if "unreachable" in v.flags and v.recommendation == "watch":
            return f"{text} Call them first and confirm their number, email and availability."
        return f"{text} {WATCH_MEANS}" if v.recommendation == "watch" else text
    if "overused" in v.flags:
        return "Overused: given too often lately; let them rest."
    return None


def _pick_reason(v: Verdict, ref: Reference, why: str) -> str:
    # Who they are (relationship, organisation) is printed beside the pick; this says why.
    text = f"{why[:1].upper()}{why[1:]}; keep, risk {v.risk:.2f}"
    text += f" {_cite(v.evidence)}." if v.evidence else "."
    if "untested" in v.flags:
        text += " Untested: brief them well, or test them first with a mock call."
    if "stale" in v.flags:
        text += " You have not been in touch for a while: call them before you give their name."
    if "policy-limited" in v.flags:
        text += " Their employer only confirms dates, so pair them with someone who can speak freely."
    return text
