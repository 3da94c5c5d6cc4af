"""One place composes the judgement of a day: ``judgement.judge`` gives the view, verdicts, actions and lineup."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from refaudit import asof, judgement, settings
from refaudit.actions import due_actions
from refaudit.audit import audit, lineup_and_held_back
from refaudit.demo import build_demo

TODAY = date(2026, 11, 25)
CONF = settings.defaults()
DEMO = build_demo(TODAY)
DAYS = [TODAY - timedelta(weeks=n) for n in (0, 4, 13, 26, 52)]


@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_the_judgement_is_what_each_function_says_on_its_own(day: date) -> None:
    """Verdicts, actions due, lineup and held-back are exactly those of the pure functions on the raw registry."""
    judged = judgement.judge(DEMO, CONF, day)
    verdicts = audit(DEMO, CONF, day)
    assert judged.as_of == day
    assert judged.verdicts == verdicts
    assert judged.due == due_actions(DEMO, verdicts, CONF, day)
    assert (judged.lineup, judged.held_back) == lineup_and_held_back(DEMO, verdicts, CONF, as_of=day)


def test_the_view_is_worked_out_once() -> None:
    """The judgement holds the registry as it stood that day; asking for that day's view again gives it back."""
    judged = judgement.judge(DEMO, CONF, DAYS[2])
    assert judged.seen == asof.view(DEMO, DAYS[2])
    assert asof.view(judged.seen, DAYS[2]) is judged.seen
    assert asof.view(judged.seen, DAYS[3]) is not judged.seen  # another day is a view of its own


def test_the_lineup_size_is_the_one_asked_for() -> None:
    """``lineup_size`` caps the lineup; without it the lineup.size setting (3) does."""
    assert len(judgement.judge(DEMO, CONF, TODAY, lineup_size=1).lineup) == 1
    assert len(judgement.judge(DEMO, CONF, TODAY).lineup) <= CONF.lineup.size
