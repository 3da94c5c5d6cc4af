"""The audit's arithmetic: a report's weight, credibility, the risk number, independence
(the maximum matching of adverse reports over reporter and application) and the posterior
probability that one late-loss rate is higher than another. No wording here."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from refaudit.model import Feedback
from refaudit.settings import Scoring, Settings
from refaudit.text import HONORIFICS, fold

ADVERSE = ("negative", "mixed", "lukewarm")
FRIENDLY_SOURCES = ("mock-call", "reference")  # praise heard by people you know, or told you by the reference
EMPLOYER_SIDE = ("employer", "recruiter", "reference-service")


def weight(entry: Feedback, settings: Settings, as_of: date) -> float:
    """The report's weight on ``as_of``: base weight halved every ``half_life_days``."""
    return aged(entry, settings.scoring, as_of)


def base(entry: Feedback, k: Scoring) -> float:
    return k.source_weight[entry.source] * k.certainty_weight[entry.certainty]


def aged(entry: Feedback, k: Scoring, as_of: date) -> float:
    age = max(0, (as_of - entry.reported_on).days)
    decay: float = 0.5 ** (age / k.half_life_days)
    return base(entry, k) * decay


def credible(entry: Feedback, k: Scoring) -> bool:
    """Whether the report is credible: source weight x certainty weight reaches ``credible_weight``."""
    return (entry.source, entry.certainty) in k.credible_kinds


def horizon(k: Scoring, as_of: date) -> date:
    """The first day a report still counts on its own."""
    return as_of - timedelta(days=k.negative_horizon_days)


def counts_in_number(entry: Feedback, k: Scoring) -> bool:
    """A rumour (an adverse report that is not credible) acts through convergence only, never
    through the number: otherwise the same rumour told twice would move the verdict."""
    return entry.sentiment not in ADVERSE or credible(entry, k)


def risk(entries: Iterable[Feedback], k: Scoring, as_of: date) -> tuple[float, float, list[str]]:
    """The risk (a Beta posterior mean with fractional, ageing observations), the evidence
    weight, and the reports that counted."""
    hurts, helps, total = k.prior_hurts, k.prior_helps, 0.0
    counted: list[str] = []
    for f in entries:
        if not counts_in_number(f, k):
            continue
        w = aged(f, k, as_of)
        h, g = w * k.hurts[f.sentiment], w * k.helps[f.sentiment]
        hurts, helps = hurts + h, helps + g
        if h + g > 0:
            total += w  # the report counted: its whole weight is evidence, whatever its split
            counted.append(f.id)
    return round(hurts / (hurts + helps), 3), total, counted


def adverse_share(sentiment: str, k: Scoring) -> bool:
    """Whether a report of this sentiment pushes the risk above the prior's (it is against them)."""
    prior = k.prior_hurts / (k.prior_hurts + k.prior_helps)
    h, g = k.hurts[sentiment], k.helps[sentiment]
    return h > prior * (h + g)


# --- independence -----------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_YOU = "\x00you"  # every inferred report: the one reporter who inferred them


@functools.lru_cache(maxsize=8192)
def reporter_words(reporter: str) -> str:
    """A reporter's words folded for comparison: case, accents, punctuation and honorifics gone
    (kept per name: the convergence count folds the same reporters once per day it looks at)."""
    words = [w for w in _WORD.findall(fold(reporter)) if w not in HONORIFICS]
    return " ".join(words)


def reporters(entries: Sequence[Feedback]) -> dict[str, str]:
    """Report id -> reporter key. Two reporters are the same when their folded words are equal or
    one's words contain the other's (taken transitively); a report without a reporter is its
    own reporter, except that inferred reports all share one (you)."""
    keys: dict[str, str] = {}
    named: dict[str, str] = {}  # report id -> folded words
    for f in entries:
        if f.certainty == "inferred":
            keys[f.id] = _YOU
        elif f.reporter and reporter_words(f.reporter):
            named[f.id] = reporter_words(f.reporter)
        else:
            keys[f.id] = f"\x00{f.id}"
    words = sorted(set(named.values()))
    parent = {w: w for w in words}

    def root(w: str) -> str:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
                parent[root(b)] = root(a)
    keys.update({fid: root(w) for fid, w in named.items()})
    return keys


