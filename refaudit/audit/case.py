"""The case file of one audit: the records every reference's judgement reads, indexed once per
audit (``Case``), and how an employer's stated reason is read (``reason_kind``)."""

from __future__ import annotations

import functools
import operator
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from refaudit.audit.scoring import ADVERSE, FRIENDLY_SOURCES, credible, horizon
from refaudit.model import Application, Feedback, Registry
from refaudit.settings import Scoring, Settings
from refaudit.text import fold

# Reason kinds that can count towards a pattern (with an unrecorded reason).
PATTERN_KINDS = ("references", "none-given")
LATE_STAGES = ("reference-check", "offer")
LATE_ENDINGS = ("rejected", "ghosted")

# Reading a reason typed without a kind: the first kind whose words appear wins. Word
# starts, not phrases, so "more experience in research" and "more research experience"
# read alike. A reason that names no cause at all reads as none-given.
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("references", ("reference", "referee", "background check")),
    ("internal-candidate", ("internal", "in-house", "promoted from within")),
    ("position-filled", ("filled", "freeze", "on hold", "cancel", "restructur", "eliminated", "no longer open")),
    ("compensation", ("salary", "compensation", "budget", "pay", "expensive", "relocation", "visa")),
    ("experience", ("experience", "qualified", "seniority", "senior", "junior", "track record")),
    ("skills", ("skill", "technical", "knowledge", "expertise", "proficien")),
    ("fit", ("fit", "culture", "personality", "team dynamic")),
)
_REPORTED_ON = operator.attrgetter("reported_on")
_KIND_RES = tuple((kind, re.compile("|".join(rf"\b{re.escape(w)}" for w in words))) for kind, words in _KIND_WORDS)


def reason_kind(app: Application, k: Scoring) -> tuple[str | None, bool]:
    """Why the employer said no: ``(kind, guessed)``; ``(None, False)`` when no reason is recorded.

    A recorded ``reason_kind`` wins; otherwise the reason's wording is read (``guessed``),
    never written back.
    """
    if app.reason_kind is not None:
        return app.reason_kind, False
    if not app.reason:
        return None, False
    return _guess(app.reason, k.not_their_fault), True


@functools.lru_cache(maxsize=4096)
def _guess(reason: str, elsewhere: tuple[str, ...]) -> str:
    text = fold(reason)
    for kind, pattern in _KIND_RES:
        if pattern.search(text):
            return kind
    if any(phrase in text for phrase in elsewhere):
        return "other"  # scoring.not_their_fault: a stated cause that is not the references
    return "none-given"


def late_loss(app: Application, k: Scoring) -> bool:
    """Ended rejected or ghosted at or after the reference check, with no cause stated elsewhere."""
    if app.outcome not in LATE_ENDINGS or app.stage not in LATE_STAGES:
        return False
    kind, _ = reason_kind(app, k)
    return kind is None or kind in PATTERN_KINDS


@dataclass(slots=True)
class Evidence:
    """One reference's reports as of the audit, oldest first (``all``), sorted in one pass into
    what the rules read: each rule then looks at the few reports it is about, not at every one."""

    all: list[Feedback]
    positive: list[Feedback] = field(default_factory=list)  # credible positive reports
    friendly_praise: list[Feedback] = field(default_factory=list)  # positive, from a mock call or the reference
    negative: list[Feedback] = field(default_factory=list)  # every negative report, credible or not
    adverse: list[Feedback] = field(default_factory=list)  # adverse (ADVERSE) within the horizon, credible or not
    said: list[Feedback] = field(default_factory=list)  # credible, neither positive nor declined
    declined: list[Feedback] = field(default_factory=list)
    no_response: list[Feedback] = field(default_factory=list)  # within the horizon
    tired: list[Feedback] = field(default_factory=list)  # slow to answer or tired of being asked
    last_from_them: date | None = None  # the newest report the reference gave themselves


