"""Changes to feedback, what a reference reportedly said: log one report, edit one, remove one.

Reports arrive with their reference (and application) already resolved, so they
exist. Ids are ``f<N>`` from ``Registry.new_feedback_id``: short, typable, never
reused. History summaries name ids only, never what was said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from refaudit.change import Change
from refaudit.checks import MAX_LIST, MAX_TEXT, check_attempts, check_choice, check_text, parse_date, require_text
from refaudit.errors import NotFoundError, ValidationError
from refaudit.model import (
    CERTAINTIES,
    FEEDBACK_SOURCES,
    SENTIMENTS,
    Application,
    Feedback,
    Reference,
    Registry,
    feedback_id,
)


@dataclass
class NewFeedback:
    """One feedback entry as the user typed it; ``None`` means "not given"."""

    sentiment: str
    source: str = "other"
    certainty: str = "direct"
    reported_on: str | date | None = None
    reporter: str | None = None
    quote: str | None = None
    topics: list[str] = field(default_factory=list)
    notes: str | None = None
    attempts: int | None = None
    fatigue: bool = False


@dataclass(frozen=True)
class Logged:
    id: str
    warnings: list[str]


def _topics(values: list[str]) -> list[str]:
    topics = list(dict.fromkeys(require_text("topic", t, max_len=60) for t in values))
    if len(topics) > MAX_LIST:
        raise ValidationError(f"{len(topics)} topics given; at most {MAX_LIST} are accepted.")
    return topics


def log(reg: Registry, ref: Reference, app: Application | None, typed: NewFeedback, today: date) -> Change[Logged]:
    """Add one report about ``ref`` (optionally on ``app``); the result carries its id and any warnings."""
    reported_on = parse_date("--date", typed.reported_on, today=today) or today
    warnings = _check_app(ref, app, reported_on)
    entry = Feedback(
        id="",
        reference=ref.id,
        application=app.id if app else None,
        reported_on=reported_on,
        sentiment=check_choice("sentiment", typed.sentiment, SENTIMENTS),
        attempts=check_attempts("--attempts", typed.attempts, typed.sentiment),
        source=check_choice("source", typed.source, FEEDBACK_SOURCES),
        certainty=check_choice("certainty", typed.certainty, CERTAINTIES),
        reporter=check_text("reporter", typed.reporter),
        quote=check_text("quote", typed.quote, max_len=MAX_TEXT, multiline=True),
        topics=_topics(typed.topics),
        notes=check_text("note", typed.notes, max_len=MAX_TEXT, multiline=True),
        fatigue=True if typed.fatigue else None,
    )
    # Only now, with everything valid, take the next id from the counter.
    entry.id = reg.new_feedback_id()
    reg.feedback.append(entry)
    return Change(f"logged report {entry.id} on {ref.id}", Logged(entry.id, warnings))


def _check_app(ref: Reference, app: Application | None, reported_on: date) -> list[str]:
    """Refuse a report dated before its application; warn when ``ref`` was not given on it."""
    if app is None:
        return []
    if reported_on < app.applied_on:
        raise ValidationError(
            f"--date {reported_on.isoformat()} is before you applied to {app.company} "
            f"({app.id}, applied {app.applied_on.isoformat()}); a report on that application "
            "cannot have reached you earlier. Use a date on or after it, or leave out --app."
        )
    if ref.id not in app.references:
        return [
            f"Note: {ref.id} was not recorded as given on {app.id}; "
            f"add with: refaudit app update {app.id} --ref {ref.id}"
        ]
    return []


@dataclass
class FeedbackEdit:
    """What ``feedback edit`` may change; ``None`` / empty means "keep what is recorded"."""

    ref: Reference | None = None
    app: Application | None = None
    no_app: bool = False
    sentiment: str | None = None
    source: str | None = None
    certainty: str | None = None
    reported_on: date | None = None
    reporter: str | None = None
    quote: str | None = None
    topics: list[str] = field(default_factory=list)
    notes: str | None = None
    attempts: int | None = None
    fatigue: bool | None = None  # True: --fatigue, False: --no-fatigue, None: unchanged

    def is_empty(self) -> bool:
        return self == FeedbackEdit()


def edit(reg: Registry, entry: Feedback, up: FeedbackEdit, today: date) -> Change[Logged]:
    """Change the fields given, check the report as a whole again, and keep its id."""
    if up.is_empty():
        raise ValidationError(
            "nothing to change: give --ref, --sentiment, --source, --certainty, --app, --no-app, --date, "
            "--reporter, --quote, --topic, --note, --attempts or --fatigue/--no-fatigue."
        )
    ref = up.ref or reg.reference(entry.reference)
    app = None if up.no_app else up.app or (reg.application(entry.application) if entry.application else None)
    reported_on = parse_date("--date", up.reported_on, today=today) or entry.reported_on
    warnings = _check_app(ref, app, reported_on)
    sentiment = check_choice("sentiment", up.sentiment or entry.sentiment, SENTIMENTS)
    # Attempts only mean something with no-response: moving away from it drops them.
    attempts = up.attempts if up.attempts is not None else entry.attempts if sentiment == "no-response" else None
    changes = dict(
        reference=ref.id,
        application=app.id if app else None,
        reported_on=reported_on,
        sentiment=sentiment,
        attempts=check_attempts("--attempts", attempts, sentiment),
        source=check_choice("source", up.source or entry.source, FEEDBACK_SOURCES),
        certainty=check_choice("certainty", up.certainty or entry.certainty, CERTAINTIES),
        reporter=check_text("reporter", up.reporter) if up.reporter is not None else entry.reporter,
        quote=check_text("quote", up.quote, max_len=MAX_TEXT, multiline=True) if up.quote is not None else entry.quote,
        topics=_topics(up.topics) if up.topics else entry.topics,
        notes=check_text("note", up.notes, max_len=MAX_TEXT, multiline=True) if up.notes is not None else entry.notes,
        fatigue=entry.fatigue if up.fatigue is None else (True if up.fatigue else None),
    )
    for name, value in changes.items():
        setattr(entry, name, value)
    return Change(f"edited report {entry.id} on {ref.id}", Logged(entry.id, warnings))


_TYPED_ID = re.compile(r"^f?(\d+)$", re.IGNORECASE)


def find(reg: Registry, typed: str) -> Feedback:
    """The report whose id the user typed: ``f12``, ``F12`` or ``12``."""
    text = typed.strip()
    m = _TYPED_ID.match(text)
    wanted = feedback_id(int(m.group(1))) if m else text
    for f in reg.feedback:
        if f.id == wanted or f.id == text:
            return f
    raise NotFoundError(f"no report has the id {typed!r}; ids look like f12 ('refaudit feedback list' shows them).")


def remove(reg: Registry, entry: Feedback) -> Change[str]:
    reg.feedback = [f for f in reg.feedback if f.id != entry.id]
    return Change(f"removed report {entry.id}", entry.id)


def newest_first(entries: list[Feedback]) -> list[Feedback]:
    """Most recent report first; among one day's reports, the last logged first."""

    def key(f: Feedback) -> tuple[date, int, str]:
        m = _TYPED_ID.match(f.id)
        return (f.reported_on, int(m.group(1)) if m else 0, f.id)

    return sorted(entries, key=key, reverse=True)
