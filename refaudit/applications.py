"""Changes to applications: add, update (progress, close, references, briefings), debrief.

Each function validates what the user typed, changes the registry in memory and
returns a ``Change`` whose summary is the history line: ids and counts only.
References arrive already resolved (``resolve.reference``), so they exist.

Every event is recorded on its own day (``on``, default today) in the application's
timeline, which ``asof.view`` reads; ``stage``, ``outcome``, ``closed_on`` and
``updated_on`` are derived from it after each change, so the two never disagree.
A stage never moves backwards, nor changes after an outcome, and a final outcome is
not changed, unless ``force`` says so; an offer is the exception that ends well: recording
one moves the stage to ``offer``, and ``offer`` may become ``accepted`` or ``withdrawn``.

``references`` keeps everyone ever given; ``withdrawn`` says who was taken off and from
which day, and ``given_on`` is the one answer to "who is on this application that day",
which the as-of view (and so the audit, ``next`` and the report) reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from refaudit.change import Change
from refaudit.checks import MAX_LIST, MAX_TEXT, check_choice, check_id, check_text, parse_date, require_text
from refaudit.errors import ValidationError
from refaudit.model import (
    OFFER_OUTCOMES,
    OUTCOMES,
    REASON_KINDS,
    STAGES,
    Application,
    Briefing,
    Event,
    Feedback,
    Reference,
    Registry,
    Said,
    unique_id,
)
from refaudit.text import slugify

FINAL_OUTCOMES = tuple(o for o in OUTCOMES if o != "pending")
# What an offer may still become without --force: the happy path, or turning it down.
_AFTER_OFFER = ("accepted", "withdrawn")


# What the employer does: these events, and a ``--source employer`` report, restart the quiet clock.
EMPLOYER_EVENTS = ("applied", "stage", "outcome", "heard-back", "debrief")


def last_heard(app: Application, feedback: Iterable[Feedback] = ()) -> date:
    """The quiet clock: the last day the employer did something about ``app`` (a note of yours never counts).

    Its last stage, outcome, ``heard-back`` or debrief, or an employer's report about it; an
    application recorded before timelines counts from its last change.
    """
    days = [e.on for e in app.timeline if e.event in EMPLOYER_EVENTS] if app.timeline else [app.last_change]
    days += [f.reported_on for f in feedback if f.application == app.id and f.source == "employer"]
    return max(days, default=app.applied_on)


def given_on(app: Application, day: date) -> list[str]:
    """The references given on ``app`` and not withdrawn as of ``day``, in the order first given.

    One given when the application was recorded counts from ``applied_on``; one added later
    (a ``ref`` event) from that day; a withdrawal (``withdrawn``) ends it from its day, and a
    later ``ref`` gives them again.
    """
    if day < app.applied_on:
        return []
    given = []
    for ref_id in dict.fromkeys(app.references):
        # (day, 0) withdrawn, (day, 1) given: on one day a withdrawal comes first.
        steps = sorted(
            [(e.on, 1) for e in app.timeline if e.event == "ref" and e.value == ref_id]
            + [(w.on, 0) for w in app.withdrawn if w.reference == ref_id]
        )
        on = not steps or steps[0][1] == 0
        for when, step in steps:
            if when > day:
                break
            on = step == 1
        if on:
            given.append(ref_id)
    return given


def _add_references(app: Application, refs: list[Reference]) -> int:
    """Put ``refs`` on the application (existing ones kept, no duplicates); returns how many were new."""
    added = 0
    for ref in refs:
        if ref.id not in app.references:
            app.references.append(ref.id)
            added += 1
    return added


def _append_texts(name: str, current: list[Said], values: list[str], day: date) -> int:
    texts = [check_text(name, v, max_len=MAX_TEXT) for v in values]
    new = [Said(t, day) for t in texts if t is not None]
    if len(current) + len(new) > MAX_LIST:
        raise ValidationError(
            f"{name}: {len(current)} recorded and {len(new)} more would exceed the {MAX_LIST} accepted."
        )
    current.extend(new)
    return len(new)


def said_on(app: Application, item: Said) -> date | None:
    """The day a point of criticism or a lead was given: its own, else the first debrief's, else the closing day."""
    if item.on is not None:
        return item.on
    debriefs = [e.on for e in app.timeline if e.event == "debrief"]
    return min(debriefs) if debriefs else app.closed_on


