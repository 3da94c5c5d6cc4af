"""The rules the risk number cannot express, one function each: each returns findings (a level it
raises the recommendation to, a flag, and a claim of what it found). Never a sentence: those are
worded from the claims in ``wording.py``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from refaudit.audit.case import Case, Evidence, reason_kind
from refaudit.audit.claims import Claim, Finding
from refaudit.audit.scoring import (
    EMPLOYER_SIDE,
    FRIENDLY_SOURCES,
    convergence,
    credible,
    higher_rate_probability,
)
from refaudit.model import STAGES, Application, Feedback, Reference
from refaudit.text import fold

_REACHED = ("positive", "neutral", "lukewarm", "mixed", "negative", "declined")
_LIVE = frozenset(STAGES[STAGES.index("interview") :])  # open at interview or later: may be called any day


def contradiction(ev: Evidence, case: Case) -> Finding | None:
    """Praise heard by friends (mock calls) or told by the reference, against a credible adverse report
    from the employer's side within ``contradiction_days``: flag contradicted, until a credible
    positive professional check (``reference-service``) dated after the adverse report."""
    k = case.k
    friendly = ev.friendly_praise
    if not friendly:
        return None
    window = timedelta(days=k.contradiction_days)
    for bad in reversed(ev.adverse):  # the newest first, within the horizon
        if bad.source not in EMPLOYER_SIDE or not credible(bad, k):
            continue
        praise = [f for f in friendly if abs(f.reported_on - bad.reported_on) <= window]
        if not praise:
            continue
        if any(f.source == "reference-service" and f.reported_on > bad.reported_on for f in ev.positive):
            return None
        claim = Claim("contradicted", (*(f.id for f in praise), bad.id), _apps([bad]), bad.reported_on)
        return Finding("", claim, flag="contradicted")
    return None


def newer_positives(ev: Evidence, after: Feedback, contradicted: bool) -> list[Feedback]:
    """Credible positive reports newer than ``after``; while contradicted, friends' mock calls and
    the reference's own word do not count."""
    return [
        p
        for p in ev.positive
        if p.reported_on > after.reported_on and not (contradicted and p.source in FRIENDLY_SOURCES)
    ]


def negatives(ev: Evidence, case: Case, contradicted: bool) -> Iterable[Finding]:
    """One credible negative: drop; older than the horizon, the newest credible word counts most
    (one newer credible positive: watch; ``forgive_after_positives``: nothing). A weak one: watch."""
    k, since_day = case.k, case.horizon
    for f in ev.negative:
        is_credible, old = credible(f, k), f.reported_on < since_day
        since = newer_positives(ev, f, contradicted)
        forgiven = len(since) >= max(1, k.forgive_after_positives)
        age = {"age_days": (case.as_of - f.reported_on).days}
        ids = (f.id, *(p.id for p in since))
        if forgiven and (old or not is_credible):
            yield Finding("", Claim("negative-outweighed", ids, _apps([f]), f.reported_on, age))
        elif is_credible and old and since:
            yield Finding(
                "watch",
                Claim("newer-credible-word", ids, _apps([f]), f.reported_on, age),
                rule="An old credible negative followed by a newer credible positive means watch.",
            )
        elif is_credible:
            yield Finding(
                "drop",
                Claim("credible-negative", (f.id,), _apps([f]), f.reported_on, age),
                rule="One credible negative report means drop.",
            )
        elif not old:
            yield Finding(
                "watch",
                Claim("weak-negative", (f.id,), _apps([f]), f.reported_on),
                rule="A negative report heard only indirectly means watch.",
            )


def distinct(a: Feedback, b: Feedback) -> bool:
    """Two reports corroborate each other when they concern different applications or reporters."""
    who_a = fold(a.reporter) if a.reporter else f"({a.source})"
    who_b = fold(b.reporter) if b.reporter else f"({b.source})"
    return a.application != b.application or who_a != who_b


def lukewarm(ev: Evidence, pattern: bool, case: Case) -> Iterable[Finding]:
    """Credible lukewarm or mixed reports: watch the day they are logged; corroborated: drop."""
    k = case.k
    adverse = [f for f in ev.adverse if credible(f, k)]
    faint = [f for f in adverse if f.sentiment != "negative"]
    if not faint or len(faint) < k.lukewarm_count:
        return
    others = [o for o in adverse if any(o is not f and distinct(o, f) for f in faint)]
    if others or pattern:
        ids = tuple(dict.fromkeys([f.id for f in faint] + [o.id for o in others]))
        numbers = {"faint": len(faint), "pattern": int(pattern)}
        yield Finding(
            "drop",
            Claim("reservations-corroborated", ids, _apps(faint), faint[-1].reported_on, numbers),
            rule="A credible lukewarm or mixed report, corroborated, means drop.",
        )
    else:
        yield Finding(
            "watch",
            Claim("reservations", tuple(f.id for f in faint), _apps(faint), faint[-1].reported_on),
            rule="A credible lukewarm or mixed report means at least watch.",
        )


