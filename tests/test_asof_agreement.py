"""One "as of" view: walking the demo's year week by week, the audit and ``next`` agree.

Both read ``asof.view(registry, day)``; this test checks what each says against the other
and against that view. (The report's context joins them after the merge.)
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from refaudit import asof, settings
from refaudit.actions import due_actions
from refaudit.audit import audit, lineup
from refaudit.demo import build_demo

TODAY = date(2026, 11, 25)
CONF = settings.defaults()
WEEKS = [TODAY - timedelta(weeks=n) for n in range(53)]
DEMO = build_demo(TODAY)


@pytest.mark.parametrize("day", WEEKS, ids=[d.isoformat() for d in WEEKS])
def test_audit_and_next_agree_through_the_view(day: date) -> None:
    """On every week of the demo's year, next acts only on what that day's audit and view hold."""
    view = asof.view(DEMO, day)
    verdicts = {v.id: v for v in audit(DEMO, CONF, day)}
    assert set(verdicts) == {r.id for r in view.references}
    apps = {a.id: a for a in view.applications}
    status = {r.id: r.status for r in view.references}
    for action in due_actions(DEMO, list(verdicts.values()), CONF, day):
        where = f"{action.kind} {action.reference} {action.application} on {day}"
        assert action.due <= day, where
        if action.reference is not None:
            assert action.reference in verdicts, where  # known to that day's audit
            verdict = verdicts[action.reference]
        if action.application is not None:
            app = apps[action.application]  # known to that day's view
            if action.reference is not None:
                assert action.reference in app.references, where
        if action.kind in ("brief", "thank"):
            assert verdict.recommendation != "drop", where
        if action.kind in ("brief", "swap", "follow-up", "mark-ghosted"):
            assert app.outcome == "pending", where
        if action.kind == "thank":
            assert app.outcome in ("offer", "accepted"), where
        if action.kind == "debrief":
            assert app.outcome == "rejected", where
        if action.kind == "swap":
            assert verdict.recommendation in ("watch", "drop"), where
        if action.kind == "drop":
            assert (verdict.recommendation, status[verdict.id]) == ("drop", "active"), where
        if action.kind == "reach":
            assert "unreachable" in verdict.flags, where
        if action.kind == "test":
            assert "untested" in verdict.flags or verdict.recommendation == "watch", where
        if action.kind == "rest":
            assert verdict.recommendation != "drop" and "unreachable" not in action.reason, where
    # Every active reference the audit says drop gets a drop action that day, and no other.
    dropped = {v.id for v in verdicts.values() if v.recommendation == "drop" and status[v.id] == "active"}
    acted = {a.reference for a in due_actions(DEMO, list(verdicts.values()), CONF, day) if a.kind == "drop"}
    assert acted == dropped
    for pick in lineup(DEMO, list(verdicts.values()), CONF, as_of=day):
        assert verdicts[pick.id].recommendation == "keep" and status[pick.id] == "active"
