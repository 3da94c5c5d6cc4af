"""The track record: the audit checking itself in front of the user.

For every application that has ended, what the audit says — with what is recorded now — of each
reference as of the day they were given (``applied_on``, or the day of a later ``ref`` event on its
timeline), against how the application ended. One pass in date order: the audit is run once per
distinct day a reference was given, never once per application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from refaudit import asof
from refaudit.model import OFFER_OUTCOMES, Application, Registry
from refaudit.settings import Settings


@dataclass(frozen=True)
class Given:
    """One reference given on an application: when, and what the audit says of them that day."""

    reference: str
    on: date
    recommendation: str

    def to_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "on": self.on.isoformat(), "recommendation": self.recommendation}


@dataclass(frozen=True)
class Ended:
    """An application that has ended, with the references given on it."""

    id: str
    company: str
    given: list[Given]
    outcome: str

    @property
    def flagged(self) -> bool:
        """Given with at least one reference then on watch or drop."""
        return any(g.recommendation != "keep" for g in self.given)

    @property
    def offer(self) -> bool:
        return self.outcome in OFFER_OUTCOMES

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "given": [g.to_json() for g in self.given], "outcome": self.outcome}


@dataclass(frozen=True)
class TrackRecord:
    """The ended applications, oldest first, and how the audit's calls fared."""

    as_of: date
    applications: list[Ended]

    @property
    def decided(self) -> list[Ended]:
        """The applications the employer decided: one you withdrew says nothing about your references."""
        return [a for a in self.applications if a.outcome != "withdrawn"]

    def counts(self) -> dict[str, int]:
        flagged = [a for a in self.decided if a.flagged]
        keeps = [a for a in self.decided if not a.flagged]
        return {
            "flagged": len(flagged),
            "flagged_offers": sum(a.offer for a in flagged),
            "keeps_only": len(keeps),
            "keeps_only_offers": sum(a.offer for a in keeps),
        }

    def summary(self) -> str:
        c = self.counts()
        if not self.applications:
            return "No application has ended yet: nothing to check the audit against."
        flagged = (
            f"Of {_apps(c['flagged'])} given with a reference then on watch or drop, {_offers(c['flagged_offers'])}"
            if c["flagged"]
            else "No application was given with a reference then on watch or drop"
        )
        keeps = (
            f"of {_apps(c['keeps_only'])} with keeps only, {_offers(c['keeps_only_offers'])}"
            if c["keeps_only"]
            else "none with keeps only"
        )
        withdrawn = len(self.applications) - len(self.decided)
        left_out = ""
        if withdrawn:
            left_out = (
                f" Left out: {_apps(withdrawn)} you withdrew, which "
                f"{'says' if withdrawn == 1 else 'say'} nothing about your references."
            )
        return f"{flagged}; {keeps}.{left_out}"

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "applications": [a.to_json() for a in self.applications],
            "summary": {**self.counts(), "text": self.summary()},
        }


def track_record(registry: Registry, settings: Settings, as_of: date, limit: int | None = None) -> TrackRecord:
    """The track record as of ``as_of`` (applications ended by then; audits with what is recorded now);
    with ``limit``, the ``limit`` most recently applied for only (each audit reads the whole registry)."""
    from refaudit.audit import audit

    ended = [a for a in asof.view(registry, as_of).applications if a.outcome != "pending"]
    ended.sort(key=lambda a: (a.applied_on, a.id))
    if limit is not None:
        ended = ended[-limit:] if limit > 0 else []
    days = {a.id: _given_on(a) for a in ended}
    calls: dict[tuple[date, str], str] = {}
    given_on: dict[date, set[str]] = {}
    for given in days.values():
        for ref_id, day in given.items():
            given_on.setdefault(day, set()).add(ref_id)
    for day in sorted(given_on):  # one pass, in date order; each day judges only those given that day
        for v in audit(registry, settings, day, only=given_on[day]):
            calls[(day, v.id)] = v.recommendation
    rows = [
        Ended(a.id, a.company, [Given(r, d, calls.get((d, r), "keep")) for r, d in days[a.id].items()], a.outcome)
        for a in ended
    ]
    return TrackRecord(as_of, rows)


def _given_on(app: Application) -> dict[str, date]:
    """Reference id -> the day they were given on ``app``: a later ``ref`` event, else the day it was applied for."""
    later = {e.value: e.on for e in app.timeline if e.event == "ref" and e.value}
    return {r: later.get(r, app.applied_on) for r in dict.fromkeys(app.references)}


def _apps(n: int) -> str:
    return f"{n} application" if n == 1 else f"{n} applications"


def _offers(n: int) -> str:
    return "no offer" if n == 0 else "1 offer" if n == 1 else f"{n} offers"
