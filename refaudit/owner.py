"""The job seeker's own name (``owner``): set, cleared, checked.

It signs the drafts and heads the report and its PDF metadata. The history line never
holds the name itself (it is personal data): only that it was set or cleared.
"""

from __future__ import annotations

from refaudit.change import Change
from refaudit.checks import MAX_NAME, check_text
from refaudit.errors import ValidationError
from refaudit.model import Registry


def checked(name: str) -> str:
    """``name`` stripped, refused when empty, too long, or holding control characters."""
    text = check_text("owner", name, max_len=MAX_NAME)
    if text is None:
        raise ValidationError("owner '' is empty; give your name as you sign letters, or use --unset to clear it.")
    return text


def set_owner(reg: Registry, name: str | None) -> Change[str | None]:
    """Set the owner to ``name`` (checked), or clear it with ``None``; nothing written when unchanged."""
    new = checked(name) if name is not None else None
    if new == reg.owner:
        return Change(None, new)
    reg.owner = new
    return Change("set the owner" if new is not None else "cleared the owner", new)
