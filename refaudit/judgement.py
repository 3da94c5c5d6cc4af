"""The judgement of a registry on a day, composed in one place: the as-of view, the verdicts,
the actions due, the lineup and who is held back from it.

``judge`` applies ``asof.view`` once; the pure functions it calls (``audit.audit``,
``actions.due_actions``, ``audit.lineup_and_held_back``, ``report.build_contents``) get that
view and do not work it out again (``asof.view`` returns a view of the same day as it is).
``audit``, ``next``, ``lineup``, ``ref show``, ``report`` and ``calendar`` all read a
``Judgement``, so they cannot disagree about a day. Pure: no I/O, no clock.

The verdicts are worked out at once; the actions and the lineup when first asked for
(``audit`` alone never pays for them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from refaudit import actions, asof, audit

if TYPE_CHECKING:
    from refaudit.model import Registry
    from refaudit.settings import Settings


@dataclass(frozen=True)
class Judgement:
    """What refaudit makes of the registry as it stood on ``as_of``. Read-only."""

    as_of: date
    seen: asof.View  # the registry as it stood on as_of
    settings: Settings
    verdicts: list[audit.Verdict]  # drop, watch, keep; then risk, name
    lineup_size: int | None = None  # None: the lineup.size setting

    @cached_property
    def due(self) -> list[actions.Action]:
        """The actions due on ``as_of``, most urgent first (``next``)."""
        return actions.due_actions(self.seen, self.verdicts, self.settings, self.as_of)

    @cached_property
    def _lineup(self) -> tuple[list[audit.Pick], list[audit.Pick]]:
        return audit.lineup_and_held_back(self.seen, self.verdicts, self.settings, self.lineup_size, self.as_of)

    @property
    def lineup(self) -> list[audit.Pick]:
        """The references to give next, best first."""
        return self._lineup[0]

    @property
    def held_back(self) -> list[audit.Pick]:
        """When the lineup is short: who is held back from it, and why (else nobody)."""
        return self._lineup[1]


def judge(registry: Registry, settings: Settings, as_of: date, *, lineup_size: int | None = None) -> Judgement:
    """The judgement of ``registry`` as it stood on ``as_of`` (the lineup ``lineup_size`` long)."""
    seen = asof.view(registry, as_of)
    return Judgement(as_of, seen, settings, audit.audit(seen, settings, as_of), lineup_size)
