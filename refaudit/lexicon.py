"""One identity lexicon per person: what identifies them, normalised, and where it occurs in a text.

Security-relevant and pure. ``--redact`` and ``--anonymous`` (``report.redact``), their fail-closed
gate (``report.gate``) and erasure (``erasure``) all ask this module what names a person and where
a text says it, so the three cannot disagree again (they did: each had its own list of special
cases, and each gap leaked).

What a person's lexicon holds (docs/SPEC.md, third round, "Privacy and integrity"):

- every part of their name, split at spaces, hyphens and apostrophes (``Smith`` from
  ``Anna Lee-Smith``), and the whole name; honorifics, particles and role words (``Dr``,
  ``van``, ``HR``) are never entries on their own, nor is a single character;
- the name's transliteration (anyascii: ``Li Na`` for ``李娜``), and its id;
- each email, and its local part written alone (``pvdberg``);
- each phone, as its digits: it matches with at most two separator characters between digits
  (en dashes, no-break and thin spaces included), also without its country code;
- links (a profile URL), and the last part of their path;
- a reporter's words whatever their case or script; under ``--anonymous`` organisations,
  companies and agencies are entries too (the caller adds them).

Text is normalised before matching: NFKC, case and accents folded, invisible and format
characters (soft hyphens, zero-width spaces, bidi marks) removed; every match maps back to the
original characters. Words of scripts written with spaces match only as whole words; names in
scripts written without them (Han, Kana, Hangul, Thai) match anywhere, as runs of two characters
or more.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from refaudit.model import Reference
from refaudit.text import HONORIFICS, fold, transliterate

# Lowercase particles of a name ("Jane van Doe"): never an entry alone, never an initial.
PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "bin", "al", "el", "ter", "ten",
     "dos", "das", "do", "y", "e"}
)  # fmt: skip
# Words in a reporter's description that say what they are, not who ("a former colleague",
# "Acme hiring manager"): never an entry alone.
ROLE_WORDS = frozenset(
    {"a", "an", "the", "my", "our", "his", "her", "their", "former", "ex", "hr", "hiring", "manager", "recruiter",
     "interviewer", "friend", "colleague", "mutual", "himself", "herself", "themself", "themselves", "who", "did",
     "mock", "call", "team", "lead", "head", "of", "and", "at", "from", "boss", "agency", "someone", "via", "on",
     "in", "for", "with", "by", "to", "or", "recruiting", "talent", "partner", "director", "ceo", "cto", "vp",
     "service", "services", "reference", "references", "check", "checks", "checker", "staff", "department", "dept",
     "office", "company", "firm", "recruitment", "consultant", "panel", "committee", "people", "employer", "client",
     "coworker", "peer", "supervisor", "mentor", "senior", "junior", "current", "old", "new", "previous", "person",
     "contact", "caller", "screener", "there", "here", "me", "i", "you", "we", "they", "us", "this", "that"}
)  # fmt: skip
NOT_ALONE = PARTICLES | ROLE_WORDS | frozenset(HONORIFICS)

# Scripts written without spaces between words: a name in them matches without word boundaries.
_NO_SPACE = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # Hangul
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b"  # CJK radicals, iteration marks
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # Kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0003134f"  # Han, supplementary planes
)
_NO_SPACE_RUN = re.compile(f"[{_NO_SPACE}]+")
_TOKEN = re.compile(f"(?:(?![{_NO_SPACE}])\\w)+")
_PART_SPLIT = re.compile(r"[\s\-\u2010-\u2015\u2212'\u2019\u02bc`´.,()/&+]+")
_DIGIT_RUN = re.compile(r"\d(?:[\W_]{0,2}\d)*")
_MAX_GAP = 3  # characters between the words of a phrase: ". ", " - ", "'"
_MIN_PHONE = 6  # digits: fewer would match dates and counts
_PHONE_TAIL = 7  # a number written without its country or trunk prefix keeps at least these


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each folded character the index of the original one.

    NFKC, case and accents folded (``fold``), format characters removed (category Cf: soft
    hyphen, zero-width space and joiners, bidi marks, word joiner).
    """
    if text.isascii():  # most text: folding is lowering, one character for one
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        if char.isascii():
            folded = char.lower()
        elif unicodedata.category(char) == "Cf":
            continue
        else:
            folded = fold(unicodedata.normalize("NFKC", char))
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def folded(text: str) -> str:
    """``normalise(text)`` without the index map."""
    return normalise(text)[0]


