"""What the contact sources (LinkedIn, Google, vCard) share: a person from a few fields.

People come in as ``resting`` unless the user says ``--status active``: a contact list
is not a list of references, and the audit should not count them until chosen.
``--only NAME`` keeps just the people named (by full name or email, any case).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop.records import ROW, Incoming, Item, item
from refaudit.model import REFERENCE_STATUSES
from refaudit.text import fold


def person(fields: dict[str, Any], where: str) -> Item[Any]:
    """One reference from ``{name, organization, title, email, phone, known_since, notes}``; empty ones dropped."""
    row = {k: v for k, v in fields.items() if v not in (None, "")}
    return item("references", row, ROW, where)


def finish(people: list[Item[Any]], name: str, *, status: str, only: Sequence[str], into: Incoming) -> None:
    """Give new people ``status`` and keep those ``only`` names (all when empty)."""
    if status not in REFERENCE_STATUSES:
        raise ValidationError(f"--status {status!r} is not one of: {', '.join(REFERENCE_STATUSES)}.")
    if only:
        wanted = {fold(o.strip()) for o in only}
        kept = [p for p in people if fold(p.record.name) in wanted or fold(p.record.email or "") in wanted]
        found = {fold(p.record.name) for p in kept} | {fold(p.record.email or "") for p in kept}
        missing = [o for o in only if fold(o.strip()) not in found]
        if missing:
            raise ValidationError(
                f"--only {', '.join(repr(m) for m in missing)}: no one of that name or email in {name!r} "
                "(nothing was imported)."
            )
        people = kept
        into.skipped.clear()  # rows without a name are no one's: not worth listing under --only
    for p in people:
        p.record.status = status  # not in ``given``: a person already in the registry keeps theirs
    into.references.extend(people)


def first(value: str | None, separator: str = " ::: ") -> str | None:
    """The first of several values in one cell (Google writes ``a@x.com ::: b@y.com``)."""
    if value is None:
        return None
    return value.split(separator)[0].strip() or None