def converging(ev: Evidence, case: Case, contradicted: bool) -> Finding | None:
    """Adverse reports from independent reporters (a different reporter and a different application)
    within the horizon add up whatever their credibility: ``converge_watch`` → watch,
    ``converge_drop`` → drop; credible positives after the day the count last rose soften it."""
    k = case.k
    if len(ev.adverse) < k.converge_watch:
        return None
    matched, last = convergence(ev.adverse)
    count = len(matched)
    if count < k.converge_watch or last is None:
        return None
    latest = max(matched, key=lambda f: f.reported_on)
    after = [p for p in newer_positives(ev, latest, contradicted) if p.reported_on > last]
    level = "drop" if count >= k.converge_drop else "watch"
    softened = False
    if len(after) >= max(1, k.forgive_after_positives):
        level = ""
    elif after and level == "drop":
        level, softened = "watch", True
    ids = (*(f.id for f in matched), *(p.id for p in after))
    numbers = {"count": count, "positives_since": len(after)}
    rule = f"{count} independent adverse reports mean {level or 'nothing once outweighed'}."
    # The positives since moved the level only when they softened a drop; else they are the other side.
    setting = None if softened else tuple(f.id for f in matched)
    claim = Claim("converging", ids, _apps(matched), last, numbers)
    return Finding(level, claim, rule=rule if level else None, setting=setting)


def unreachable(ref: Reference, ev: Evidence, case: Case) -> Iterable[Finding]:
    """Failed attempts to reach them since they were last reached: watch, flag unreachable."""
    k, since = case.k, case.horizon
    if not ev.no_response:
        return
    silent: list[Feedback] = []
    for f in ev.all:
        if f.sentiment in _REACHED:
            silent = []
        elif f.sentiment == "no-response" and f.reported_on >= since:
            silent.append(f)
    if silent and ref.consent_on is not None and ref.consent_on >= silent[-1].reported_on:
        return  # you reached them since, and they confirmed they will speak for you
    attempts = sum(f.attempts or 1 for f in silent)
    if attempts < k.unreachable_count:
        return
    yield Finding(
        "watch",
        Claim(
            "unreachable", tuple(f.id for f in silent), _apps(silent), silent[-1].reported_on, {"attempts": attempts}
        ),
        flag="unreachable",
        rule="Repeated failed attempts to reach them mean watch.",
    )


def declined(ev: Evidence) -> Iterable[Finding]:
    said = ev.declined
    if said:
        yield Finding("", Claim("policy-limited", tuple(f.id for f in said), _apps(said)), flag="policy-limited")


def untested(ev: Evidence) -> Iterable[Finding]:
    if not ev.all:
        yield Finding("", Claim("untested"), flag="untested")
    elif len(ev.declined) == len(ev.all):
        yield Finding("", Claim("untested-dates-only", tuple(f.id for f in ev.all)), flag="untested")


def on_record(ev: Evidence, cited: set[str]) -> Iterable[Finding]:
    """Every credible report that is not positive or declined, and that no rule has cited yet."""
    for f in ev.said:
        if f.id in cited:
            continue
        yield Finding("", Claim("on-record", (f.id,), _apps([f]), f.reported_on))


def rumours(ev: Evidence, findings: Sequence[Finding], cited: set[str], case: Case) -> Iterable[Finding]:
    """Every adverse report that is not credible, within the horizon, that no rule has cited: said, so
    that nothing adverse is silent, though alone it moves nothing."""
    k = case.k
    # Independent reports already counted: one left out of them shares a reporter or an application
    # with one of them (else the count would be higher), so it adds nothing to that count.
    counted = max((int(f.claim.numbers["count"]) for f in findings if f.claim.kind == "converging"), default=0)
    for f in ev.adverse:
        if f.id in cited or credible(f, k):
            continue
        yield Finding("", Claim("rumour", (f.id,), _apps([f]), f.reported_on, {"independent": counted}))


