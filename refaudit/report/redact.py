"""What a shared copy of the report may say about people: redaction and anonymity.

Security-relevant and pure. The contents builder asks a ``Redactor`` for every name it
prints and passes every piece of free text through ``Redactor.text``; nothing about a
person reaches the templates any other way, so no template can leak one by mistake.

Three levels (``Privacy``):

- ``plain``: text is only cleaned of characters that HTML and PDF strings cannot hold;
- ``redact``: emails become ``[email]``, anything shaped like a phone number ``[phone]``,
  and every form of a known person's name becomes their initials: the full name, each word
  of it on its own (a first name alone, a surname after a title), its id (the name in slug
  form), and spellings without the accents (``Jose Nunez`` for ``José Ñúñez``). Known
  people are the references, the owner and whoever relayed a report. Honorifics are never
  initials (``Dr. Ingrid Olsen`` is ``I. O.``);
- ``anonymous``: as ``redact``, but references become ``Reference A``, ``B``… (in the order
  the caller gives, the references table's), the owner "the candidate", reporters their
  role ("a recruiter"), employers ``Employer 1``, ``2``…, and organisations, titles and
  agencies named in free text ``[organisation]``, ``[title]``, ``[agency]``.

Matching is done on a case- and accent-folded copy of the text, mapped back to the
original characters, and all names are replaced in one pass (longest match first), so a
replacement is never matched again. Every word of a name is masked wherever it appears as
a word, whatever its case: a first name that is also an English word ("Will", "Grace") is
masked in ordinary sentences too. Over-masking is the price of not leaking.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from refaudit.model import Application, Feedback, Reference, Registry
from refaudit.text import HONORIFICS, fold


class Privacy(Enum):
    PLAIN = "plain"
    REDACT = "redact"
    ANONYMOUS = "anonymous"


# Lowercase particles of a name ("Jane van Doe"): not masked on their own, not initials.
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "bin", "al"})
# Dropped from an organisation's name to find it written short ("Acme" for "Acme Corp").
_ORG_SUFFIXES = frozenset(
    {"inc", "ltd", "llc", "llp", "plc", "gmbh", "ag", "sa", "se", "bv", "nv", "corp", "co", "company", "group"}
)
# Words in a reporter's description that say what they are, not who ("a former colleague",
# "Acme hiring manager"): not masked on their own.
_ROLE_WORDS = frozenset(
    {"a", "an", "the", "my", "our", "his", "her", "their", "former", "ex", "hr", "hiring", "manager", "recruiter",
     "interviewer", "friend", "colleague", "mutual", "himself", "herself", "themself", "themselves", "who", "did",
     "mock", "call", "team", "lead", "head", "of", "and", "at", "from", "boss", "agency", "someone"}
)  # fmt: skip
ROLES = {
    "employer": "the employer",
    "recruiter": "a recruiter",
    "reference-service": "a reference-checking service",
    "mock-call": "a mock caller",
    "reference": "the reference themself",
    "contact": "a contact",
    "other": "someone",
}

# Controls (but tab and newline), lone surrogates and non-characters cannot go into HTML or
# a PDF string; the registry refuses most of them already, this is the belt to its braces.
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_WORD_RE = re.compile(r"\w+")
_EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,63}")
_PHONE_LIKE_RE = re.compile(r"\+?\d[\d ().\-/]{4,}\d")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REPORTER_PERSON_RE = re.compile(r"\s+(?:at|from|of|@)\s+|\s*[(,/]", re.IGNORECASE)
_HONORIFIC_PREFIX = r"(?:(?:" + "|".join(sorted(HONORIFICS)) + r")\W{0,2}\s*)?"


def clean(text: str) -> str:
    """``text`` without the characters that HTML and PDF strings cannot hold."""
    return _UNPRINTABLE_RE.sub("", text)


def name_words(name: str) -> list[str]:
    """The words of a name that say who: without honorifics (``Dr.``) or punctuation."""
    words = [w for w in name.split() if _WORD_RE.search(w)]
    return [w for w in words if fold(w).strip(".") not in HONORIFICS] or words


def initials(name: str) -> str:
    """``Jane van Doe`` -> ``J. D.``, ``Anna Lee-Smith`` -> ``A. L.-S.``, ``Dr. Ingrid Olsen`` -> ``I. O.``."""
    words = [w for w in name_words(name) if w not in _PARTICLES]
    if not words:
        return "?"
    picked = words if len(words) <= 2 else [words[0], words[-1]]
    return " ".join("-".join(p[0].upper() + "." for p in _WORD_RE.findall(w)) for w in picked)


def letter(index: int) -> str:
    """0 -> ``A``, 25 -> ``Z``, 26 -> ``AA``: spreadsheet column letters."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def reporter_person(reporter: str) -> str:
    """The person in "Sam at Hays" / "Sam (Hays)": ``Sam``; the whole text when it has no agency."""
    return _REPORTER_PERSON_RE.split(reporter, maxsplit=1)[0].strip() or reporter


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, with the index in ``text`` of each folded character."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        folded = char if char.isascii() and not char.isupper() else fold(char)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


