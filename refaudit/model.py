"""The registry's records: types, validation, and conversion to and from plain data.

Plain data is what YAML and JSON hold: dicts, lists, str, int and ``datetime.date``.
``Registry.from_plain`` validates everything it reads and raises ``ValidationError``
naming the field (``references[3].email``); the store turns that into "damaged".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any, ClassVar

from refaudit.errors import ValidationError
from refaudit.text import refuse_hidden, unify_line_breaks

SCHEMA_VERSION = 3
# Versions this refaudit reads. In version 1, ``neutral`` meant lukewarm: such reports are
# read as ``lukewarm`` (see ``Registry.from_plain``). Version 3 added each record's ``uid`` and
# the merge's bookkeeping (``refaudit/copies``); saving writes version 3.
READABLE_VERSIONS = (1, 2, 3)
# The body's keys kept for merging copies (``refaudit.copies``): opaque here, checked there.
COPIES_KEYS = ("merge_key", "clock", "stamps", "tombstones")

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
# What an application's timeline records: each stage and outcome, briefings, thanks, notes, debriefs.
TIMELINE_EVENTS = (
    "applied", "stage", "outcome", "briefed", "thanked", "note", "debrief",
    "ref", "withdraw-ref", "told", "heard-back", "followed-up",
)  # fmt: skip
# Timeline events whose value is a reference id (renamed and erased with the reference).
REFERENCE_EVENTS = ("briefed", "thanked", "ref", "withdraw-ref", "told")
MAX_ATTEMPTS = 99

# Lengths a person could plausibly type; anything longer is a paste gone wrong.
MAX_NAME = 200
MAX_SHORT = 300
MAX_TEXT = 5000
MAX_LIST = 100
MAX_AFFIX = 40  # an honorific or a suffix: "Prof. Dr.", "Jr.", "PhD"

_UID_RE = re.compile(r"^[0-9a-f]{32}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_FEEDBACK_ID_RE = re.compile(r"f([0-9]{1,9})")
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$")
# As people write them: (555) 010-0200, +44 (0)20 7946 0958, 0049 30 1234567, 555.010.0200 x12.
_LINK_RE = re.compile(r"https?://[^\s/?#<>\"]+\.[^\s/?#<>\"]+(?:[/?#][^\s<>\"]*)?", re.IGNORECASE)
_PHONE_RE = re.compile(r"^(?P<main>\+?[0-9(][0-9 ().\-/]{2,40})(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$")
# What the first round accepted: registries holding such a number must keep opening (docs/SPEC.md).
_PHONE_BEFORE_RE = re.compile(r"^\+?[0-9][0-9 ().\-/]{3,30}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$")


# --- validation of single values -------------------------------------------------


def check_text(
    name: str, value: Any, *, max_len: int = MAX_SHORT, multiline: bool = False, required: bool = False
) -> str | None:
    """Return ``value`` stripped, or None when empty and not required."""
    if value is None:
        if required:
            raise ValidationError(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text, not {type(value).__name__}.")
    text = value.strip()
    if multiline:
        text = unify_line_breaks(text)
    if not text:
        if required:
            raise ValidationError(f"{name} must not be empty.")
        return None
    if len(text) > max_len:
        raise ValidationError(f"{name} is {len(text):,} characters long; at most {max_len:,} are accepted.")
    return refuse_hidden(name, text, multiline=multiline)


def require_text(name: str, value: Any, *, max_len: int = MAX_SHORT, multiline: bool = False) -> str:
    text = check_text(name, value, max_len=max_len, multiline=multiline, required=True)
    assert text is not None
    return text


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    options = tuple(choices)
    if value not in options:
        raise ValidationError(f"{name} {value!r} is not one of: {', '.join(options)}.")
    return str(value)


def check_id(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise ValidationError(
            f"{name} {value!r} is not a valid id: use 1-64 lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return value


def check_uid(name: str, value: Any) -> str | None:
    """A record's ``uid``: 32 lowercase hex digits (128 bits), or None until it is given one."""
    if value is None:
        return None
    if not isinstance(value, str) or not _UID_RE.match(value):
        raise ValidationError(f"{name} {value!r} is not a uid: 32 lowercase hexadecimal digits.")
    return value


def check_email(name: str, value: Any) -> str | None:
    text = check_text(name, value)
    if text is not None and not _EMAIL_RE.match(text):
        raise ValidationError(f"{name} {text!r} is not an email address like jane@example.com.")
    return text


