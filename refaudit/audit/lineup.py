"""The lineup: which references to give on the next application, and who is held back and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from refaudit import asof
from refaudit.audit.claims import Claim
from refaudit.audit.scoring import ADVERSE, aged, credible
from refaudit.audit.verdict import Verdict, in_a_line
from refaudit.audit.wording import CHECK_MEANS, WATCH_MEANS, cite
from refaudit.errors import ValidationError
from refaudit.model import Reference, Registry
from refaudit.settings import Settings
from refaudit.text import fold


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


def lineup(
    registry: Registry,
    verdicts: list[Verdict],
    settings: Settings,
    size: int | None = None,
    as_of: date | None = None,
) -> list[Pick]:
    """The references to give next: keep, active, not overused; the best credible word first.

    The first pick is the one whose credible reports speak best for you (never a
    policy-limited one), then relationships not yet covered. ``as_of`` (default: the
    newest record) is the day the credible reports are weighed on.
    """
    picks, _ = _lineup(registry, verdicts, settings, size, as_of)
    return picks


def held_back(
    registry: Registry,
    verdicts: list[Verdict],
    settings: Settings,
    size: int | None = None,
    as_of: date | None = None,
) -> list[Pick]:
    """When the lineup is short of ``size``: who is held back from it, and why."""
    return lineup_and_held_back(registry, verdicts, settings, size, as_of)[1]


def lineup_and_held_back(
    registry: Registry,
    verdicts: list[Verdict],
    settings: Settings,
    size: int | None = None,
    as_of: date | None = None,
) -> tuple[list[Pick], list[Pick]]:
    """The lineup, and who is held back from it when it is short of ``size`` (else nobody), worked out once."""
    picks, held = _lineup(registry, verdicts, settings, size, as_of)
    wanted = size if size is not None else settings.lineup.size
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
    favourable = {f.id for f in reg.feedback if f.sentiment not in (*ADVERSE, "no-response")}
    for f in reg.feedback:
        if f.sentiment == "positive" and credible(f, s.scoring):
            praise[f.reference] += aged(f, s.scoring, day)
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
            wanted = [v for v in fresh if refs[v.id].relationship in s.lineup.require]
            if wanted and not used & set(s.lineup.require):
                choice, why = wanted[0], f"employers want to hear from a {refs[wanted[0].id].relationship}"
            elif fresh:
                choice, why = fresh[0], "adds a relationship the others do not cover"
        candidates.remove(choice)
        ref = refs[choice.id]
        used.add(ref.relationship)
        picks.append(Pick(choice.id, choice.name, ref.relationship, _pick_reason(choice, ref, why, favourable)))
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
        return f"{text} {watch_advice(v)}" if v.recommendation == "watch" else text
    if "fatigued" in v.flags:
        return "Fatigued: slow to answer or tired of being asked lately; let them rest."
    if "overused" in v.flags:
        return "Overused: given too often lately; let them rest."
    return None


def watch_advice(v: Verdict) -> str:
    """What watch asks of the user for this verdict: a professional check when friends' calls prove
    nothing (contradicted) or rumours converge, else a mock call."""
    return CHECK_MEANS if needs_check(v) else WATCH_MEANS


def needs_check(v: Verdict) -> bool:
    """Only a professional reference check can settle it: contradicted, converging rumours, or a
    suspected pattern in someone friends' calls already praised (the audit's advice says so)."""
    return friends_cannot_settle(v.flags, v.claims) or v.advice == CHECK_MEANS


def friends_cannot_settle(flags: Iterable[str | None], claims: Iterable[Claim]) -> bool:
    """Contradicted, or rumours converging with no credible positive since: another friend's call
    proves nothing (the audit's advice and ``needs_check`` both ask this)."""
    converging = any(c.kind == "converging" and not c.numbers["positives_since"] for c in claims)
    return "contradicted" in flags or converging


def _pick_reason(v: Verdict, ref: Reference, why: str, favourable: set[str]) -> str:
    # Who they are (relationship, organisation) is printed beside the pick; this says why.
    text = f"{why[:1].upper()}{why[1:]}; keep, risk {v.risk:.2f}"
    # The reports for them first; any adverse one the audit weighed is named as such, never as support.
    for_them = [i for i in v.evidence if i in favourable]
    against = [i for i in v.evidence if i not in favourable]
    weighed = f"despite {cite(against)[1:-1]}" if against else ""
    if for_them:
        text += f" {cite(for_them)[:-1]}; {weighed})." if weighed else f" {cite(for_them)}."
    else:
        text += f" ({weighed})." if weighed else "."
    if "untested" in v.flags:
        text += " Untested: brief them well, or test them first with a mock call."
    if "stale" in v.flags:
        text += " You have not been in touch for a while: call them before you give their name."
    if "policy-limited" in v.flags:
        text += " Their employer only confirms dates, so pair them with someone who can speak freely."
    return text