def independent(entries: Sequence[Feedback]) -> list[Feedback]:
    """The largest set of reports no two of which share a reporter or an application (a maximum
    bipartite matching, Kuhn's algorithm; ties go to the earliest reports). A report without an
    application is on an application of its own."""
    who = reporters(entries)
    on_app: dict[str, Feedback] = {}  # application key -> the report matched to it
    on_reporter: dict[str, str] = {}  # reporter key -> application key
    edges: dict[str, list[tuple[str, Feedback]]] = {}
    for f in entries:
        edges.setdefault(who[f.id], []).append((f.application or f"\x00{f.id}", f))

    def augment(reporter: str, seen: set[str]) -> bool:
        for app, f in edges[reporter]:
            if app in seen:
                continue
            seen.add(app)
            holder = on_app.get(app)
            if holder is None or augment(who[holder.id], seen):
                on_app[app] = f
                on_reporter[reporter] = app
                return True
        return False

    for reporter in edges:
        augment(reporter, set())
    chosen = {id(f) for f in on_app.values()}
    return [f for f in entries if id(f) in chosen]


def convergence(entries: Sequence[Feedback]) -> tuple[list[Feedback], date | None]:
    """The independent adverse reports among ``reports`` (date order), and the last day their
    count increased (None when there are none)."""
    matched: list[Feedback] = []
    last: date | None = None
    days = sorted({f.reported_on for f in entries})
    for day in days:
        now = independent([f for f in entries if f.reported_on <= day])
        if len(now) > len(matched):
            last = day
        matched = now
    return matched, last


# --- the late-loss comparison -----------------------------------------------------------


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


@functools.lru_cache(maxsize=4)
def _grid(steps: int) -> tuple[tuple[float, float], ...]:
    """``(log t, log(1 - t))`` at the middle of each of ``steps`` cells of [0, 1]: the same for every call."""
    return tuple((math.log((i + 0.5) / steps), math.log1p(-(i + 0.5) / steps)) for i in range(steps))


def higher_rate_probability(k_x: float, n_x: float, k_o: float, n_o: float, steps: int = 2000) -> float:
    """P(p_x > p_o) for p_x ~ Beta(1 + k_x, 1 + n_x - k_x) and p_o ~ Beta(1 + k_o, 1 + n_o - k_o).

    With a whole number of late losses ``k_x`` (the usual case) it is the exact finite sum (Evan
    Miller's formula: a term per loss); otherwise (fractional weights) the integral of
    pdf_x(t) * cdf_o(t) over [0, 1] by the midpoint rule on ``steps`` cells. Both deterministic.
    """
    ax, bx = 1 + k_x, 1 + n_x - k_x
    ao, bo = 1 + k_o, 1 + n_o - k_o
    if float(k_x).is_integer():
        base = _log_beta(ao, bo)
        total = sum(
            math.exp(_log_beta(ao + i, bo + bx) - math.log(bx + i) - _log_beta(1 + i, bx) - base)
            for i in range(int(ax))
        )
        return min(1.0, max(0.0, total))
    lx = math.lgamma(ax + bx) - math.lgamma(ax) - math.lgamma(bx)
    lo = math.lgamma(ao + bo) - math.lgamma(ao) - math.lgamma(bo)
    h = 1.0 / steps
    exp = math.exp
    cdf_o = 0.0
    total = 0.0
    for log_t, log_u in _grid(steps):
        pdf_o = exp(lo + (ao - 1) * log_t + (bo - 1) * log_u)
        mid = cdf_o + pdf_o * h / 2  # the CDF at the cell's middle
        cdf_o += pdf_o * h
        total += exp(lx + (ax - 1) * log_t + (bx - 1) * log_u) * mid * h
    return min(1.0, max(0.0, total))
