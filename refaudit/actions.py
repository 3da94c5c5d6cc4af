"""What the user should do next: pure ``(registry, verdicts, settings, as_of) -> [Action]``.

Each kind of action has a fixed priority, the order of ``KINDS``:

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

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from refaudit import asof, searches
from refaudit.applications import last_heard
from refaudit.audit import WATCH_MEANS, Pick, Verdict, in_a_line, lineup, needs_check, reason_kind, watch_advice
from refaudit.model import OFFER_OUTCOMES, STAGES, Application, Feedback, Reference, Registry
from refaudit.settings import Next, Scoring, Settings

KINDS = (
    "brief",
    "swap",
    "drop",
    "reach",
    "debrief",
    "follow-up",
    "withdraw",
    "thank",
    "tell",
    "rest",
    "test",
    "check-reference",
    "refresh-consent",
    "mark-ghosted",
    "apply-more",
    "recruit",
)
_PRIORITY = {kind: i for i, kind in enumerate(KINDS)}

# The audit flags a "rest" may be configured for, and what each means in a sentence.
# ``unreachable`` is accepted for old configs, but an unreachable reference gets ``reach``.
_REST_WHY = {
    "overused": "given often lately",
    "fatigued": "slow to answer or tired of being asked lately",
    "stale": "out of touch for a long time",
    "policy-limited": "only allowed to confirm dates by company policy",
    "pattern": "on a run of late rejections",
}
_LIVE_FROM = STAGES.index("interview")
_CHECKED_FROM = STAGES.index("reference-check")
_VAGUE = (None, "none-given")


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
class _AppView:
    """An application of the as-of view, with the latest briefing and thanks per reference."""

    app: Application
    briefed: Mapping[str, date]
    thanked: Mapping[str, date]
    quiet_since: date  # the last thing the employer did (the quiet clock)
    followed_up: date | None  # the last follow-up you recorded

    @classmethod
    def of(cls, app: Application, feedback: Sequence[Feedback] = ()) -> _AppView:
        """``feedback``: the reports about the application (an employer's restarts the quiet clock)."""
        briefed: dict[str, date] = {}
        thanked: dict[str, date] = {}
        for records, latest in ((app.briefed, briefed), (app.thanked, thanked)):
            for b in records:
                latest[b.reference] = max(b.on, latest.get(b.reference, date.min))
        followed = max((e.on for e in app.timeline if e.event == "followed-up"), default=None)
        return cls(app, briefed, thanked, last_heard(app, feedback), followed)

    @property
    def is_open(self) -> bool:
        return self.app.outcome == "pending"

    @property
    def last_change(self) -> date:
        return self.app.last_change

    @property
    def ended_on(self) -> date:
        return self.app.closed_on or self.last_change


def due_actions(registry: Registry, verdicts: Iterable[Verdict], settings: Settings, as_of: date) -> list[Action]:
    """Every action due on ``as_of``, most urgent first (see the module docstring)."""
    limits = settings.next
    reg = asof.view(registry, as_of)
    by_id = {v.id: v for v in verdicts}
    refs = {r.id: r for r in reg.references}  # the view decides who was known on as_of, as for the audit
    search = searches.ended(reg)
    if search is not None:
        return _most_urgent_first(_end_of_search(search, reg, refs, by_id))
    about: dict[str, list[Feedback]] = {}
    for f in reg.feedback:
        if f.application is not None:
            about.setdefault(f.application, []).append(f)
    apps = [_AppView.of(a, about.get(a.id, [])) for a in reg.applications]
    feedback_dates = {f.id: f.reported_on for f in reg.feedback}
    mock_calls: dict[str, date] = {}
    for f in reg.feedback:
        if f.source in ("mock-call", "reference-service"):  # a test: a friend's call or a professional check
            mock_calls[f.reference] = max(f.reported_on, mock_calls.get(f.reference, date.min))
    free = _FreePick(registry, list(by_id.values()), settings, as_of)
    actions: list[Action] = []
    for view in apps:
        actions.extend(_application_actions(view, refs, by_id, feedback_dates, settings.scoring, limits, as_of, free))
    pattern_since = _PatternSince(apps)
    for ref in refs.values():
        if ref.status == "active":
            if ref.id in by_id:
                tested = mock_calls.get(ref.id)
                verdict = by_id[ref.id]
                since = pattern_since(ref.id) if "pattern" in verdict.flags else None
                actions.extend(_verdict_actions(ref, verdict, feedback_dates, tested, limits, as_of, since))
                actions.extend(_check_actions(ref, verdict, reg, as_of))
            actions.extend(_consent_actions(ref, limits, as_of))
    actions.extend(_apply_more(apps, limits, as_of))
    actions.extend(_recruit_actions(registry, list(by_id.values()), settings, as_of))
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
            parts.append(_app_label(registry.application(action.application)))
        except KeyError:
            parts.append(action.application)
    return " — ".join(parts) or "your job search"


# --- one function per source of actions --------------------------------------------


def _application_actions(
    view: _AppView,
    refs: Mapping[str, Reference],
    verdicts: Mapping[str, Verdict],
    feedback_dates: Mapping[str, date],
    scoring: Scoring,
    limits: Next,
    as_of: date,
    free: _FreePick,
) -> Iterable[Action]:
    if view.is_open:
        yield from _open_actions(view, refs, verdicts, feedback_dates, limits, as_of, free)
    else:
        yield from _closed_actions(view, refs, verdicts, scoring, limits, as_of)


def _open_actions(
    view: _AppView,
    refs: Mapping[str, Reference],
    verdicts: Mapping[str, Verdict],
    feedback_dates: Mapping[str, date],
    limits: Next,
    as_of: date,
    free: _FreePick,
) -> Iterable[Action]:
    app, q_app = view.app, shlex.quote(view.app.id)
    live = STAGES.index(app.stage) >= _LIVE_FROM
    for ref_id in dict.fromkeys(app.references):
        if ref_id not in refs:
            continue
        level = _level(verdicts, ref_id)
        briefed = view.briefed.get(ref_id)
        if level == "drop":
            yield _drop_swap(view, verdicts[ref_id], feedback_dates, free, as_of)
        elif live and level == "watch":
            # Done once they are briefed for this application after the news that moved the verdict.
            news = [feedback_dates[f] for f in verdicts[ref_id].moved if f in feedback_dates]
            if briefed is not None and briefed >= max(news, default=date.min):
                continue
            # Due the day the application went live or the day of the news, whichever came later:
            # never "overdue" from before anyone knew.
            yield Action(
                "swap",
                min(max(view.last_change, *news), as_of) if news else view.last_change,
                ref_id,
                app.id,
                f"The audit says {level}, and this application is at {app.stage}: swap them if you still "
                f"can, or brief them now. {watch_advice(verdicts[ref_id])}",
                f"refaudit app update {q_app} --briefed {shlex.quote(ref_id)}",
            )
        elif app.stage in limits.brief_at_stages and briefed is None:
            yield Action(
                "brief",
                view.last_change,
                ref_id,
                app.id,
                f"At {app.stage} since {view.last_change.isoformat()}, and they have not been "
                "told a call may be coming.",
                f"refaudit app update {q_app} --briefed {shlex.quote(ref_id)}",
            )
    yield from _quiet_actions(view, limits, as_of)


def _quiet_actions(view: _AppView, limits: Next, as_of: date) -> Iterable[Action]:
    """Follow up a quiet application (unless followed up lately); past ghosted_after_days, mark it ghosted."""
    app, q_app = view.app, shlex.quote(view.app.id)
    idle = (as_of - view.quiet_since).days
    since = view.quiet_since.isoformat()
    if idle >= limits.ghosted_after_days:
        yield Action(
            "mark-ghosted",
            view.quiet_since + timedelta(days=limits.ghosted_after_days),
            None,
            app.id,
            f"No word from the employer for {idle} days (since {since}), past the {limits.ghosted_after_days}-day "
            "mark: count it as ghosted.",
            f"refaudit app update {q_app} --outcome ghosted",
        )
        return
    due = view.quiet_since + timedelta(days=limits.follow_up_after_days)
    if view.followed_up is not None:
        due = max(due, view.followed_up + timedelta(days=limits.follow_up_after_days))
    if due <= as_of:
        who = f"{app.via} or the employer" if app.via else "the employer"
        asked = f"; you last followed up on {view.followed_up.isoformat()}" if view.followed_up else ""
        yield Action(
            "follow-up",
            due,
            None,
            app.id,
            f"No word from the employer for {idle} days (since {since}){asked}: ask {who} where it stands.",
            f"refaudit app update {q_app} --followed-up",
        )


class _FreePick:
    """The lineup's best reference not already on an application; the lineup worked out once, when first asked."""

    def __init__(self, registry: Registry, verdicts: list[Verdict], settings: Settings, as_of: date) -> None:
        self._args = (registry, verdicts, settings, as_of)
        self._picks: list[Pick] | None = None

    def __call__(self, taken: Iterable[str]) -> Pick | None:
        if self._picks is None:
            registry, verdicts, settings, as_of = self._args
            self._picks = lineup(registry, verdicts, settings, size=max(1, len(verdicts)), as_of=as_of)
        busy = set(taken)
        return next((p for p in self._picks if p.id not in busy), None)


def _drop_swap(
    view: _AppView, verdict: Verdict, feedback_dates: Mapping[str, date], free: _FreePick, as_of: date
) -> Action:
    """A dropped reference on an open application: swap them off before the reference check; after, too late.

    Due from the day they turned drop (or the application's day, if given after); never "brief them".
    """
    app, q_app, q_ref = view.app, shlex.quote(view.app.id), shlex.quote(verdict.id)
    news = [feedback_dates[f] for f in verdict.moved if f in feedback_dates]
    due = min(max([app.applied_on, *news]), as_of)
    withdraw = f"refaudit app update {q_app} --withdraw-ref {q_ref}"
    why = in_a_line(verdict)
    if STAGES.index(app.stage) >= _CHECKED_FROM:
        return Action(
            "swap",
            due,
            verdict.id,
            app.id,
            f"The audit says drop ({why.rstrip('.')}), and this application is at {app.stage}: too late to swap "
            "them, the employer may have called them already. Do not brief them; if the employer has not called "
            "yet and agrees to call someone else, record it (the command below).",
            withdraw,
        )
    pick = free(app.references)
    if pick is None:
        return Action(
            "swap",
            due,
            verdict.id,
            app.id,
            f"The audit says drop ({why.rstrip('.')}), and this application is at {app.stage}, before its "
            "reference check: take them off it now. The lineup has nobody free to give instead.",
            withdraw,
        )
    return Action(
        "swap",
        due,
        verdict.id,
        app.id,
        f"The audit says drop ({why.rstrip('.')}), and this application is at {app.stage}, before its "
        f"reference check: swap them for {pick.name}, the lineup's best free reference, now.",
        f"refaudit app update {q_app} --swap {q_ref}={shlex.quote(pick.id)}",
    )


def _closed_actions(
    view: _AppView,
    refs: Mapping[str, Reference],
    verdicts: Mapping[str, Verdict],
    scoring: Scoring,
    limits: Next,
    as_of: date,
) -> Iterable[Action]:
    app, q_app = view.app, shlex.quote(view.app.id)
    ended = view.ended_on
    if app.outcome in OFFER_OUTCOMES and (as_of - ended).days <= limits.thank_within_days:
        for ref_id in dict.fromkeys(app.references):
            thanked = view.thanked.get(ref_id)
            if ref_id in refs and _level(verdicts, ref_id) != "drop" and (thanked is None or thanked < ended):
                yield Action(
                    "thank",
                    ended,
                    ref_id,
                    app.id,
                    f"Ended in an offer on {ended.isoformat()}: thank them and tell them how it went.",
                    f"refaudit app update {q_app} --thanked {shlex.quote(ref_id)}",
                )
    kind, guessed = reason_kind(app, scoring)
    if (
        app.outcome == "rejected"
        and kind in _VAGUE
        and not (app.criticism or app.leads)
        and (as_of - ended).days <= limits.debrief_within_days
    ):
        if app.reason is not None:
            said = f'the reason "{app.reason}" says nothing concrete'
        else:
            said = "gave no reason" if kind == "none-given" else "no reason is recorded"
        if guessed:
            said += " (guessed from the wording — set --reason-kind to be sure)"
        yield Action(
            "debrief",
            ended,
            None,
            app.id,
            f"Said no on {ended.isoformat()} and {said}: find out the reason, ask for "
            "constructive criticism and ask for job leads.",
            f"refaudit app debrief {q_app} --reason TEXT --criticism TEXT --lead TEXT",
        )


def _verdict_actions(
    ref: Reference,
    verdict: Verdict,
    feedback_dates: Mapping[str, date],
    tested: date | None,
    limits: Next,
    as_of: date,
    pattern_since: date | None = None,
) -> Iterable[Action]:
    q_ref = shlex.quote(ref.id)
    evidence = [feedback_dates[f] for f in verdict.evidence if f in feedback_dates]
    if pattern_since is not None:
        evidence.append(pattern_since)
    news = min(max(evidence, default=verdict.last_used or as_of), as_of)
    if verdict.recommendation == "drop":
        # The rule in a line, with the reports behind it; the quotes are in `refaudit audit REF`.
        if verdict.rule:
            cited = verdict.moved
            why = f"{verdict.rule.rstrip('.')} ({'report' if len(cited) == 1 else 'reports'} {', '.join(cited)})"
        else:
            why = verdict.reasons[0] if verdict.reasons else "the evidence against them outweighs the rest"
        yield Action(
            "drop",
            news,
            ref.id,
            None,
            f"Still active, but the audit says drop. {_sentence(why)}",
            f"refaudit ref status {q_ref} dropped",
        )
        return
    if "unreachable" in verdict.flags:
        yield Action(
            "reach",
            news,
            ref.id,
            None,
            "Employers could not reach them: call them; confirm their number, email and availability, "
            "then record that they confirmed (the command below).",
            f"refaudit ref edit {q_ref} --consent-on {as_of.isoformat()}",
        )
    wanted = dict.fromkeys([*limits.rest_flags, "fatigued"])  # fatigue always rests them
    rest = [flag for flag in wanted if flag in verdict.flags and flag in _REST_WHY]
    if rest:
        why = " and ".join(_REST_WHY[flag] for flag in rest)
        if "overused" in rest and verdict.last_used is not None:
            why += f" (last on {verdict.last_used.isoformat()})"
        yield Action(
            "rest",
            news,
            ref.id,
            None,
            f"{why[0].upper()}{why[1:]}: rest them for a while.",
            f"refaudit ref status {q_ref} resting",
        )
    test = f"refaudit feedback log {q_ref} --sentiment SENTIMENT --source mock-call"
    if "untested" in verdict.flags:
        due = min(ref.added_on, as_of) if ref.added_on is not None else as_of
        limited = " Their company's dates-only answer is not a test." if "policy-limited" in verdict.flags else ""
        yield Action(
            "test",
            due,
            ref.id,
            None,
            "Nobody has reported what they say: before giving them again, have a trusted friend "
            f"make a mock call (or order a reference-checking service).{limited}",
            test,
        )
    elif verdict.recommendation == "watch" and (tested is None or tested < news) and not needs_check(verdict):
        yield Action("test", news, ref.id, None, f"The audit says watch. {WATCH_MEANS}", test)


class _PatternSince:
    """No earlier than the day a pattern of late rejections could first be seen: the latest
    rejection or silence they were given on (the pattern no longer waits for an offer elsewhere).
    A verdict the pattern moved is not "overdue" from the day of an older report.

    The applications are read once, whatever the number of references asked about.
    """

    def __init__(self, apps: Sequence[_AppView]) -> None:
        self.late: dict[str, date] = {}
        for v in apps:
            if v.app.outcome in ("rejected", "ghosted"):
                for ref_id in v.app.references:
                    self.late[ref_id] = max(v.ended_on, self.late.get(ref_id, date.min))

    def __call__(self, ref_id: str) -> date | None:
        return self.late.get(ref_id)


def _check_actions(ref: Reference, verdict: Verdict, reg: Registry, as_of: date) -> Iterable[Action]:
    """A contradicted reference, or one on whom rumours converge: a professional reference check,
    due from the news, done once a reference-service report has come since."""
    if not needs_check(verdict):
        return
    claim = next(c for c in verdict.claims if c.kind in ("contradicted", "converging"))
    due = min(claim.on or as_of, as_of)
    checked = [
        f for f in reg.feedback if f.reference == ref.id and f.source == "reference-service" and f.reported_on >= due
    ]
    if checked:
        return
    if claim.kind == "contradicted":
        sources = {f.source for f in reg.feedback if f.id in claim.feedback[:-1]}
        heard = "Friends' calls heard praise" if "mock-call" in sources else "They told you they praised you"
        why = (
            f"{heard}, but the employer's side heard the opposite: another friendly call proves nothing. "
            "Order a professional reference check (a reference-checking service) and log what it hears."
        )
    else:
        why = (
            f"{int(claim.numbers['count'])} people, independently, passed on reservations about them: order a "
            "professional reference check (a reference-checking service) and log what it hears."
        )
    command = f"refaudit feedback log {shlex.quote(ref.id)} --source reference-service --sentiment SENTIMENT"
    yield Action("check-reference", due, ref.id, None, why, command)


def _recruit_actions(registry: Registry, verdicts: list[Verdict], conf: Settings, as_of: date) -> Iterable[Action]:
    """The bench: fewer than ``lineup.size`` references ready, or none ready with a relationship in
    ``lineup.require``: find a new reference."""
    picks = lineup(registry, verdicts, conf, as_of=as_of)
    size, require = conf.lineup.size, conf.lineup.require
    short = len(picks) < size
    missing = bool(require) and not any(p.relationship in require for p in picks)
    if not (short or missing):
        return
    wanted = " or ".join(require) if require else "manager"
    if not picks:
        ready = "none of your references is ready"
    else:
        ready = f"only {len(picks)} of your references {'is' if len(picks) == 1 else 'are'} ready" if short else ""
    lacking = f"none ready is a {wanted}" if missing and picks else ""
    why = " and ".join(x for x in (ready, lacking) if x)
    yield Action(
        "recruit",
        as_of,
        None,
        None,
        f"{why[0].upper()}{why[1:]} (the lineup wants {size}): find a new reference, ideally a recent "
        f"{require[0] if require else 'manager'}; once added, ask them with refaudit draft ask REF.",
        f"refaudit ref add NAME --relationship {require[0] if require else 'manager'}",
    )


def _end_of_search(
    search: searches.Ended, view: Registry, refs: Mapping[str, Reference], verdicts: Mapping[str, Verdict]
) -> Iterable[Action]:
    """After an accepted offer: withdraw the other applications, thank and tell the references."""
    end, day = search.accepted, search.on
    q_end, job = shlex.quote(end.id), _app_label(end)
    for app in view.applications:
        if app.id != end.id and app.outcome in ("pending", "offer"):
            holding = "holds an offer" if app.outcome == "offer" else f"is still open at {app.stage}"
            yield Action(
                "withdraw",
                day,
                None,
                app.id,
                f"You accepted {job} on {day.isoformat()}, and this application {holding}: withdraw it, "
                "and thank them for their time.",
                f"refaudit app update {shlex.quote(app.id)} --outcome withdrawn",
            )
    thanked: dict[str, date] = {}
    told: dict[str, date] = {}
    for app in view.applications:
        for records, latest in ((app.thanked, thanked), (app.told, told)):
            for b in records:
                latest[b.reference] = max(b.on, latest.get(b.reference, date.min))
    for ref_id, last in searches.given_in(search).items():
        ref = refs.get(ref_id)
        if ref is None or ref.status == "dropped" or _level(verdicts, ref_id) == "drop":
            continue
        since = searches.last_given(last, ref_id)
        q_ref = shlex.quote(ref_id)
        if thanked.get(ref_id, date.min) < since:
            yield Action(
                "thank",
                day,
                ref_id,
                last.id,
                f"You accepted {job} on {day.isoformat()}; they were your reference, last for "
                f"{_app_label(last)} ({since.isoformat()}): thank them.",
                f"refaudit app update {shlex.quote(last.id)} --thanked {q_ref}",
            )
        if told.get(ref_id, date.min) < since:
            yield Action(
                "tell",
                day,
                ref_id,
                end.id,
                f"You accepted {job} on {day.isoformat()}: tell them how your search ended.",
                f"refaudit app update {q_end} --told {q_ref}",
            )


def _consent_actions(ref: Reference, limits: Next, as_of: date) -> Iterable[Action]:
    consent = ref.consent_on
    if consent is None:
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


def _apply_more(apps: Sequence[_AppView], limits: Next, as_of: date) -> Iterable[Action]:
    # An application silent past the ghosting threshold is not a coal in the fire.
    live = [v for v in apps if v.is_open and (as_of - v.quiet_since).days < limits.ghosted_after_days]
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


def _level(verdicts: Mapping[str, Verdict], ref_id: str) -> str:
    verdict = verdicts.get(ref_id)
    return verdict.recommendation if verdict is not None else "keep"


def _app_label(app: Application) -> str:
    return f"{app.company} ({app.role})"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