def add(
    reg: Registry,
    company: str,
    role: str,
    today: date,
    *,
    applied: str | date | None = None,
    via: str | None = None,
    refs: list[Reference] | None = None,
    notes: str | None = None,
    app_id: str | None = None,
) -> Change[str]:
    company_text = require_text("company", company)
    role_text = require_text("role", role)
    applied_on = parse_date("--applied", applied, today=today) or today
    taken = {a.id for a in reg.applications}
    if app_id is not None:
        check_id("id", app_id)
        if app_id in taken:
            existing = reg.application(app_id)
            raise ValidationError(
                f"id {app_id!r} is already used by {existing.company} — {existing.role}; choose another --id."
            )
        new_id = app_id
    else:
        new_id = unique_id(slugify(f"{company_text} {role_text}"), taken, fallback=f"app-{len(reg.applications) + 1}")
    app = Application(
        id=new_id,
        company=company_text,
        role=role_text,
        applied_on=applied_on,
        via=check_text("via", via),
        notes=check_text("note", notes, max_len=MAX_TEXT, multiline=True),
        timeline=[Event(applied_on, "applied")],
    )
    given = _add_references(app, refs or [])
    reg.applications.append(app)
    return Change(f"added application {new_id} with {given} reference(s)", new_id)


@dataclass
class AppUpdate:
    """What ``app update`` may change; ``None`` / empty means "not given"."""

    stage: str | None = None
    outcome: str | None = None
    reason: str | None = None
    reason_kind: str | None = None
    notes: str | None = None
    refs: list[Reference] = field(default_factory=list)
    briefed: list[Reference] = field(default_factory=list)
    thanked: list[Reference] = field(default_factory=list)
    withdraw: list[Reference] = field(default_factory=list)
    swaps: list[tuple[Reference, Reference]] = field(default_factory=list)  # (old, new)
    told: list[Reference] = field(default_factory=list)
    heard_back: bool = False
    followed_up: bool = False
    on: date | None = None
    force: bool = False

    def is_empty(self) -> bool:
        return not (self.stage or self.outcome or self.reason is not None or self.reason_kind is not None
                    or self.notes is not None or self.refs or self.briefed or self.thanked or self.withdraw
                    or self.swaps or self.told or self.heard_back or self.followed_up)  # fmt: skip


def event_day(app: Application, on: date | None, today: date, label: str = "--on") -> date:
    """The day of an event on ``app``: ``on`` or today; never in the future nor before the application."""
    day = parse_date(label, on, today=today) or today
    if day < app.applied_on:
        raise ValidationError(
            f"{label} {day.isoformat()} is before you applied to {app.company} "
            f"({app.id}, applied {app.applied_on.isoformat()}); use a date on or after it."
        )
    return day


def seed_timeline(app: Application) -> None:
    """Give an application recorded before timelines existed one that says what it holds."""
    if app.timeline:
        return
    events = [Event(app.applied_on, "applied")]
    if app.stage != "applied":
        events.append(Event(app.updated_on or app.applied_on, "stage", app.stage))
    if app.outcome != "pending":
        events.append(Event(app.closed_on or app.updated_on or app.applied_on, "outcome", app.outcome))
    events += [Event(b.on, "briefed", b.reference) for b in app.briefed]
    events += [Event(b.on, "thanked", b.reference) for b in app.thanked]
    app.timeline = sorted(events, key=lambda e: e.on)


def _record(app: Application, event: Event) -> None:
    """Insert ``event`` after every event of its day or earlier, and move ``updated_on`` on."""
    at = len([e for e in app.timeline if e.on <= event.on])
    app.timeline.insert(at, event)
    app.updated_on = max(app.updated_on or app.applied_on, event.on)


def _derive(app: Application) -> None:
    """Stage, outcome and closing day as the timeline has them (the last of each, by day)."""
    stages = [e for e in app.timeline if e.event == "stage" and e.value]
    outcomes = [e for e in app.timeline if e.event == "outcome" and e.value]
    app.stage = stages[-1].value if stages else "applied"  # type: ignore[assignment]
    last = outcomes[-1] if outcomes else None
    app.outcome = last.value if last and last.value else "pending"
    app.closed_on = last.on if last and app.outcome != "pending" else None


def _since(app: Application, event: str, value: str) -> str:
    days = [e.on for e in app.timeline if e.event == event and e.value == value]
    return f" since {days[-1].isoformat()}" if days else ""


