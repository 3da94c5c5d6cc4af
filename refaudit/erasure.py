"""Right to erasure, in the free text: a removed person's name, email and phone, masked wherever typed.

``ref remove`` deletes the person's record and every report about them; what is left
is what the user wrote elsewhere: "Jane said she would call", "ask Jane Doe
(jane@example.com)" in an application note, a reason, criticism, a lead, another
reference's note, another report's quote, note or reporter. ``mask_mentions``
replaces each of these mentions with ``[removed]`` and counts the fields it changed.

What counts as a mention:

- every word of the name of two letters or more, honorifics aside, compared without
  case or accents (``Jose`` finds ``José``), when written with a capital (or in a
  script without case): a name is a proper noun, and ``will`` is not ``Will Smith``;
- the whole name in any case;

but never inside another reference's full name: removing Jane Doe leaves "Jane Smith"
alone.
- the email address, in any case;
- a phone number with the same digits, however spaced or punctuated, or its last
  seven or more digits (a number written without its country code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from refaudit.model import Reference, Registry
from refaudit.text import HONORIFICS, fold

MASK = "[removed]"
_WORD = re.compile(r"\w+")
_PHONE = re.compile(r"\+?\d[\d\s().\-/]{4,}\d")
_MIN_PHONE_DIGITS = 7


def name_words(name: str) -> set[str]:
    """The folded words of ``name`` that identify the person (no initials, no honorifics)."""
    return {w for w in (fold(m) for m in _WORD.findall(name)) if len(w) >= 2 and w not in HONORIFICS}


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _name_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    parts = [re.escape(" ".join(n.split())).replace(r"\ ", r"\s+") for n in names if n.strip()]
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE) if parts else None


def masker(ref: Reference, keep: Sequence[str] = ()) -> Callable[[str], str]:
    """A function that masks ``ref``'s name, emails, phones and links in a text, leaving the full names in ``keep``."""
    words = name_words(ref.name)
    whole = _name_pattern([ref.name])
    kept = _name_pattern([n for n in keep if fold(" ".join(n.split())) != fold(" ".join(ref.name.split()))])
    addresses = [a for a in (ref.email, *ref.emails, *ref.links) if a]
    email = re.compile("|".join(re.escape(a) for a in addresses), re.IGNORECASE) if addresses else None
    phones = [d for p in (ref.phone, *ref.phones) if p and len(d := _digits(p)) >= _MIN_PHONE_DIGITS]

    def word(match: re.Match[str]) -> str:
        token = match.group()
        proper = token[0].isupper() or not token[0].islower()
        return MASK if proper and fold(token) in words else token

    def number(match: re.Match[str]) -> str:
        found = _digits(match.group())
        same = any(
            found == phone
            or (min(len(found), len(phone)) >= _MIN_PHONE_DIGITS and (phone.endswith(found) or found.endswith(phone)))
            for phone in phones
        )
        return MASK if same else match.group()

    def mask_part(text: str) -> str:
        if email is not None:
            text = email.sub(MASK, text)
        if phones:
            text = _PHONE.sub(number, text)
        if whole is not None:
            text = whole.sub(MASK, text)
        return _WORD.sub(word, text) if words else text

    def mask(text: str) -> str:
        if kept is None:
            return mask_part(text)
        out, start = [], 0
        for match in kept.finditer(text):
            out += [mask_part(text[start : match.start()]), match.group()]
            start = match.end()
        return "".join([*out, mask_part(text[start:])])

    return mask


def mask_mentions(reg: Registry, ref: Reference) -> int:
    """Mask ``ref`` in every free-text field of the other records; returns how many fields changed."""
    mask = masker(ref, keep=[r.name for r in reg.references if r.id != ref.id])
    changed = 0

    def one(value: str | None) -> str | None:
        nonlocal changed
        if not value:
            return value
        masked = mask(value)
        changed += masked != value
        return masked

    def many(values: list[str]) -> list[str]:
        return [one(v) or v for v in values]

    for other in reg.references:
        if other.id != ref.id:
            other.notes = one(other.notes)
            other.status_note = one(other.status_note)
    for app in reg.applications:
        app.via = one(app.via)
        app.reason = one(app.reason)
        app.notes = one(app.notes)
        app.criticism = many(app.criticism)
        app.leads = many(app.leads)
    for report in reg.feedback:
        if report.reference != ref.id:
            report.reporter = one(report.reporter)
            report.quote = one(report.quote)
            report.notes = one(report.notes)
    return changed
