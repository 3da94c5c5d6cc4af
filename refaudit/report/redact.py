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

What names a person is the identity lexicon (``refaudit.lexicon``): every part of a name,
its transliteration, emails and their local parts, phones however separated, reporters'
words whatever their case or script, and under ``anonymous`` organisations, companies and
agencies. ``identity_lexicon`` builds it; the redactor replaces what it finds and the gate
(``report.gate``) checks the rendered report against the same lexicon. All entries are
replaced in one pass (longest match first), so a replacement is never matched again. Every
word of a name is masked wherever it appears as a word, whatever its case: a first name that
is also an English word ("Will", "Grace") is masked in ordinary sentences too. Over-masking
is the price of not leaking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from refaudit.lexicon import NOT_ALONE, PARTICLES, Lexicon, contacts
from refaudit.model import Application, Feedback, Reference, Registry
from refaudit.text import HONORIFICS, fold, transliterate


class Privacy(Enum):
    PLAIN = "plain"
    REDACT = "redact"
    ANONYMOUS = "anonymous"


# Dropped from an organisation's name to find it written short ("Acme" for "Acme Corp").
_ORG_SUFFIXES = frozenset(
    {"inc", "ltd", "llc", "llp", "plc", "gmbh", "ag", "sa", "se", "bv", "nv", "corp", "co", "company", "group"}
)
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
_NO_SPACE_SCRIPT_RE = re.compile("[\u0e00-\u0eff\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,63}")
_PHONE_LIKE_RE = re.compile(r"\+?\d[\d ().\-/\u00a0\u2000-\u200b\u2010-\u2015\u202f\u2060]{4,}\d")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HONORIFIC_BEFORE_RE = re.compile(r"(?<!\w)(?:" + "|".join(HONORIFICS) + r")\.?\s*$", re.IGNORECASE)
_REPORTER_PERSON_RE = re.compile(r"\s+(?:at|from|of|@)\s+|\s*[(,/]", re.IGNORECASE)


def clean(text: str) -> str:
    """``text`` without the characters that HTML and PDF strings cannot hold."""
    return _UNPRINTABLE_RE.sub("", text)


def name_words(name: str) -> list[str]:
    """The words of a name that say who: without honorifics (``Dr.``) or punctuation."""
    words = [w for w in name.split() if _WORD_RE.search(w)]
    return [w for w in words if fold(w).strip(".") not in HONORIFICS] or words


def initials(name: str) -> str:
    """``Jane van Doe`` -> ``J. D.``, ``Anna Lee-Smith`` -> ``A. L.-S.``, ``Dr. Ingrid Olsen`` -> ``I. O.``.

    A name in a script without spaces is romanised first (``李娜`` -> ``L. N.``): its first
    character alone would be half the name.
    """
    if _NO_SPACE_SCRIPT_RE.search(name):
        name = transliterate(name)
    words = [w for w in name_words(name) if fold(w) not in PARTICLES]
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
        self._employers = employers(registry)
        self._company_words = company_words(registry)
        self._owner = registry.owner
        self.lexicon = (
            identity_lexicon(registry, privacy, display=self._display, jobs=self._employers)
            if self.enabled
            else Lexicon()
        )

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
        words = reporter_words(person, self._company_words)
        if not words:  # "Coho Winery HR": nobody named
            return self.text(fb.reporter)
        return initials(" ".join(words)) + self.text(rest)

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
        hits = self.lexicon.find(text)
        if hits:
            out, at = [], 0
            for hit in hits:
                before = text[at : hit.start]
                if hit.entry.kind in ("name", "reporter"):  # "Dr Olsen" is "I. O.", not "Dr I. O."
                    before = _HONORIFIC_BEFORE_RE.sub("", before)
                out += [before, hit.entry.shown]
                at = hit.end
            text = "".join([*out, text[at:]])
        return _PHONE_LIKE_RE.sub(_phone, text)


