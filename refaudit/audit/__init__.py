"""The audit: what the evidence says about each reference, as of a given day.

Pure functions of ``(registry, settings, as_of)``: no I/O, no clock. Everything is read
through ``asof.view(registry, as_of)``, the one "as of" view. The model is explained for
users in ``docs/SCORING.md``. The package is split where rules and wording change for
different reasons:

- ``scoring``: the arithmetic (a report's weight, credibility, the risk number, the maximum
  matching of independent reports, the late-loss posterior);
- ``case``: the records one audit reads, indexed once (``Case``), and how a stated reason is read;
- ``rules``: the rules the number cannot express, each producing findings that carry a claim;
- ``claims``: ``Claim`` and ``Finding``, and the list of claim kinds;
- ``wording``: the English sentences, worded from the claims;
- ``verdict``: ``Verdict``, as ``audit --json`` prints it;
- ``lineup``: whom to give next, and who is held back;
- ``track``: the track record, what the audit said of the references on the day they were given;
- here: ``audit()``, putting a verdict together from the number and the rules.

Work is linear in the registry's size: feedback and applications are indexed by
reference once, then each reference looks only at its own records, sorted in one pass into
what the rules read (``case.Evidence``). An audit of a few references (``only``) indexes only
what judging them reads. A verdict's reasons are
worded from its claims when they are first read (``verdict.Reasons``), not before: most
callers read few of them, and a shared report words them again, redacted.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from datetime import date
from typing import Any

from refaudit import asof
from refaudit.audit import rules
from refaudit.audit.case import PATTERN_KINDS, Case, Evidence, reason_kind
from refaudit.audit.claims import CLAIM_KINDS, Claim, Finding
from refaudit.audit.lineup import (
    Pick,
    friends_cannot_settle,
    held_back,
    lineup,
    lineup_and_held_back,
    needs_check,
    watch_advice,
)
from refaudit.audit.scoring import adverse_share, credible, weight
from refaudit.audit.scoring import risk as _risk
from refaudit.audit.verdict import FLAGS, LEVEL, RECOMMENDATIONS, Reasons, Verdict, in_a_line
from refaudit.audit.wording import CHECK_MEANS, WATCH_MEANS, word
from refaudit.model import Application, Reference, Registry
from refaudit.settings import Settings
from refaudit.text import fold

__all__ = [
    "CHECK_MEANS",
    "CLAIM_KINDS",
    "FLAGS",
    "PATTERN_KINDS",
    "RECOMMENDATIONS",
    "WATCH_MEANS",
    "Case",
    "Claim",
    "Pick",
    "Reasons",
    "Verdict",
    "audit",
    "audit_json",
    "credible",
    "held_back",
    "in_a_line",
    "lineup",
    "lineup_and_held_back",
    "needs_check",
    "phrase",
    "reason_kind",
    "reword",
    "watch_advice",
    "weight",
]

_APPLIED_ON = operator.attrgetter("applied_on")


def audit(registry: Registry, settings: Settings, as_of: date, only: Iterable[str] | None = None) -> list[Verdict]:
    """One verdict per reference known on ``as_of`` (or, with ``only``, per one of those ids): drop,
    watch, keep; then risk, name.

    Reads ``asof.view(registry, as_of)`` and nothing else, so an old audit can be reproduced.
    """
    seen = asof.view(registry, as_of)
    wanted = None if only is None else frozenset(only)
    case = Case.of(seen, settings, as_of, wanted)
    verdicts = [_judge(ref, case) for ref in seen.references if wanted is None or ref.id in wanted]
    verdicts.sort(key=lambda v: (-LEVEL[v.recommendation], -v.risk, fold(v.name), v.id))
    return verdicts


def audit_json(verdicts: Iterable[Verdict], as_of: date) -> dict[str, Any]:
    """The ``audit --json`` document of docs/SPEC.md."""
    return {"as_of": as_of.isoformat(), "references": [v.to_json() for v in verdicts]}


def _judge(ref: Reference, case: Case) -> Verdict:
    k = case.k
    ev = case.evidence(ref.id)
    apps = case.applications.get(ref.id, [])
    risk, total, counted = _risk(ev.all, k, case.as_of)
    number_level = "drop" if risk >= k.drop_risk else "watch" if risk >= k.watch_risk else "keep"
    last_used = max(map(_APPLIED_ON, apps), default=None)
    findings = _findings(ref, ev, apps, last_used, case)
    recommendation = max([number_level, *(f.level for f in findings if f.level)], key=LEVEL.__getitem__)
    if ref.status == "dropped":
        findings.append(Finding("", Claim("user-dropped", on=ref.status_on), flag="user-dropped"))
    if recommendation != "keep":
        findings.extend(_in_favour(ev, findings))
    number, number_moved = None, []
    if number_level == recommendation and total > 0:
        against = [i for i in counted if adverse_share(case.entries[i].sentiment, k)]
        number_moved = against if number_level != "keep" else [i for i in counted if i not in against]
        cited = number_moved + against if number_level == "keep" else against
        number = Finding(number_level, Claim("risk", tuple(dict.fromkeys(cited)), numbers={"risk": risk}))
    shown, flagged, moved, plain = _arrange(findings, number, number_moved, recommendation)
    setting = [f for f in findings if f.level == recommendation]
    # As needs_check (lineup, next) says: a credible positive since the rumours converged was the check.
    check = friends_cannot_settle((f.flag for f in findings), (f.claim for f in findings))
    # A suspected pattern of late losses in someone a friend's call already heard praise them: another
    # friendly call would prove nothing, only a professional check hears what employers hear.
    check = check or (
        recommendation == "watch"
        and "pattern" in {f.flag for f in findings}
        and any(f.source == "mock-call" for f in ev.friendly_praise)
    )
    advice = (CHECK_MEANS if check else WATCH_MEANS) if recommendation == "watch" else ""
    claims = [f.claim for f in shown]
    if number is not None and number in shown and recommendation == "keep":
        praise = _latest_praise(ev, number)
        if praise is not None:
            claims.insert(shown.index(number) + 1, praise)
    plain_number = plain and number is not None
    reasons = Reasons(functools.partial(phrase, claims, case, recommendation, advice, plain_number))
    return Verdict(
        id=ref.id,
        name=ref.name,
        status=ref.status,
        recommendation=recommendation,
        risk=risk,
        evidence_weight=round(total, 2),
        flags=[f.flag for f in flagged if f.flag],
        reasons=reasons,
        evidence=_ids(shown),
        uses=len(apps),
        last_used=last_used,
        moved=moved,
        rule=None if number_level == recommendation else _rule(setting),
        claims=claims,
        advice=advice,
        plain_number=plain_number,
    )


def phrase(
    claims: list[Claim], case: Case, recommendation: str, advice: str = "", plain_number: bool = False
) -> list[str]:
    """The reasons, worded from ``claims``: one per claim, the latest praise joined to the number's
    reason before it, what watch asks said once, and (``plain_number``) the number said without
    its advice when a rule agreeing with it already says what to do."""
    reasons: list[str] = []
    number_at = None
    for claim in claims:
        if claim.kind == "latest-praise" and reasons:
            reasons[-1] = f"{reasons[-1]} {word(claim, case)}"
            continue
        if claim.kind == "risk":
            number_at = len(reasons)
        reasons.append(word(claim, case, advice, recommendation))
    if advice:  # what watch asks is said once, in the first reason that says it
        first = next((i for i, r in enumerate(reasons) if r.endswith(advice)), None)
        reasons = [
            r[: -len(advice)].rstrip() if first is not None and i > first and r.endswith(advice) else r
            for i, r in enumerate(reasons)
        ]
    if plain_number and number_at is not None:
        reasons[number_at] = reasons[number_at].split(": ")[0] + "."
    return reasons


def reword(verdict: Verdict, case: Case) -> list[str]:
    """``verdict``'s reasons worded again from its claims against ``case``: a shared report words them
    from a case whose reporters, quotes and employers are already redacted (never by masking the
    finished sentences)."""
    return phrase(verdict.claims, case, verdict.recommendation, verdict.advice, verdict.plain_number)


def _rule(setting: list[Finding]) -> str | None:
    """The rules that set the recommendation, in words: one, or several joined ("…; …")."""
    rules = list(dict.fromkeys(f.rule.rstrip(".") for f in setting if f.rule))
    return "; ".join(rules) + "." if rules else None


def _findings(
    ref: Reference, ev: Evidence, apps: list[Application], last_used: date | None, case: Case
) -> list[Finding]:
    """Every rule's finding about one reference (each may raise the level, set a flag, or only say)."""
    contradiction = rules.contradiction(ev, case)
    contradicted = contradiction is not None
    pattern = rules.pattern(ref, case)
    findings = [
        *rules.negatives(ev, case, contradicted),
        *rules.lukewarm(ev, pattern is not None and pattern.flag == "pattern", case),
        *rules.unreachable(ref, ev, case),
        *rules.declined(ev),
        *rules.untested(ev),
    ]
    extras = (
        rules.converging(ev, case, contradicted),
        contradiction,
        rules.overused(apps, case),
        rules.fatigued(ev, case),
        rules.stale(ref, ev, last_used, case),
        pattern,
    )
    findings.extend(f for f in extras if f is not None)
    # What no rule cited is still said: credible reports on the record, then rumours.
    cited = {i for f in findings for i in f.ids}
    findings.extend(rules.on_record(ev, cited))
    return [*findings, *rules.rumours(ev, findings, cited, case)]


