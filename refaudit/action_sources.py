"""Where actions come from, one function per source: each application (brief, swap, debrief,
follow-up, thank, mark-ghosted), each reference's verdict (drop, reach, rest, test,
check-reference, refresh-consent), the whole search (apply-more, recruit) and its end
(withdraw, thank, tell). ``actions.due_actions`` calls them and orders what they find;
the rules themselves are described in the docstring of ``actions.py``.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from refaudit import searches
from refaudit.action import Action, app_label, level_of, sentence
from refaudit.applications import last_heard
from refaudit.audit import WATCH_MEANS, Pick, Verdict, in_a_line, lineup, needs_check, reason_kind, watch_advice
from refaudit.model import OFFER_OUTCOMES, STAGES, Application, Feedback, Reference, Registry
from refaudit.settings import Next, Scoring, Settings

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
class AppView:
    """An application of the as-of view, with the latest briefing and thanks per reference."""

    app: Application
    briefed: Mapping[str, date]
    thanked: Mapping[str, date]
    quiet_since: date  # the last thing the employer did (the quiet clock)
    followed_up: date | None  # the last follow-up you recorded
    # The references someone already heard speak about this application (a report about them on it,
    # other than no-response or a friend's mock call): the call has come, so briefing them is too late.
    called: frozenset[str] = frozenset()

    @classmethod
    def of(cls, app: Application, feedback: Sequence[Feedback] = ()) -> AppView:
        """``feedback``: the reports about the application (an employer's restarts the quiet clock)."""
        briefed: dict[str, date] = {}
        thanked: dict[str, date] = {}
        for records, latest in ((app.briefed, briefed), (app.thanked, thanked)):
            for b in records:
                latest[b.reference] = max(b.on, latest.get(b.reference, date.min))
        followed = max((e.on for e in app.timeline if e.event == "followed-up"), default=None)
        called = frozenset(
            f.reference
            for f in feedback
            if f.application == app.id and f.sentiment != "no-response" and f.source != "mock-call"
        )
        return cls(app, briefed, thanked, last_heard(app, feedback), followed, called)

    @property
    def is_open(self) -> bool:
        return self.app.outcome == "pending"

    @property
    def last_change(self) -> date:
        return self.app.last_change

    @property
    def ended_on(self) -> date:
        return self.app.closed_on or self.last_change


def application_actions(
    view: AppView,
    refs: Mapping[str, Reference],
    verdicts: Mapping[str, Verdict],
    feedback_dates: Mapping[str, date],
    scoring: Scoring,
    limits: Next,
    as_of: date,
    free: FreePick,
) -> Iterable[Action]:
    if view.is_open:
        yield from _open_actions(view, refs, verdicts, feedback_dates, limits, as_of, free)
    else:
        yield from _closed_actions(view, refs, verdicts, scoring, limits, as_of)


def _open_actions(
    view: AppView,
    refs: Mapping[str, Reference],
    verdicts: Mapping[str, Verdict],
    feedback_dates: Mapping[str, date],
    limits: Next,
    as_of: date,
    free: FreePick,
) -> Iterable[Action]:
    app, q_app = view.app, shlex.quote(view.app.id)
    live = STAGES.index(app.stage) >= _LIVE_FROM
    checked = STAGES.index(app.stage) >= _CHECKED_FROM
    swap_or_brief = (
        "too late to swap them, so brief them now" if checked else "swap them if you still can, or brief them now"
    )
    for ref_id in dict.fromkeys(app.references):
        if ref_id not in refs:
            continue
        level = level_of(verdicts, ref_id)
        briefed = view.briefed.get(ref_id)
        if level == "drop":
            yield _drop_swap(view, verdicts[ref_id], feedback_dates, free, as_of)
        elif ref_id in view.called:
            continue  # they have spoken for this application already: too late to brief or swap them
        elif live and level == "watch":
            # Done once they are briefed for this application after the news that moved the verdict.
            news = [feedback_dates[f] for f in verdicts[ref_id].moved if f in feedback_dates]
            if briefed is not None and briefed >= max(news, default=date.min):
                continue
            # Due the day the application went live or the day of the news, whichever came later:
            # never "overdue" from before anyone knew.
            yield Action(
                "brief" if checked else "swap",  # at the reference check it is too late to swap: brief them
                min(max(view.last_change, *news), as_of) if news else view.last_change,
                ref_id,
                app.id,
                f"The audit says {level}, and this application is at {app.stage}: {swap_or_brief}. "
                f"{watch_advice(verdicts[ref_id])}",
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


def _quiet_actions(view: AppView, limits: Next, as_of: date) -> Iterable[Action]:
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


class FreePick:
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
    view: AppView, verdict: Verdict, feedback_dates: Mapping[str, date], free: FreePick, as_of: date
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
    view: AppView,
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
            if ref_id in refs and level_of(verdicts, ref_id) != "drop" and (thanked is None or thanked < ended):
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


def verdict_actions(
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
            f"Still active, but the audit says drop. {sentence(why)}",
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


class PatternSince:
    """No earlier than the day a pattern of late rejections could first be seen: the latest
    rejection or silence they were given on (the pattern no longer waits for an offer elsewhere).
    A verdict the pattern moved is not "overdue" from the day of an older report.

    The applications are read once, whatever the number of references asked about.
    """

    def __init__(self, apps: Sequence[AppView]) -> None:
        self.late: dict[str, date] = {}
        for v in apps:
            if v.app.outcome in ("rejected", "ghosted"):
                for ref_id in v.app.references:
                    self.late[ref_id] = max(v.ended_on, self.late.get(ref_id, date.min))

    def __call__(self, ref_id: str) -> date | None:
        return self.late.get(ref_id)


def check_actions(
    ref: Reference, verdict: Verdict, reg: Registry, as_of: date, pattern_since: date | None = None
) -> Iterable[Action]:
    """A contradicted reference, one on whom rumours converge, or a suspected pattern in someone a
    friend's call praised: a professional reference check, due from the news, done once a
    reference-service report has come since."""
    if not needs_check(verdict):
        return
    kinds = ("contradicted", "converging", "late-losses")  # the strongest reason first
    claim = min((c for c in verdict.claims if c.kind in kinds), key=lambda c: kinds.index(c.kind))
    # A pattern is due from the day it could first be seen (PatternSince), as verdict_actions has it.
    due = min((pattern_since if claim.kind == "late-losses" else claim.on) or as_of, as_of)
    checked = [
        f for f in reg.feedback if f.reference == ref.id and f.source == "reference-service" and f.reported_on >= due
    ]
    if checked:
        return
    if claim.kind == "contradicted":
        calls = sum(1 for f in reg.feedback if f.id in claim.feedback[:-1] and f.source == "mock-call")
        heard = (
            "They told you they praised you"
            if not calls
            else "A friend's call heard praise"
            if calls == 1
            else "Friends' calls heard praise"
        )
        why = (
            f"{heard}, but the employer's side heard the opposite: another friendly call proves nothing. "
            "Order a professional reference check (a reference-checking service) and log what it hears."
        )
    elif claim.kind == "late-losses":
        why = (
            "A friend's call heard praise, but applications with them keep ending without an offer after the "
            "reference check: another friendly call proves nothing. Order a professional reference check (a "
            "reference-checking service) and log what it hears."
        )
    else:
        why = (
            f"{int(claim.numbers['count'])} people, independently, passed on reservations about them: order a "
            "professional reference check (a reference-checking service) and log what it hears."
        )
    command = f"refaudit feedback log {shlex.quote(ref.id)} --source reference-service --sentiment SENTIMENT"
    yield Action("check-reference", due, ref.id, None, why, command)


def recruit_actions(registry: Registry, verdicts: list[Verdict], conf: Settings, as_of: date) -> Iterable[Action]:
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
    if ready:
        ready += f" (the lineup wants {size})"
    lacking = ""
    if missing and picks:
        if not ready:
            lacking = f"none of your ready references is a {wanted}, and the lineup wants one"
        else:
            lacking = f"{'that one is not' if len(picks) == 1 else 'none of them is'} a {wanted}"
    why = " and ".join(x for x in (ready, lacking) if x)
    yield Action(
        "recruit",
        as_of,
        None,
        None,
        f"{why[0].upper()}{why[1:]}: find a new reference, ideally a recent "
        f"{require[0] if require else 'manager'}; once added, ask them with refaudit draft ask REF.",
        f"refaudit ref add NAME --relationship {require[0] if require else 'manager'}",
    )


def end_of_search(
    search: searches.Ended, view: Registry, refs: Mapping[str, Reference], verdicts: Mapping[str, Verdict]
) -> Iterable[Action]:
    """After an accepted offer: withdraw the other applications, thank and tell the references."""
    end, day = search.accepted, search.on
    q_end, job = shlex.quote(end.id), app_label(end)
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
        if ref is None or ref.status == "dropped" or level_of(verdicts, ref_id) == "drop":
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
                f"{app_label(last)} ({since.isoformat()}): thank them.",
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


def consent_actions(ref: Reference, limits: Next, as_of: date) -> Iterable[Action]:
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


def apply_more(apps: Sequence[AppView], limits: Next, as_of: date) -> Iterable[Action]:
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