def _phone(match: re.Match[str]) -> str:
    """Anything shaped like a phone number of 7 digits or more, not a date."""
    found = match.group()
    if len(re.sub(r"\D", "", found)) < 7 or _DATE_RE.fullmatch(found.strip()):
        return found
    return "[phone]"


# --- what to look for ----------------------------------------------------------------


def employers(registry: Registry) -> dict[str, str]:
    """Folded company -> ``Employer 1``, ``2``… in the order they were first applied to."""
    found: dict[str, str] = {}
    for app in sorted(registry.applications, key=lambda a: (a.applied_on, a.id)):
        found.setdefault(fold(app.company), f"Employer {len(found) + 1}")
    return found


def company_words(registry: Registry) -> set[str]:
    return {w for a in registry.applications for w in _WORD_RE.findall(fold(a.company))}


def reporter_words(person: str, companies: set[str]) -> list[str]:
    """The words of a reporter's description that may name someone, whatever their case or script:
    not a role ("hiring manager"), not the employer's name."""
    return [
        w for w in name_words(person)
        if fold(w).strip(".,'’") not in NOT_ALONE and fold(w) not in companies
    ]  # fmt: skip


def identity_lexicon(
    registry: Registry,
    privacy: Privacy,
    *,
    display: dict[str, str] | None = None,
    jobs: dict[str, str] | None = None,
) -> Lexicon:
    """Everything that identifies someone in ``registry`` at this privacy level, with what replaces it."""
    lex = Lexicon()
    if privacy is Privacy.PLAIN:
        return lex
    anonymous = privacy is Privacy.ANONYMOUS
    shown = display or {r.id: initials(r.name) for r in registry.references}
    jobs = jobs if jobs is not None else employers(registry)
    companies = company_words(registry)
    for ref in registry.references:
        who = shown.get(ref.id, initials(ref.name))
        lex.person(ref.name, who)
        lex.phrase(ref.id, who, kind="id")
        phones, emails, links = contacts(ref)
        for phone in phones:
            lex.phone(phone, "[phone]")
        for email in emails:
            lex.email(email, "[email]")
        for link in links:
            lex.link(link, "[link]")
        if anonymous:
            if ref.organization:
                _organisation(lex, ref.organization, jobs.get(fold(ref.organization), "[organisation]"), "organisation")
            if ref.title:
                lex.phrase(ref.title, "[title]", kind="title")
    if registry.owner:
        lex.person(registry.owner, "the candidate" if anonymous else initials(registry.owner))
    for source, reporter in sorted({(f.source, f.reporter) for f in registry.feedback if f.reporter}):
        person = reporter_person(reporter)
        words = reporter_words(person, companies)
        if not words:  # nobody named: "Acme hiring manager", "a friend"
            continue
        who = ROLES.get(source, "someone") if anonymous else initials(" ".join(words))
        if anonymous:
            lex.phrase(reporter, who, kind="reporter")
            rest = reporter[len(person) :].strip(" ,/()@")
            if rest:
                lex.phrase(re.sub(r"^(?:at|from|of)\s+", "", rest, flags=re.IGNORECASE), "[agency]", kind="agency")
        lex.person(" ".join(words), who, kind="reporter")
    if anonymous:
        for app in registry.applications:
            employer = jobs[fold(app.company)]
            # The id is usually company and role in slug form ("acme-corp-data-analyst").
            lex.phrase(app.id, employer, kind="company")
            _organisation(lex, app.company, employer, "company")
            if app.via:
                _organisation(lex, app.via, "[agency]", "agency")
    return lex


def _organisation(lex: Lexicon, name: str, shown: str, kind: str) -> None:
    """An organisation's name, and its name without ``Inc``, ``Ltd``… (``Acme`` for ``Acme Corp``)."""
    lex.phrase(name, shown, kind=kind)
    words = _WORD_RE.findall(fold(name))
    short = [w for w in words if w not in _ORG_SUFFIXES]
    if short and len(short) < len(words):
        lex.phrase(" ".join(short), shown, kind=kind)
