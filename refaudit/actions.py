"""What the user should do next: pure ``(registry, verdicts, settings, as_of) -> [Action]``.

Each kind of action has a fixed priority, the order of ``ACTION_KINDS``:

1. ``brief``           an application is where the employer calls references, and a reference
                       given on it has not been told the call is coming;
2. ``swap``            a reference the audit says drop is on an open application: from the
                       day they turned drop until they are withdrawn, swap them for the
                       lineup's best free reference while it is before the reference check
                       (too late after); one it says watch, on a live application (interview
                       or later): swap them, or brief them for it;
3. ``drop``            the audit says drop a reference who is still active;
4. ``reach``           employers could not reach a reference: call them, confirm their
                       number, email and availability (never "rest" for this);
5. ``debrief``         a rejection with a vague or no stated reason — ask for the reason,
                       constructive criticism and job leads while it is fresh;
6. ``follow-up``       a pending application the employer has been quiet about for
                       ``follow_up_after_days`` (and not followed up on within as many days);
7. ``thank``           the references given on an application that ended in an offer;
8. ``rest``            the audit flags an active reference with one of ``rest_flags``;
9. ``test``            an untested or watched active reference: a mock call, before they are
                       given again;
   ``check-reference`` a contradicted reference, or one on whom independent rumours converge:
                       a professional reference check (never another friend's call), logged
                       ``--source reference-service``; it replaces ``test`` for them;
10. ``refresh-consent`` consent older than ``consent_valid_days``;
11. ``mark-ghosted``   a pending application the employer has been quiet about for
                       ``ghosted_after_days`` (it replaces ``follow-up`` for that application);
12. ``apply-more``     fewer than ``min_open_applications`` applications are open;
13. ``recruit``        fewer than ``lineup.size`` references are ready, or none ready has a
                       relationship in ``lineup.require``: find a new reference.

An accepted offer ends the search on its day (``searches.ended``); from then on ``next``
shows only these, until an application made later starts a new search:

- ``withdraw``         each other application still open or holding an offer;
- ``thank``            each reference given in the search, not withdrawn, not dropped, who has
                       not been thanked since they were last given (a thank recorded before the
                       acceptance stays done);
- ``tell``             each such reference, until ``--told`` records that you told them how it ended.

"Most urgent first" means: by that priority, then the longest overdue (earliest ``due``)
first, then by reference and application id so that the order never depends on chance.
``due`` is the day the action became due, never after ``as_of``.

Looking back (``as_of`` in the past) reads ``asof.view(registry, as_of)`` and nothing else:
the same view the audit reads, so the two always agree on what was known that day.

The quiet clock of an application runs from the last thing the employer did: its last stage,
outcome, ``--heard-back``, debrief, or ``--source employer`` report about it. A note, a
briefing or a follow-up of yours never restarts it; ``--followed-up`` marks a follow-up done
for ``follow_up_after_days``. (An application recorded before timelines counts from its
last change.)

A briefing counts for an application whenever it is recorded on that application
(``app update APP --briefed REF``). Thanking is recorded likewise (``--thanked REF``) and
is only asked for within ``thank_within_days`` of the offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from refaudit import asof, searches
from refaudit.action import ACTION_KINDS as ACTION_KINDS
from refaudit.action import Action as Action
from refaudit.action import app_label
from refaudit.action_sources import (
    AppView,
    FreePick,
    PatternSince,
    application_actions,
    apply_more,
    check_actions,
    consent_actions,
    end_of_search,
    recruit_actions,
    verdict_actions,
)
from refaudit.audit import Verdict
from refaudit.model import Feedback, Registry
from refaudit.settings import Settings

_PRIORITY = {kind: i for i, kind in enumerate(ACTION_KINDS)}


def due_actions(registry: Registry, verdicts: Iterable[Verdict], settings: Settings, as_of: date) -> list[Action]:
    """Every action due on ``as_of``, most urgent first (see the module docstring)."""
    limits = settings.next
    reg = asof.view(registry, as_of)
    by_id = {v.id: v for v in verdicts}
    refs = {r.id: r for r in reg.references}  # the view decides who was known on as_of, as for the audit
    search = searches.ended(reg)
    if search is not None:
        return _most_urgent_first(end_of_search(search, reg, refs, by_id))
    about: dict[str, list[Feedback]] = {}
    for f in reg.feedback:
        if f.application is not None:
            about.setdefault(f.application, []).append(f)
    apps = [AppView.of(a, about.get(a.id, [])) for a in reg.applications]
    feedback_dates = {f.id: f.reported_on for f in reg.feedback}
    mock_calls: dict[str, date] = {}
    for f in reg.feedback:
        if f.source in ("mock-call", "reference-service"):  # a test: a friend's call or a professional check
            mock_calls[f.reference] = max(f.reported_on, mock_calls.get(f.reference, date.min))
    free = FreePick(registry, list(by_id.values()), settings, as_of)
    actions: list[Action] = []
    for view in apps:
        actions.extend(application_actions(view, refs, by_id, feedback_dates, settings.scoring, limits, as_of, free))
    pattern_since = PatternSince(apps)
    for ref in refs.values():
        if ref.status == "active":
            if ref.id in by_id:
                tested = mock_calls.get(ref.id)
                verdict = by_id[ref.id]
                since = pattern_since(ref.id) if "pattern" in verdict.flags else None
                actions.extend(verdict_actions(ref, verdict, feedback_dates, tested, limits, as_of, since))
                actions.extend(check_actions(ref, verdict, reg, as_of, since))
            actions.extend(consent_actions(ref, limits, as_of))
    actions.extend(apply_more(apps, limits, as_of))
    actions.extend(recruit_actions(registry, list(by_id.values()), settings, as_of))
    return _most_urgent_first(actions)


def _most_urgent_first(actions: Iterable[Action]) -> list[Action]:
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
            parts.append(app_label(registry.application(action.application)))
        except KeyError:
            parts.append(action.application)
    return " — ".join(parts) or "your job search"
