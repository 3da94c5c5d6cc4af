"""The case file of one audit: the records every reference's judgement reads, indexed once per
audit (``Case``), and how an employer's stated reason is read (``reason_kind``)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from refaudit.audit.scoring import ADVERSE, credible
from refaudit.model import OFFER_OUTCOMES, Application, Feedback, Registry
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


def reached_check(app: Application) -> bool:
    """Ended (not open) after reaching the reference check."""
    return app.outcome != "pending" and app.stage in LATE_STAGES


def late_loss(app: Application, k: Scoring) -> bool:
    """Ended rejected or ghosted at or after the reference check, with no cause stated elsewhere."""
    if app.outcome not in LATE_ENDINGS or app.stage not in LATE_STAGES:
        return False
    kind, _ = reason_kind(app, k)
    return kind is None or kind in PATTERN_KINDS


@dataclass
class Case:
    """What every reference's judgement needs, computed once per audit from the as-of view."""

    settings: Settings
    as_of: date
    feedback: dict[str, list[Feedback]]  # reference id -> reports, oldest first
    applications: dict[str, list[Application]]  # reference id -> applications given with them
    apps: list[Application]
    apps_by_id: dict[str, Application]
    offer_refs: set[str]
    last_briefed: dict[str, date]  # reference id -> latest briefing on or before as_of
    on_app: dict[str, list[Feedback]]  # application id -> reports about it
    entries: dict[str, Feedback]  # feedback id -> report
    _voices: dict[str, tuple[frozenset[str], frozenset[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )  # application id -> what ``voices`` worked out

    @property
    def k(self) -> Scoring:
        return self.settings.scoring

    @functools.cached_property
    def reached(self) -> frozenset[str]:
        """The ids of every application that ended after reaching the reference check."""
        return frozenset(a.id for a in self.apps if reached_check(a))

    @functools.cached_property
    def late_lost(self) -> frozenset[str]:
        """The ids of the applications in ``reached`` that were late losses (``late_loss``)."""
        return frozenset(a.id for a in self.apps if a.id in self.reached and late_loss(a, self.k))

    @functools.cached_property
    def late_totals(self) -> tuple[int, int]:
        """Over every application: how many ended after reaching the reference check, and how many of
        those were late losses. A reference's "without them" is these less their own, so the
        comparison costs their applications, not all of them, per reference."""
        return len(self.reached), len(self.late_lost)

    def voices(self, app_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """The references a credible report about the application praised, and those it spoke against
        (negative, mixed or lukewarm): what the pattern asks of it. Worked out once per application
        and audit, and only for the applications asked about (an audit of a few references, as the
        track record runs for every day a reference was given, asks about few)."""
        known = self._voices.get(app_id)
        if known is None:
            k = self.k
            entries = self.on_app.get(app_id, ())
            praised = frozenset(f.reference for f in entries if f.sentiment == "positive" and credible(f, k))
            against = frozenset(f.reference for f in entries if f.sentiment in ADVERSE and credible(f, k))
            known = self._voices[app_id] = (praised, against)
        return known

    @classmethod
    def of(cls, reg: Registry, settings: Settings, as_of: date) -> Case:
        """Index the as-of view ``reg`` once."""
        feedback: dict[str, list[Feedback]] = defaultdict(list)
        on_app: dict[str, list[Feedback]] = defaultdict(list)
        for f in reg.feedback:
            feedback[f.reference].append(f)
            if f.application:
                on_app[f.application].append(f)
        for entries in feedback.values():
            entries.sort(key=lambda f: f.reported_on)  # stable: same-day reports keep registry order
        by_ref: dict[str, list[Application]] = defaultdict(list)
        offer_refs: set[str] = set()
        last_briefed: dict[str, date] = {}
        for app in reg.applications:
            for ref_id in dict.fromkeys(app.references):
                by_ref[ref_id].append(app)
            if app.outcome in OFFER_OUTCOMES:
                offer_refs.update(app.references)
            for b in app.briefed:
                if b.on > last_briefed.get(b.reference, date.min):
                    last_briefed[b.reference] = b.on
        apps_by_id = {a.id: a for a in reg.applications}
        return cls(
            settings, as_of, feedback, by_ref, list(reg.applications), apps_by_id, offer_refs, last_briefed, on_app,
            {f.id: f for f in reg.feedback},
        )  # fmt: skip
