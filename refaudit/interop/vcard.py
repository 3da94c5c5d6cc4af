"""vCard 3.0 and 4.0 (a phone's or mail program's contacts), read with ``vobject``.

``FN`` (or ``N``) is the name, ``N``'s honorific prefix and suffix are kept apart from it,
the first ``ORG`` unit is the organisation, ``TITLE`` the title. Every ``EMAIL``, ``TEL``
and ``URL`` is kept, the preferred one (``TYPE=pref`` or ``PREF=1``) first: the work
number employers often call is rarely the only one. A ``tel:`` URI (vCard 4.0) gives the
number it holds.

Large properties are streamed past, not parsed: a photo, logo, sound or key (and any
property longer than 1 MiB) is dropped line by line before ``vobject`` sees the file, so a
20 MB card with one photo is read in a few dozen MB (``vobject`` took 2.8 GB and 45 s); the
summary lists them among the properties left out.
"""

from __future__ import annotations

import re
from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop import contacts
from refaudit.interop.records import Incoming, Item, Skip, check_rows
from refaudit.interop.source import Text
from refaudit.interop.sources import ImportSource, Options


def looks_like(text: str) -> bool:
    return text.lstrip()[:11].upper() == "BEGIN:VCARD"


def recognises(text: Text) -> bool:
    return text.suffix in (".vcf", ".vcard") or looks_like(text.text)


def read(text: Text, options: Options) -> Incoming:
    status, only = options.status or "resting", options.only
    import vobject  # only an import of vCards pays for it

    try:
        dropped: list[str] = []
        cards = list(vobject.readComponents(slim(text.text, dropped), validate=False))
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
        _account(card, incoming)
        prefix, suffix = _affixes(card)
        name = _without_affixes(_text(card, "fn"), prefix, suffix) or _name_from_n(card)
        if not name:
            incoming.skipped.append(Skip("references", len(people), where, "no name (FN or N)"))
            continue
        people.append(
            contacts.person(
                {
                    "name": name,
                    "name_prefix": prefix,
                    "name_suffix": suffix,
                    "organization": _org(card),
                    "title": _text(card, "title"),
                    "emails": _every(card, "email"),
                    "phones": [p for p in (_phone(v) for v in _every(card, "tel")) if p],
                    "links": _every(card, "url"),
                    "notes": _text(card, "note"),
                },
                where,
            )
        )
    incoming.left_out += [name for name in dict.fromkeys(dropped) if name not in incoming.left_out]
    contacts.finish(people, text.name, status=status, only=only, into=incoming)
    return incoming


_READ = ("FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "URL", "NOTE")
# What says how the card is written, not who it is: never listed as left out.
_FORMAT = ("VERSION", "PRODID", "UID", "REV", "KIND", "X-ABUID")


def _account(card: Any, into: Incoming) -> None:
    for key, lines in card.contents.items():
        prop = key.upper()
        if prop in _FORMAT or not any(_has_value(line) for line in lines):
            continue
        target = into.used if prop in _READ else into.left_out
        if prop not in target:
            target.append(prop)


def _has_value(line: Any) -> bool:
    value = line.value
    if isinstance(value, str):
        return bool(value.strip())
    return bool(str(value).strip())


def _affixes(card: Any) -> tuple[str | None, str | None]:
    """``N``'s honorific prefix and suffix (``Dr.``, ``Jr.``)."""
    lines = card.contents.get("n")
    if not lines:
        return None, None
    n = lines[0].value
    words = [getattr(n, attr, "") for attr in ("prefix", "suffix")]
    texts = [" ".join(w) if isinstance(w, list) else w for w in words]
    return texts[0].strip() or None, texts[1].strip() or None


def _without_affixes(name: str | None, prefix: str | None, suffix: str | None) -> str | None:
    """``FN:Dr. Omar Haddad Jr.`` with N's prefix ``Dr.`` and suffix ``Jr.`` -> ``Omar Haddad``."""
    if name is None:
        return None
    if prefix and name.startswith(prefix + " "):
        name = name[len(prefix) :].strip()
    if suffix and name.endswith(suffix):
        name = name[: -len(suffix)].rstrip().rstrip(",").rstrip()
    return name or None


def _every(card: Any, key: str) -> list[str]:
    """Every value of ``key`` as text, the preferred one first."""
    lines = card.contents.get(key) or []
    first = _preferred(lines) if lines else None
    ordered = ([first] if first is not None else []) + [line for line in lines if line is not first]
    return [v.strip() for line in ordered if isinstance(v := line.value, str) and v.strip()]


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_PROPERTY_NAME = re.compile(r"[^:;]*")
_BULKY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})  # binary data refaudit never reads
MAX_PROPERTY = 1024 * 1024  # characters; no field refaudit keeps is anywhere near this


def slim(text: str, dropped: list[str] | None = None) -> str:
    """``text`` without the properties refaudit never reads that can be huge (photos…), streamed line by line.

    A property is one line and the folded lines after it (they start with a space or a tab);
    it is dropped whole when its name is bulky or it grows past ``MAX_PROPERTY`` characters.
    The names of the properties dropped are added to ``dropped``.
    """
    out: list[str] = []
    current: list[str] = []
    size = 0
    dropping = False
    bare = ""  # the current property's name
    for match in _PHYSICAL_LINE.finditer(text):
        line = match.group()
        if line[:1] in (" ", "\t"):  # a folded continuation of the property before
            if dropping:
                continue
            size += len(line)
            if size > MAX_PROPERTY:
                dropping, current = True, []
                if dropped is not None:
                    dropped.append(bare)
            else:
                current.append(line)
            continue
        out += current
        name = _PROPERTY_NAME.match(line)
        bare = (name.group() if name else "").rpartition(".")[2].strip().upper()  # "item1.PHOTO" -> PHOTO
        size = len(line)
        dropping = bare in _BULKY or size > MAX_PROPERTY
        if dropping and dropped is not None:
            dropped.append(bare)
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
    parts = [getattr(n, attr, "") for attr in ("given", "additional", "family")]
    given, additional, family = [(" ".join(p) if isinstance(p, list) else p or "").strip() for p in parts]
    return contacts.joined(given, additional, family) or None


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


SOURCE = ImportSource("vcard", "contacts", "vCard", recognises, read)