def _state(app: Application) -> str:
    stage = f"application {app.id} is at stage {app.stage}{_since(app, 'stage', app.stage)}"
    if app.outcome == "pending":
        return f"{stage}, still pending"
    return f"{stage}, outcome {app.outcome}{_since(app, 'outcome', app.outcome)}"


def _refused(app: Application, what: str) -> ValidationError:
    return ValidationError(f"{_state(app)}; {what}. Add --force to record it anyway.")


def _check_stage(app: Application, stage: str, day: date) -> None:
    rank = STAGES.index(stage)
    before = [e for e in app.timeline if e.event == "stage" and e.value and e.on <= day]
    after = [e for e in app.timeline if e.event == "stage" and e.value and e.on > day]
    prior = before[-1].value if before else "applied"
    if rank < STAGES.index(prior or "applied") or any(STAGES.index(e.value or "applied") < rank for e in after):
        raise _refused(app, f"stage {stage} on {day.isoformat()} would move it backwards")
    closed = [e for e in app.timeline if e.event == "outcome" and e.on < day]
    if closed and closed[-1].value != "pending":
        raise _refused(app, f"the stage cannot change on {day.isoformat()}, after its outcome")


def _check_outcome(app: Application, outcome: str, day: date) -> bool:
    """Whether ``outcome`` on ``day`` is new; refuses what needs ``force``."""
    if app.outcome != "pending":
        if outcome == app.outcome and day == app.closed_on:
            return False
        if app.outcome == "offer" and outcome in _AFTER_OFFER and app.closed_on is not None and day >= app.closed_on:
            return True
        change = "reopening it" if outcome == "pending" else f"changing it to {outcome} on {day.isoformat()}"
        raise _refused(app, f"{change} changes a final outcome")
    if outcome == "pending":
        return False
    later = [e for e in app.timeline if e.event == "stage" and e.on > day]
    if later:
        raise _refused(app, f"outcome {outcome} on {day.isoformat()} would come before its stage {later[-1].value}")
    return True


def _to_offer_stage(app: Application, outcome: str, day: date) -> None:
    """An offer (or its acceptance) means the application reached the ``offer`` stage that day."""
    if outcome in OFFER_OUTCOMES and app.stage != "offer":
        _record(app, Event(day, "stage", "offer"))


def update(reg: Registry, app: Application, up: AppUpdate, today: date) -> Change[str]:
    if up.is_empty():
        raise ValidationError(
            "nothing to change: give --stage, --outcome, --reason, --reason-kind, --ref, --withdraw-ref, --swap, "
            "--briefed, --thanked, --told, --heard-back, --followed-up or --note."
        )
    day = event_day(app, up.on, today)
    seed_timeline(app)
    parts = []
    if up.stage is not None:
        stage = check_choice("stage", up.stage, STAGES)
        if not up.force:
            _check_stage(app, stage, day)
        _record(app, Event(day, "stage", stage))
        parts.append(f"stage {stage}")
    if up.outcome is not None:
        outcome = check_choice("outcome", up.outcome, OUTCOMES)
        if up.force or _check_outcome(app, outcome, day):
            _to_offer_stage(app, outcome, day)
            _record(app, Event(day, "outcome", outcome))
        parts.append(f"outcome {outcome}")
    _derive(app)
    if up.reason is not None:
        app.reason = check_text("reason", up.reason, max_len=MAX_TEXT, multiline=True)
        parts.append("reason")
    if up.reason_kind is not None:
        app.reason_kind = check_choice("reason kind", up.reason_kind, REASON_KINDS)
        parts.append(f"reason kind {app.reason_kind}")
    if up.notes is not None:
        # A dated line added to the notes, so a follow-up note never wipes what was there.
        text = check_text("note", up.notes, max_len=MAX_TEXT, multiline=True) or ""
        line = f"{day.isoformat()}: {text}"
        app.notes = check_text("notes", f"{app.notes}\n{line}" if app.notes else line, max_len=MAX_TEXT, multiline=True)
        _record(app, Event(day, "note", text or None))
        parts.append("note")
    parts += _give_and_withdraw(app, up, day)
    for flag, event in ((up.heard_back, "heard-back"), (up.followed_up, "followed-up")):
        if flag:
            _record(app, Event(day, event))
            parts.append(event)
    if up.told:
        for ref in up.told:
            if not any(b.reference == ref.id and b.on == day for b in app.told):
                app.told.append(Briefing(reference=ref.id, on=day))
                app.told.sort(key=lambda b: b.on)
                _record(app, Event(day, "told", ref.id))
        parts.append(f"{len({r.id for r in up.told})} told")
    for verb, people, record in (("briefed", up.briefed, app.briefed), ("thanked", up.thanked, app.thanked)):
        if not people:
            continue
        for ref in people:
            if ref.id not in app.references:
                raise ValidationError(
                    f"reference {ref.id} was not given on {app.id}, so cannot have been {verb} for it; "
                    f"add them first: refaudit app update {app.id} --ref {ref.id}"
                )
            if not any(b.reference == ref.id and b.on == day for b in record):
                record.append(Briefing(reference=ref.id, on=day))
                record.sort(key=lambda b: b.on)
                _record(app, Event(day, verb, ref.id))
        parts.append(f"{len({r.id for r in people})} {verb}")
    app.updated_on = max(app.updated_on or app.applied_on, day)
    return Change(f"updated application {app.id}: {', '.join(parts)}", app.id)