@dataclass(frozen=True)
class _Target:
    pattern: re.Pattern[str]
    replacement: str


class Redactor:
    """Display names, and free text with people taken out, at one ``Privacy`` level."""

    def __init__(self, registry: Registry, privacy: Privacy, *, order: Sequence[str] = ()) -> None:
        self.privacy = privacy
        self.enabled = privacy is not Privacy.PLAIN
        self.anonymous = privacy is Privacy.ANONYMOUS
        refs = list(registry.references)
        ranked = {ref_id: i for i, ref_id in enumerate(order)}
        refs.sort(key=lambda r: ranked.get(r.id, len(ranked)))  # stable: the rest in registry order
        if self.anonymous:
            self._display = {r.id: f"Reference {letter(i)}" for i, r in enumerate(refs)}
        elif self.enabled:
            self._display = {r.id: initials(r.name) for r in refs}
        else:
            self._display = {r.id: clean(r.name) for r in refs}
        self._employers: dict[str, str] = {}
        for app in sorted(registry.applications, key=lambda a: (a.applied_on, a.id)):
            self._employers.setdefault(fold(app.company), f"Employer {len(self._employers) + 1}")
        self._company_words = {w for a in registry.applications for w in _WORD_RE.findall(fold(a.company))}
        self._owner = registry.owner
        self._by_word: dict[str, list[_Target]] = defaultdict(list)
        self._phones: set[str] = set()
        if self.enabled:
            self._learn(registry, refs)

    # --- what the report prints instead of a person ---------------------------------

    def name(self, ref_id: str) -> str:
        return self._display.get(ref_id, "?" if self.enabled else clean(ref_id))

    def owner(self, fallback: str | None = None) -> str | None:
        """Whose audit it is: the owner, else ``fallback`` (the registry's file name)."""
        if self.anonymous:
            return "the candidate"
        if self._owner:
            return initials(self._owner) if self.enabled else clean(self._owner)
        return self.text(fallback) if fallback else None

    def company(self, company: str) -> str:
        if self.anonymous:
            return self._employers.get(fold(company), "an employer")
        return self.text(company)

    def application(self, app: Application | None) -> str:
        """``Acme Corp (Data Analyst)``; anonymous: ``Employer 1`` (a role can name the employer)."""
        if app is None:
            return ""
        if self.anonymous:
            return self.company(app.company)
        return f"{self.text(app.company)} ({self.text(app.role)})"

    def reporter(self, fb: Feedback) -> str:
        """Who relayed a report: "Sam at Hays", redacted "S. at Hays", anonymous "a recruiter"."""
        if self.anonymous or not fb.reporter:
            return ROLES.get(fb.source, "someone") if self.anonymous else ""
        if not self.enabled:
            return clean(fb.reporter)
        person = reporter_person(fb.reporter)
        rest = fb.reporter[len(person) :] if fb.reporter.startswith(person) else ""
        words = self._reporter_words(person)
        if not words:  # "Coho Winery HR": nobody named
            return self.text(fb.reporter)
        return initials(" ".join(words)) + self.text(rest)

    def _reporter_words(self, person: str) -> list[str]:
        """The words of a reporter's description that may name someone: capitalised, not a role, not an employer."""
        return [
            w for w in name_words(person)
            if w[:1].isupper() and fold(w).strip(".,") not in _ROLE_WORDS and fold(w) not in self._company_words
        ]  # fmt: skip

    def organization(self, ref: Reference) -> str:
        return "" if self.anonymous else self.text(ref.organization)

    def title(self, ref: Reference) -> str:
        return "" if self.anonymous else self.text(ref.title)

    # --- free text -------------------------------------------------------------------

    def text(self, value: str | None) -> str:
        """``value`` cleaned, and at ``redact`` or ``anonymous`` with every known person taken out."""
        if not value:
            return ""
        text = clean(value)
        if not self.enabled:
            return text
        text = _EMAIL_RE.sub("[email]", text)
        text = _PHONE_LIKE_RE.sub(self._phone, text)
        folded, where = _folded(text)
        spans: list[tuple[int, int, str]] = []
        for word in sorted(set(_WORD_RE.findall(folded)) & self._by_word.keys()):
            for target in self._by_word[word]:
                for match in target.pattern.finditer(folded):
                    if match.end() > match.start():
                        spans.append((where[match.start()], where[match.end() - 1] + 1, target.replacement))
        if not spans:
            return text
        # Longest first at each position; a span inside one already taken is dropped.
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out, at = [], 0
        for start, end, replacement in spans:
            if start < at:
                continue
            out.append(text[at:start])
            out.append(replacement)
            at = end
        out.append(text[at:])
        return "".join(out)

    def _phone(self, match: re.Match[str]) -> str:
        found = match.group()
        digits = re.sub(r"\D", "", found)
        if digits in self._phones:
            return "[phone]"
        if len(digits) < 7 or _DATE_RE.fullmatch(found.strip()):
            return found
        return "[phone]"

    # --- what to look for ----------------------------------------------------------------

    def _learn(self, registry: Registry, refs: Sequence[Reference]) -> None:
        for ref in refs:
            shown = self._display[ref.id]
            self._person(ref.name, shown)
            self._phrase(ref.id, shown)
            for phone in (ref.phone, *ref.phones):
                if phone:
                    self._phones.add(re.sub(r"\D", "", phone))
            for link in ref.links:  # a profile's address names the person: linkedin.com/in/jane-doe
                self._phrase(link, "[link]")
            if self.anonymous:
                if ref.organization:
                    self._organisation(ref.organization, self._employers.get(fold(ref.organization), "[organisation]"))
                if ref.title:
                    self._phrase(ref.title, "[title]")
        if registry.owner:
            self._person(registry.owner, "the candidate" if self.anonymous else initials(registry.owner))
        for source, reporter in sorted({(f.source, f.reporter) for f in registry.feedback if f.reporter}):
            person = reporter_person(reporter)
            words = self._reporter_words(person)
            if not words:  # nobody named: "Acme hiring manager", "a friend"
                continue
            shown = ROLES.get(source, "someone") if self.anonymous else initials(" ".join(words))
            if self.anonymous:
                self._phrase(reporter, shown)
            self._phrase(person, shown)
            for word in words:
                if len(fold(word)) >= 2:
                    self._phrase(word, shown, honorific=True)
        if self.anonymous:
            for app in registry.applications:
                # The id is usually company and role in slug form ("acme-corp-data-analyst").
                self._phrase(app.id, self._employers[fold(app.company)])
                self._organisation(app.company, self._employers[fold(app.company)])
                if app.via:
                    self._organisation(app.via, "[agency]")

    def _person(self, name: str, shown: str) -> None:
        """The whole name (after an optional honorific), and each word of it alone."""
        words = name_words(name)
        self._phrase(" ".join(words), shown, honorific=True)
        if name != " ".join(words):
            self._phrase(name, shown)
        for word in words:
            if word not in _PARTICLES and len(fold(word)) >= 2:
                self._phrase(word, shown, honorific=True)

    def _organisation(self, name: str, shown: str) -> None:
        self._phrase(name, shown)
        words = _WORD_RE.findall(fold(name))
        short = [w for w in words if w not in _ORG_SUFFIXES]
        if short and len(short) < len(words):
            self._phrase(" ".join(short), shown)

    def _phrase(self, text: str, shown: str, *, honorific: bool = False) -> None:
        words = _WORD_RE.findall(fold(text))
        if not words:
            return
        body = r"\W+".join(re.escape(w) for w in words)
        prefix = _HONORIFIC_PREFIX if honorific else ""
        pattern = re.compile(rf"(?<!\w){prefix}{body}(?!\w)")
        # Indexed by the phrase's first word; an honorific before it is found through the same word.
        self._by_word[words[0]].append(_Target(pattern, shown))
