"""The sentences of a verdict, worded from claims (``claims.py``): who said what, when, and what it
means for the user. Rules decide; this module only says. One function per claim kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from refaudit.audit.case import Case
from refaudit.audit.claims import Claim
from refaudit.audit.rules import distinct
from refaudit.audit.scoring import FRIENDLY_SOURCES, adverse_share
from refaudit.model import STAGES, Application, Feedback

# What "watch" asks of the user: the same words in audit, next, the report and SCORING.md.
WATCH_MEANS = "Give them only alongside a strong reference, and test them soon with a mock call."
# What "watch" asks when friends' calls prove nothing (contradicted) or rumours converge.
CHECK_MEANS = (
    "Give them only alongside a strong reference, and have a professional reference check done soon "
    "(a reference-checking service), not another friend's call."
)

_WHO = {
    "employer": "The employer",
    "recruiter": "A recruiter",
    "reference-service": "A reference-checking service",
    "mock-call": "A mock call",
    "reference": "The reference themselves",
    "contact": "A contact",
    "other": "Someone",
}


def cite(ids: Sequence[str]) -> str:
    return f"(report {ids[0]})" if len(ids) == 1 else f"(reports {', '.join(ids)})"


def describe(f: Feedback, case: Case) -> str:
    """``Sam at Hays (recruiter, direct) on 2026-10-20, about Acme Corp``."""
    if f.reporter:
        who = f"{f.reporter} ({f.source}, {f.certainty})"
    else:
        who = "You (inferred)" if f.certainty == "inferred" else f"{_WHO[f.source]} ({f.certainty})"
    about = ""
    if f.application and f.application in case.apps_by_id:
        about = f", about {case.apps_by_id[f.application].company}"
    return f"{who} on {f.reported_on.isoformat()}{about}"


def said(f: Feedback, case: Case) -> str:
    """Who relayed the report, when, and the quote: ``… on 2026-10-20, about Acme: "…" (report f3)``."""
    if f.quote:
        text = f'{describe(f, case)}: "{f.quote}"'
    elif f.sentiment == "no-response":
        tries = f" after {f.attempts} attempts" if f.attempts and f.attempts > 1 else ""
        text = f"{describe(f, case)}: could not reach them{tries}"
    else:
        text = f"{describe(f, case)} reported a {f.sentiment} reference"
    return f"{text} {cite([f.id])}"


def word(claim: Claim, case: Case, advice: str = "", recommendation: str = "") -> str:
    """The sentence(s) for ``claim``; ``advice`` is what watch asks (empty unless the verdict is watch)."""
    text = _WORDING[claim.kind](claim, case, advice, recommendation)
    return " ".join(text.split(" ")).replace("  ", " ").strip()


def _entries(claim: Claim, case: Case) -> list[Feedback]:
    return [case.entries[i] for i in claim.feedback]


def _said_all(entries: Sequence[Feedback], case: Case) -> str:
    return " ".join(f"{said(f, case)}." for f in entries)


def _risk(c: Claim, case: Case, advice: str, _rec: str) -> str:
    k = case.k
    risk = c.numbers["risk"]
    adverse = [i for i in c.feedback if adverse_share(case.entries[i].sentiment, k)]
    favourable = [i for i in c.feedback if i not in adverse]
    level = "drop" if risk >= k.drop_risk else "watch" if risk >= k.watch_risk else "keep"
    if level == "keep":
        if favourable:
            n = len(favourable)
            text = f"{n} report{'s' if n > 1 else ''} in their favour {cite(favourable)}"
            if adverse:
                text += f" outweigh{'s' if n == 1 else ''} the adverse {cite(adverse)[1:-1]}"
            return text + f": risk {risk:.2f} is below the watch line of {k.watch_risk:.2f}."
        return (
            f"The reports so far {cite(adverse)} leave the risk at {risk:.2f}, below the watch "
            f"line of {k.watch_risk:.2f}: keep them, and listen for more."
        )
    line, action = ("drop line", "stop giving them.") if level == "drop" else ("watch line", advice or WATCH_MEANS)
    threshold = k.drop_risk if level == "drop" else k.watch_risk
    return (
        f"The reports against them {cite(adverse)} put the risk at {risk:.2f}, at or above "
        f"the {line} of {threshold:.2f}: {action[0].lower()}{action[1:]}"
    )


def _lower(text: str, f: Feedback) -> str:
    """``said(f)`` inside a sentence: "the employer", but never a lower-cased name."""
    return text if f.reporter else text[0].lower() + text[1:]


def _latest_praise(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    f = case.entries[c.feedback[0]]
    return f"Most recently, {_lower(said(f, case), f)}."


def _credible_negative(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    k = case.k
    f = case.entries[c.feedback[0]]
    tail = ""
    if c.numbers.get("age_days", 0) > k.negative_horizon_days:
        friendly = [
            p.id
            for p in case.feedback.get(f.reference, [])
            if p.sentiment == "positive" and p.source in FRIENDLY_SOURCES and p.reported_on > f.reported_on
        ]
        apart = f", apart from friendly calls {cite(friendly)}, which cannot clear them" if friendly else ""
        tail = (
            f" It is older than {k.negative_horizon_days} days, but no credible positive report has come "
            f"since{apart}; one would make it watch, {k.forgive_after_positives} would lift it."
        )
    return f"{said(f, case)}. One credible negative is enough to cost you an offer: stop giving them.{tail}"


def _outweighed(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    k = case.k
    f, since = case.entries[c.feedback[0]], list(c.feedback[1:])
    old = c.numbers.get("age_days", 0) > k.negative_horizon_days
    return f"{said(f, case)} is outweighed by {len(since)} credible positive reports since {cite(since)}" + (
        f" and is older than {k.negative_horizon_days} days." if old else "."
    )


def _newer_word(c: Claim, case: Case, advice: str, _rec: str) -> str:
    k = case.k
    f, since = case.entries[c.feedback[0]], list(c.feedback[1:])
    newer = "a newer credible report speaks" if len(since) == 1 else f"{len(since)} newer credible reports speak"
    return (
        f"{said(f, case)}. It is older than {k.negative_horizon_days} days, and {newer} for them "
        f"{cite(since)}: the newest credible word counts most, so watch, not drop; "
        f"{k.forgive_after_positives} would lift it. {advice}"
    )


def _weak_negative(c: Claim, case: Case, advice: str, _rec: str) -> str:
    f = case.entries[c.feedback[0]]
    return f"{said(f, case)}. That is too indirect to drop them on: find out what they really say. {advice}"


def _reservations(c: Claim, case: Case, advice: str, _rec: str) -> str:
    return f"{_said_all(_entries(c, case), case)} Faint praise or reservations cost offers too. {advice}"


def _corroborated(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    faint = int(c.numbers["faint"])
    entries = _entries(c, case)
    others = [o.id for o in entries if any(o is not f and distinct(o, f) for f in entries[:faint])]
    why = []
    if others:
        why.append(f"credible reports from different applications or reporters {cite(others)}")
    if c.numbers["pattern"]:
        why.append("a pattern of late rejections (below)")
    return (
        f"{_said_all(entries[:faint], case)} Reservations, corroborated by {' and '.join(why)}: they are "
        "costing you offers. Stop giving them."
    )


def _converging(c: Claim, case: Case, advice: str, rec: str) -> str:
    count = int(c.numbers["count"])
    positives = int(c.numbers["positives_since"])
    entries = _entries(c, case)
    matched, since = entries[:count], [f.id for f in entries[count:]]
    heard = "; ".join(_rumour(f, case) for f in matched)
    text = (
        f"{count} people, independently of each other (different reporters, different applications), passed "
        f"on reservations about them: {heard}. None of it alone is proof, but independent rumours that agree "
        "are a finding"
    )
    k = case.k
    if positives >= max(1, k.forgive_after_positives):
        return f"{text}. Since then, {positives} credible positive reports {cite(since)} outweigh them."
    if not positives and advice == CHECK_MEANS:
        text += "."  # the advice asks for the professional check: said once
    elif not positives:
        text += ": have a professional reference check find out what they say."
    elif count >= k.converge_drop:
        text += f". {_credible_since(positives, since)}: watch, not drop."
    else:
        more = k.forgive_after_positives - positives
        text += f". {_credible_since(positives, since)}; {more} more would outweigh the rumours."
    if count >= k.converge_drop and not positives and rec == "drop":
        return f"{text} Stop giving them."
    return f"{text} {advice}"


def _credible_since(positives: int, since: list[str]) -> str:
    if positives == 1:
        return f"A credible positive report has come since {cite(since)}"
    return f"{positives} credible positive reports have come since {cite(since)}"


def _rumour(f: Feedback, case: Case) -> str:
    """``Jan, a former labmate (about Quanta, 2026-09-28): "reserved" (report f4)``."""
    who = f.reporter or ("you (inferred)" if f.certainty == "inferred" else _WHO[f.source].lower())
    about = f"about {case.apps_by_id[f.application].company}, " if f.application in case.apps_by_id else ""
    words = f'"{f.quote}"' if f.quote else f"{f.sentiment}"
    return f"{who} ({about}{f.reported_on.isoformat()}): {words} {cite([f.id])}"


def _contradicted(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    entries = _entries(c, case)
    friendly, bad = entries[:-1], entries[-1]
    calls = [f for f in friendly if f.source == "mock-call"]
    own = [f for f in friendly if f.source == "reference"]
    heard = []
    if calls:
        heard.append(f"a mock call by someone you know heard praise {cite([f.id for f in calls])}")
    if own:
        heard.append(f"they told you themselves they praised you {cite([f.id for f in own])}")
    side = {"employer": "the employer", "recruiter": "a recruiter", "reference-service": "a professional check"}
    first = " and ".join(heard)
    return (
        f"{first[0].upper()}{first[1:]}; {side[bad.source]} heard the opposite {cite([bad.id])}. They may tell "
        "friends one thing and employers another, so another friendly call proves nothing: only a professional "
        "reference check (logged with --source reference-service) can clear this."
    )


def _in_favour(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    items = "; ".join(_lower(said(f, case), f) for f in _entries(c, case))
    return f"In their favour, and weighed against the above: {items}."


def _unreachable(c: Claim, case: Case, advice: str, _rec: str) -> str:
    return (
        f"{_said_all(_entries(c, case), case)} {int(c.numbers['attempts'])} failed attempts to reach them: call "
        f"them and confirm their number, email and availability. {advice}"
    )


def _policy(c: Claim, _case: Case, _advice: str, _rec: str) -> str:
    return (
        f"Their employer's policy lets them confirm dates only {cite(c.feedback)}: not held against "
        "them, but it tells an employer little, so pair them with someone who can speak freely."
    )


def _untested(_c: Claim, _case: Case, _advice: str, _rec: str) -> str:
    return (
        "No reports yet, so nobody knows what they say about you: test them with a mock call "
        "(a friend calling as an employer) or a reference-checking service before you rely on them."
    )


def _dates_only(_c: Claim, _case: Case, _advice: str, _rec: str) -> str:
    return (
        "A dates-only answer is company policy, not a test: many people say more when asked. Nobody "
        "knows yet what they say about you; test them with a mock call."
    )


def _on_record(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    k = case.k
    f = case.entries[c.feedback[0]]
    if f.reported_on < case.as_of - timedelta(days=k.negative_horizon_days):
        why = f"older than {k.negative_horizon_days} days, it no longer counts on its own"
    elif f.sentiment == "neutral":
        why = "facts without an opinion, it counts for little either way"
    elif f.sentiment == "no-response":
        why = f"fewer than {k.unreachable_count} failed attempts so far"
    else:
        why = f"fewer than {k.lukewarm_count} such reports so far"
    return f"{said(f, case)}: on record; {why}."


def _rumour_on_record(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    f = case.entries[c.feedback[0]]
    k = case.k
    counted = int(c.numbers.get("independent", 0))
    if counted >= k.converge_watch:
        return (
            f"{said(f, case)}: on record, but not credible ({f.source}, {f.certainty}), and it shares a reporter "
            f"or an application with the {counted} independent reports above, so it does not add to them."
        )
    return (
        f"{said(f, case)}: on record, but not credible ({f.source}, {f.certainty}): alone it moves nothing; "
        f"{k.converge_watch} independent people saying the same would."
    )


def _overused(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    n = c.numbers
    window = int(n["window_days"])
    since = case.as_of - timedelta(days=window)
    parts = []
    if n["recent"] > n["limit"]:
        recent = [a for a in c.applications if case.apps_by_id[a].applied_on > since]
        parts.append(
            f"Given on {int(n['recent'])} applications in the last {window} days ({', '.join(recent)}): let them "
            f"rest; more than {int(n['limit'])} calls in {window} days wears out goodwill."
        )
    if n["live"] >= n["live_limit"]:
        recent = [a for a in c.applications if _live(case.apps_by_id[a])]
        parts.append(
            f"On {int(n['live'])} open applications at interview or later ({', '.join(recent)}): each may call "
            "them any day; do not add another until some of these end."
        )
    return " ".join(parts)


def _live(app: Application) -> bool:
    """Open, at interview or later: the employer may call the reference any day."""
    return app.outcome == "pending" and app.stage in STAGES and STAGES.index(app.stage) >= STAGES.index("interview")


def _fatigued(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    f = case.entries[c.feedback[0]]
    until = f.reported_on + timedelta(days=int(c.numbers["days"]))
    return (
        f"{said(f, case)}: slow to answer, or tired of being asked. Let them rest until {until.isoformat()}: "
        "they stay out of the lineup and never lead it, however well they speak of you."
    )


def _stale(c: Claim, case: Case, _advice: str, _rec: str) -> str:
    assert c.on is not None
    what = f"since {c.on.isoformat()}" if c.numbers["touched"] else f"since you added them on {c.on.isoformat()}"
    return (
        f"No contact or use {what} ({int(c.numbers['days'])} days): get back in touch and "
        "confirm they still agree to speak for you."
    )


def _late_losses(c: Claim, case: Case, advice: str, rec: str) -> str:
    n = c.numbers
    late = [case.apps_by_id[a] for a in c.applications]
    # The id helps find the application, unless it says no more than the company (an anonymous copy's
    # "Employer 1" for both).
    named = ", ".join(
        f"{a.company} ({a.outcome})" if a.id == a.company else f"{a.company} ({a.id}, {a.outcome})" for a in late
    )
    k = case.k
    if n["co_praised"]:  # n and k are weighted: say so rather than count applications that are not there
        twice = "1 application" if n["co_praised"] == 1 else f"{int(n['co_praised'])} applications"
        comparison = (
            f"Of the applications that reached the reference check with them, {n['k']:g} of {n['n']:g} ended "
            f"without an offer, no other cause given (counting {twice} {k.co_praised_weight:g} times, where the "
            f"employer praised the other reference: the loss is likelier theirs); without them: {n['m']:g} of "
            f"{n['p']:g}"
        )
    else:
        comparison = (
            f"{n['k']:g} of {n['n']:g} application{'' if n['n'] == 1 else 's'} that reached the reference check "
            f"with them ended without an offer, no other cause given; without them: {n['m']:g} of {n['p']:g}"
        )
    if n["late"] < k.pattern_min:
        if n["too_little"]:
            text = f"{comparison}: too little to tell yet."
        else:
            text = f"{comparison}; the chance that their rate is the higher one is {n['probability']:.0%}."
        if n["late"]:
            apps = "1 application" if n["late"] == 1 else f"{int(n['late'])} applications"
            text = f"Given on {apps} that ended without an offer after the reference check ({named}). {text}"
        return text
    head = (
        f"Given on {int(n['late'])} applications that ended at or after the reference check with no cause that "
        f"lies elsewhere: {named}."
    )
    note = ""
    if n["guessed"]:
        guesses = [a.id for a in late if a.reason_kind is None and a.reason]
        note = f" The reasons of {', '.join(guesses)} were guessed from the wording — set --reason-kind to be sure."
    if n["too_little"]:
        return (
            f"{head} {comparison}: too little to compare, so this is a suspicion to check, not a finding. "
            f"Ask those employers for a debrief. {advice}{note}"
        )
    if n["probability"] >= k.pattern_confidence:
        return (
            f"{head} {comparison}; the chance that their rate is the higher one is "
            f"{n['probability']:.0%}. Ask those employers for a debrief. {advice}{note}"
        )
    return (
        f"{head} {comparison}; the chance that their rate is the higher one is only "
        f"{n['probability']:.0%}: your other references lose as often, so the common factor may be elsewhere.{note}"
    )


def _user_dropped(c: Claim, _case: Case, _advice: str, rec: str) -> str:
    when = f" on {c.on.isoformat()}" if c.on else ""
    return f"You marked them dropped{when}; on the evidence alone the audit says {rec}."


_WORDING: dict[str, Callable[[Claim, Case, str, str], str]] = {
    "risk": _risk,
    "latest-praise": _latest_praise,
    "credible-negative": _credible_negative,
    "negative-outweighed": _outweighed,
    "newer-credible-word": _newer_word,
    "weak-negative": _weak_negative,
    "reservations": _reservations,
    "reservations-corroborated": _corroborated,
    "converging": _converging,
    "contradicted": _contradicted,
    "weighed-in-favour": _in_favour,
    "unreachable": _unreachable,
    "policy-limited": _policy,
    "untested": _untested,
    "untested-dates-only": _dates_only,
    "on-record": _on_record,
    "rumour": _rumour_on_record,
    "overused": _overused,
    "fatigued": _fatigued,
    "stale": _stale,
    "late-losses": _late_losses,
    "user-dropped": _user_dropped,
}
