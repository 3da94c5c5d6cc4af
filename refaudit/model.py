"""The registry's records: types, validation, and conversion to and from plain data.

Plain data is what YAML and JSON hold: dicts, lists, str, int and ``datetime.date``.
``Registry.from_plain`` validates everything it reads and raises ``ValidationError``
naming the field (``references[3].email``); the store turns that into "damaged".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any, ClassVar

from refaudit.checks import (
    MAX_AFFIX,
    MAX_NAME,
    MAX_TEXT,
    check_attempts,
    check_choice,
    check_email,
    check_fatigue,
    check_id,
    check_link,
    check_list,
    check_phone,
    check_several,
    check_tag,
    check_text,
    check_uid,
    drop_empty,
    only_keys,
    parse_date,
    require_date,
    require_text,
)
from refaudit.errors import ValidationError
from refaudit.parts import Briefing as Briefing
from refaudit.parts import Event as Event
from refaudit.parts import HistoryEntry, check_said
from refaudit.parts import Said as Said

SCHEMA_VERSION = 3
# Versions this refaudit reads. In version 1, ``neutral`` meant lukewarm: such reports are
# read as ``lukewarm`` (see ``Registry.from_plain``). Version 3 added each record's ``uid`` and
# the merge's bookkeeping (``refaudit/copies``); saving writes version 3.
READABLE_VERSIONS = (1, 2, 3)
# The body's keys kept for merging copies (``refaudit.copies``): opaque here, checked there.
COPIES_KEYS = ("merge_key", "clock", "stamps", "tombstones")

# The registry's lists of records, in the order its file writes them (also the kinds of record).
RECORD_LISTS = ("references", "applications", "feedback")
RELATIONSHIPS = ("manager", "colleague", "report", "client", "mentor", "academic", "personal", "other")
REFERENCE_STATUSES = ("active", "resting", "dropped")
STAGES = ("applied", "screening", "interview", "final", "reference-check", "offer")
OUTCOMES = ("pending", "offer", "accepted", "rejected", "ghosted", "withdrawn", "eliminated")
OFFER_OUTCOMES = ("offer", "accepted")  # the outcomes that mean an offer was made
SENTIMENTS = ("positive", "neutral", "lukewarm", "mixed", "negative", "no-response", "declined")
FEEDBACK_SOURCES = ("employer", "recruiter", "reference-service", "mock-call", "reference", "contact", "other")
CERTAINTIES = ("verbatim", "direct", "hearsay", "inferred")
# Why an employer said no, as far as they said. Only ``references`` and ``none-given`` (or no
# recorded reason at all) can count towards the audit's ``pattern`` flag.
REASON_KINDS = (
    "experience", "skills", "fit", "compensation", "internal-candidate", "position-filled",
    "references", "none-given", "other",
)  # fmt: skip
# Timeline events whose value is a reference id (renamed and erased with the reference).
REFERENCE_EVENTS = ("briefed", "thanked", "ref", "withdraw-ref", "told")
_FEEDBACK_ID_RE = re.compile(r"f([0-9]{1,9})")


# --- records -----------------------------------------------------------------------


def feedback_id(number: int) -> str:
    """The id of the ``number``-th report logged: ``f12``."""
    return f"f{number}"


def feedback_number(record_id: str) -> int | None:
    """12 for ``f12``; None for an id of another form (made by hand, imported)."""
    match = _FEEDBACK_ID_RE.fullmatch(record_id)
    return int(match.group(1)) if match else None


def _field_names(record_type: type) -> tuple[str, ...]:
    """What a record stores, in the order it is written: its dataclass fields, the ``uid`` last."""
    names = tuple(f.name for f in dataclass_fields(record_type))
    return tuple(n for n in names if n != "uid") + (("uid",) if "uid" in names else ())


class _Record:
    """What a reference, an application and a report share: their fields out, as JSON and as plain data."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]]  # the fields in the order they are written

    def to_plain(self) -> dict[str, Any]:
        """The fields that hold something, as the registry file stores them (and export writes them)."""
        data = self.to_json()
        data["uid"] = getattr(self, "uid", None)
        return drop_empty(data)

    def to_json(self) -> dict[str, Any]:
        """Every field, empty ones as null or [], so that scripts can rely on the keys (the uid aside)."""
        return {k: getattr(self, k) for k in self.FIELDS if k != "uid"}


