"""Dates as people type them, read strictly: every accepted form is listed here, nothing is guessed.

``parse(text, today, order)`` accepts ``YYYY-MM-DD``; ``today``, ``yesterday``; ``N days ago``,
``N weeks ago``; ``last monday`` … ``last sunday`` (on a Monday, ``last monday`` is 7 days
ago); ``15.09.2026``; ``15 Sep 2026``, ``Sep 15 2026``, ``Sep 15, 2026``, ``15 September
2026``; ``2026/09/15``; and slashed day/month/year or month/day/year (``12/03/2026``) when
one reading is impossible or ``order`` (``dmy`` or ``mdy``, the ``dates.order`` setting) says
which. Two readable ways → ``AmbiguousDateError`` naming both. Pure: ``today`` is passed in;
``today=None`` (a date read from a file, which has no today to count from) refuses the relative forms.

No lenient guesser (dateutil's fuzzy parser would turn a typo into some date): a form not
listed above is refused, with the forms that are accepted.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from refaudit.errors import ValidationError

ORDERS = ("dmy", "mdy")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Full names, three-letter abbreviations, and "sept".
MONTHS = {name: n for n, full in enumerate(_MONTHS, 1) for name in (full, full[:3])} | {"sept": 9}
# Relative dates further back than this are a slip of the keyboard, not a date.
MAX_DAYS_AGO = 100 * 366

FORMS = "YYYY-MM-DD, today, yesterday, 3 days ago, 2 weeks ago, last monday, 15.09.2026, 15 Sep 2026 or 2026/09/15"
ABSOLUTE_FORMS = "YYYY-MM-DD, 15.09.2026, 15 Sep 2026, Sep 15 2026 or 2026/09/15"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_AGO = re.compile(r"(\d{1,6}|a|one) (day|days|week|weeks) ago", re.ASCII)
_LAST = re.compile(r"last ([a-z]+)", re.ASCII)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_DAY_MONTH = re.compile(r"(\d{1,2}) ([a-z]+)\.? (\d{4})", re.ASCII)
_MONTH_DAY = re.compile(r"([a-z]+)\.? (\d{1,2}),? (\d{4})", re.ASCII)


class AmbiguousDateError(ValidationError):
    """A slashed date both day/month/year and month/day/year can read."""


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{text!r} is not a date: {_describe(year, month, day)} does not exist.") from None


def _describe(year: int, month: int, day: int) -> str:
    if 1 <= month <= 12:
        return f"day {day} of {_MONTHS[month - 1].capitalize()} {year}"
    return f"month {month}"


def _long(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1].capitalize()} {d.year}"


def _month(text: str, word: str) -> int:
    try:
        return MONTHS[word]
    except KeyError:
        raise ValidationError(
            f"{text!r} is not a date: {word!r} is not a month name (use e.g. Sep or September)."
        ) from None


def _slashed(text: str, a: int, b: int, year: int, order: str | None) -> date:
    readings = {}
    for name, (day, month) in (("dmy", (a, b)), ("mdy", (b, a))):
        try:
            readings[name] = date(year, month, day)
        except ValueError:
            continue
    if not readings:
        raise ValidationError(f"{text!r} is not a date: neither day/month/year nor month/day/year exists.")
    if len(set(readings.values())) == 1:
        return next(iter(readings.values()))
    if order in readings:
        return readings[order]
    dmy, mdy = readings["dmy"], readings["mdy"]
    raise AmbiguousDateError(
        f"{text!r} is ambiguous: {_long(dmy)} (day/month/year) or {_long(mdy)} (month/day/year). "
        f"Type {dmy.isoformat()} or {mdy.isoformat()}, or say how you write dates once: "
        "refaudit config set dates.order dmy (or mdy)."
    )


def parse(text: str, today: date | None, order: str | None = None) -> date:
    """The day ``text`` names, counting relative forms from ``today`` (None: no relative forms)."""
    if order is not None and order not in ORDERS:
        raise ValidationError(f"the setting dates.order {order!r} is not one of: dmy, mdy.")
    typed = text.strip()
    t = " ".join(typed.lower().split())
    forms = FORMS if today is not None else ABSOLUTE_FORMS
    if not t:
        raise ValidationError(f"no date given; use {forms}.")
    # A date read from a file (today is None) has no today to count from: absolute forms only.
    if today is not None and t == "today":
        return today
    if today is not None and t == "yesterday":
        return today - timedelta(days=1)
    if m := _ISO.fullmatch(t):
        return _make(typed, int(m[1]), int(m[2]), int(m[3]))
    if today is not None and (m := _AGO.fullmatch(t)):
        n = 1 if m[1] in ("a", "one") else int(m[1])
        days = n * 7 if m[2].startswith("week") else n
        if days > MAX_DAYS_AGO or days > (today - date.min).days:
            raise ValidationError(f"{typed!r} is more than a hundred years ago; type the date instead.")
        return today - timedelta(days=days)
    if today is not None and (m := _LAST.fullmatch(t)):
        wanted = next((i for i, name in enumerate(WEEKDAYS) if m[1] in (name, name[:3])), None)
        if wanted is None:
            raise ValidationError(f"{typed!r} is not a date: {m[1]!r} is not a day of the week (monday … sunday).")
        back = (today.weekday() - wanted) % 7 or 7
        return today - timedelta(days=back)
    if m := _DOTTED.fullmatch(t):
        return _make(typed, int(m[3]), int(m[2]), int(m[1]))
    if m := _YMD_SLASH.fullmatch(t):
        return _make(typed, int(m[1]), int(m[2]), int(m[3]))
    if m := _SLASHED.fullmatch(t):
        return _slashed(typed, int(m[1]), int(m[2]), int(m[3]), order)
    if m := _DAY_MONTH.fullmatch(t):
        return _make(typed, int(m[3]), _month(typed, m[2]), int(m[1]))
    if m := _MONTH_DAY.fullmatch(t):
        return _make(typed, int(m[3]), _month(typed, m[1]), int(m[2]))
    raise ValidationError(f"{typed!r} is not a date; use {forms}.")
