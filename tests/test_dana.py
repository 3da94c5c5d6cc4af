"""Dana's story, through the command line: verdicts a career coach would sign, day by day.

> Dana applies for six operations roles over two months with four references: Grace Liu
> (former director), Omar Haddad (peer), Prof. Anne Weber (MBA advisor) and 佐藤健 (his firm
> only confirms dates). An agency recruiter tells Dana that Grace "was hesitant, said Dana
> needed close supervision". Three applications that gave Grace are rejected after the
> reference check with no reason, while one that gave Omar and Anne ends in an offer. A
> friend's mock call to Omar comes back glowing. An employer says they tried Anne three
> times and got no answer.

The registry is brought in with ``refaudit import`` of a YAML file (timelines, reason kinds
and attempts are fields import accepts); typing it with ``app update --on/--reason-kind``
and ``feedback log --attempts`` is for when those options exist on this branch.
Every date is relative to the real today (the CLI's clock): day 0 is 70 days ago.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from refaudit.audit import WATCH_MEANS
from tests.conftest import Runner

TODAY = date.today()
START = TODAY - timedelta(days=70)


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def _app(
    app_id: str, company: str, applied: int, refs: list[str], events: list[tuple[int, str, str]]
) -> dict[str, Any]:
    """An application whose stage and outcome are the last its timeline records."""
    stages = [v for _, e, v in events if e == "stage"]
    outcomes = [(d, v) for d, e, v in events if e == "outcome"]
    data: dict[str, Any] = {
        "id": app_id, "company": company, "role": "Operations Manager", "applied_on": day(applied),
        "references": refs, "stage": stages[-1] if stages else "applied",
        "timeline": [{"on": day(applied), "event": "applied"}]
        + [{"on": day(d), "event": e, "value": v} for d, e, v in events],
        "updated_on": day(max([applied] + [d for d, _, _ in events])),
    }  # fmt: skip
    if outcomes:
        data["outcome"], data["closed_on"] = outcomes[-1][1], day(outcomes[-1][0])
    return data


STORY = {
    "refaudit": 2,
    "owner": "Dana",
    "references": [
        {"id": "grace-liu", "name": "Grace Liu", "relationship": "manager", "title": "Former director",
         "consent_on": day(0), "added_on": day(0)},
        {"id": "omar-haddad", "name": "Omar Haddad", "relationship": "colleague", "consent_on": day(0),
         "added_on": day(0)},
        {"id": "anne-weber", "name": "Prof. Anne Weber", "relationship": "academic", "title": "MBA advisor",
         "consent_on": day(0), "added_on": day(0)},
        {"id": "sato-ken", "name": "佐藤健", "relationship": "manager", "organization": "Nippon Logistics",
         "consent_on": day(0), "added_on": day(0)},
    ],
    "applications": [
        _app("northwind-ops", "Northwind", 0, ["grace-liu", "omar-haddad"],
             [(10, "stage", "interview"), (20, "stage", "reference-check"), (25, "outcome", "rejected")]),
        _app("contoso-ops", "Contoso", 3, ["grace-liu", "anne-weber"],
             [(12, "stage", "interview"), (24, "stage", "reference-check"), (30, "outcome", "rejected")]),
        _app("fabrikam-ops", "Fabrikam", 5, ["grace-liu", "sato-ken"],
             [(15, "stage", "interview"), (33, "stage", "reference-check"), (40, "outcome", "rejected")]),
        _app("tailspin-ops", "Tailspin", 10, ["omar-haddad", "anne-weber"],
             [(20, "stage", "interview"), (27, "stage", "reference-check"), (45, "stage", "offer"),
              (45, "outcome", "offer")]),
        _app("litware-ops", "Litware", 20, ["sato-ken", "omar-haddad"], [(60, "stage", "interview")]),
        _app("adatum-ops", "Adatum", 30, ["grace-liu", "omar-haddad"],
             [(50, "stage", "interview"), (65, "stage", "final")]),
    ],
    "feedback": [
        {"id": "f1", "reference": "grace-liu", "application": "northwind-ops", "reported_on": day(22),
         "source": "recruiter", "reporter": "Priya at Hays", "certainty": "direct", "sentiment": "lukewarm",
         "quote": "was hesitant, said Dana needed close supervision"},
        {"id": "f2", "reference": "anne-weber", "application": "tailspin-ops", "reported_on": day(28),
         "source": "employer", "reporter": "Tailspin HR", "certainty": "direct", "sentiment": "no-response",
         "attempts": 3},
        {"id": "f3", "reference": "omar-haddad", "reported_on": day(35), "source": "mock-call",
         "reporter": "Sam (a friend)", "certainty": "direct", "sentiment": "positive",
         "quote": "I'd hire Dana again tomorrow."},
        {"id": "f4", "reference": "sato-ken", "application": "litware-ops", "reported_on": day(62),
         "source": "employer", "reporter": "Litware HR", "certainty": "direct", "sentiment": "declined",
         "quote": "His firm only confirms dates of employment."},
    ],
}  # fmt: skip


@pytest.fixture()
def dana(runner: Runner, registry: Path, tmp_path: Path) -> Runner:
    path = tmp_path / "dana.yaml"
    path.write_text(yaml.safe_dump(STORY, allow_unicode=True, sort_keys=False), encoding="utf-8")
    runner.ok("import", str(path))
    return runner


def verdicts(runner: Runner, n: int) -> dict[str, dict[str, Any]]:
    data = json.loads(runner.ok("audit", "--as-of", day(n), "--json").stdout)
    return {v["id"]: v for v in data["references"]}


def summary(runner: Runner, n: int) -> dict[str, tuple[str, list[str]]]:
    return {k: (v["recommendation"], v["flags"]) for k, v in verdicts(runner, n).items()}


def test_grace_is_watch_the_day_the_recruiter_reports_and_drop_once_rejections_corroborate(dana: Runner) -> None:
    """Grace: keep before the report, watch the day it is logged, drop once three late rejections form a pattern."""
    # On three live applications at once: overused (third round).
    assert summary(dana, 21)["grace-liu"] == ("keep", ["untested", "overused"])
    on_the_day = verdicts(dana, 22)["grace-liu"]
    assert (on_the_day["recommendation"], on_the_day["rule"]) == (
        "watch", "A credible lukewarm or mixed report means at least watch.",
    )  # fmt: skip
    assert on_the_day["reasons"][0] == (
        f'Priya at Hays (recruiter, direct) on {day(22)}, about Northwind: "was hesitant, said Dana needed close '
        f'supervision" (report f1). Faint praise or reservations cost offers too. {WATCH_MEANS}'
    )
    assert on_the_day["evidence"] == on_the_day["moved"] == ["f1"]
    assert summary(dana, 39)["grace-liu"] == ("watch", [])  # two late rejections are not yet a pattern
    dropped = verdicts(dana, 45)["grace-liu"]  # the offer to Omar and Anne: Grace is the common factor
    assert (dropped["recommendation"], dropped["flags"]) == ("drop", ["pattern"])
    assert dropped["rule"] == "A credible lukewarm or mixed report, corroborated, means drop."
    assert "was hesitant, said Dana needed close supervision" in dropped["reasons"][0]
    assert (
        "Northwind (northwind-ops, rejected), Contoso (contoso-ops, rejected), Fabrikam (fabrikam-ops, rejected)"
        in (" ".join(dropped["reasons"]))
    )
    assert summary(dana, 70)["grace-liu"] == ("drop", ["pattern"])


def test_the_others_as_a_coach_would_see_them(dana: Runner) -> None:
    """Omar keep on a credible mock call; Anne watch, unreachable from one report; 佐藤健 keep, policy-limited."""
    final = verdicts(dana, 70)
    assert summary(dana, 70) == {
        "grace-liu": ("drop", ["pattern"]),
        "anne-weber": ("watch", ["unreachable"]),
        "sato-ken": ("keep", ["untested", "policy-limited"]),
        "omar-haddad": ("keep", []),
    }
    assert final["omar-haddad"]["moved"] == ["f3"]  # the mock call is credible evidence
    assert final["anne-weber"]["reasons"][0].startswith(
        f"Tailspin HR (employer, direct) on {day(28)}, about Tailspin: could not reach them after 3 attempts"
    )
    # Northwind's only report concerns Grace: its rejection is not held against Omar.
    assert summary(dana, 45)["omar-haddad"] == ("keep", [])


def test_next_says_what_a_coach_would(dana: Runner) -> None:
    """next: swap Grace off the live Adatum application, reach Anne, mock-call 佐藤健, debrief Fabrikam, thank."""
    actions = json.loads(dana.ok("next", "--json").stdout)["actions"]
    kinds = [(a["kind"], a["reference"], a["application"]) for a in actions]
    assert kinds == [
        ("brief", "omar-haddad", "adatum-ops"),
        ("swap", "grace-liu", "adatum-ops"),
        ("drop", "grace-liu", None),
        ("reach", "anne-weber", None),
        ("debrief", None, "fabrikam-ops"),
        ("thank", "anne-weber", "tailspin-ops"),
        ("thank", "omar-haddad", "tailspin-ops"),
        ("test", "sato-ken", None),
        ("test", "anne-weber", None),
        ("apply-more", None, None),
        ("recruit", None, None),  # only Omar and 佐藤健 are ready: fewer than lineup.size (third round)
    ]
    assert not any(a["kind"] == "rest" for a in actions)
    [test] = [a for a in actions if a["reference"] == "sato-ken"]
    assert test["command"] == "refaudit feedback log sato-ken --sentiment SENTIMENT --source mock-call"
    assert "dates-only answer is not a test" in test["reason"]


def test_the_lineup_never_leads_with_the_dates_only_reference(dana: Runner) -> None:
    """Omar first on his mock call, 佐藤健 second at most; Grace and Anne held back, with why."""
    data = json.loads(dana.ok("lineup", "--json").stdout)
    assert [p["id"] for p in data["lineup"]] == ["omar-haddad", "sato-ken"]
    assert data["lineup"][0]["reason"].startswith("Their credible reports speak best for you")
    assert [(p["id"], p["reason"].split(":")[0]) for p in data["held_back"]] == [
        ("grace-liu", "The audit says drop"),
        ("anne-weber", "The audit says watch"),
    ]