@dataclass(slots=True)
class Reference(_Record):
    id: str
    name: str
    uid: str | None = None  # immutable, 128 random bits: who the record is across copies
    name_prefix: str | None = None  # an honorific before the name, kept apart from it: "Dr."
    name_suffix: str | None = None  # "Jr.", "PhD"
    relationship: str = "other"
    organization: str | None = None
    title: str | None = None
    worked_with: str | None = None  # where you worked together, in your words (drafts say no more)
    email: str | None = None
    emails: list[str] = field(default_factory=list)  # the others, beyond the first in ``email``
    phone: str | None = None
    phones: list[str] = field(default_factory=list)  # the others, beyond the first in ``phone``
    links: list[str] = field(default_factory=list)  # web addresses: a LinkedIn profile
    known_since: date | None = None
    consent_on: date | None = None
    status: str = "active"
    status_on: date | None = None
    status_note: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: str | None = None
    added_on: date | None = None

    FIELDS: ClassVar[tuple[str, ...]]  # its dataclass fields in order, set below the class

    @classmethod
    def from_plain(cls, data: Any, where: str = "reference") -> Reference:
        d = only_keys(where, data, cls.FIELDS)
        return cls(
            id=check_id(f"{where}.id", d.get("id")),
            name=require_text(f"{where}.name", d.get("name"), max_len=MAX_NAME),
            uid=check_uid(f"{where}.uid", d.get("uid")),
            name_prefix=check_text(f"{where}.name_prefix", d.get("name_prefix"), max_len=MAX_AFFIX),
            name_suffix=check_text(f"{where}.name_suffix", d.get("name_suffix"), max_len=MAX_AFFIX),
            relationship=check_choice(f"{where}.relationship", d.get("relationship", "other"), RELATIONSHIPS),
            organization=check_text(f"{where}.organization", d.get("organization")),
            title=check_text(f"{where}.title", d.get("title")),
            worked_with=check_text(f"{where}.worked_with", d.get("worked_with")),
            email=check_email(f"{where}.email", d.get("email")),
            emails=check_several(f"{where}.emails", d.get("emails"), check_email),
            phone=check_phone(f"{where}.phone", d.get("phone")),
            phones=check_several(f"{where}.phones", d.get("phones"), check_phone),
            links=check_several(f"{where}.links", d.get("links"), check_link),
            known_since=parse_date(f"{where}.known_since", d.get("known_since")),
            consent_on=parse_date(f"{where}.consent_on", d.get("consent_on")),
            status=check_choice(f"{where}.status", d.get("status", "active"), REFERENCE_STATUSES),
            status_on=parse_date(f"{where}.status_on", d.get("status_on")),
            status_note=check_text(f"{where}.status_note", d.get("status_note"), max_len=MAX_TEXT, multiline=True),
            tags=[check_tag(f"{where}.tags", t) for t in check_list(f"{where}.tags", d.get("tags"))],
            notes=check_text(f"{where}.notes", d.get("notes"), max_len=MAX_TEXT, multiline=True),
            added_on=parse_date(f"{where}.added_on", d.get("added_on")),
        )


Reference.FIELDS = _field_names(Reference)