def _in_favour(ev: Evidence, findings: list[Finding]) -> Iterable[Finding]:
    """The credible positive reports weighed against a watch or drop that no finding cites: the
    reasons show the evidence on both sides."""
    cited = {i for f in findings for i in f.ids}
    praise = [f for f in ev.positive if f.id not in cited]
    if praise:
        yield Finding("", Claim("weighed-in-favour", tuple(f.id for f in praise)))


def _latest_praise(ev: Evidence, number: Finding) -> Claim | None:
    """A keep resting on good reports also quotes the newest credible one: who said it, when, and what."""
    praise = [f for f in ev.positive if f.id in number.ids]
    if not praise:
        return None
    newest = max(praise, key=lambda f: (f.reported_on, f.id))
    return Claim("latest-praise", (newest.id,), (newest.application,) if newest.application else (), newest.reported_on)


def _arrange(
    findings: list[Finding], number: Finding | None, number_moved: list[str], recommendation: str
) -> tuple[list[Finding], list[Finding], list[str], bool]:
    """The findings in order (what decided the recommendation first, then flag by flag), the
    flagged findings, the reports that moved the recommendation, and whether the number is said
    without its advice (a rule agreeing with it already says what to do)."""
    flagged = sorted((f for f in findings if f.flag), key=lambda f: FLAGS.index(f.flag or ""))
    setting = [f for f in findings if f.level == recommendation]
    deciding = [number] if number is not None else []
    deciding += [f for f in findings if f.flag is None and f.level in (recommendation, "")]
    deciding += [f for f in flagged if f.level == recommendation]
    shown = [*deciding, *(f for f in flagged if f not in deciding)]
    # The other side of the scale comes last, after everything it was weighed against.
    # A comparison of late losses that decided nothing comes after what did.
    shown.sort(key=lambda f: (f.claim.kind == "weighed-in-favour", f.claim.kind == "late-losses" and not f.level))
    moved = number_moved + [i for f in setting for i in f.moving]
    plain = False
    if number is not None and number in shown and any(f.ids and f.level == recommendation for f in setting):
        # A rule agreeing with the number says it with the reports' own words: those first, the number after.
        shown.remove(number)
        shown.insert(1, number)
        plain = number.level == "watch" or any(f.level == "watch" for f in shown if f is not number)
    return shown, flagged, list(dict.fromkeys(moved)), plain


def _ids(findings: Iterable[Finding]) -> list[str]:
    ids: list[str] = []
    for finding in findings:
        ids.extend(i for i in finding.ids if i not in ids)
    return ids