def check_phone(name: str, value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = check_text(name, value)
    if text is not None and not _plausible_phone(text):
        raise ValidationError(
            f"{name} {text!r} is not a phone number: 4 to 17 digits with optional +, spaces, dashes, "
            "dots, slashes or brackets, e.g. '+1 555 0100' or '(555) 010-0200'."
        )
    return text


def _plausible_phone(text: str) -> bool:
    """Kept exactly as typed; only its shape is checked: digit count, and brackets that pair up."""
    if _PHONE_BEFORE_RE.match(text):
        return True
    match = _PHONE_RE.match(text)
    if not match:
        return False
    main = match.group("main")
    if not 4 <= sum(c.isdigit() for c in main) <= 17:
        return False
    depth = 0
    for c in main:
        depth += (c == "(") - (c == ")")
        if depth not in (0, 1):
            return False
    return depth == 0


def parse_date(name: str, value: Any, *, today: date | None = None) -> date | None:
    """Accept a ``date`` or ``YYYY-MM-DD`` text; refuse dates after ``today`` when given."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        result = value
    elif isinstance(value, str):
        try:
            result = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"{name} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-01.") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValidationError(f"{name} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-01.")
    else:
        raise ValidationError(f"{name} {value!r} is not a date; use YYYY-MM-DD.")
    if today is not None and result > today:
        raise ValidationError(f"{name} {result.isoformat()} is in the future; today is {today.isoformat()}.")
    return result


def require_date(name: str, value: Any) -> date:
    """``parse_date`` for a date a record cannot do without."""
    result = parse_date(name, value)
    if result is None:
        raise ValidationError(f"{name} is required.")
    return result


def check_attempts(name: str, value: Any, sentiment: str) -> int | None:
    """How many times an employer tried to reach a reference: 1 to 99, only with ``no-response``."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        value = int(value)  # a spreadsheet cell
    if type(value) is not int or not 1 <= value <= MAX_ATTEMPTS:
        raise ValidationError(f"{name} {value!r} is not a number of attempts; use a whole number from 1 to 99.")
    if sentiment != "no-response":
        raise ValidationError(f"{name} is only for reports with sentiment no-response, not {sentiment}.")
    return value


def _fatigue(name: str, value: Any) -> bool | None:
    """A report's fatigue mark: true, or absent (false reads as absent); a spreadsheet's "true" too."""
    if isinstance(value, str) and value.strip().casefold() in ("true", "false", ""):
        value = value.strip().casefold() == "true"
    if value is None or value is False:
        return None
    if value is not True:
        raise ValidationError(f"{name} {value!r} is not true or false.")
    return True


def check_list(name: str, value: Any, *, max_len: int = MAX_SHORT) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(f"{name} must be a list.")
    if len(value) > MAX_LIST:
        raise ValidationError(f"{name} has {len(value)} entries; at most {MAX_LIST} are accepted.")
    items = [check_text(f"{name}[{i}]", v, max_len=max_len) for i, v in enumerate(value)]
    return [i for i in items if i is not None]


def check_link(name: str, value: Any) -> str | None:
    """A web address a person could open: ``https://www.linkedin.com/in/jane-doe``."""
    text = check_text(name, value, max_len=MAX_SHORT)
    if text is not None and not _LINK_RE.fullmatch(text):
        raise ValidationError(f"{name} {text!r} is not a web address like https://www.linkedin.com/in/jane-doe.")
    return text


def check_several(name: str, value: Any, check: Callable[[str, Any], str | None]) -> list[str]:
    """A list of emails, phones or links, each checked by ``check``; empty ones and repeats left out."""
    items = [check(f"{name}[{i}]", v) for i, v in enumerate(check_list(name, value))]
    return list(dict.fromkeys(i for i in items if i is not None))


def check_tag(name: str, value: Any) -> str:
    text = require_text(name, value, max_len=40)
    return text


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


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def _only_keys(where: str, data: Any, allowed: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where} must be a mapping of fields.")
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"{where} has unknown field(s): {', '.join(sorted(map(str, unknown)))}.")
    return data


class _Record:
    """What a reference, an application and a report share: their fields out, as JSON and as plain data."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]]  # the fields in the order they are written

    def to_plain(self) -> dict[str, Any]:
        """The fields that hold something, as the registry file stores them (and export writes them)."""
        data = self.to_json()
        data["uid"] = getattr(self, "uid", None)
        return _drop_empty(data)

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
        d = _only_keys(where, data, cls.FIELDS)
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
            d = _only_keys(where, data, ("text", "on"))
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
        d = _only_keys(where, data, ("reference", "on"))
        on = require_date(f"{where}.on", d.get("on"))
        return cls(reference=check_id(f"{where}.reference", d.get("reference")), on=on)


@dataclass(slots=True)
class Event:
    """One dated step of an application: ``{on, event, value}`` (a stage, an outcome, a briefing…)."""

    on: date
    event: str
    value: str | None = None

    def to_plain(self) -> dict[str, Any]:
        return _drop_empty({"on": self.on, "event": self.event, "value": self.value})

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on, "event": self.event, "value": self.value}

    @classmethod
    def from_plain(cls, data: Any, where: str) -> Event:
        d = _only_keys(where, data, ("on", "event", "value"))
        on = require_date(f"{where}.on", d.get("on"))
        return cls(
            on=on,
            event=check_choice(f"{where}.event", d.get("event"), TIMELINE_EVENTS),
            value=check_text(f"{where}.value", d.get("value"), max_len=MAX_TEXT, multiline=True),
        )


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
        d = _only_keys(where, data, cls.FIELDS)
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
        d = _only_keys(where, data, cls.FIELDS)
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
            fatigue=_fatigue(f"{where}.fatigue", d.get("fatigue")),
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
        d = _only_keys(where, data, (*cls.FIELDS, *cls.DAG_FIELDS))
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
        d = _only_keys(
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
