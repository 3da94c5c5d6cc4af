"""Right to erasure, in the free text: a removed person's name, email and phone, masked wherever typed.

``ref remove`` deletes the person's record and every report about them; what is left
is what the user wrote elsewhere: "Jane said she would call", "ask Jane Doe
(jane@example.com)" in an application note, a reason, criticism, a lead, another
reference's note, another report's quote, note or reporter. ``mask_mentions``
replaces each of these mentions with ``[removed]`` and counts the fields it changed.

What counts as a mention is the person's identity lexicon (``refaudit.lexicon``, the one the
report's redaction uses): every part of the name (split at spaces, hyphens and apostrophes),
its transliteration (``Li Na`` for ``李娜``), the id, each email and its local part, each
phone with at most two separators between its digits (``555–010–7788``), and links. Because
erasure rewrites other people's records and cannot be undone, it keeps a proper-noun rule: a
single part of the name counts only when written with a capital (or in a script without
case), and ``will`` is not ``Will Smith``; the whole name counts in any case. Particles and
role words are never entries alone, and a single character never matches without boundaries.
A mention inside another reference's full name is left alone: removing Jane Doe leaves
"Jane Smith".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from refaudit.lexicon import Hit, Lexicon, contacts, folded
from refaudit.model import Reference, Registry, Said

MASK = "[removed]"


def lexicon(ref: Reference) -> Lexicon:
    """What identifies ``ref``, each entry replaced by ``[removed]``."""
    lex = Lexicon()
    lex.person(ref.name, MASK)
    lex.phrase(ref.id, MASK, kind="id")
    phones, emails, links = contacts(ref)
    for phone in phones:
        lex.phone(phone, MASK)
    for email in emails:
        lex.email(email, MASK)
    for link in links:
        lex.link(link, MASK)
    return lex


def _proper(text: str, hit: Hit) -> bool:
    """A single part of a name is a mention only as a proper noun: a capital, or a script without case."""
    if not hit.entry.part:
        return True
    first = next((c for c in text[hit.start : hit.end] if c.isalnum()), "")
    return bool(first) and not first.islower()


def masker(ref: Reference, keep: Sequence[str] = ()) -> Callable[[str], str]:
    """A function that masks ``ref``'s mentions in a text, leaving the full names in ``keep``."""
    lex = lexicon(ref)
    kept = Lexicon()
    for name in keep:
        if folded(" ".join(name.split())) != folded(" ".join(ref.name.split())):
            kept.phrase(name, name, kind="name")

    def mask(text: str) -> str:
        spared = [(h.start, h.end) for h in kept.find(text)]
        out, at = [], 0
        for hit in lex.find(text):
            if not _proper(text, hit) or any(s <= hit.start and hit.end <= e for s, e in spared):
                continue
            out += [text[at : hit.start], MASK]
            at = hit.end
        return "".join([*out, text[at:]])

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

    def many(values: list[Said]) -> list[Said]:
        return [Said(one(v.text) or v.text, v.on) for v in values]

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
    for entry in reg.feedback:
        if entry.reference != ref.id:
            entry.reporter = one(entry.reporter)
            entry.quote = one(entry.quote)
            entry.notes = one(entry.notes)
    return changed
