"""What a message to send says: pure ``(registry, settings, as_of, kind, target, …) -> Message``.

``refaudit draft`` writes seven kinds of message; none is ever sent:

- ``ask`` (REF): will you be my reference; what it involves; how often they may be called;
- ``consent`` (REF): may I still give your name (after ``next.consent_valid_days``);
- ``brief`` (APP, ``--ref``): who may call, when, the role, what to emphasise;
- ``thank`` (APP, ``--ref``): thanks, and how it ended;
- ``debrief`` (APP): to the employer: the reason, constructive criticism, job leads;
- ``follow-up`` (APP): to the employer or agency: where does it stand;
- ``tell`` (APP, ``--ref``): to a reference of the search, how it ended (APP is the offer
  you accepted; they need not have been given on it).

A ``Message`` holds only plain data (text, lists, ISO dates) for the templates in
``templates/messages/``; ``messages.py`` renders it. What it never holds: private notes
(reference, application and status notes), what references reportedly said, or the
reason an employer gave (it may be about a reference, and the message goes to one).
``draft_command`` is the ``refaudit draft`` line that writes the message an action of
``next`` asks for.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from refaudit import asof, resolve
from refaudit.applications import last_heard
from refaudit.checks import MAX_SHORT, check_text
from refaudit.errors import RefauditError, UsageError
from refaudit.model import Application, Feedback, Reference, Registry
from refaudit.text import HONORIFICS

if TYPE_CHECKING:
    from refaudit.settings import Settings

MESSAGE_KINDS = ("ask", "brief", "thank", "debrief", "follow-up", "consent", "tell")
REFERENCE_KINDS = ("ask", "consent")  # TARGET is a reference; the others take an application
WITH_REF = ("brief", "thank", "tell")  # ... and --ref names the reference the message goes to

# The kinds of ``next`` action that are a message, and the draft that writes it.
# ``reach`` (confirm their number, email and availability) is a consent message: it asks both.
_DRAFT_FOR_ACTION = {
    "ask": "ask",
    "brief": "brief",
    "thank": "thank",
    "debrief": "debrief",
    "follow-up": "follow-up",
    "consent": "consent",
    "refresh-consent": "consent",
    "reach": "consent",
    "swap": "brief",  # swap them if you still can; if not, brief them
    "tell": "tell",
}
_ENDED = {
    "offer": "I was offered the job",
    "accepted": "I was offered the job and accepted it",
    "rejected": "they went with someone else this time",
    "ghosted": "they never came back to me",
    "withdrawn": "I withdrew my application",
    "eliminated": "the role itself was cancelled",
    "pending": "it is still going",
}
_CRITICISM_SHOWN = 3  # the newest criticism items a briefing passes on
MAX_EMPHASIS = 10


class _Action(Protocol):
    """What ``draft_command`` needs of an action of ``next`` (``actions.Action`` has it)."""

    @property
    def kind(self) -> str: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def application(self) -> str | None: ...
    @property
    def command(self) -> str: ...


@dataclass(frozen=True)
class Message:
    """One message to write: its kind, who it goes to, and the template's data."""

    kind: str
    to_name: str | None
    to_email: str | None
    data: Mapping[str, Any]


def draft_command(action: _Action) -> str | None:
    """The ``refaudit draft`` command that writes the message ``action`` asks for, if it is one."""
    kind = _DRAFT_FOR_ACTION.get(action.kind)
    if kind is None or (action.kind == "swap" and "--briefed" not in action.command):
        return None  # a dropped reference is swapped or withdrawn, never briefed
    if kind in REFERENCE_KINDS:
        return None if action.reference is None else f"refaudit draft {kind} {shlex.quote(action.reference)}"
    if action.application is None:
        return None
    line = f"refaudit draft {kind} {shlex.quote(action.application)}"
    if kind in WITH_REF:
        if action.reference is None:
            return None
        line += f" --ref {shlex.quote(action.reference)}"
    return line


def build(
    registry: Registry,
    settings: Settings,
    as_of: date,
    kind: str,
    target: str,
    *,
    ref: str | None = None,
    emphasis: Sequence[str] = (),
) -> Message:
    """The message of ``kind`` about ``target`` (a REF or APP as the user typed it) on ``as_of``."""
    if kind not in MESSAGE_KINDS:
        raise UsageError(f"unknown message kind {kind!r}; use one of: {', '.join(MESSAGE_KINDS)}.")
    if ref is not None and kind not in WITH_REF:
        raise UsageError(f"--ref goes with brief and thank only; draft {kind} writes to {_addressee(kind)}.")
    if emphasis and kind != "brief":
        raise UsageError(f"--emphasis goes with brief only, not with {kind}.")
    points = _emphasis(emphasis)
    registry = asof.view(registry, as_of)  # what was known that day, as next and the audit see it
    base = {"kind": kind, "owner": registry.owner, "today": long_date(as_of)}
    if kind in REFERENCE_KINDS:
        person = resolve.reference(registry, target)
        data = _ask(registry, settings, person) if kind == "ask" else _consent(registry, settings, as_of, person)
        return _to(person, kind, {**base, "reference": _person(person), **data})
    application = resolve.application(registry, target)
    job = _job(application, registry.feedback)
    if kind == "tell":
        return _tell(registry, application, ref, {**base, "application": job})
    if kind in WITH_REF:
        person = _given_on(registry, application, ref, kind)
        data = {**base, "reference": _person(person), "application": job}
        if kind == "brief":
            data["emphasis"] = points
            data["criticism"] = _last_criticism(registry)
        else:
            data["ended"] = _ENDED[job["outcome"]]
        return _to(person, kind, data)
    if kind == "debrief" and application.is_open:
        raise RefauditError(
            f"{_label(application)} is still pending; a debrief asks why it ended. "
            f"Use 'refaudit draft follow-up {shlex.quote(application.id)}' to ask where it stands."
        )
    if kind == "follow-up" and not application.is_open:
        raise RefauditError(
            f"{_label(application)} has ended ({application.outcome}); a follow-up asks where a pending "
            f"application stands. Use 'refaudit draft debrief {shlex.quote(application.id)}' to ask why."
        )
    return Message(kind, None, None, {**base, "application": job})


