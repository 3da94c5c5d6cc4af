"""The warning at the moment of giving a reference: pure ``(registry, settings, day, refs) -> [str]``.

``app add --ref`` and ``app update --ref``/``--swap`` ask it before the change is made, with
the audit as of the day the reference is given (``--applied``/``--on``): a reference the audit
says ``drop`` or ``watch``, or flags ``overused``, ``fatigued`` or ``unreachable``, gets one
line saying why and whom the lineup would give instead. It warns; it never blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from refaudit import audit
from refaudit.model import Reference, Registry
from refaudit.settings import Settings

# The flags worth a word when giving someone, and that word. ``fatigued`` is the judgement's
# own (issue 19); named here so the warning speaks of it as soon as the audit sets it.
WARN_FLAGS = {
    "overused": "given often lately: employers and they both notice",
    "fatigued": "a report says they are slow to answer or tired of being asked",
    "unreachable": "employers could not reach them",
}


def warnings(
    registry: Registry,
    settings: Settings,
    day: date,
    refs: Sequence[Reference],
    already: Sequence[str] = (),
) -> list[str]:
    """One line per reference in ``refs`` the audit warns about on ``day``; ``already`` are on the application."""
    if not refs:
        return []
    verdicts = audit.audit(registry, settings, day)
    by_id = {v.id: v for v in verdicts}
    lines = []
    instead: str | None = None
    for ref in refs:
        verdict = by_id.get(ref.id)
        if verdict is None:
            continue
        flags = [flag for flag in WARN_FLAGS if flag in verdict.flags]
        if verdict.recommendation == "keep" and not flags:
            continue
        if instead is None:
            taken = {*already, *(r.id for r in refs)}
            instead = _pick(registry, verdicts, settings, day, taken)
        what = [verdict.recommendation] if verdict.recommendation != "keep" else []
        what += flags
        why = audit.in_a_line(verdict) if verdict.recommendation != "keep" else ""
        why += "".join(f" {flag[:1].upper()}{flag[1:]}: {WARN_FLAGS[flag]}." for flag in flags)
        lines.append(
            f"Warning: {ref.name} ({ref.id}) is {' and '.join(what)} as of {day.isoformat()}. {why.strip()} {instead}"
        )
    return lines


def _pick(
    registry: Registry,
    verdicts: list[audit.Verdict],
    settings: Settings,
    day: date,
    taken: set[str],
) -> str:
    picks = audit.lineup(registry, verdicts, settings, size=max(1, len(verdicts)), as_of=day)
    free = [p for p in picks if p.id not in taken]
    if not free:
        return "The lineup has nobody else ready to give instead."
    return f"The lineup's pick instead: {free[0].name} ({free[0].id})."
