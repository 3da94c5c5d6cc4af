"""One "as of" view: walking the demo's year week by week, the audit, ``next`` and the report agree.

All read ``asof.view(registry, day)``; these tests check what each says against the others
and against that view.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from refaudit import asof, report, settings
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


_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@pytest.mark.parametrize("day", WEEKS[::4], ids=[d.isoformat() for d in WEEKS[::4]])
def test_the_report_agrees_with_the_audit_and_next(day: date) -> None:
    """The report's context, built through the same view, counts and names what audit and next say, and no later day."""
    view = asof.view(DEMO, day)
    verdicts = audit(view, CONF, day)
    due = due_actions(view, verdicts, CONF, day)
    contents = report.build_contents(view, verdicts, due, CONF, day, lineup=lineup(view, verdicts, CONF, as_of=day))
    by_id = {v.name: v.recommendation for v in verdicts}
    assert {row["name"]: row["recommendation"] for row in contents["references"]} == by_id
    assert contents["counts"] == {
        rec: sum(1 for v in verdicts if v.recommendation == rec) for rec in ("drop", "watch", "keep")
    }
    assert contents["totals"]["open_applications"] == sum(1 for a in view.applications if a.outcome == "pending")
    assert contents["actions_total"] == len(due)
    later = sorted({d for d in _ISO.findall(json.dumps(contents, default=str)) if d > day.isoformat()})
    assert later == [], f"dates after {day} in the report of that day: {later}"