@dataclass
class Case:
    """What every reference's judgement needs, computed once per audit from the as-of view."""

    settings: Settings
    as_of: date
    feedback: dict[str, list[Feedback]]  # reference id -> reports, oldest first
    applications: dict[str, list[Application]]  # reference id -> applications given with them
    apps_by_id: dict[str, Application]
    on_app: dict[str, list[Feedback]]  # application id -> reports about it (ended after the reference check)
    entries: dict[str, Feedback]  # feedback id -> report
    reached: frozenset[str]  # applications that ended (not open) after reaching the reference check
    late_lost: frozenset[str]  # those of them that were late losses (``late_loss``)
    reached_with: dict[str, list[Application]]  # reference id -> their applications in ``reached``
    view: Registry  # what was indexed: the as-of view
    _voices: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )  # application id -> what ``voices`` worked out

    @property
    def k(self) -> Scoring:
        return self.settings.scoring

    @functools.cached_property
    def last_briefed(self) -> dict[str, date]:
        """Reference id -> their latest briefing on or before ``as_of``: worked out when first asked
        (only ``stale`` asks, and only of someone not touched otherwise for ``stale_days``)."""
        last: dict[str, date] = {}
        for app in self.view.applications:
            for b in app.briefed:
                if b.on > last.get(b.reference, date.min):
                    last[b.reference] = b.on
        return last

    @functools.cached_property
    def horizon(self) -> date:
        """The first day a report still counts on its own (``scoring.horizon``)."""
        return horizon(self.k, self.as_of)

    def evidence(self, ref_id: str) -> Evidence:
        """The reference's reports, sorted into what the rules read (``Evidence``)."""
        k, since = self.k, self.horizon
        entries = self.feedback.get(ref_id, [])
        r = Evidence(entries)
        for f in entries:
            sentiment, credible_one = f.sentiment, credible(f, k)
            if sentiment == "positive":
                if credible_one:
                    r.positive.append(f)
                if f.source in FRIENDLY_SOURCES:
                    r.friendly_praise.append(f)
            elif sentiment == "declined":
                r.declined.append(f)
            else:
                if credible_one:
                    r.said.append(f)
                if sentiment in ADVERSE:
                    if sentiment == "negative":
                        r.negative.append(f)
                    if f.reported_on >= since:
                        r.adverse.append(f)
                elif sentiment == "no-response" and f.reported_on >= since:
                    r.no_response.append(f)
            if f.fatigue:
                r.tired.append(f)
            if f.source == "reference":
                r.last_from_them = f.reported_on
        return r

    @property
    def late_totals(self) -> tuple[int, int]:
        """Over every application: how many ended after reaching the reference check, and how many of
        those were late losses. A reference's "without them" is these less their own, so the
        comparison costs their applications, not all of them, per reference."""
        return len(self.reached), len(self.late_lost)

    def voices(self, app: Application) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """What the pattern asks of an application in ``reached``: the references a credible report about
        it praised; those of them given on it; and the references given on it that a credible report
        spoke against (negative, mixed or lukewarm). Worked out once per application and audit, and
        only for the applications asked about (an audit of a few references, as the track record runs
        for every day a reference was given, asks about few)."""
        known = self._voices.get(app.id)
        if known is None:
            credible_ones = [f for f in self.on_app.get(app.id, ()) if credible(f, self.k)]
            praised = frozenset(f.reference for f in credible_ones if f.sentiment == "positive")
            against = frozenset(f.reference for f in credible_ones if f.sentiment in ADVERSE)
            given = frozenset(app.references)
            known = self._voices[app.id] = (praised, praised & given, against & given)
        return known

    @classmethod
    def of(cls, reg: Registry, settings: Settings, as_of: date, only: Collection[str] | None = None) -> Case:
        """Index the as-of view ``reg`` once: with ``only``, what judging those references reads
        (their reports and applications, and every application's ending, which the pattern compares)."""
        k = settings.scoring
        wanted = None if only is None else frozenset(only)
        by_ref: dict[str, list[Application]] = defaultdict(list)
        reached_with: dict[str, list[Application]] = defaultdict(list)
        reached: set[str] = set()
        late_lost: set[str] = set()
        for app in reg.applications:
            ended = app.outcome != "pending" and app.stage in LATE_STAGES  # reached the check, and ended
            if ended:
                reached.add(app.id)
                if late_loss(app, k):
                    late_lost.add(app.id)
            if wanted is not None and wanted.isdisjoint(app.references):
                continue  # an audit of a few references: not given with any of them
            for ref_id in dict.fromkeys(app.references):
                if wanted is None or ref_id in wanted:
                    by_ref[ref_id].append(app)
                    if ended:
                        reached_with[ref_id].append(app)
        # What the pattern reads about an application: the reports on the ones that reached the check
        # (with ``only``, on theirs).
        asked = reached if wanted is None else {a.id for apps in reached_with.values() for a in apps}
        feedback: dict[str, list[Feedback]] = defaultdict(list)
        on_app: dict[str, list[Feedback]] = defaultdict(list)
        for f in reg.feedback:
            if wanted is None or f.reference in wanted:
                feedback[f.reference].append(f)
            if f.application in asked:
                on_app[f.application].append(f)
        for entries in feedback.values():
            entries.sort(key=_REPORTED_ON)  # stable: same-day reports keep registry order
        return cls(
            settings, as_of, feedback, by_ref, {a.id: a for a in reg.applications}, on_app,
            {f.id: f for f in reg.feedback if wanted is None or f.reference in wanted},
            frozenset(reached), frozenset(late_lost),
            reached_with, reg,
        )  # fmt: skip