@dataclass(slots=True)
class Application(_Record):
    id: str
    company: str
    role: str
    applied_on: date
    uid: str | None = None  # immutable, 128 random bits: who the record is across copies
    via: str | None = None
    references: list[str] = field(default_factory=list)
    stage: str = "applied"
    outcome: str = "pending"
    reason: str | None = None
    reason_kind: str | None = None
    criticism: list[Said] = field(default_factory=list)
    leads: list[Said] = field(default_factory=list)
    briefed: list[Briefing] = field(default_factory=list)
    thanked: list[Briefing] = field(default_factory=list)
    # References taken off the application (``--withdraw-ref``, ``--swap``), each from its day;
    # ``references`` keeps everyone ever given.
    withdrawn: list[Briefing] = field(default_factory=list)
    told: list[Briefing] = field(default_factory=list)  # told how the search ended (``--told``)
    notes: str | None = None
    updated_on: date | None = None
    closed_on: date | None = None
    timeline: list[Event] = field(default_factory=list)

    FIELDS: ClassVar[tuple[str, ...]]  # its dataclass fields in order, set below the class

    @property
    def is_open(self) -> bool:
        return self.outcome == "pending"

    @property
    def last_change(self) -> date:
        return self.updated_on or self.applied_on

    def to_json(self) -> dict[str, Any]:
        """Every field, empty ones as null or [], so that scripts can rely on the keys."""
        data = _Record.to_json(self)  # not super(): slots=True dataclasses are new classes
        data["criticism"] = [s.to_plain() for s in self.criticism]
        data["leads"] = [s.to_plain() for s in self.leads]
        data["briefed"] = [b.to_plain() for b in self.briefed]
        data["thanked"] = [b.to_plain() for b in self.thanked]
        data["withdrawn"] = [b.to_plain() for b in self.withdrawn]
        data["told"] = [b.to_plain() for b in self.told]
        data["timeline"] = [e.to_json() for e in self.timeline]
        return data

    @classmethod
    def from_plain(cls, data: Any, where: str = "application") -> Application:
        d = only_keys(where, data, cls.FIELDS)
        applied = require_date(f"{where}.applied_on", d.get("applied_on"))
        refs = d.get("references") or []
        if not isinstance(refs, list):
            raise ValidationError(f"{where}.references must be a list of reference ids.")
        briefed = d.get("briefed") or []
        thanked = d.get("thanked") or []
        withdrawn = d.get("withdrawn") or []
        told = d.get("told") or []
        if not all(isinstance(x, list) for x in (briefed, thanked, withdrawn, told)):
            raise ValidationError(
                f"{where}.briefed, .thanked, .withdrawn and .told must be lists of {{reference, on}}."
            )
        timeline = d.get("timeline") or []
        if not isinstance(timeline, list):
            raise ValidationError(f"{where}.timeline must be a list of {{on, event, value}}.")
        kind = d.get("reason_kind")
        return cls(
            id=check_id(f"{where}.id", d.get("id")),
            company=require_text(f"{where}.company", d.get("company")),
            role=require_text(f"{where}.role", d.get("role")),
            applied_on=applied,
            uid=check_uid(f"{where}.uid", d.get("uid")),
            via=check_text(f"{where}.via", d.get("via")),
            references=[check_id(f"{where}.references[{i}]", r) for i, r in enumerate(refs)],
            stage=check_choice(f"{where}.stage", d.get("stage", "applied"), STAGES),
            outcome=check_choice(f"{where}.outcome", d.get("outcome", "pending"), OUTCOMES),
            reason=check_text(f"{where}.reason", d.get("reason"), max_len=MAX_TEXT, multiline=True),
            reason_kind=None if kind is None else check_choice(f"{where}.reason_kind", kind, REASON_KINDS),
            criticism=check_said(f"{where}.criticism", d.get("criticism")),
            leads=check_said(f"{where}.leads", d.get("leads")),
            briefed=[Briefing.from_plain(b, f"{where}.briefed[{i}]") for i, b in enumerate(briefed)],
            thanked=[Briefing.from_plain(b, f"{where}.thanked[{i}]") for i, b in enumerate(thanked)],
            withdrawn=[Briefing.from_plain(b, f"{where}.withdrawn[{i}]") for i, b in enumerate(withdrawn)],
            told=[Briefing.from_plain(b, f"{where}.told[{i}]") for i, b in enumerate(told)],
            notes=check_text(f"{where}.notes", d.get("notes"), max_len=MAX_TEXT, multiline=True),
            updated_on=parse_date(f"{where}.updated_on", d.get("updated_on")),
            closed_on=parse_date(f"{where}.closed_on", d.get("closed_on")),
            timeline=[Event.from_plain(e, f"{where}.timeline[{i}]") for i, e in enumerate(timeline)],
        )


Application.FIELDS = _field_names(Application)