def overused(apps: Sequence[Application], case: Case) -> Finding | None:
    """Given on more than ``overuse_count`` applications in the window, or on ``overuse_live`` or more
    open applications at interview or later."""
    k = case.k
    since = case.as_of - timedelta(days=k.overuse_window_days)
    recent: list[str] = []
    live: list[str] = []
    for a in apps:
        if a.applied_on > since:
            recent.append(a.id)
        if a.outcome == "pending" and a.stage in _LIVE:
            live.append(a.id)
    if len(recent) <= k.overuse_count and len(live) < k.overuse_live:
        return None
    numbers = {
        "recent": len(recent), "window_days": k.overuse_window_days, "limit": k.overuse_count,
        "live": len(live), "live_limit": k.overuse_live,
    }  # fmt: skip
    return Finding("", Claim("overused", tuple(), tuple(dict.fromkeys(recent + live)), None, numbers), flag="overused")


def fatigued(ev: Evidence, case: Case) -> Finding | None:
    """A report that they were slow to answer or tired of being asked, within ``fatigue_days``: rest them."""
    if not ev.tired:
        return None
    since = case.as_of - timedelta(days=case.k.fatigue_days)
    tired = [f for f in ev.tired if f.reported_on >= since]
    if not tired:
        return None
    newest = tired[-1]
    claim = Claim("fatigued", (newest.id,), _apps([newest]), newest.reported_on, {"days": case.k.fatigue_days})
    return Finding("", claim, flag="fatigued")


def stale(ref: Reference, ev: Evidence, last_used: date | None, case: Case) -> Finding | None:
    """Not touched (consent, given, briefed, or word from them) for ``stale_days``."""
    touched = [d for d in (ref.consent_on, last_used, ev.last_from_them) if d is not None]
    if touched and (case.as_of - max(touched)).days <= case.k.stale_days:
        return None  # touched recently enough, whatever their briefings say
    briefed = case.last_briefed.get(ref.id)
    last = max([*touched, briefed] if briefed else touched, default=None)
    since = last or ref.added_on
    if since is None or (case.as_of - since).days <= case.k.stale_days:
        return None
    numbers = {"days": (case.as_of - since).days, "touched": int(last is not None)}
    return Finding("", Claim("stale", on=since, numbers=numbers), flag="stale")


def pattern(ref: Reference, case: Case) -> Finding | None:
    """Late losses with them against late losses without them (SCORING.md, "the pattern").

    ``n``/``p`` count the ended applications that reached the reference check with and without them,
    ``k``/``m`` their late losses; an application where a co-referee was praised first-hand (and they
    were not) counts ``co_praised_weight`` times. Not held against them: a loss where that employer
    praised them first-hand, or where a credible adverse report about a co-referee explains it.
    """
    k = case.k
    n = kk = 0.0
    late: list[Application] = []
    co = mine_late = 0
    mine = case.reached_with.get(ref.id, ())
    late_lost = case.late_lost
    for a in mine:
        lost = a.id in late_lost
        mine_late += lost
        praised, praised_on, against_on = case.voices(a)
        if ref.id in praised:  # that employer praised them first-hand
            continue
        if len(against_on) > (ref.id in against_on):  # a co-referee spoken against explains the loss
            continue
        w = k.co_praised_weight if praised_on else 1  # a co-referee was praised (they were not)
        n += w
        co += w != 1
        if lost:
            kk += w
            late.append(a)
    # "Without them": every application's totals (computed once per audit) less their own.
    total_reached, total_late = case.late_totals
    seen = len(mine)
    p = float(total_reached - seen)
    m = float(total_late - mine_late)
    if seen < 2 and len(late) < k.pattern_min:
        return None
    too_little = n < 2 or p < 2
    probability = 0.0 if too_little else higher_rate_probability(kk, n, m, p)
    guessed = [a.id for a in late if reason_kind(a, k)[1]]
    numbers = {
        "k": kk, "n": n, "m": m, "p": p, "probability": round(probability, 3),
        "late": len(late), "too_little": int(too_little), "guessed": len(guessed), "co_praised": co,
    }  # fmt: skip
    claim = Claim("late-losses", tuple(), tuple(a.id for a in late), None, numbers)
    if len(late) >= k.pattern_min and (too_little or probability >= k.pattern_confidence):
        rule = (
            "A suspected pattern of late losses means watch." if too_little else "A pattern of late losses means watch."
        )
        return Finding("watch", claim, flag="pattern", rule=rule)
    return Finding("", claim)


def _apps(entries: Sequence[Feedback]) -> tuple[str, ...]:
    if len(entries) == 1:  # most claims rest on one report
        return (entries[0].application,) if entries[0].application else ()
    return tuple(dict.fromkeys(f.application for f in entries if f.application))
