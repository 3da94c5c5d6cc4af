"""Dates as other programs write them in their exports (LinkedIn, job trackers, contacts).

Strict: each accepted form is one explicit ``strptime`` format. A slashed date such as
``03/04/2024`` is accepted only when one reading is impossible (a part above 12) or
``order`` (``dmy`` / ``mdy``) says which; otherwise the error names both readings.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from refaudit.errors import ValidationError

_FORMATS = (
    "%Y-%m-%d",
    "%d %b %Y",  # LinkedIn's Connected On: 12 Mar 2024
    "%d %B %Y",
    "%b %d %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
)
_SLASHED_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# ``2024-03-12T09:30:00Z``, ``2024-03-12 09:30``: trackers export timestamps; the day is what counts.
_TIMESTAMP_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def parse(text: str, where: str, *, order: str | None = None) -> date:
    """The date ``text`` names; ``where`` (file, row, field) goes into every error."""
    value = " ".join(text.split())
    stamp = _TIMESTAMP_RE.fullmatch(value)
    if stamp:
        value = stamp.group(1)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    slashed = _SLASHED_RE.fullmatch(value)
    if slashed:
        return _slashed(value, *map(int, slashed.groups()), where=where, order=order)
    raise ValidationError(
        f"in {where}: {text!r} is not a date; accepted: 2024-03-12, 12 Mar 2024, Mar 12 2024, 2024/03/12, 12.03.2024."
    )


def _slashed(text: str, first: int, second: int, year: int, *, where: str, order: str | None) -> date:
    readings: dict[str, date] = {}
    for name, (day, month) in (("dmy", (first, second)), ("mdy", (second, first))):
        try:
            readings[name] = date(year, month, day)
        except ValueError:
            continue
    if order in readings:
        return readings[order]
    if len(readings) == 1 or (len(readings) == 2 and readings["dmy"] == readings["mdy"]):
        return next(iter(readings.values()))
    if not readings:
        raise ValidationError(f"in {where}: {text!r} is not a date (no month or day fits).")
    dmy, mdy = readings["dmy"], readings["mdy"]
    raise ValidationError(
        f"in {where}: {text!r} is ambiguous: {dmy:%-d %B %Y} (day/month) or {mdy:%B %-d %Y} (month/day); "
        "write it as YYYY-MM-DD."
    )