@dataclass(slots=True)
class Feedback(_Record):
    id: str
    reference: str
    reported_on: date
    sentiment: str
    uid: str | None = None  # immutable, 128 random bits: who the record is across copies
    application: str | None = None
    source: str = "other"
    reporter: str | None = None
    certainty: str = "direct"
    quote: str | None = None
    topics: list[str] = field(default_factory=list)
    notes: str | None = None
    attempts: int | None = None  # with no-response: how many times the employer tried
    fatigue: bool | None = None  # True: they were slow to answer or tired of being asked (None: not said)

    # Written in this order (the application beside the reference), which is not the constructor's:
    # its required fields come first. test_model_fields checks both name the same fields.
    FIELDS = (
        "id", "reference", "application", "reported_on", "source", "reporter", "sentiment",
        "attempts", "certainty", "quote", "topics", "notes", "fatigue", "uid",
    )  # fmt: skip

    @classmethod
    def from_plain(cls, data: Any, where: str = "feedback") -> Feedback:
        d = only_keys(where, data, cls.FIELDS)
        reported = require_date(f"{where}.reported_on", d.get("reported_on"))
        app = d.get("application")
        sentiment = check_choice(f"{where}.sentiment", d.get("sentiment"), SENTIMENTS)
        return cls(
            id=check_id(f"{where}.id", d.get("id")),
            uid=check_uid(f"{where}.uid", d.get("uid")),
            reference=check_id(f"{where}.reference", d.get("reference")),
            application=None if app is None else check_id(f"{where}.application", app),
            reported_on=reported,
            source=check_choice(f"{where}.source", d.get("source", "other"), FEEDBACK_SOURCES),
            reporter=check_text(f"{where}.reporter", d.get("reporter")),
            sentiment=sentiment,
            attempts=check_attempts(f"{where}.attempts", d.get("attempts"), sentiment),
            certainty=check_choice(f"{where}.certainty", d.get("certainty", "direct"), CERTAINTIES),
            quote=check_text(f"{where}.quote", d.get("quote"), max_len=MAX_TEXT, multiline=True),
            topics=check_list(f"{where}.topics", d.get("topics"), max_len=60),
            notes=check_text(f"{where}.notes", d.get("notes"), max_len=MAX_TEXT, multiline=True),
            fatigue=check_fatigue(f"{where}.fatigue", d.get("fatigue")),
        )


