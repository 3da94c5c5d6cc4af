"""What the contact sources (LinkedIn, Google, Outlook, vCard) share: a person from a few fields.

People come in as ``resting`` unless the user says ``--status active``: a contact list
is not a list of references, and the audit should not count them until chosen.
``--only NAME`` keeps just the people named (by full name or email, any case, with or
without an honorific: "Anne Weber" finds "Prof. Anne Weber").

Nothing a contact holds about how to reach them is dropped: every email, phone and web
address is kept (the first in ``email``/``phone``, the others in ``emails``/``phones``;
web addresses in ``links``). An honorific before the name ("Dr.") goes to
``name_prefix``, a suffix ("Jr.") to ``name_suffix``. A name from split parts whose
parts are all Han, Kana or Hangul is written family name first, without a space
(李 + 娜 -> 李娜); other names keep the order given, then family.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop.records import ROW, Incoming, Item, item
from refaudit.model import REFERENCE_STATUSES
from refaudit.text import fold, without_honorifics

MULTI = " ::: "  # Google writes several values in one cell so


def person(fields: dict[str, Any], where: str) -> Item[Any]:
    """One reference from ``{name, name_prefix, name_suffix, organization, title, emails, phones, links,
    known_since, notes}`` (``emails``, ``phones``, ``links`` lists of text); empty ones dropped.

    A leading honorific in ``name`` moves to ``name_prefix`` (unless the source gave one).
    """
    row = {k: v for k, v in fields.items() if v not in (None, "", [])}
    prefix, name = split_prefix(str(row.get("name", "")))
    if name:
        row["name"] = name
    if prefix and "name_prefix" not in row:
        row["name_prefix"] = prefix
    emails = _unique(row.pop("emails", []), key=str.casefold)
    phones = _unique(row.pop("phones", []), key=lambda p: "".join(c for c in p if c.isalnum()))
    links = _unique(row.pop("links", []), key=lambda u: u.rstrip("/"))
    for key, values in (("email", emails), ("phone", phones)):
        if values:
            row[key] = values[0]
        if values[1:]:
            row[key + "s"] = values[1:]
    if links:
        row["links"] = links
    return item("references", row, ROW, where)


def _unique(values: Iterable[str], *, key: Any) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        text = value.strip()
        if text:
            seen.setdefault(key(text), text)
    return list(seen.values())


def split_prefix(name: str) -> tuple[str, str]:
    """``Dr. Omar Haddad`` -> (``Dr.``, ``Omar Haddad``); a name that is only a title stays a name."""
    rest = without_honorifics(name)
    words = name.split()
    return " ".join(words[: len(words) - len(rest.split())]), rest


def joined(given: str, middle: str, family: str) -> str:
    """A name from its parts: given, middle, family; CJK parts family first with no space."""
    parts = [p for p in (given, middle, family) if p]
    if given and family and all(_is_cjk(p) for p in parts):
        return family + given + middle
    return " ".join(parts)


def _is_cjk(text: str) -> bool:
    """Every letter of ``text`` is Han, Hiragana, Katakana or Hangul (the scripts written without spaces)."""
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and all(_cjk_char(c) for c in letters)


def _cjk_char(c: str) -> bool:
    name = unicodedata.name(c, "")
    return name.startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA", "HANGUL")
    ) or (c in "々〆ー")


def several(value: str) -> list[str]:
    """The values of one cell: Google writes ``a@x.com ::: b@y.com``."""
    return [v.strip() for v in value.split(MULTI) if v.strip()]


def matches_name(wanted: str, name: str) -> bool:
    """``--only`` and import matching: the same name whatever its case, accents and honorifics."""
    return folded_name(wanted) == folded_name(name)


def folded_name(name: str) -> str:
    return fold(" ".join(without_honorifics(name).split()))


def finish(people: list[Item[Any]], name: str, *, status: str, only: Sequence[str], into: Incoming) -> None:
    """Give new people ``status`` and keep those ``only`` names (all when empty)."""
    if status not in REFERENCE_STATUSES:
        raise ValidationError(f"--status {status!r} is not one of: {', '.join(REFERENCE_STATUSES)}.")
    if only:
        wanted = {folded_name(o) for o in only}

        def keys(p: Item[Any]) -> set[str]:
            emails = [p.record.email, *p.record.emails]
            return {folded_name(p.record.name)} | {fold(e) for e in emails if e}

        kept = [p for p in people if keys(p) & wanted]
        found = set().union(*(keys(p) for p in kept)) if kept else set()
        missing = [o for o in only if folded_name(o) not in found]
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
