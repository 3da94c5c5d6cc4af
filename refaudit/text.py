"""Text as people type it: matching forms (folding, transliteration), ids from names, and the
characters that can make text lie.

``DANGEROUS`` is the one list of characters that can disguise text on a terminal or in a
document: C0 and C1 controls and DEL, the bidi marks, embeddings, overrides and isolates
(U+061C, U+200E, U+200F, U+202A-202E, U+2066-2069) and lone surrogates (bytes that were
not UTF-8). Output escapes them (``refaudit.printable``); input refuses them
(``refuse_hidden``), keeping line breaks and tabs in multi-line fields. A one-line field
also refuses line and paragraph separators (U+2028, U+2029) and every other format
character (Unicode category Cf) but the zero-width non-joiner and joiner (U+200C, U+200D),
which some scripts need; in a multi-line field the separators become newlines.

Older registries keep opening (docs/SPEC.md): text a registry already holds is checked,
inside ``as_stored()``, against the rule it was written under, which refused only C0 and
C1 controls and the bidi embeddings, overrides and isolates. Reading the file and
re-checking it before a save use it; everything typed, imported or edited does not.

Light on purpose: the command line's output escaping imports it, and --help stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from refaudit.errors import ValidationError

# The C1 controls and DEL, the bidi marks, embeddings, overrides and isolates, and lone surrogates.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
# A regular-expression class body (between [ and ]): C0 controls and the rest above.
DANGEROUS = "\x00-\x1f" + _BEYOND_C0
DANGEROUS_RE = re.compile(f"[{DANGEROUS}]")
JOINERS = "\u200c\u200d"  # format characters some scripts need inside words (Persian, Devanagari, emoji)
LINE_SEPARATORS = "\u2028\u2029"

# Titles before a name, folded: never part of an id, never taken for an initial, never masked
# as a name word, kept in a greeting ("Dr Park"). The one list: drafts, erasure and redaction use it.
HONORIFICS = ("dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching (``José`` -> ``jose``)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():  # no combining marks to drop (most text: names, ids, quotes)
        return decomposed.casefold()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def transliterate(text: str) -> str:
    """``text`` in ASCII: accents dropped, other scripts romanised (anyascii), ``李娜`` -> ``Li Na``.

    anyascii runs CJK and hangul syllables together, capitalised (``LiNa``): inside
    romanised text each capital starts a word. Text that was ASCII already is kept as it is.
    """
    from anyascii import anyascii  # ISC-licensed; unidecode is GPL

    parts = []
    for run in re.split(r"([^\x00-\x7f]+)", text):
        parts.append(run if run.isascii() else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", anyascii(run)))
    return "".join(parts)


def without_honorifics(name: str) -> str:
    """``Dr. Ingrid Olsen`` -> ``Ingrid Olsen``; a name that is only a title is kept."""
    words = name.split()
    while len(words) > 1 and words[0].rstrip(".").casefold() in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def slugify(text: str) -> str:
    """An id-shaped form of ``text``: ``José Ñúñez`` -> ``jose-nunez``, ``李娜`` -> ``li-na``; may be empty."""
    import unicodedata

    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(unicodedata.normalize("NFKC", text)).lower())
    return slug.strip("-")[:48].strip("-")


def name_slug(name: str) -> str:
    """The id a person's name suggests: honorifics left out (``Dr. Ingrid Olsen`` -> ``ingrid-olsen``)."""
    return slugify(without_honorifics(name))


_STORED: ContextVar[bool] = ContextVar("refaudit_text_stored", default=False)


@contextmanager
def as_stored() -> Iterator[None]:
    """Check text a registry already holds by the older rule (see the module docstring)."""
    token = _STORED.set(True)
    try:
        yield
    finally:
        _STORED.reset(token)


@cache
def _stored_refused(multiline: bool) -> re.Pattern[str]:
    """What refaudit refused before one list was shared with output: controls, bidi embeddings and isolates."""
    controls = "\x00-\x08\x0b-\x1f" if multiline else "\x00-\x1f"
    return re.compile(f"[{controls}\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@cache
def _multiline_refused() -> re.Pattern[str]:
    """``DANGEROUS`` but the tab and the newline (compiled when first needed: every start pays for the first)."""
    return re.compile(f"[\x00-\x08\x0b-\x1f{_BEYOND_C0}]")


def unify_line_breaks(text: str) -> str:
    """Windows (CRLF), old Mac (CR) and Unicode (U+2028, U+2029) line breaks as newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n")


def refuse_hidden(name: str, text: str, *, multiline: bool = False) -> str:
    """``text`` when it holds nothing that could hide or disguise what it says, else ``ValidationError``
    naming the field ``name`` and the code point (see the module docstring for what is refused).

    A multi-line ``text`` is expected with its line breaks unified (``unify_line_breaks``).
    """
    stored = _STORED.get()
    if stored:
        bad = _stored_refused(multiline).search(text)
    else:
        bad = (_multiline_refused() if multiline else DANGEROUS_RE).search(text)
    if bad:
        raise ValidationError(
            f"{name} contains the control character U+{ord(bad.group()):04X}; "
            "use plain text" + (" (line breaks and tabs are fine)." if multiline else ".")
        )
    if not multiline and not stored and not text.isascii():
        import unicodedata

        for char in text:
            if char in LINE_SEPARATORS:
                raise ValidationError(f"{name} contains the line separator U+{ord(char):04X}; keep it on one line.")
            if unicodedata.category(char) == "Cf" and char not in JOINERS:
                raise ValidationError(
                    f"{name} contains the invisible format character U+{ord(char):04X}; use plain text."
                )
    return text
