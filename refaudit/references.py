"""Changes to references: add, edit, status, remove (with erasure of everything about them).

Each function validates what the user typed, changes the registry in memory and
returns a ``Change`` whose summary is the history line: ids and counts, never contact
details or what anyone said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from refaudit import erasure, history
from refaudit.change import Change
from refaudit.checks import (
    MAX_AFFIX,
    MAX_LIST,
    MAX_NAME,
    MAX_TEXT,
    check_choice,
    check_email,
    check_id,
    check_link,
    check_phone,
    check_tag,
    check_text,
    parse_date,
    require_text,
)
from refaudit.errors import ValidationError
from refaudit.model import REFERENCE_EVENTS, REFERENCE_STATUSES, RELATIONSHIPS, Reference, Registry, unique_id
from refaudit.text import fold, name_slug


@dataclass
class RefFields:
    """What the user may set on a reference; ``None`` means "not given"."""

    name: str | None = None
    relationship: str | None = None
    organization: str | None = None
    title: str | None = None
    worked_with: str | None = None
    name_prefix: str | None = None
    name_suffix: str | None = None
    emails: list[str] | None = None  # None: not given; the first becomes ``email``, the rest ``emails``
    phones: list[str] | None = None
    links: list[str] | None = None
    known_since: str | date | None = None
    consent_on: str | date | None = None
    tags: list[str] = field(default_factory=list)
    notes: str | None = None


def _apply(ref: Reference, f: RefFields, today: date) -> None:
    if f.name is not None:
        ref.name = require_text("name", f.name, max_len=MAX_NAME)
    if f.relationship is not None:
        ref.relationship = check_choice("relationship", f.relationship, RELATIONSHIPS)
    if f.organization is not None:
        ref.organization = check_text("organization", f.organization)
    if f.title is not None:
        ref.title = check_text("title", f.title)
    if f.worked_with is not None:
        ref.worked_with = check_text("worked-with", f.worked_with)
    if f.name_prefix is not None:
        ref.name_prefix = check_text("name-prefix", f.name_prefix, max_len=MAX_AFFIX)
    if f.name_suffix is not None:
        ref.name_suffix = check_text("name-suffix", f.name_suffix, max_len=MAX_AFFIX)
    if f.emails is not None:
        ref.email, ref.emails = _first_and_rest(f.emails, check_email, "email")
    if f.phones is not None:
        ref.phone, ref.phones = _first_and_rest(f.phones, check_phone, "phone")
    if f.links is not None:
        ref.links = _first_and_rest(f.links, check_link, "link")[1]
    if f.known_since is not None:
        ref.known_since = parse_date("known-since", f.known_since, today=today)
    if f.consent_on is not None:
        ref.consent_on = parse_date("consent-on", f.consent_on, today=today)
    if f.tags:
        ref.tags = list(dict.fromkeys(check_tag("tag", t) for t in f.tags))
    if f.notes is not None:
        ref.notes = check_text("note", f.notes, max_len=MAX_TEXT, multiline=True)


def _first_and_rest(
    values: list[str], check: Callable[[str, str], str | None], option: str
) -> tuple[str | None, list[str]]:
    """A repeated option's values, checked, repeats and empty ones left out: (the first, the others).

    ``links`` have no first: they are all in the list (``_first_and_rest(...)[1]`` takes it whole).
    """
    if len(values) > MAX_LIST:
        raise ValidationError(f"--{option} is given {len(values)} times; at most {MAX_LIST} are kept.")
    checked = [c for v in values if (c := check(option, v)) is not None]
    unique = list(dict.fromkeys(checked if option != "email" else _by_casefold(checked)))
    if option == "link":
        return None, unique
    return (unique[0] if unique else None), unique[1:]


def _by_casefold(emails: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for e in emails:
        seen.setdefault(e.casefold(), e)
    return list(seen.values())


def same_name(reg: Registry, name: str) -> list[Reference]:
    """References already called ``name`` (case and accents aside)."""
    wanted = fold(" ".join(name.split()))
    return [r for r in reg.references if fold(" ".join(r.name.split())) == wanted]


def add(reg: Registry, fields: RefFields, today: date, ref_id: str | None = None) -> Change[str]:
    name = require_text("name", fields.name, max_len=MAX_NAME)
    taken = {r.id for r in reg.references}
    if ref_id is not None:
        check_id("id", ref_id)
        if ref_id in taken:
            raise ValidationError(
                f"id {ref_id!r} is already used by {reg.reference(ref_id).name}; choose another --id."
            )
        new_id = ref_id
    else:
        new_id = unique_id(name_slug(name), taken, fallback=f"ref-{len(reg.references) + 1}")
    ref = Reference(id=new_id, name=name, added_on=today)
    _apply(ref, fields, today)
    reg.references.append(ref)
    return Change(f"added reference {new_id}", new_id)


def edit(reg: Registry, ref: Reference, fields: RefFields, today: date, new_id: str | None = None) -> Change[str]:
    if fields == RefFields() and new_id is None:
        raise ValidationError(
            "nothing to change: give --id, --name, --name-prefix, --name-suffix, --relationship, --org, "
            "--title, --worked-with, --email, --phone, --link, --known-since, --consent-on, --tag or --note."
        )
    old_id = ref.id
    if new_id is not None and new_id != ref.id:
        rename(reg, ref, new_id)
    _apply(ref, fields, today)
    if ref.id != old_id:
        # The history names the old id, so that erasing the person later finds every line about them.
        return Change(f"renamed reference {old_id} to {ref.id}", ref.id)
    return Change(f"edited reference {ref.id}", ref.id)


def rename(reg: Registry, ref: Reference, new_id: str) -> None:
    """Give ``ref`` the id ``new_id`` everywhere it is named: applications, briefings, thanks, timelines, reports."""
    check_id("--id", new_id)
    if any(r.id == new_id for r in reg.references):
        raise ValidationError(f"id {new_id!r} is already used by {reg.reference(new_id).name}; choose another --id.")
    old = ref.id
    for app in reg.applications:
        app.references = [new_id if r == old else r for r in app.references]
        for b in (*app.briefed, *app.thanked, *app.withdrawn, *app.told):
            if b.reference == old:
                b.reference = new_id
        for e in app.timeline:
            if e.event in REFERENCE_EVENTS and e.value == old:
                e.value = new_id
    for f in reg.feedback:
        if f.reference == old:
            f.reference = new_id
    ref.id = new_id


_RENAMED = re.compile(r"^renamed reference (\S+) to (\S+)$")


def former_ids(reg: Registry, ref_id: str) -> list[str]:
    """The ids ``ref_id`` had before, newest first, read back from the history's rename lines."""
    found: list[str] = []
    current = ref_id
    for entry in reversed(reg.history):
        m = _RENAMED.match(entry.summary)
        if m and m.group(2) == current and m.group(1) not in found:
            found.append(m.group(1))
            current = m.group(1)
    return found


