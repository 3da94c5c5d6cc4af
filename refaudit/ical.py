"""The due actions of ``next`` as an iCalendar file (RFC 5545), built with ``icalendar``.

``upcoming`` looks ahead day by day: an action due within ``days`` of ``as_of`` is
included, and so is every overdue one (it is put on ``as_of``: a reminder in the past
never rings). ``to_ical`` makes one all-day VEVENT per action, with a VALARM at 09:00
that day and TRANSP:TRANSPARENT (a reminder, not a busy slot).

Each event's UID is an HMAC of the action's kind, reference and application ids, keyed
with the registry's first history hash (a value that never leaves the encrypted file):
the same action keeps its UID from one run to the next, so re-importing the file updates
the event instead of adding a second one, and nothing in the UID can be traced back to a
person's name. Its SEQUENCE is the number of days from 2000-01-01 to the newest date in
the records the event rests on (the reference and the reports about them, the application
and the reports on it): a change to any of them dates it anew, so the number grows and a
client that keys updates on SEQUENCE takes the changed event as newer; an unchanged
registry gives the same number every run. ``redact`` keeps people to their initials, passes
companies and roles through the report's redactor (the identity lexicon), and leaves the
reason (which may quote what a reference said) and every command out of the descriptions;
``texts`` gives what the gate checks before the file is written.

Time is a parameter: ``now`` is the DTSTAMP, ``as_of`` the day the calendar starts.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from refaudit.actions import Action
from refaudit.drafts import draft_command
from refaudit.model import Registry

if TYPE_CHECKING:
    from refaudit.settings import Settings

MAX_DAYS = 366
ALARM_AT = timedelta(hours=9)  # after the start of the all-day event: 09:00 on the day
PRODID = "-//refaudit//refaudit calendar//EN"
SEQUENCE_EPOCH = date(2000, 1, 1)

# What each kind of action asks, at a glance; {ref} a person, {app} "Company (Role)".
# Kinds not listed (or missing a name) read "<Kind>: <what it concerns>".
_SUMMARIES = {
    "brief": "Brief {ref}: {app} may call",
    "thank": "Thank {ref} for the reference for {app}",
    "debrief": "Ask {app} why they said no",
    "follow-up": "Follow up with {app}: where does it stand?",
    "mark-ghosted": "No word from {app}: count it as ghosted",
    "drop": "Stop giving {ref} as a reference",
    "rest": "Give {ref} a rest as a reference",
    "test": "Have someone check what {ref} says about you",
    "refresh-consent": "Ask {ref} again: may I still give your name?",
    "reach": "Reach {ref}: confirm number, email and availability",
    "swap": "Swap {ref} on {app}, or brief them now",
    "apply-more": "Apply for more jobs: too few applications are open",
    "check-reference": "Order a professional reference check on {ref}",
    "recruit": "Find a new reference, ideally a recent manager",
    "withdraw": "Withdraw from {app}: you accepted an offer",
    "tell": "Tell {ref} how your search ended",
}
# A swap for a dropped reference is never "brief them": its command says which it is.
_SWAP_BY_COMMAND = {"--swap": "Swap {ref} off {app}", "--withdraw-ref": "Take {ref} off {app}"}


def due_within(registry: Registry, settings: Settings, today: date, days: int) -> list[Action]:
    """The actions ``next`` gives on each day from ``today`` to ``today + days``, each once (overdue ones too).

    One judgement, as of today: its advice does not move by itself within weeks (reports age
    over a year), and auditing every day of the window would cost up to a year of audits.
    Later days weigh today's verdicts against the registry as it will stand then.
    """
    from refaudit import actions, judgement

    judged = judgement.judge(registry, settings, today)

    def due_on(day: date) -> list[Action]:
        return judged.due if day == today else actions.due_actions(registry, judged.verdicts, settings, day)

    return upcoming(due_on, today, days)


def upcoming(actions_on: Callable[[date], Iterable[Action]], as_of: date, days: int) -> list[Action]:
    """Every action due by ``as_of + days`` (overdue ones included), each once, soonest first.

    ``actions_on(day)`` gives the actions due on ``day`` as ``next --as-of day`` would, most
    urgent first; that order is kept within a day. An action is the same action on every day
    it is listed (same kind, reference, application) and keeps the first listing seen.
    """
    seen: dict[tuple[str, str | None, str | None], Action] = {}
    for offset in range(days + 1):
        for action in actions_on(as_of + timedelta(days=offset)):
            seen.setdefault((action.kind, action.reference, action.application), action)
    return sorted(seen.values(), key=lambda a: max(a.due, as_of))  # stable: next's order within a day


def uid(action: Action, registry: Registry) -> str:
    """A UID that stays the same for the same action of the same registry, and says nothing."""
    key = registry.history[0].hash.encode() if registry.history else b"refaudit"
    ident = "\x00".join((action.kind, action.reference or "", action.application or ""))
    return hmac.new(key, ident.encode("utf-8"), hashlib.sha256).hexdigest()[:32] + "@refaudit"


def sequence(action: Action, registry: Registry) -> int:
    """Days from 2000-01-01 to the newest date among the records ``action`` rests on (0 if none is newer).

    An action about no one and no application (``apply-more``) rests on the applications.
    """
    records: list[Any] = []
    if action.reference is not None:
        records += [r for r in registry.references if r.id == action.reference]
        records += [f for f in registry.feedback if f.reference == action.reference]
    if action.application is not None:
        records += [a for a in registry.applications if a.id == action.application]
        records += [f for f in registry.feedback if f.application == action.application]
    if action.reference is None and action.application is None:
        records += registry.applications
    newest = max((d for record in records for d in _dates(record.to_plain())), default=SEQUENCE_EPOCH)
    return max(0, (newest - SEQUENCE_EPOCH).days)


def _dates(value: Any) -> Iterable[date]:
    if isinstance(value, date):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _dates(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dates(item)


def summary(action: Action, people: Mapping[str, str], jobs: Mapping[str, str], *, redact: bool) -> str:
    """What the event says at a glance: ``Brief Jane Doe: Acme Corp (Data Analyst) may call``.

    ``people`` maps reference ids to names, ``jobs`` application ids to ``Company (Role)``.
    """
    from refaudit.report import initials

    values: dict[str, str] = {}
    if action.reference is not None:
        name = people.get(action.reference, action.reference)
        values["ref"] = initials(name) if redact else name
    if action.application is not None:
        values["app"] = jobs.get(action.application, action.application)
    pattern = _SUMMARIES.get(action.kind)
    if action.kind == "swap":
        pattern = next((p for flag, p in _SWAP_BY_COMMAND.items() if flag in action.command), pattern)
    if pattern is not None and all(f"{{{key}}}" not in pattern or key in values for key in ("ref", "app")):
        return pattern.format_map(values)
    what = " — ".join(values.values()) or "your job search"
    return f"{action.kind.replace('-', ' ').capitalize()}: {what}"


def description(action: Action, as_of: date, *, redact: bool) -> str:
    """Why it is due and, unless redacted, the commands that write the message and record it done."""
    when = f"Due on {action.due.isoformat()}" + (" (overdue)." if action.due < as_of else ".")
    if redact:
        return f"{when} The details are in refaudit, on your own computer."
    lines = [action.reason, "", when]
    draft = draft_command(action)
    if draft is not None:
        lines.append(f"Write the message: {draft}")
    lines.append(f"When done: {action.command}")
    return "\n".join(lines)


def to_ical(actions: Iterable[Action], registry: Registry, as_of: date, now: datetime, *, redact: bool) -> bytes:
    """The calendar: one all-day VEVENT with a VALARM per action."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "refaudit: what is due")
    people = {r.id: r.name for r in registry.references}
    jobs = {a.id: f"{a.company} ({a.role})" for a in registry.applications}
    if redact:  # a company or a role can carry a name ("Anna Lee Consulting"): through the redactor too
        from refaudit.report.redact import Privacy, Redactor

        red = Redactor(registry, Privacy.REDACT)
        people = {r.id: red.name(r.id) for r in registry.references}
        jobs = {a.id: red.application(a) for a in registry.applications}
    for action in actions:
        day = max(action.due, as_of)
        title = summary(action, people, jobs, redact=redact)
        event = icalendar.Event()
        event.add("uid", uid(action, registry))
        event.add("sequence", sequence(action, registry))
        event.add("dtstamp", now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", title)
        event.add("description", description(action, as_of, redact=redact))
        event.add("transp", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", ALARM_AT)
        event.add_component(alarm)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def texts(data: bytes) -> list[tuple[str, str]]:
    """Every text value of a calendar, unfolded, with its property name (for the gate)."""
    import icalendar

    found = []
    for component in icalendar.Calendar.from_ical(data).walk():
        for name, value in component.property_items(recursive=False):
            if isinstance(value, str) and name not in ("BEGIN", "END"):
                found.append((f"the calendar's {name.lower()}", str(value)))
    return found