def _give_and_withdraw(app: Application, up: AppUpdate, day: date) -> list[str]:
    """``--withdraw-ref``, ``--swap`` and ``--ref`` on ``day``: who is on the application from then."""
    parts = []
    takes = [*up.withdraw, *(old for old, _ in up.swaps)]
    gives = [*(new for _, new in up.swaps), *up.refs]
    on_it = given_on(app, day)
    for old, new in up.swaps:
        if old.id == new.id:
            raise ValidationError(f"--swap {old.id}={new.id} names the same reference twice; name who replaces them.")
    seen: set[str] = set()
    for ref in takes:
        if ref.id in seen:
            raise ValidationError(f"{ref.id} is taken off {app.id} twice in one command; name them once.")
        seen.add(ref.id)
        if ref.id not in on_it:
            given = ", ".join(on_it) or "nobody"
            raise ValidationError(
                f"{ref.name} ({ref.id}) is not given on {app.id} as of {day.isoformat()}, so cannot be withdrawn; "
                f"given there that day: {given}."
            )
        later = [w.on for w in app.withdrawn if w.reference == ref.id and w.on > day]
        if later:
            raise ValidationError(
                f"{ref.name} ({ref.id}) is already withdrawn from {app.id} on {later[0].isoformat()}, "
                f"after {day.isoformat()}; a withdrawal is recorded once."
            )
        app.withdrawn.append(Briefing(reference=ref.id, on=day))
        app.withdrawn.sort(key=lambda b: b.on)
        _record(app, Event(day, "withdraw-ref", ref.id))
    for old, new in up.swaps:
        if new.id in on_it and new.id not in seen:
            raise ValidationError(
                f"--swap {old.id}={new.id}: {new.name} ({new.id}) is already given on {app.id}; "
                f"to take {old.id} off only: refaudit app update {app.id} --withdraw-ref {old.id}"
            )
    added = 0
    for ref in gives:
        if ref.id in given_on(app, day):
            continue
        if ref.id not in app.references:
            app.references.append(ref.id)
        _record(app, Event(day, "ref", ref.id))
        added += 1
    if up.refs:
        parts.append(f"{added} reference(s) added")
    if up.withdraw:
        parts.append(f"{len(up.withdraw)} withdrawn")
    if up.swaps:
        parts.append(f"{len(up.swaps)} swapped")
    return parts


def debrief(
    reg: Registry,
    app: Application,
    today: date,
    *,
    reason: str | None = None,
    reason_kind: str | None = None,
    criticism: list[str] | None = None,
    leads: list[str] | None = None,
    on: date | None = None,
) -> Change[str]:
    """Record what the employer said when turning you down, on ``on`` (default today).

    The reason and its kind are set; criticism and leads are added to those recorded.
    """
    if reason is None and reason_kind is None and not criticism and not leads:
        raise ValidationError("nothing to record: give --reason, --reason-kind, --criticism or --lead.")
    day = event_day(app, on, today)
    seed_timeline(app)
    if reason is not None:
        app.reason = check_text("reason", reason, max_len=MAX_TEXT, multiline=True)
    if reason_kind is not None:
        app.reason_kind = check_choice("reason kind", reason_kind, REASON_KINDS)
    n_crit = _append_texts("criticism", app.criticism, list(criticism or []), day)
    n_leads = _append_texts("lead", app.leads, list(leads or []), day)
    _record(app, Event(day, "debrief", app.reason_kind if reason_kind is not None else None))
    return Change(f"debriefed {app.id}: {n_crit} criticism(s), {n_leads} lead(s)", app.id)
