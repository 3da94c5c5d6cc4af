"""What the user should do next: pure ``(registry, verdicts, settings, as_of) -> [Action]``.

Each kind of action has a fixed priority, the order of ``KINDS``:

1. ``brief``           an application is where the employer calls references, and a reference
                       given on it has not been told the call is coming;
2. ``drop``            the audit says drop a reference who is still active;
3. ``debrief``         a rejection with nothing recorded about why — ask while it is fresh;
4. ``follow-up``       a pending application with no change for ``follow_up_after_days``;
5. ``thank``           the references given on an application that ended in an offer;
6. ``rest``            the audit flags an active reference with one of ``rest_flags``;
7. ``test``            an untested active reference, before they are given again;
8. ``refresh-consent`` consent older than ``consent_valid_days``;
9. ``mark-ghosted``    a pending application with no change for ``ghosted_after_days``
                       (it replaces ``follow-up`` for that application);
10. ``apply-more``     fewer than ``min_open_applications`` applications are open.

"Most urgent first" means: by that priority, then the longest overdue (earliest ``due``)
first, then by reference and application id so that the order never depends on chance.
``due`` is the day the action became due, never after ``as_of``.

Looking back (``as_of`` in the past) ignores everything dated after ``as_of``: applications
applied for later, briefings and feedback recorded later; an application closed after
``as_of`` counts as still pending there, and a status set after ``as_of`` as ``active``.
Stage, reason, criticism and leads carry no date, so they are taken as they are now.

A briefing counts for an application whenever it is recorded on that application
(``app update APP --briefed REF``): ``updated_on`` moves with every change, the briefing
itself included, so measuring from it would un-brief the references briefed earlier.
Thanking is recorded likewise (``app update APP --thanked REF``) and is only asked for
within ``thank_within_days`` of the offer.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from refaudit.audit import Verdict
from refaudit.errors import ValidationError
from refaudit.model import OFFER_OUTCOMES, STAGES, Application, Briefing, Reference, Registry

KINDS = (
    "brief",
    "drop",
    "debrief",
    "follow-up",
    "thank",
    "rest",
    "test",
    "refresh-consent",
    "mark-ghosted",
    "apply-more",
)
_PRIORITY = {kind: i for i, kind in enumerate(KINDS)}

# The audit flags a "rest" may be configured for, and what each means in a sentence.
_REST_WHY = {
    "overused": "given often lately",
    "unreachable": "employers could not reach them",
    "stale": "out of touch for a long time",
    "policy-limited": "only allowed to confirm dates by company policy",
    "pattern": "on a run of late rejections",
}


@dataclass(frozen=True)
class Action:
    """One thing to do, why, and the command that records it as done."""

    kind: str
    due: date
    reference: str | None
    application: str | None
    reason: str
    command: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "due": self.due.isoformat(),
            "reference": self.reference,
            "application": self.application,
            "reason": self.reason,
            "command": self.command,
        }


@dataclass(frozen=True)
class Thresholds:
    """The ``next:`` section of the settings, checked."""

    brief_at_stages: tuple[str, ...]
    thank_within_days: int
    debrief_within_days: int
    follow_up_after_days: int
    ghosted_after_days: int
    consent_valid_days: int
    rest_flags: tuple[str, ...]
    min_open_applications: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Thresholds:
        section = settings.get("next")
        if not isinstance(section, Mapping):
            raise ValidationError("config: the next section is missing.")

        def days(key: str) -> int:
            value = section.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationError(f"config: next.{key} must be a whole number of days, 0 or more.")
            return value

        def choices(key: str, allowed: Iterable[str]) -> tuple[str, ...]:
            value = section.get(key)
            options = tuple(allowed)
            if not isinstance(value, list) or any(v not in options for v in value):
                raise ValidationError(f"config: next.{key} must be a list drawn from: {', '.join(options)}.")
            return tuple(value)

        result = cls(
            brief_at_stages=choices("brief_at_stages", STAGES),
            thank_within_days=days("thank_within_days"),
            debrief_within_days=days("debrief_within_days"),
            follow_up_after_days=days("follow_up_after_days"),
            ghosted_after_days=days("ghosted_after_days"),
            consent_valid_days=days("consent_valid_days"),
            rest_flags=choices("rest_flags", _REST_WHY),
            min_open_applications=days("min_open_applications"),
        )
        if result.ghosted_after_days <= result.follow_up_after_days:
            raise ValidationError("config: next.ghosted_after_days must be more than next.follow_up_after_days.")
        return result


def _latest(records: list[Briefing], as_of: date) -> dict[str, date]:
    """Reference id -> the latest record on or before ``as_of``."""
    latest: dict[str, date] = {}
    for b in records:
        if b.on <= as_of and b.on > latest.get(b.reference, date.min):
            latest[b.reference] = b.on
    return latest


@dataclass(frozen=True)
class _AppView:
    """An application as it stood on ``as_of``."""

    app: Application
    outcome: str
    closed_on: date | None
    last_change: date
    briefed: Mapping[str, date]  # reference id -> latest briefing on or before as_of
    thanked: Mapping[str, date]  # reference id -> latest thank-you on or before as_of

    @classmethod
    def of(cls, app: Application, as_of: date) -> _AppView:
        reopened = app.closed_on is not None and app.closed_on > as_of
        updated = app.updated_on if app.updated_on is not None and app.updated_on <= as_of else None
        return cls(
            app=app,
            outcome="pending" if reopened else app.outcome,
            closed_on=None if reopened else app.closed_on,
            last_change=updated or app.applied_on,
            briefed=_latest(app.briefed, as_of),
            thanked=_latest(app.thanked, as_of),
        )

    @property
    def is_open(self) -> bool:
        return self.outcome == "pending"

    @property
    def ended_on(self) -> date:
        return self.closed_on or self.last_change


def due_actions(
    registry: Registry, verdicts: Iterable[Verdict], settings: Mapping[str, Any], as_of: date
) -> list[Action]:
    """Every action due on ``as_of``, most urgent first (see the module docstring)."""
    limits = Thresholds.from_settings(settings)
    verdicts = list(verdicts)
    audited = {v.id for v in verdicts}  # the audit decides who was known on as_of (back-filled too)
    refs = {r.id: r for r in registry.references if r.id in audited or r.added_on is None or r.added_on <= as_of}
    apps = [_AppView.of(a, as_of) for a in registry.applications if a.applied_on <= as_of]
    feedback_dates = {f.id: f.reported_on for f in registry.feedback if f.reported_on <= as_of}
    actions: list[Action] = []
    for view in apps:
        actions.extend(_application_actions(view, refs, limits, as_of))
    for verdict in verdicts:
        ref = refs.get(verdict.id)
        if ref is not None and _status(ref, as_of) == "active":
            actions.extend(_verdict_actions(ref, verdict, feedback_dates, limits, as_of))
    for ref in refs.values():
        if _status(ref, as_of) == "active":
            actions.extend(_consent_actions(ref, limits, as_of))
    actions.extend(_apply_more(apps, limits, as_of))
    return sorted(actions, key=lambda a: (_PRIORITY[a.kind], a.due, a.reference or "", a.application or ""))


def subject(action: Action, registry: Registry) -> str:
    """What an action concerns, in words: ``Jane Doe — Acme Corp (Data Analyst)``."""
    parts = []
    if action.reference is not None:
        try:
            parts.append(registry.reference(action.reference).name)
        except KeyError:
            parts.append(action.reference)
    if action.application is not None:
        try:
            parts.append(_app_label(registry.application(action.application)))
        except KeyError:
            parts.append(action.application)
    return " — ".join(parts) or "your job search"


# --- one function per source of actions --------------------------------------------


def _application_actions(
    view: _AppView, refs: Mapping[str, Reference], limits: Thresholds, as_of: date
) -> Iterable[Action]:
    app, q_app = view.app, shlex.quote(view.app.id)
    if view.is_open:
        if app.stage in limits.brief_at_stages:
            for ref_id in app.references:
                if ref_id in refs and ref_id not in view.briefed:
                    yield Action(
                        "brief",
                        view.last_change,
                        ref_id,
                        app.id,
                        f"At {app.stage} since {view.last_change.isoformat()}, and they have not been "
                        "told a call may be coming.",
                        f"refaudit app update {q_app} --briefed {shlex.quote(ref_id)}",
                    )
        idle = (as_of - view.last_change).days
        since = view.last_change.isoformat()
        if idle >= limits.ghosted_after_days:
            yield Action(
                "mark-ghosted",
                view.last_change + timedelta(days=limits.ghosted_after_days),
                None,
                app.id,
                f"No change for {idle} days (since {since}), past the {limits.ghosted_after_days}-day mark: "
                "count it as ghosted.",
                f"refaudit app update {q_app} --outcome ghosted",
            )
        elif idle >= limits.follow_up_after_days:
            who = f"{app.via} or the employer" if app.via else "the employer"
            yield Action(
                "follow-up",
                view.last_change + timedelta(days=limits.follow_up_after_days),
                None,
                app.id,
                f"No change for {idle} days (since {since}): ask {who} where it stands.",
                f"refaudit app update {q_app} --note {shlex.quote(f'Followed up on {as_of.isoformat()}')}",
            )
        return
    ended = view.ended_on
    if view.outcome in OFFER_OUTCOMES and (as_of - ended).days <= limits.thank_within_days:
        for ref_id in app.references:
            thanked = view.thanked.get(ref_id)
            if ref_id in refs and (thanked is None or thanked < ended):
                yield Action(
                    "thank",
                    ended,
                    ref_id,
                    app.id,
                    f"Ended in an offer on {ended.isoformat()}: thank them and tell them how it went.",
                    f"refaudit app update {q_app} --thanked {shlex.quote(ref_id)}",
                )
    if (
        view.outcome == "rejected"
        and not (app.reason or app.criticism or app.leads)
        and (as_of - ended).days <= limits.debrief_within_days
    ):
        yield Action(
            "debrief",
            ended,
            None,
            app.id,
            f"Said no on {ended.isoformat()} and nothing is recorded: find out the reason, "
            "ask for constructive criticism and ask for job leads.",
            f"refaudit app debrief {q_app} --reason TEXT --criticism TEXT --lead TEXT",
        )


def _verdict_actions(
    ref: Reference,
    verdict: Verdict,
    feedback_dates: Mapping[str, date],
    limits: Thresholds,
    as_of: date,
) -> Iterable[Action]:
    q_ref = shlex.quote(ref.id)
    evidence = [feedback_dates[f] for f in verdict.evidence if f in feedback_dates]
    news = max(evidence, default=verdict.last_used or as_of)
    if verdict.recommendation == "drop":
        why = verdict.reasons[0] if verdict.reasons else "the evidence against them outweighs the rest"
        yield Action(
            "drop",
            min(news, as_of),
            ref.id,
            None,
            f"Still active, but the audit says drop. {_sentence(why)}",
            f"refaudit ref status {q_ref} dropped",
        )
        return
    rest = [flag for flag in limits.rest_flags if flag in verdict.flags]
    if rest:
        why = " and ".join(_REST_WHY[flag] for flag in rest)
        if "overused" in rest and verdict.last_used is not None:
            why += f" (last on {verdict.last_used.isoformat()})"
        yield Action(
            "rest",
            min(news, as_of),
            ref.id,
            None,
            f"{why[0].upper()}{why[1:]}: rest them for a while.",
            f"refaudit ref status {q_ref} resting",
        )
    if "untested" in verdict.flags:
        due = min(ref.added_on, as_of) if ref.added_on is not None else as_of
        yield Action(
            "test",
            due,
            ref.id,
            None,
            "Nobody has reported what they say: before giving them again, have a trusted "
            "friend or a reference-checking service call them.",
            f"refaudit feedback log {q_ref} --sentiment SENTIMENT --source reference-service",
        )


def _consent_actions(ref: Reference, limits: Thresholds, as_of: date) -> Iterable[Action]:
    consent = ref.consent_on
    if consent is None or consent > as_of:
        return
    if (as_of - consent).days > limits.consent_valid_days:
        yield Action(
            "refresh-consent",
            consent + timedelta(days=limits.consent_valid_days + 1),
            ref.id,
            None,
            f"Agreed to be a reference on {consent.isoformat()}, more than "
            f"{limits.consent_valid_days} days ago: ask again before giving them.",
            f"refaudit ref edit {shlex.quote(ref.id)} --consent-on {as_of.isoformat()}",
        )


def _apply_more(apps: Sequence[_AppView], limits: Thresholds, as_of: date) -> Iterable[Action]:
    # An application silent past the ghosting threshold is not a coal in the fire.
    live = [v for v in apps if v.is_open and (as_of - v.last_change).days < limits.ghosted_after_days]
    if len(live) >= limits.min_open_applications:
        return
    ended = [v.ended_on for v in apps if not v.is_open]
    n = len(live)
    count = f"{n} application is" if n == 1 else f"{n} applications are"
    yield Action(
        "apply-more",
        max(ended, default=as_of),
        None,
        None,
        f"Only {count} open and alive: keep at least {limits.min_open_applications} coals in the fire.",
        "refaudit app add COMPANY --role ROLE --ref REF",
    )


# --- helpers -----------------------------------------------------------------------


def _status(ref: Reference, as_of: date) -> str:
    if ref.status_on is not None and ref.status_on > as_of:
        return "active"
    return ref.status


def _app_label(app: Application) -> str:
    return f"{app.company} ({app.role})"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
