"""Adding incoming records to the registry: matching what is already there, all or nothing.

A record with an id is the registry's record of that id. A record without one (a
contact, a spreadsheet row) matches a person by email, then by name and organisation;
an application by company, role and date applied; a report by everything it says.
A match that says nothing new is a no-op, so importing the same file twice adds
nothing; one that only fills fields the registry has empty completes the record. A
match that differs is a conflict: refused, skipped, or (``replace``) its given
fields written over the registry's — a field the row lacks is never cleared.

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
from refaudit.interop.exporting import BRIEFING_FIELDS
from refaudit.interop.records import RECORD_KINDS, SECTIONS, Incoming, Item, Skip
from refaudit.model import (
    Application,
    Feedback,
    Reference,
    Registry,
    feedback_id,
    feedback_number,
    future_fields,
)
from refaudit.text import fold, slugify

CONFLICT_POLICIES = ("fail", "skip", "replace")


@dataclass(frozen=True)
class RowAction:
    verb: str  # add | complete | match | replace | skip | set
    kind: str  # reference | application | feedback | owner
    id: str
    label: str
    where: str = ""


@dataclass
class Outcome:
    actions: list[RowAction] = field(default_factory=list)

    def count(self, verb: str) -> int:
        return sum(1 for a in self.actions if a.verb == verb)

    def summary(self) -> str:
        return (
            f"imported {self.count('add')} record(s), completed {self.count('complete')}, "
            f"matched {self.count('match')}, replaced {self.count('replace')}, skipped {self.count('skip')}"
        )


def merge(registry: Registry, incoming: Incoming, on_conflict: str, today: date) -> Change[Outcome]:
    """Add ``incoming`` to ``registry`` in memory; all or nothing (raises before any change shows).

    The caller passes a registry it may throw away on error (``service.update`` does).
    """
    if on_conflict not in CONFLICT_POLICIES:
        raise ValidationError(f"--on-conflict {on_conflict!r} is not one of: {', '.join(CONFLICT_POLICIES)}.")
    for section in SECTIONS:
        for entry in getattr(incoming, section):
            future = future_fields(entry.record, today)
            if future:
                raise ValidationError(
                    f"{entry.where}: {future[0]} is in the future (today is {today.isoformat()}); nothing was imported."
                )
    outcome = Outcome()
    conflicts: list[str] = []
    _merge_owner(registry, incoming, on_conflict, outcome, conflicts)
    ids = _Ids(registry)
    for section in SECTIONS:
        skips = [s for s in incoming.skipped if s.section == section]
        _Section(registry, section, ids, on_conflict, today).merge(
            getattr(incoming, section), skips, outcome, conflicts
        )
    if conflicts and on_conflict == "fail":
        shown = ", ".join(conflicts[:10]) + (f" and {len(conflicts) - 10} more" if len(conflicts) > 10 else "")
        raise ValidationError(
            f"{len(conflicts)} record(s) already exist in the registry with other values: {shown}. "
            "Nothing was imported; use --on-conflict skip or --on-conflict replace."
        )
    _check_links(registry, incoming)
    registry.check_integrity()
    numbers = [n for f in registry.feedback if (n := feedback_number(f.id)) is not None]
    registry.feedback_seq = max([registry.feedback_seq, ids.feedback_seq, *numbers])
    return Change(outcome.summary(), outcome)


def _merge_owner(
    registry: Registry, incoming: Incoming, on_conflict: str, outcome: Outcome, conflicts: list[str]
) -> None:
    if incoming.owner is None or incoming.owner == registry.owner:
        return
    if registry.owner is None or on_conflict == "replace":
        registry.owner = incoming.owner
        outcome.actions.append(RowAction("set", "owner", "owner", incoming.owner))
        return
    conflicts.append("owner")
    outcome.actions.append(RowAction("skip", "owner", "owner", incoming.owner))


class _Ids:
    """The ids taken in each section, kept up to date as records are added."""

    def __init__(self, registry: Registry) -> None:
        self.taken = {section: {r.id for r in getattr(registry, section)} for section in SECTIONS}
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
        if record.email:
            yield ("email", record.email.casefold())
        yield ("name", fold(record.name), fold(record.organization or ""))
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
            self.by_name.setdefault(fold(record.name), {})[id(record)] = record

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
                same = list(self.by_name.get(fold(new.name), {}).values())
                if len(same) == 1 and not (new.organization and same[0].organization):
                    found = None if _other_email(new, same[0]) else same[0]
        return found

    def merge(self, entries: list[Item[Any]], skips: list[Skip], outcome: Outcome, conflicts: list[str]) -> None:
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
            differing = [f for f in sorted(entry.given - {"uid"}) if getattr(existing, f) != getattr(record, f)]
            if not differing:
                outcome.actions.append(RowAction("match", self.kind, existing.id, label, entry.where))
            elif all(_empty(getattr(existing, f)) for f in differing):
                # Only what the registry lacks (a phone from the contacts, after LinkedIn): no conflict.
                for name in differing:
                    setattr(existing, name, getattr(record, name))
                self._index(existing)
                outcome.actions.append(RowAction("complete", self.kind, existing.id, label, entry.where))
            elif self.on_conflict == "replace":
                for name in differing:
                    setattr(existing, name, getattr(record, name))
                self._index(existing)
                outcome.actions.append(RowAction("replace", self.kind, existing.id, label, entry.where))
            else:
                if self.on_conflict == "fail":
                    conflicts.append(f"{self.kind} {existing.id} ({entry.where}: {', '.join(differing)})")
                outcome.actions.append(RowAction("skip", self.kind, existing.id, label, entry.where))

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
    """Two emails that differ: two people, whatever their names."""
    return bool(a.email and b.email and a.email.casefold() != b.email.casefold())


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
