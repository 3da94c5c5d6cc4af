"""Reconciling an import with the registry: matching what is already there, all or nothing.

(Not ``merge``: that word is for merging two copies of a registry.)

A record with an id is the registry's record of that id. A record without one (a
contact, a spreadsheet row) matches a person by any of their emails, then by name
without honorifics (and organisation, when both sides name one); an application by
company, role and date applied; a report by everything it says. A match that says
nothing new is a no-op, so importing the same file twice adds nothing; one that only
fills fields the registry has empty, or brings another email, phone or web address,
completes the record (the registry's first email and phone stay first). A match that
differs is a conflict: refused (``fail``), skipped, ``fill``ed (the fields the
registry has empty are filled, lists gain what is new, the differing fields are kept
and listed), or (``replace``) its given fields written over the registry's — a field
the row lacks is never cleared. ``rehearse`` is the dry run: every row listed,
conflicts included, and what would refuse the real run said instead of raised.

Everything is linear in the size of the registry plus the import: ids are chosen
from sets kept up to date as records arrive, never rebuilt per row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from refaudit.change import Change
from refaudit.errors import ValidationError
from refaudit.interop.contacts import folded_name
from refaudit.interop.exporting import BRIEFING_FIELDS
from refaudit.interop.records import RECORD_KINDS, Incoming, Item, Skip
from refaudit.model import (
    RECORD_LISTS,
    Application,
    Feedback,
    Reference,
    Registry,
    feedback_id,
    feedback_number,
    future_fields,
)
from refaudit.text import fold, slugify

CONFLICT_POLICIES = ("fail", "skip", "fill", "replace")
# A person's ways to reach them: another one is news to add, never a conflict.
_CONTACT_FIELDS = ("email", "emails", "phone", "phones", "links")


@dataclass(frozen=True)
class RowAction:
    verb: str  # add | complete | match | fill | replace | skip | conflict | set
    kind: str  # reference | application | feedback | owner
    id: str
    label: str
    where: str = ""
    fields: tuple[str, ...] = ()  # fill: the differing fields the registry kept; conflict: those that differ


@dataclass
class Outcome:
    actions: list[RowAction] = field(default_factory=list)
    refused: str | None = None  # rehearse: why the real run would import nothing

    def count(self, verb: str) -> int:
        return sum(1 for a in self.actions if a.verb == verb)

    def summary(self) -> str:
        return (
            f"imported {self.count('add')} record(s), completed {self.count('complete')}, "
            f"matched {self.count('match')}, replaced {self.count('replace')}, skipped {self.count('skip')}"
            + (f", filled {self.count('fill')}" if self.count("fill") else "")
        )


def reconcile(registry: Registry, incoming: Incoming, on_conflict: str, today: date) -> Change[Outcome]:
    """Add ``incoming`` to ``registry`` in memory; all or nothing (raises before any change shows).

    The caller passes a registry it may throw away on error (``service.update`` does).
    """
    outcome = _reconcile(registry, incoming, on_conflict, today)
    if outcome.refused:
        raise ValidationError(outcome.refused)
    return Change(outcome.summary(), outcome)


def rehearse(registry: Registry, incoming: Incoming, on_conflict: str, today: date) -> Outcome:
    """The dry run on ``registry`` (changed in memory; throw it away): every row's action, and whether
    the real run would be refused (``Outcome.refused``) because of conflicts under ``fail``."""
    return _reconcile(registry, incoming, on_conflict, today)


def _reconcile(registry: Registry, incoming: Incoming, on_conflict: str, today: date) -> Outcome:
    if on_conflict not in CONFLICT_POLICIES:
        raise ValidationError(f"--on-conflict {on_conflict!r} is not one of: {', '.join(CONFLICT_POLICIES)}.")
    for section in RECORD_LISTS:
        for entry in getattr(incoming, section):
            future = future_fields(entry.record, today)
            if future:
                raise ValidationError(
                    f"{entry.where}: {future[0]} is in the future (today is {today.isoformat()}); nothing was imported."
                )
    outcome = Outcome()
    conflicts: list[str] = []
    _reconcile_owner(registry, incoming, on_conflict, outcome, conflicts)
    ids = _Ids(registry)
    for section in RECORD_LISTS:
        skips = [s for s in incoming.skipped if s.section == section]
        _Section(registry, section, ids, on_conflict, today).reconcile(
            getattr(incoming, section), skips, outcome, conflicts
        )
    if conflicts and on_conflict == "fail":
        shown = ", ".join(conflicts[:10]) + (f" and {len(conflicts) - 10} more" if len(conflicts) > 10 else "")
        outcome.refused = (
            f"{len(conflicts)} record(s) already exist in the registry with other values: {shown}. "
            "Nothing was imported; use --on-conflict skip, fill or replace."
        )
        return outcome
    _check_links(registry, incoming)
    registry.check_integrity()
    numbers = [n for f in registry.feedback if (n := feedback_number(f.id)) is not None]
    registry.feedback_seq = max([registry.feedback_seq, ids.feedback_seq, *numbers])
    return outcome


def _reconcile_owner(
    registry: Registry, incoming: Incoming, on_conflict: str, outcome: Outcome, conflicts: list[str]
) -> None:
    if incoming.owner is None or incoming.owner == registry.owner:
        return
    if registry.owner is None or on_conflict == "replace":
        registry.owner = incoming.owner
        outcome.actions.append(RowAction("set", "owner", "owner", incoming.owner))
        return
    if on_conflict == "fail":
        conflicts.append("owner")
    verb = {"fail": "conflict", "fill": "fill"}.get(on_conflict, "skip")
    outcome.actions.append(RowAction(verb, "owner", "owner", incoming.owner, fields=("owner",)))


class _Ids:
    """The ids taken in each section, kept up to date as records are added."""

    def __init__(self, registry: Registry) -> None:
        self.taken = {section: {r.id for r in getattr(registry, section)} for section in RECORD_LISTS}
        self.next_suffix: dict[str, int] = {}
        numbers = [n for f in registry.feedback if (n := feedback_number(f.id)) is not None]
        self.feedback_seq = max([registry.feedback_seq, *numbers])

    def new(self, section: str, record: Any) -> str:
        taken = self.taken[section]
        if section == "feedback":
            while feedback_id(self.feedback_seq + 1) in taken:
                self.feedback_seq += 1
            self.feedback_seq += 1
            return feedback_id(self.feedback_seq)
        if section == "references":
            stem = slugify(record.name) or f"ref-{len(taken) + 1}"
        else:
            stem = slugify(f"{record.company} {record.role}") or f"app-{len(taken) + 1}"
        if stem not in taken:
            return stem
        n = self.next_suffix.get(stem, 2)
        while f"{stem}-{n}" in taken:
            n += 1
        self.next_suffix[stem] = n + 1
        return f"{stem}-{n}"


def _keys(record: Any) -> Iterable[Hashable]:
    """What makes an id-less record the same as one already there, strongest first."""
    if isinstance(record, Reference):
        for email in _emails(record):
            yield ("email", email)
        yield ("name", folded_name(record.name), fold(record.organization or ""))
    elif isinstance(record, Application):
        yield (fold(record.company), fold(record.role), record.applied_on)
    else:
        yield tuple(repr(getattr(record, f)) for f in record.FIELDS if f not in ("id", "uid"))


class _Section:
    def __init__(self, registry: Registry, section: str, ids: _Ids, on_conflict: str, today: date) -> None:
        self.records: list[Any] = getattr(registry, section)
        self.section = section
        self.kind = RECORD_KINDS[section]
        self.ids = ids
        self.on_conflict = on_conflict
        self.today = today
        self.by_id = {r.id: r for r in self.records}
        self.by_uid = {r.uid: r for r in self.records if r.uid}  # the same record on another machine
        self.by_key: dict[Hashable, Any] = {}
        self.by_name: dict[str, dict[int, Any]] = {}  # by identity: records are mutable, not hashable
        for record in self.records:
            self._index(record)

    def _index(self, record: Any) -> None:
        for key in _keys(record):
            self.by_key.setdefault(key, record)
        if isinstance(record, Reference):
            self.by_name.setdefault(folded_name(record.name), {})[id(record)] = record

    def _find(self, entry: Item[Any]) -> Any:
        if entry.record.uid in self.by_uid:
            return self.by_uid[entry.record.uid]
        if not entry.new_id:
            return self.by_id.get(entry.record.id)
        new = entry.record
        found = next((self.by_key[k] for k in _keys(new) if k in self.by_key), None)
        if isinstance(new, Reference):
            if found is not None and _other_email(new, found):
                found = None
            if found is None:
                # One side does not say where the person works: the name alone decides, if only one has it.
                same = list(self.by_name.get(folded_name(new.name), {}).values())
                if len(same) == 1 and not (new.organization and same[0].organization):
                    found = None if _other_email(new, same[0]) else same[0]
        return found

    def reconcile(self, entries: list[Item[Any]], skips: list[Skip], outcome: Outcome, conflicts: list[str]) -> None:
        pending = sorted(skips, key=lambda s: s.position)
        for index, entry in enumerate([*entries, None]):
            while pending and pending[0].position <= index:
                skip = pending.pop(0)
                outcome.actions.append(RowAction("skip", "row", "-", skip.why, skip.where))
            if entry is None:
                break
            record = dataclasses.replace(entry.record)
            existing = self._find(entry)
            if existing is None:
                self._add(entry, record, outcome)
                continue
            label = _label(record)
            given = sorted(entry.given - {"uid"})
            contact = isinstance(record, Reference)
            skipped = _CONTACT_FIELDS if contact else ()  # compared as sets, below
            differing = [f for f in given if f not in skipped and getattr(existing, f) != getattr(record, f)]
            conflicting = [f for f in differing if not _empty(getattr(existing, f))]
            if conflicting and self.on_conflict in ("fail", "skip"):
                if self.on_conflict == "fail":
                    conflicts.append(f"{self.kind} {existing.id} ({entry.where}: {', '.join(conflicting)})")
                verb = "conflict" if self.on_conflict == "fail" else "skip"
                outcome.actions.append(RowAction(verb, self.kind, existing.id, label, entry.where, tuple(conflicting)))
                continue
            news = _contact_news(existing, record) if contact else {}
            if not differing and not news:
                outcome.actions.append(RowAction("match", self.kind, existing.id, label, entry.where))
                continue
            for name, values in news.items():
                setattr(
                    existing, name, values[0] if name in ("email", "phone") else [*getattr(existing, name), *values]
                )
            kept: list[str] = []
            for name in differing:
                mine, theirs = getattr(existing, name), getattr(record, name)
                if _empty(mine) or self.on_conflict == "replace":
                    setattr(existing, name, theirs)
                elif isinstance(mine, list):  # fill: a list gains what is new
                    setattr(existing, name, [*mine, *(v for v in theirs if v not in mine)])
                else:
                    kept.append(name)
            self._index(existing)
            verb = "replace" if conflicting and self.on_conflict == "replace" else "fill" if conflicting else "complete"
            outcome.actions.append(RowAction(verb, self.kind, existing.id, label, entry.where, tuple(kept)))

    def _add(self, entry: Item[Any], record: Any, outcome: Outcome) -> None:
        if entry.new_id:
            record.id = self.ids.new(self.section, record)
        if isinstance(record, Reference) and record.added_on is None:
            record.added_on = self.today
        self.ids.taken[self.section].add(record.id)
        self.by_id[record.id] = record
        if record.uid:
            self.by_uid[record.uid] = record
        self.records.append(record)
        self._index(record)
        outcome.actions.append(RowAction("add", self.kind, record.id, _label(record), entry.where))


def _other_email(a: Reference, b: Reference) -> bool:
    """Emails on both sides, none shared: two people, whatever their names."""
    mine, theirs = set(_emails(a)), set(_emails(b))
    return bool(mine and theirs and not mine & theirs)


def _emails(record: Reference) -> list[str]:
    return [e.casefold() for e in (record.email, *record.emails) if e]


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def _contact_news(existing: Reference, record: Reference) -> dict[str, list[str]]:
    """The emails, phones and links ``record`` brings that ``existing`` lacks, by the field they go to.

    The registry's first email and phone stay first; where it has none, the first news goes
    to ``email``/``phone`` (a list of one), the rest to ``emails``/``phones``.
    """
    news: dict[str, list[str]] = {}
    for first, rest, key in (("email", "emails", str.casefold), ("phone", "phones", _digits)):
        have = {key(v) for v in (getattr(existing, first), *getattr(existing, rest)) if v}
        new = [v for v in (getattr(record, first), *getattr(record, rest)) if v and key(v) not in have]
        new = list({key(v): v for v in reversed(new)}.values())[::-1]  # once each, in their order
        if new and getattr(existing, first) is None:
            news[first] = [new.pop(0)]
        if new:
            news[rest] = new
    links = [u for u in record.links if u.rstrip("/") not in {v.rstrip("/") for v in existing.links}]
    if links:
        news["links"] = links
    return news


def _empty(value: Any) -> bool:
    return value is None or value == []


def _label(record: Any) -> str:
    if isinstance(record, Reference):
        return record.name
    if isinstance(record, Application):
        return f"{record.company} — {record.role}"
    assert isinstance(record, Feedback)
    return f"about {record.reference}, {record.reported_on.isoformat()}"


def _check_links(registry: Registry, incoming: Incoming) -> None:
    """Every incoming cross-reference points at a record in the import or the registry."""
    refs = {r.id for r in registry.references}
    apps = {a.id for a in registry.applications}
    checks: list[tuple[str, Callable[[Any], list[tuple[str, str, set[str]]]]]] = [
        ("applications", lambda a: [("references", r, refs) for r in a.references]
            + [(name, b.reference, refs) for name in BRIEFING_FIELDS["applications"] for b in getattr(a, name)]),
        ("feedback", lambda f: [("reference", f.reference, refs)]
            + ([("application", f.application, apps)] if f.application else [])),
    ]  # fmt: skip
    for section, links in checks:
        for entry in getattr(incoming, section):
            for column, target, known in links(entry.record):
                if target not in known:
                    what = "reference" if known is refs else "application"
                    raise ValidationError(
                        f"in {entry.where}, column {column}: no {what} {target!r} in the import or the registry."
                    )