def set_status(
    reg: Registry, ref: Reference, status: str, note: str | None, today: date, on: date | None = None
) -> Change[str]:
    """The user's own decision about ``ref``, dated ``on`` (default today; never in the future)."""
    day = parse_date("--on", on, today=today) or today
    ref.status = check_choice("status", status, REFERENCE_STATUSES)
    ref.status_on = day
    ref.status_note = check_text("note", note, max_len=MAX_TEXT, multiline=True)
    return Change(f"set reference {ref.id} to {status}", ref.id)


@dataclass(frozen=True)
class Removed:
    id: str
    name: str
    feedback: int
    applications: int
    masked: int = 0  # other free-text fields where their name, email or phone was masked


def remove(reg: Registry, ref: Reference) -> Change[Removed]:
    """Erase the reference, its feedback, its place on applications, and its name in the history."""
    history.erase_mentions(reg, former_ids(reg, ref.id))
    gone_feedback = [f for f in reg.feedback if f.reference == ref.id]
    reg.feedback = [f for f in reg.feedback if f.reference != ref.id]
    touched = 0
    for app in reg.applications:
        if ref.id in app.references or any(
            b.reference == ref.id for b in (*app.briefed, *app.thanked, *app.withdrawn, *app.told)
        ):
            touched += 1
            app.references = [r for r in app.references if r != ref.id]
            app.briefed = [b for b in app.briefed if b.reference != ref.id]
            app.thanked = [b for b in app.thanked if b.reference != ref.id]
            app.withdrawn = [b for b in app.withdrawn if b.reference != ref.id]
            app.told = [b for b in app.told if b.reference != ref.id]
            app.timeline = [e for e in app.timeline if not (e.event in REFERENCE_EVENTS and e.value == ref.id)]
    reg.references = [r for r in reg.references if r.id != ref.id]
    history.erase_mentions(reg, [ref.id, ref.name, *(f.id for f in gone_feedback)])
    removed = Removed(ref.id, ref.name, len(gone_feedback), touched, erasure.mask_mentions(reg, ref))
    return Change(f"removed a reference, {len(gone_feedback)} report(s), from {touched} application(s)", removed)
