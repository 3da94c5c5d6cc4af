"""Changes to applications: add, update (progress, close, references, briefings), debrief.

Each function validates what the user typed, changes the registry in memory and
returns a ``Change`` whose summary is the history line: ids and counts only.
References arrive already resolved (``resolve.reference``), so they exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from refaudit.change import Change
from refaudit.errors import ValidationError
from refaudit.model import (
    MAX_LIST,
    MAX_TEXT,
    OUTCOMES,
    STAGES,
    Application,
    Briefing,
    Reference,
    Registry,
    check_choice,
    check_id,
    check_text,
    parse_date,
    require_text,
    slugify,
    unique_id,
)


def _add_references(app: Application, refs: list[Reference]) -> int:
    """Put ``refs`` on the application (existing ones kept, no duplicates); returns how many were new."""
    added = 0
    for ref in refs:
        if ref.id not in app.references:
            app.references.append(ref.id)
            added += 1
    return added


def _append_texts(name: str, current: list[str], values: list[str]) -> int:
    texts = [check_text(name, v, max_len=MAX_TEXT) for v in values]
    new = [t for t in texts if t is not None]
    if len(current) + len(new) > MAX_LIST:
        raise ValidationError(
            f"{name}: {len(current)} recorded and {len(new)} more would exceed the {MAX_LIST} accepted."
        )
    current.extend(new)
    return len(new)


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
    notes: str | None = None
    refs: list[Reference] = field(default_factory=list)
    briefed: list[Reference] = field(default_factory=list)
    thanked: list[Reference] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.stage or self.outcome or self.reason is not None or self.notes is not None
                    or self.refs or self.briefed or self.thanked)  # fmt: skip


def _set_outcome(app: Application, outcome: str, today: date) -> None:
    new = check_choice("outcome", outcome, OUTCOMES)
    if new == "pending":
        app.closed_on = None
    elif app.outcome == "pending" or app.closed_on is None:
        app.closed_on = today
    app.outcome = new


def update(reg: Registry, app: Application, up: AppUpdate, today: date) -> Change[str]:
    if up.is_empty():
        raise ValidationError(
            "nothing to change: give --stage, --outcome, --reason, --ref, --briefed, --thanked or --note."
        )
    parts = []
    if up.stage is not None:
        app.stage = check_choice("stage", up.stage, STAGES)
        parts.append(f"stage {app.stage}")
    if up.outcome is not None:
        _set_outcome(app, up.outcome, today)
        parts.append(f"outcome {app.outcome}")
    if up.reason is not None:
        app.reason = check_text("reason", up.reason, max_len=MAX_TEXT, multiline=True)
        parts.append("reason")
    if up.notes is not None:
        # A dated line added to the notes, so a follow-up note never wipes what was there.
        line = f"{today.isoformat()}: {check_text('note', up.notes, max_len=MAX_TEXT, multiline=True) or ''}"
        app.notes = check_text("notes", f"{app.notes}\n{line}" if app.notes else line, max_len=MAX_TEXT, multiline=True)
        parts.append("note")
    if up.refs:
        parts.append(f"{_add_references(app, up.refs)} reference(s) added")
    for verb, people, record in (("briefed", up.briefed, app.briefed), ("thanked", up.thanked, app.thanked)):
        if not people:
            continue
        for ref in people:
            if ref.id not in app.references:
                raise ValidationError(
                    f"reference {ref.id} was not given on {app.id}, so cannot have been {verb} for it; "
                    f"add them first: refaudit app update {app.id} --ref {ref.id}"
                )
            if not any(b.reference == ref.id and b.on == today for b in record):
                record.append(Briefing(reference=ref.id, on=today))
        parts.append(f"{len({r.id for r in people})} {verb}")
    app.updated_on = today
    return Change(f"updated application {app.id}: {', '.join(parts)}", app.id)


def debrief(
    reg: Registry,
    app: Application,
    today: date,
    *,
    reason: str | None = None,
    criticism: list[str] | None = None,
    leads: list[str] | None = None,
) -> Change[str]:
    """Record what the employer said when turning you down: reason (set), criticism and leads (added)."""
    if reason is None and not criticism and not leads:
        raise ValidationError("nothing to record: give --reason, --criticism or --lead.")
    if reason is not None:
        app.reason = check_text("reason", reason, max_len=MAX_TEXT, multiline=True)
    n_crit = _append_texts("criticism", app.criticism, list(criticism or []))
    n_leads = _append_texts("lead", app.leads, list(leads or []))
    app.updated_on = today
    return Change(f"debriefed {app.id}: {n_crit} criticism(s), {n_leads} lead(s)", app.id)