@dataclass(frozen=True)
class Entry:
    """One thing that identifies someone.

    ``kind`` says what it is, for messages that must not repeat it ("name", "email", "phone",
    "reporter", "organisation", "company", "agency", "title", "link", "id"); ``shown`` is what a
    redacted text says instead; ``part`` marks a single word of a name (erasure matches those
    only when capitalised, or in a script without case).
    """

    kind: str
    shown: str
    words: tuple[str, ...] = ()  # folded words of a spaced script, matched whole
    run: str = ""  # a folded run of a script without spaces, matched anywhere
    digits: str = ""  # a phone
    part: bool = False
    gap: int = 3  # the most characters between two of ``words`` ("Lee-Smith": 1; "A.* (B+)": 4)


@dataclass(frozen=True)
class Hit:
    """Where an entry occurs in a text (indices into the original, end exclusive)."""

    start: int
    end: int
    entry: Entry


class Lexicon:
    """Entries, indexed for finding them all in a text in one pass."""

    def __init__(self) -> None:
        self._words: dict[str, list[Entry]] = {}
        self._runs: dict[str, list[Entry]] = {}
        self._phones: list[Entry] = []
        self._tails: dict[str, list[Entry]] | None = None  # phones by their last 7 digits, made when first needed
        self._seen: set[tuple[str, tuple[str, ...], str, str, bool]] = set()

    # --- building ------------------------------------------------------------------------

    def person(self, name: str, shown: str, *, kind: str = "name") -> None:
        """A person's name: the whole of it, each part, and the same for its transliteration."""
        for form in dict.fromkeys((name, transliterate(name))):
            self.phrase(form, shown, kind=kind)
            for chunk in form.split():  # "Lee-Smith" whole, before its halves
                self.phrase(chunk, shown, kind=kind, part=True)
            parts = [p for p in _PART_SPLIT.split(form) if p]
            for part in parts:
                self.phrase(part, shown, kind=kind, part=True)
            if len(parts) > 1:  # "Lee Smith" written without its hyphen, "O Neill" without its apostrophe
                self.phrase(" ".join(parts), shown, kind=kind)

    def phrase(self, text: str, shown: str, *, kind: str, part: bool = False) -> None:
        """``text`` as it may be written: its words in a row, and each run of a script without spaces."""
        norm = folded(text)
        tokens = list(_TOKEN.finditer(norm))
        words = tuple(t.group() for t in tokens)
        alone = len(words) == 1 and len(words[0]) < 2
        if words and not alone and not all(w in NOT_ALONE for w in words):
            gaps = [b.start() - a.end() for a, b in itertools.pairwise(tokens)]
            self._add(Entry(kind, shown, words=words, part=part, gap=max([_MAX_GAP, *gaps])))
        for run in _NO_SPACE_RUN.findall(norm):
            if len(run) >= 2:  # a single character is never matched without boundaries
                self._add(Entry(kind, shown, run=run, part=part))

    def email(self, address: str, shown: str) -> None:
        """The address, its local part alone, and the local part's longer pieces (``vdberg`` of ``p.vdberg``)."""
        local = address.rpartition("@")[0] or address
        self.phrase(address, shown, kind="email")
        self.phrase(local, shown, kind="email")
        for piece in _TOKEN.findall(folded(local)):
            if len(piece) >= 4:
                self.phrase(piece, shown, kind="email", part=True)

    def phone(self, number: str, shown: str) -> None:
        digits = "".join(str(unicodedata.digit(c)) for c in number if unicodedata.digit(c, None) is not None)
        if len(digits) >= _MIN_PHONE:
            self._add(Entry("phone", shown, digits=digits))

    def link(self, url: str, shown: str) -> None:
        """A profile URL: the whole of it, and the last part of its path (``/in/pvdberg``)."""
        self.phrase(url, shown, kind="link")
        path = urlsplit(url if "//" in url else f"//{url}").path.rstrip("/")
        last = path.rpartition("/")[2]
        if len(last) >= 3:
            self.phrase(last, shown, kind="link")

    def _add(self, entry: Entry) -> None:
        key = (entry.kind, entry.words, entry.run, entry.digits, entry.part)
        if key in self._seen:
            return
        self._seen.add(key)
        if entry.words:
            self._words.setdefault(entry.words[0], []).append(entry)
        elif entry.run:
            self._runs.setdefault(entry.run[0], []).append(entry)
        else:
            self._phones.append(entry)
            self._tails = None

    # --- reading -------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        found = [e for es in self._words.values() for e in es] + [e for es in self._runs.values() for e in es]
        return found + self._phones

    def __bool__(self) -> bool:
        return bool(self._words or self._runs or self._phones)

    def find(self, text: str) -> list[Hit]:
        """Every occurrence of an entry in ``text``, longest first where they overlap, none overlapping."""
        if not text:
            return []
        norm, where = normalise(text)
        hits = self._word_hits(norm, where) + self._run_hits(norm, where) + self._phone_hits(norm, where)
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[Hit] = []
        at = 0
        for hit in hits:
            if hit.start >= at:
                out.append(hit)
                at = hit.end
        return out

    def _word_hits(self, norm: str, where: Sequence[int]) -> list[Hit]:
        if not self._words:
            return []
        tokens = list(_TOKEN.finditer(norm))
        hits = []
        for i, token in enumerate(tokens):
            for entry in self._words.get(token.group(), ()):
                last = i + len(entry.words) - 1
                if last >= len(tokens):
                    continue
                if all(
                    tokens[i + k].group() == word and tokens[i + k].start() - tokens[i + k - 1].end() <= entry.gap
                    for k, word in enumerate(entry.words[1:], start=1)
                ):
                    hits.append(Hit(where[token.start()], where[tokens[last].end() - 1] + 1, entry))
        return hits

    def _run_hits(self, norm: str, where: Sequence[int]) -> list[Hit]:
        if not self._runs:
            return []
        hits = []
        for run in _NO_SPACE_RUN.finditer(norm):  # only where such a script is written at all
            for i in range(run.start(), run.end()):
                for entry in self._runs.get(norm[i], ()):
                    if norm.startswith(entry.run, i):
                        hits.append(Hit(where[i], where[i + len(entry.run) - 1] + 1, entry))
        return hits

    def _phone_hits(self, norm: str, where: Sequence[int]) -> list[Hit]:
        if not self._phones:
            return []
        hits = []
        for run in _DIGIT_RUN.finditer(norm):
            places = [run.start() + i for i, c in enumerate(run.group()) if c.isdigit()]
            if len(places) < _MIN_PHONE:
                continue
            digits = "".join(str(unicodedata.digit(norm[p])) for p in places)
            for start, end, entry in self._phone_spans(digits):
                first = places[start]
                if start == 0 and first > 0 and norm[first - 1] in "+(":
                    first -= 1  # "+49 30 …", "(555) …": the sign belongs to the number
                hits.append(Hit(where[first], where[places[end - 1]] + 1, entry))
        return hits

    def _phone_spans(self, digits: str) -> Iterator[tuple[int, int, Entry]]:
        """Where a phone, or its last 7 digits or more (no country or trunk prefix), is in ``digits``."""
        if self._tails is None:
            self._tails = {}
            for entry in self._phones:
                self._tails.setdefault(entry.digits[-_PHONE_TAIL:], []).append(entry)
        for size in sorted({len(tail) for tail in self._tails}):
            for i in range(len(digits) - size + 1):
                for entry in self._tails.get(digits[i : i + size], ()):
                    start, head = i, entry.digits[: len(entry.digits) - size]
                    while head and start > 0 and digits[start - 1] == head[-1]:  # as much of the prefix as is written
                        start, head = start - 1, head[:-1]
                    yield start, i + size, entry


def contacts(ref: Reference) -> tuple[list[str], list[str], list[str]]:
    """A reference's phones, emails and links: the first ones and any more the record holds."""
    phones = [ref.phone, *ref.phones]
    emails = [ref.email, *ref.emails]
    links = list(ref.links)
    return [p for p in phones if p], [e for e in emails if e], [u for u in links if u]


def leaks(lexicon: Lexicon, texts: Iterable[str], *, allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """The entries found in ``texts``, but those made only of words in ``allowed`` (refaudit's own vocabulary:
    "reference check" is the report's phrase before it is anybody's description)."""
    found = []
    for text in texts:
        for hit in lexicon.find(text):
            entry = hit.entry
            if entry.words and all(w in allowed for w in entry.words):
                continue
            found.append(hit)
    return found


__all__ = [
    "NOT_ALONE",
    "PARTICLES",
    "ROLE_WORDS",
    "Entry",
    "Hit",
    "Lexicon",
    "contacts",
    "folded",
    "leaks",
    "normalise",
]
