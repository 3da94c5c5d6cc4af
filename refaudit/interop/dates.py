"""Dates as other programs write them in their exports (LinkedIn, job trackers, contacts).

Read by the one date parser, ``refaudit.dates``, in its absolute forms (a file has no
"today" to count from): ``2024-03-12``, ``12 Mar 2024``, ``Mar 12, 2024``, ``2024/03/12``,
``12.03.2024``. A slashed date such as ``03/04/2024`` is accepted only when one reading is
impossible or ``order`` (``import --date-order``, else the ``dates.order`` setting) says which. Trackers export
timestamps: of ``2024-03-12T09:30:00Z`` the day is what counts. Every error names the
file, row and field, and is exit 1 (the file is wrong, not the command line).
"""

from __future__ import annotations

import re
from datetime import date

from refaudit import dates
from refaudit.errors import ValidationError

# ``2024-03-12T09:30:00Z``, ``2024-03-12 09:30``: trackers export timestamps; the day is what counts.
_TIMESTAMP_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


_SETTING_HINT = "or say how you write dates once: refaudit config set dates.order dmy (or mdy)."
_IMPORT_HINT = "or say which for this file: import --date-order dmy (or mdy)."


def parse(text: str, where: str, *, order: str | None = None) -> date:
    """The date ``text`` names; ``where`` (file, row, field) goes into every error."""
    value = " ".join(text.split())
    stamp = _TIMESTAMP_RE.fullmatch(value)
    try:
        return dates.parse(stamp.group(1) if stamp else value, None, order)
    except ValidationError as exc:  # an ambiguous date too: inside a file it is exit 1, not a usage error
        message = str(exc).replace(_SETTING_HINT, _IMPORT_HINT)
        raise ValidationError(f"in {where}: {message}") from None