# --- the pieces ----------------------------------------------------------------------


def long_date(day: date) -> str:
    """``6 November 2026``: the report's way of writing a date (imported here only when used)."""
    from refaudit.report import long_date as written

    return written(day)


def _addressee(kind: str) -> str:
    return "the reference it names" if kind in REFERENCE_KINDS else "the employer"


def _emphasis(values: Sequence[str]) -> list[str]:
    if len(values) > MAX_EMPHASIS:
        raise RefauditError(f"--emphasis was given {len(values)} times; at most {MAX_EMPHASIS} points are accepted.")
    points = []
    for value in values:
        text = check_text("--emphasis", value, max_len=MAX_SHORT)
        if text is None:
            raise RefauditError("--emphasis '' is empty; say what the reference should stress, e.g. 'SQL depth'.")
        points.append(text)
    return points


def _to(person: Reference, kind: str, data: dict[str, Any]) -> Message:
    return Message(kind, person.name, person.email, data)


def greeting(name: str) -> str:
    """How a message greets someone: ``Jane Doe`` -> ``Jane``, ``Dr Helen Park`` -> ``Dr Park``."""
    words = name.split()
    if len(words) >= 2 and words[0].rstrip(".").casefold() in HONORIFICS:
        return f"{words[0]} {words[-1]}"
    return words[0] if words else name


def _person(ref: Reference) -> dict[str, Any]:
    """A reference as a message may name them: never their notes or what they said."""
    return {
        "id": ref.id,
        "name": ref.name,
        "greeting": greeting(f"{ref.name_prefix} {ref.name}" if ref.name_prefix else ref.name),
        "relationship": ref.relationship,
        "organization": ref.organization,
        "title": ref.title,
        "worked_with": ref.worked_with,
        "email": ref.email,
        "phone": ref.phone,
        "consent_on": long_date(ref.consent_on) if ref.consent_on else None,
    }


def _job(app: Application, feedback: Sequence[Feedback] = ()) -> dict[str, Any]:
    """An application (as it stood that day: ``asof.view``): no notes, no stated reason.

    ``last_heard`` is the last thing the employer did (the quiet clock), never a note of yours."""
    return {
        "id": app.id,
        "company": app.company,
        "role": app.role,
        "applied_on": long_date(app.applied_on),
        "via": app.via,
        "stage": app.stage,
        "stage_name": app.stage.replace("-", " "),
        "outcome": app.outcome,
        "last_change": long_date(app.last_change),
        "last_heard": long_date(last_heard(app, feedback)),
        "ended_on": long_date(app.closed_on) if not app.is_open and app.closed_on else None,
    }


def _label(app: Application) -> str:
    return f"{app.company} ({app.role})"


def _given_on(registry: Registry, app: Application, query: str | None, kind: str) -> Reference:
    """The reference a brief or thank goes to: one given on ``app``."""
    given = [registry.reference(r) for r in app.references if any(x.id == r for x in registry.references)]
    listing = ", ".join(f"{r.id} ({r.name})" for r in given) or "none recorded"
    if query is None:
        raise UsageError(f"draft {kind} needs --ref REF, the reference it goes to; on {_label(app)}: {listing}.")
    person = resolve.reference(registry, query)
    if person.id not in app.references:
        raise RefauditError(
            f"{person.name} ({person.id}) was not given on {_label(app)}; given there: {listing}. "
            f"Record it first: refaudit app update {shlex.quote(app.id)} --ref {shlex.quote(person.id)}"
        )
    return person


def _tell(registry: Registry, app: Application, query: str | None, data: dict[str, Any]) -> Message:
    """How the search ended, to one of its references (given on ``app`` or not)."""
    if query is None:
        raise UsageError("draft tell needs --ref REF, the reference it goes to.")
    if app.outcome not in ("offer", "accepted"):
        raise RefauditError(
            f"{_label(app)} has outcome {app.outcome}; draft tell says how your search ended, with the offer "
            "you accepted. Record it first: refaudit app update "
            f"{shlex.quote(app.id)} --outcome accepted"
        )
    person = resolve.reference(registry, query)
    return _to(person, "tell", {**data, "reference": _person(person), "given_here": person.id in app.references})


def _last_criticism(registry: Registry) -> list[str]:
    """The constructive criticism of the latest application that has some (newest items)."""
    with_some = [a for a in registry.applications if a.criticism]
    if not with_some:
        return []
    latest = max(with_some, key=lambda a: (a.closed_on or a.last_change, a.applied_on, a.id))
    return [c.text for c in latest.criticism[-_CRITICISM_SHOWN:]]


def _ask(registry: Registry, settings: Settings, person: Reference) -> dict[str, Any]:
    """How often they may be called, at most: a promise about their name, never numbers about your search."""
    return {
        "cap": settings.scoring.overuse_count,
        "cap_days": settings.scoring.overuse_window_days,
        "already_given": any(person.id in a.references for a in registry.applications),
    }


def _consent(registry: Registry, settings: Settings, as_of: date, person: Reference) -> dict[str, Any]:
    valid = settings.next.consent_valid_days
    age = (as_of - person.consent_on).days if person.consent_on is not None else None
    return {
        "already_given": any(person.id in a.references for a in registry.applications),
        "consent_age_days": age,
        "consent_valid_days": valid,
        "consent_expired": age is not None and age > valid,
    }
