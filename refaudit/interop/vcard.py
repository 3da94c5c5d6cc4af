"""vCard 3.0 and 4.0 (a phone's or mail program's contacts), read with ``vobject``.

``FN`` (or ``N``) is the name, the first ``ORG`` unit the organisation, ``TITLE`` the
title; of several ``EMAIL`` and ``TEL`` lines the preferred one (``TYPE=pref`` or
``PREF=1``), else the first. A ``tel:`` URI (vCard 4.0) gives the number it holds.

Large properties are streamed past, not parsed: a photo, logo, sound or key (and any
property longer than 1 MiB) is dropped line by line before ``vobject`` sees the file, so a
20 MB card with one photo is read in a few dozen MB (``vobject`` took 2.8 GB and 45 s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop import contacts
from refaudit.interop.records import Incoming, Item, Skip, check_rows
from refaudit.interop.source import Text


def looks_like(text: str) -> bool:
    return text.lstrip()[:11].upper() == "BEGIN:VCARD"


def read(text: Text, *, status: str, only: Sequence[str]) -> Incoming:
    import vobject  # only an import of vCards pays for it

    try:
        cards = list(vobject.readComponents(slim(text.text), validate=False))
    except vobject.base.ParseError as exc:
        message = _message(exc)
        line = _line_of(text.text, message)
        at = f", line {line}" if line else ""
        raise ValidationError(f"{text.name!r}{at} is not a valid vCard: {message}.") from None
    except (
        Exception
    ) as exc:  # vobject raises plain Python errors on some malformed input; none may escape as a traceback
        raise ValidationError(f"{text.name!r} is not a valid vCard ({exc.__class__.__name__}).") from None
    check_rows(text.name, len(cards))
    incoming = Incoming()
    people: list[Item[Any]] = []
    for number, card in enumerate(cards, start=1):
        where = f"{text.name}, card {number}"
        if card.name.upper() != "VCARD":
            raise ValidationError(f"in {where}: a {card.name} is not a vCard.")
        name = _text(card, "fn") or _name_from_n(card)
        if not name:
            incoming.skipped.append(Skip("references", len(people), where, "no name (FN or N)"))
            continue
        people.append(
            contacts.person(
                {
                    "name": name,
                    "organization": _org(card),
                    "title": _text(card, "title"),
                    "email": _text(card, "email"),
                    "phone": _phone(_text(card, "tel")),
                    "notes": _text(card, "note"),
                },
                where,
            )
        )
    contacts.finish(people, text.name, status=status, only=only, into=incoming)
    return incoming


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_PROPERTY_NAME = re.compile(r"[^:;]*")
_BULKY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})  # binary data refaudit never reads
MAX_PROPERTY = 1024 * 1024  # characters; no field refaudit keeps is anywhere near this


def slim(text: str) -> str:
    """``text`` without the properties refaudit never reads that can be huge (photos…), streamed line by line.

    A property is one line and the folded lines after it (they start with a space or a tab);
    it is dropped whole when its name is bulky or it grows past ``MAX_PROPERTY`` characters.
    """
    out: list[str] = []
    current: list[str] = []
    size = 0
    dropping = False
    for match in _PHYSICAL_LINE.finditer(text):
        line = match.group()
        if line[:1] in (" ", "\t"):  # a folded continuation of the property before
            if dropping:
                continue
            size += len(line)
            if size > MAX_PROPERTY:
                dropping, current = True, []
            else:
                current.append(line)
            continue
        out += current
        name = _PROPERTY_NAME.match(line)
        bare = (name.group() if name else "").rpartition(".")[2].strip().upper()  # "item1.PHOTO" -> PHOTO
        size = len(line)
        dropping = bare in _BULKY or size > MAX_PROPERTY
        current = [] if dropping else [line]
    out += current
    return "".join(out)


def _message(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text.split(": ", 1)[1] if text.startswith("At line") and ": " in text else text


def _line_of(text: str, message: str) -> int | None:
    """The line a "Failed to parse line: X" names (vobject's own line numbers count unfolded lines twice)."""
    _, found, bad = message.partition("Failed to parse line: ")
    if not found:
        return None
    lines = [line.strip() for line in text.splitlines()]
    return lines.index(bad.strip()) + 1 if bad.strip() in lines else None


def _preferred(lines: list[Any]) -> Any:
    for line in lines:
        types = ",".join(line.params.get("TYPE", [])).lower().split(",")
        if "pref" in types or line.params.get("PREF"):
            return line
    return lines[0]


def _text(card: Any, key: str) -> str | None:
    lines = card.contents.get(key)
    if not lines:
        return None
    value = _preferred(lines).value
    if isinstance(value, list):  # ORG and the like: structured values
        value = value[0] if value else ""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _name_from_n(card: Any) -> str | None:
    lines = card.contents.get("n")
    if not lines:
        return None
    n = lines[0].value
    parts = [getattr(n, attr, "") for attr in ("prefix", "given", "additional", "family", "suffix")]
    words = [" ".join(p) if isinstance(p, list) else p for p in parts]
    return " ".join(w.strip() for w in words if w and w.strip()) or None


def _org(card: Any) -> str | None:
    lines = card.contents.get("org")
    if not lines:
        return None
    value = lines[0].value
    units = value if isinstance(value, list) else [value]
    return next((u.strip() for u in units if isinstance(u, str) and u.strip()), None)


def _phone(value: str | None) -> str | None:
    """``tel:+1-555-010-0200;ext=12`` -> ``+1-555-010-0200 ext. 12``; anything else as written."""
    if value is None or not value.lower().startswith("tel:"):
        return value
    number, _, params = value[4:].partition(";")
    extension = next((p[4:] for p in params.split(";") if p.lower().startswith("ext=")), "")
    return f"{number} ext. {extension}" if extension else number
