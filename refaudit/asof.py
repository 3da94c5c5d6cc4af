"""The registry as it stood on a day: the one "as of" view every judgement reads.

``audit``, ``lineup``, ``next`` and ``report`` take ``view(registry, day)`` and look at
nothing else, so that looking back gives the same answer everywhere. Pure: no clock.

On ``day``:
- a report is known once it reached the user (``reported_on <= day``);
- an application exists from ``applied_on``; its stage and outcome are the last ones its
  timeline records on or before ``day`` (registries without a timeline: an outcome closed
  after ``day`` is still pending, and the stage is the one recorded); what the employer said
  when closing it (reason, kind, criticism, leads) is known only once it is closed, and each
  point of criticism and each lead from the day it was given (``applications.said_on``);
- briefings, thanks and timeline events count from their own day;
- an application's ``references`` are those given on it and not withdrawn that day
  (``applications.given_on``): uses and patterns after a withdrawal leave them out;
- a reference is known from ``added_on``, or earlier when reports or applications about
  them are older (typed in later: back-filled); a status set after ``day`` was not yet
  set (``active``), and consent given after ``day`` was not yet given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from refaudit.applications import given_on, said_on
from refaudit.model import Application, Reference, Registry


@dataclass(slots=True)
class View(Registry):
    """A registry as it stood on ``day``, made by ``view``: read-only, history left out."""

    day: date = date.min


def view(registry: Registry, day: date) -> View:
    """A new ``View`` holding what was known on ``day`` (history left out).

    Records that were no different on ``day`` are shared with ``registry``, not copied:
    treat the view as read-only. A view of that same day is returned as it is: the audit,
    the actions and the report each ask for the view, and it is worked out once.
    """
    if isinstance(registry, View) and registry.day == day:
        return registry
    feedback = [f for f in registry.feedback if f.reported_on <= day]
    applications = [_application(a, day) for a in registry.applications if a.applied_on <= day]
    mentioned = {f.reference for f in feedback}
    for app in applications:
        mentioned.update(app.references)
    references = [
        _reference(r, day) for r in registry.references if r.added_on is None or r.added_on <= day or r.id in mentioned
    ]
    return View(
        owner=registry.owner,
        references=references,
        applications=applications,
        feedback=feedback,
        feedback_seq=registry.feedback_seq,
        day=day,
    )


def _reference(ref: Reference, day: date) -> Reference:
    changes: dict[str, object] = {}
    if ref.status_on is not None and ref.status_on > day:
        changes.update(status="active", status_on=None, status_note=None)
    if ref.consent_on is not None and ref.consent_on > day:
        changes["consent_on"] = None
    return replace(ref, **changes) if changes else ref  # type: ignore[arg-type]


def _settled(app: Application, day: date) -> bool:
    """Nothing about the application happened after ``day``: the view is the record itself."""
    if app.timeline or app.withdrawn or (app.closed_on is not None and app.closed_on > day):
        return False
    updated_on = app.updated_on
    if updated_on is None:
        return not (app.briefed or app.thanked or app.told)
    if updated_on > day:
        return False
    for dated in (app.briefed, app.thanked, app.told):  # every briefing dated on or before the update
        for b in dated:
            if b.on > updated_on:
                return False
    return True


def _application(app: Application, day: date) -> Application:
    if _settled(app, day):
        return app  # most applications of a long search: no copy needed
    timeline = [e for e in app.timeline if e.on <= day]
    briefed = [b for b in app.briefed if b.on <= day]
    thanked = [b for b in app.thanked if b.on <= day]
    stage, outcome, closed_on = app.stage, app.outcome, app.closed_on
    if app.timeline:
        stages = [e for e in timeline if e.event == "stage" and e.value]
        outcomes = [e for e in timeline if e.event == "outcome" and e.value]
        stage = stages[-1].value if stages else "applied"  # type: ignore[assignment]
        if outcomes and outcomes[-1].value != "pending":
            outcome, closed_on = outcomes[-1].value, outcomes[-1].on  # type: ignore[assignment]
        else:
            outcome, closed_on = "pending", None
    elif closed_on is not None and closed_on > day and outcome != "pending":
        outcome, closed_on = "pending", None
    dated = [e.on for e in timeline] + [b.on for b in briefed] + [b.on for b in thanked]
    updated_on = app.updated_on if app.updated_on is not None and app.updated_on <= day else None
    if dated:
        updated_on = max(dated + ([updated_on] if updated_on else []))
    changes: dict[str, object] = dict(
        timeline=timeline, briefed=briefed, thanked=thanked, stage=stage, outcome=outcome,
        closed_on=closed_on, updated_on=updated_on, references=given_on(app, day),
        withdrawn=[w for w in app.withdrawn if w.on <= day], told=[b for b in app.told if b.on <= day],
        criticism=[c for c in app.criticism if (said_on(app, c) or day) <= day],
        leads=[c for c in app.leads if (said_on(app, c) or day) <= day],
    )  # fmt: skip
    if outcome == "pending" and app.outcome != "pending":
        # Not closed yet on that day: what the employer said at the end was not said yet.
        changes.update(reason=None, reason_kind=None, criticism=[], leads=[])
    return replace(app, **changes)  # type: ignore[arg-type]