@dataclass(slots=True)
class Registry:
    owner: str | None = None
    references: list[Reference] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    feedback_seq: int = 0
    history: list[HistoryEntry] = field(default_factory=list)
    copies: dict[str, Any] = field(default_factory=dict)  # merge_key, clock, stamps, tombstones
    # Where each id sat in its list when last looked for: see ``_find``. Not data.
    _positions: dict[str, tuple[list[Any], dict[str, int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    # --- lookups -------------------------------------------------------------------

    def reference(self, ref_id: str) -> Reference:
        found: Reference = self._find("references", self.references, ref_id)
        return found

    def application(self, app_id: str) -> Application:
        found: Application = self._find("applications", self.applications, app_id)
        return found

    def _find(self, kind: str, records: list[Any], wanted: str) -> Any:
        """The first record of ``records`` whose id is ``wanted``, else ``KeyError``.

        An index of positions, built once and checked on every hit (the record at that
        position still has that id), so lookups stay constant-time while commands append,
        remove, rename or replace records; a miss rebuilds it before giving up.
        """
        cached = self._positions.get(kind)
        if cached is not None and cached[0] is records:
            pos = cached[1].get(wanted)
            if pos is not None and pos < len(records) and records[pos].id == wanted:
                return records[pos]
        positions: dict[str, int] = {}
        for i, record in enumerate(records):
            positions.setdefault(record.id, i)
        self._positions[kind] = (records, positions)
        if wanted in positions:
            return records[positions[wanted]]
        raise KeyError(wanted)

    def feedback_for(self, ref_id: str) -> list[Feedback]:
        return [f for f in self.feedback if f.reference == ref_id]

    def applications_for(self, ref_id: str) -> list[Application]:
        return [a for a in self.applications if ref_id in a.references]

    def new_feedback_id(self) -> str:
        """``f<N>``, never reused: the counter survives removals."""
        taken = {f.id for f in self.feedback}
        while True:
            self.feedback_seq += 1
            candidate = feedback_id(self.feedback_seq)
            if candidate not in taken:
                return candidate

    # --- plain data ----------------------------------------------------------------

    def to_plain(self, *, with_history: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"refaudit": SCHEMA_VERSION}
        if self.owner:
            data["owner"] = self.owner
        data["references"] = [r.to_plain() for r in self.references]
        data["applications"] = [a.to_plain() for a in self.applications]
        data["feedback"] = [f.to_plain() for f in self.feedback]
        if with_history:
            data["feedback_seq"] = self.feedback_seq
            data["history"] = [h.to_plain() for h in self.history]
            data.update((k, self.copies[k]) for k in COPIES_KEYS if k in self.copies)
        return data

    @classmethod
    def from_plain(cls, data: Any) -> Registry:
        d = only_keys(
            "registry", data,
            ("refaudit", "owner", "references", "applications", "feedback", "feedback_seq", "history", *COPIES_KEYS),
        )  # fmt: skip
        version = d.get("refaudit")
        if isinstance(version, bool):  # True == 1 in Python, but a bool is no version number
            raise ValidationError(f"schema version {version!r} is not a number (write 'refaudit: {SCHEMA_VERSION}').")
        if type(version) is not int or version not in READABLE_VERSIONS:
            newer = type(version) is int and version > SCHEMA_VERSION
            raise ValidationError(
                f"schema version {version!r} is not supported (this refaudit reads versions 1, 2 and 3)"
                + ("; it was written by a newer refaudit: upgrade refaudit." if newer else ".")
            )
        sections = {}
        for key in ("references", "applications", "feedback", "history"):
            value = d.get(key) or []
            if not isinstance(value, list):
                raise ValidationError(f"{key} must be a list.")
            sections[key] = value
        seq = d.get("feedback_seq", 0)
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValidationError("feedback_seq must be a whole number.")
        reg = cls(
            owner=check_text("owner", d.get("owner"), max_len=MAX_NAME),
            references=[Reference.from_plain(r, f"references[{i}]") for i, r in enumerate(sections["references"])],
            applications=[
                Application.from_plain(a, f"applications[{i}]") for i, a in enumerate(sections["applications"])
            ],
            feedback=[Feedback.from_plain(f, f"feedback[{i}]") for i, f in enumerate(sections["feedback"])],
            feedback_seq=seq,
            history=[HistoryEntry.from_plain(h, f"history[{i}]") for i, h in enumerate(sections["history"])],
            copies={k: d[k] for k in COPIES_KEYS if k in d},
        )
        if version == 1:
            # Version 1 had no "lukewarm": its "neutral" was documented as lukewarm.
            for fb in reg.feedback:
                if fb.sentiment == "neutral":
                    fb.sentiment = "lukewarm"
        reg.check_integrity()
        return reg

    def check_integrity(self) -> None:
        """Ids unique, and every cross-reference points at a record that exists."""
        records: list[Reference | Application | Feedback] = [*self.references, *self.applications, *self.feedback]
        _unique("uids", (r.uid for r in records if r.uid))
        ref_ids = _unique("references", (r.id for r in self.references))
        app_ids = _unique("applications", (a.id for a in self.applications))
        _unique("feedback", (f.id for f in self.feedback))
        for i, app in enumerate(self.applications):
            for ref in app.references:
                if ref not in ref_ids:
                    raise ValidationError(f"applications[{i}] ({app.id}) names unknown reference {ref!r}.")
            for b in (*app.briefed, *app.thanked, *app.withdrawn, *app.told):
                if b.reference not in ref_ids:
                    raise ValidationError(f"applications[{i}] ({app.id}) mentions unknown reference {b.reference!r}.")
        for i, fb in enumerate(self.feedback):
            if fb.reference not in ref_ids:
                raise ValidationError(f"feedback[{i}] ({fb.id}) names unknown reference {fb.reference!r}.")
            if fb.application is not None and fb.application not in app_ids:
                raise ValidationError(f"feedback[{i}] ({fb.id}) names unknown application {fb.application!r}.")


def _unique(what: str, ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValidationError(f"{what}: the id {i!r} is used twice.")
        seen.add(i)
    return seen


def unique_id(base: str, taken: set[str], fallback: str) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is free; ``fallback`` when base is empty."""
    stem = base or fallback
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def future_fields(record: Reference | Application | Feedback, today: date) -> list[str]:
    """The record's dates that lie after ``today``, as ``field YYYY-MM-DD``.

    The CLI refuses such dates as they are typed; files from elsewhere (import, edit)
    are held to the same rule.
    """
    found = []
    for name in record.FIELDS:
        value = getattr(record, name)
        if isinstance(value, date) and value > today:
            found.append(f"{name} {value.isoformat()}")
        elif isinstance(value, list):
            found.extend(
                f"{name} {b.on.isoformat()}"
                for b in value
                if isinstance(b, Briefing | Event | Said) and b.on is not None and b.on > today
            )
    return found
