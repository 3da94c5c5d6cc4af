"""Where a job search ends: pure functions of the as-of view (``asof.view``).

An ``accepted`` outcome ends the search on its day. The search it ends holds the
applications made after the previous accepted offer (if any) up to that day; an
application made after the accepted day starts a new search, and the old one no longer
counts as just ended. Who was given in a search, and on which day they were last given,
reads ``references`` of the view (given and not withdrawn that day) and the ``ref``
events of each application's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from refaudit.model import Application, Registry


@dataclass(frozen=True)
class Ended:
    """A search that ended with an accepted offer: that application and the search's applications."""

    accepted: Application
    applications: tuple[Application, ...]

    @property
    def on(self) -> date:
        assert self.accepted.closed_on is not None
        return self.accepted.closed_on


def ended(view: Registry) -> Ended | None:
    """The search the latest accepted offer ended, unless an application made after it began another."""
    accepted = [a for a in view.applications if a.outcome == "accepted" and a.closed_on is not None]
    if not accepted:
        return None
    last = max(accepted, key=lambda a: (a.closed_on or date.min, a.id))
    day = last.closed_on or date.min
    if any(a.applied_on > day for a in view.applications):
        return None
    start = max((a.closed_on or date.min for a in accepted if (a.closed_on or date.min) < day), default=date.min)
    apps = tuple(a for a in view.applications if start < a.applied_on <= day)
    return Ended(last, apps)


def last_given(app: Application, ref_id: str) -> date:
    """The day ``ref_id`` was last given on ``app``: its latest ``ref`` event, else the day applied."""
    days = [e.on for e in app.timeline if e.event == "ref" and e.value == ref_id]
    return max(days, default=app.applied_on)


def given_in(search: Ended) -> dict[str, Application]:
    """Each reference given in the search (and not withdrawn), with the application they were last given on."""
    latest: dict[str, tuple[date, Application]] = {}
    for app in search.applications:
        for ref_id in app.references:
            day = last_given(app, ref_id)
            if ref_id not in latest or day >= latest[ref_id][0]:
                latest[ref_id] = (day, app)
    return {ref_id: app for ref_id, (_, app) in latest.items()}
