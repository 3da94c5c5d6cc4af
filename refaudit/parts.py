"""The parts of records, and the change log's entries: what a reference said and when, a briefing
or thanks, a timeline entry, a line of the history.

``Said`` belongs to a reference (``said``); ``Briefing`` and ``Event`` to an application
(``briefed``, ``thanked``, ``withdrawn``, ``told``; ``timeline``). Each reads and writes its
plain data and validates what it reads, naming the field.
``HistoryEntry`` is one line of the registry's change log (``history.py`` computes the chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from refaudit.checks import (
    MAX_LIST,
    MAX_TEXT,
    check_choice,
    check_id,
    check_text,
    check_uid,
    drop_empty,
    only_keys,
    require_date,
    require_text,
)
from refaudit.errors import ValidationError

# What an application's timeline records: each stage and outcome, briefings, thanks, notes, debriefs.
TIMELINE_EVENTS = (
    "applied", "stage", "outcome", "briefed", "thanked", "note", "debrief",
    "ref", "withdraw-ref", "told", "heard-back", "followed-up",
)  # fmt: skip


@dataclass(slots=True)
class Said:
    """A point an employer made in a debrief (criticism, a job lead), and the day they made it.

    Stored as the bare text when ``on`` is unknown (written before days were kept): it then
    reads as given on the debrief's day, else the day the application closed
    (``applications.said_on``).
    """

    text: str
    on: date | None = None

    def to_plain(self) -> Any:
        return self.text if self.on is None else {"text": self.text, "on": self.on}

    @classmethod
    def from_plain(cls, data: Any, where: str) -> Said:
        if isinstance(data, dict):
            d = only_keys(where, data, ("text", "on"))
            return cls(
                require_text(f"{where}.text", d.get("text"), max_len=MAX_TEXT), require_date(f"{where}.on", d.get("on"))
            )
        return cls(require_text(where, data, max_len=MAX_TEXT))


def check_said(name: str, value: Any) -> list[Said]:
    """A list of ``Said``: bare texts or ``{text, on}``."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(f"{name} must be a list of texts or {{text, on}}.")
    if len(value) > MAX_LIST:
        raise ValidationError(f"{name} has {len(value)} entries; at most {MAX_LIST} are accepted.")
    return [
        Said.from_plain(v, f"{name}[{i}]") for i, v in enumerate(value) if not (isinstance(v, str) and not v.strip())
    ]


@dataclass(slots=True)
class Briefing:
    reference: str
    on: date

    def to_plain(self) -> dict[str, Any]:
        return {"reference": self.reference, "on": self.on}

    @classmethod
    def from_plain(cls, data: Any, where: str) -> Briefing:
        d = only_keys(where, data, ("reference", "on"))
        on = require_date(f"{where}.on", d.get("on"))
        return cls(reference=check_id(f"{where}.reference", d.get("reference")), on=on)


@dataclass(slots=True)
class Event:
    """One dated step of an application: ``{on, event, value}`` (a stage, an outcome, a briefing…)."""

    on: date
    event: str
    value: str | None = None

    def to_plain(self) -> dict[str, Any]:
        return drop_empty({"on": self.on, "event": self.event, "value": self.value})

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on, "event": self.event, "value": self.value}

    @classmethod
    def from_plain(cls, data: Any, where: str) -> Event:
        d = only_keys(where, data, ("on", "event", "value"))
        on = require_date(f"{where}.on", d.get("on"))
        return cls(
            on=on,
            event=check_choice(f"{where}.event", d.get("event"), TIMELINE_EVENTS),
            value=check_text(f"{where}.value", d.get("value"), max_len=MAX_TEXT, multiline=True),
        )


@dataclass(slots=True)
class HistoryEntry:
    """One line of the change log; see ``history.py`` for how the chain is computed."""

    at: str
    command: str
    summary: str
    summary_digest: str
    hash: str
    # Since version 3: the entries it follows when not the one before it (a merge has two),
    # and the uids of the records the change touched (a merge blanks what the other side erased).
    parents: list[str] | None = None
    uids: list[str] = field(default_factory=list)

    FIELDS: ClassVar[tuple[str, ...]]  # its text fields in order, set below the class
    DAG_FIELDS: ClassVar[tuple[str, ...]] = ("parents", "uids")  # written only when they hold something

    def to_plain(self) -> dict[str, Any]:
        data: dict[str, Any] = {k: getattr(self, k) for k in self.FIELDS}
        if self.parents is not None:
            data["parents"] = list(self.parents)
        if self.uids:
            data["uids"] = list(self.uids)
        return data

    @classmethod
    def from_plain(cls, data: Any, where: str = "history") -> HistoryEntry:
        d = only_keys(where, data, (*cls.FIELDS, *cls.DAG_FIELDS))
        values = {}
        for key in cls.FIELDS:
            v = d.get(key)
            if not isinstance(v, str):
                raise ValidationError(f"{where}.{key} must be text.")
            values[key] = v
        parents = d.get("parents")
        if parents is not None and (not isinstance(parents, list) or not all(isinstance(p, str) for p in parents)):
            raise ValidationError(f"{where}.parents must be a list of entry hashes.")
        uids = [check_uid(f"{where}.uids", u) or "" for u in (d.get("uids") or [])]
        return cls(**values, parents=parents, uids=uids)


HistoryEntry.FIELDS = ("at", "command", "summary", "summary_digest", "hash")
