"""Dana's story typed through the command line after the fact, every event on its real day.

> Dana applies for six operations roles over two months with four references: Grace Liu
> (former director), Omar Haddad (peer), Prof. Anne Weber (MBA advisor) and 佐藤健 (his firm
> only confirms dates). An agency recruiter tells Dana that Grace "was hesitant, said Dana
> needed close supervision". Three applications that gave Grace are rejected after the
> reference check with no reason, while one that gave Omar and Anne ends in an offer. A
> friend's mock call to Omar comes back glowing. An employer says they tried Anne three
> times and got no answer.

Dana types it all on Tuesday 24 Nov 2026 (the tool's today, pinned with REFAUDIT_TODAY), in the
date forms people use ("15 Sep 2026", "3 weeks ago", "last monday", 07.10.2026). A coach then
asks what the tool concluded on the days that mattered, with ``--as-of``:

=========== ======== ======== ======== ======== ========
day          Grace    Omar     Anne     佐藤健    why
=========== ======== ======== ======== ======== ========
06 Oct      keep*    keep     keep     keep     nothing heard yet (*overused: on 3 live applications)
07 Oct      watch*   keep     keep     keep     the recruiter's lukewarm report
13 Oct      watch    keep     watch    keep     Tailspin tried Anne 3 times
25 Oct      drop     keep     watch    keep     the third late rejection: a suspected pattern (third round)
30 Oct      drop     keep     watch    keep     Tailspin's offer: now something to compare with
24 Nov      drop     keep     watch    keep     (today)
=========== ======== ======== ======== ======== ========

tests/test_dana.py builds the same story by import; this one is what a job seeker would type.
"""

from __future__ import annotations

import html
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

TODAY = "2026-11-24"

# Day by day, as Dana would type it on 24 Nov (comments give the real day).
REFERENCES: list[tuple[str, ...]] = [
    ("ref", "add", "Grace Liu", "-r", "manager", "--title", "Former director", "--org", "Brightline Freight",
     "--consent-on", "14 Sep 2026"),
    ("ref", "add", "Omar Haddad", "-r", "colleague", "--org", "Brightline Freight", "--consent-on", "14 Sep 2026"),
    ("ref", "add", "Prof. Anne Weber", "-r", "academic", "--title", "MBA advisor", "--consent-on", "14 Sep 2026"),
    ("ref", "add", "佐藤健", "-r", "manager", "--org", "Nippon Logistics", "--consent-on", "14 Sep 2026",
     "--id", "sato-ken"),  # anyascii reads the kanji as Chinese (zuo-teng-jian)
]  # fmt: skip


def story(lukewarm: str = "lukewarm", fabrikam_reason: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command Dana types, in the order she types them (not the order things happened)."""
    return [
        *REFERENCES,
        ("app", "add", "Northwind", "--role", "Operations Manager", "--applied", "15 Sep 2026",
         "--ref", "grace", "--ref", "omar"),
        ("app", "add", "Contoso", "--role", "Operations Manager", "--applied", "18.09.2026",
         "--ref", "grace", "--ref", "anne"),
        ("app", "add", "Fabrikam", "--role", "Operations Lead", "--applied", "Sep 20 2026",
         "--via", "Hays", "--ref", "grace", "--ref", "sato"),
        ("app", "add", "Tailspin", "--role", "Operations Manager", "--applied", "2026/09/25",
         "--ref", "omar", "--ref", "anne"),
        ("app", "add", "Litware", "--role", "Operations Analyst", "--applied", "5 October 2026",
         "--ref", "佐藤健", "--ref", "omar"),
        ("app", "add", "Adatum", "--role", "Head of Operations", "--applied", "2026-10-15",
         "--ref", "grace", "--ref", "omar"),
        # Northwind: interview 25 Sep, reference check 5 Oct, rejected 10 Oct, no reason given.
        ("app", "update", "northwind", "--stage", "interview", "--on", "25 Sep 2026"),
        ("app", "update", "northwind", "--stage", "reference-check", "--on", "05.10.2026"),
        ("app", "update", "northwind", "--outcome", "rejected", "--on", "10 Oct 2026"),
        # The agency recruiter's call, 7 Oct, about Northwind.
        ("feedback", "log", "grace", "--sentiment", lukewarm, "--source", "recruiter", "--certainty", "direct",
         "--app", "northwind", "--reporter", "Priya at Hays", "--on", "07.10.2026",
         "--quote", "was hesitant, said Dana needed close supervision"),
        # Contoso: interview 27 Sep, reference check 9 Oct, rejected 15 Oct; asked, they said nothing.
        ("app", "update", "contoso", "--stage", "interview", "--on", "27 Sep 2026"),
        ("app", "update", "contoso", "--stage", "reference-check", "--on", "9 Oct 2026"),
        ("app", "update", "contoso", "--outcome", "rejected", "--reason-kind", "none-given", "--on", "15 Oct 2026"),
        # Tailspin: interview 5 Oct, reference check 12 Oct; tried Anne three times (13 Oct); offer 30 Oct.
        ("app", "update", "tailspin", "--stage", "interview", "--on", "5 Oct 2026"),
        ("app", "update", "tailspin", "--stage", "reference-check", "--briefed", "omar", "--briefed", "anne",
         "--on", "12 Oct 2026"),
        ("feedback", "log", "anne", "--sentiment", "no-response", "--attempts", "3", "--source", "employer",
         "--app", "tailspin", "--reporter", "Tailspin HR", "--on", "13 Oct 2026"),
        ("app", "update", "tailspin", "--stage", "offer", "--outcome", "offer", "--on", "30 Oct 2026"),
        # Fabrikam: interview 30 Sep, reference check 18 Oct, rejected 25 Oct.
        ("app", "update", "fabrikam", "--stage", "interview", "--on", "30 Sep 2026"),
        ("app", "update", "fabrikam", "--stage", "reference-check", "--on", "18 Oct 2026"),
        ("app", "update", "fabrikam", "--outcome", "rejected", *fabrikam_reason, "--on", "25 Oct 2026"),
        # A friend's mock call to Omar, 20 Oct: five weeks before today.
        ("feedback", "log", "omar", "--sentiment", "positive", "--source", "mock-call", "--certainty", "direct",
         "--reporter", "Sam (a friend)", "--quote", "I'd hire Dana again tomorrow.", "--on", "5 weeks ago"),
        # Adatum: interview 4 Nov, final round 19 Nov, still open.
        ("app", "update", "adatum", "--stage", "interview", "--on", "20 days ago"),
        ("app", "update", "adatum", "--stage", "final", "--on", "last thursday"),
        # Litware: interview 14 Nov; their HR says 佐藤健's firm only confirms dates (Monday 23 Nov).
        ("app", "update", "litware", "--stage", "interview", "--on", "14 Nov 2026"),
        ("feedback", "log", "佐藤健", "--sentiment", "declined", "--source", "employer", "--app", "litware",
         "--reporter", "Litware HR", "--quote", "His firm only confirms dates of employment.",
         "--on", "last monday"),
    ]  # fmt: skip


_BUILT: dict[tuple[str, tuple[str, ...]], bytes] = {}


def build(runner: Runner, registry_path: Path, lukewarm: str = "lukewarm", reason: tuple[str, ...] = ()) -> Runner:
    """Type the story once per variant; later tests start from a copy of the file it left."""
    key = (lukewarm, reason)
    if key not in _BUILT:
        runner.ok("init", "--kdf-memory", "19", "--kdf-passes", "2")
        for command in story(lukewarm, reason):
            runner.ok(*command)
        _BUILT[key] = registry_path.read_bytes()
    else:
        registry_path.write_bytes(_BUILT[key])
    return runner


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


@pytest.fixture
def dana(runner: Runner, registry_path: Path) -> Runner:
    return build(runner, registry_path)


def audit(runner: Runner, on: str, *args: str) -> dict[str, dict[str, Any]]:
    data = json.loads(runner.ok("audit", *args, "--as-of", on, "--json").stdout)
    return {v["id"]: v for v in data["references"]}


def verdicts(runner: Runner, on: str) -> dict[str, tuple[str, list[str]]]:
    return {k: (v["recommendation"], v["flags"]) for k, v in audit(runner, on).items()}


def actions(runner: Runner, on: str = TODAY) -> list[dict[str, Any]]:
    data = json.loads(runner.ok("next", "--as-of", on, "--json").stdout)
    assert data["as_of"] == on
    return list(data["actions"])


def kinds(runner: Runner, on: str = TODAY) -> list[tuple[str, str | None, str | None]]:
    return [(a["kind"], a["reference"], a["application"]) for a in actions(runner, on)]


GRACE_SAID = (
    'Priya at Hays (recruiter, direct) on 2026-10-07, about Northwind: "was hesitant, said Dana needed close '
    'supervision" (report f1).'
)
WATCH_MEANS = "Give them only alongside a strong reference, and test them soon with a mock call."
PATTERN = (
    "Given on 3 applications that ended at or after the reference check with no cause that lies elsewhere: "
    "Northwind (northwind-operations-manager, rejected), Contoso (contoso-operations-manager, rejected), "
    "Fabrikam (fabrikam-operations-lead, rejected). 3 of 3 applications that reached the reference check with "
    "them ended without an offer, no other cause given; without them: 0 of 1: too little to compare, so this "
    "is a suspicion to check, "
    "not a finding. Ask those employers for a debrief."
)
UNTESTED = ["untested"]

# The coach's table: what the audit concludes about each person on the days that mattered.
TABLE = {
    "2026-10-06": {"grace-liu": ("keep", ["untested", "overused"]), "omar-haddad": ("keep", UNTESTED),
                   "anne-weber": ("keep", UNTESTED), "sato-ken": ("keep", UNTESTED)},
    "2026-10-07": {"grace-liu": ("watch", ["overused"]), "omar-haddad": ("keep", UNTESTED),
                   "anne-weber": ("keep", UNTESTED), "sato-ken": ("keep", UNTESTED)},
    "2026-10-13": {"grace-liu": ("watch", []), "omar-haddad": ("keep", UNTESTED),
                   "anne-weber": ("watch", ["unreachable"]), "sato-ken": ("keep", UNTESTED)},
    "2026-10-25": {"grace-liu": ("drop", ["pattern"]), "omar-haddad": ("keep", []),
                   "anne-weber": ("watch", ["unreachable"]), "sato-ken": ("keep", UNTESTED)},
    "2026-10-30": {"grace-liu": ("drop", ["pattern"]), "omar-haddad": ("keep", []),
                   "anne-weber": ("watch", ["unreachable"]), "sato-ken": ("keep", UNTESTED)},
    TODAY: {"grace-liu": ("drop", ["pattern"]), "omar-haddad": ("keep", []),
            "anne-weber": ("watch", ["unreachable"]), "sato-ken": ("keep", ["untested", "policy-limited"])},
}  # fmt: skip


def test_the_story_is_recorded_on_its_real_days(dana: Runner) -> None:
    """Typed on 24 Nov, every stage, outcome and report carries the day it happened."""
    northwind = json.loads(dana.ok("app", "show", "northwind", "--json").stdout)
    assert [(t["on"], t["event"], t.get("value")) for t in northwind["timeline"]] == [
        ("2026-09-15", "applied", None),
        ("2026-09-25", "stage", "interview"),
        ("2026-10-05", "stage", "reference-check"),
        ("2026-10-10", "outcome", "rejected"),
    ]
    reports = json.loads(dana.ok("feedback", "list", "--json").stdout)
    assert sorted((f["id"], f["reference"], f["reported_on"], f["sentiment"]) for f in reports) == [
        ("f1", "grace-liu", "2026-10-07", "lukewarm"),
        ("f2", "anne-weber", "2026-10-13", "no-response"),
        ("f3", "omar-haddad", "2026-10-20", "positive"),
        ("f4", "sato-ken", "2026-11-23", "declined"),
    ]
    adatum = json.loads(dana.ok("app", "show", "adatum", "--json").stdout)
    assert [(t["on"], t.get("value")) for t in adatum["timeline"]] == [
        ("2026-10-15", None), ("2026-11-04", "interview"), ("2026-11-19", "final"),
    ]  # fmt: skip


@pytest.mark.parametrize("on", list(TABLE))
def test_the_verdicts_a_coach_would_sign_day_by_day(dana: Runner, on: str) -> None:
    """The table in this module's docstring, as `audit --as-of DAY --json` gives it."""
    assert verdicts(dana, on) == TABLE[on]


def test_grace_is_watch_the_day_the_recruiter_calls_with_the_quote_date_and_reporter(dana: Runner) -> None:
    """On 7 Oct, before any rejection: watch, by the rule, and the report is her first reason."""
    grace = audit(dana, "2026-10-07")["grace-liu"]
    assert grace["reasons"] == [
        f"{GRACE_SAID} Faint praise or reservations cost offers too. {WATCH_MEANS}",
        "On 3 open applications at interview or later (northwind-operations-manager, contoso-operations-manager, "
        "fabrikam-operations-lead): each may call them any day; do not add another until some of these end.",
    ]
    assert (grace["evidence"], grace["moved"]) == (["f1"], ["f1"])
    assert grace["rule"] == "A credible lukewarm or mixed report means at least watch."
    assert grace["risk"] < 0.30  # below the number's watch line: the rule, not the number, set it


def test_three_late_rejections_with_nothing_to_compare_are_a_suspected_pattern(dana: Runner) -> None:
    """On 25 Oct three employers said no after checking Grace and nothing else had reached the reference
    check: the pattern no longer waits for an offer (third round), it says it is a suspicion to check.
    With the recruiter's report it corroborates: drop. Tailspin's offer on 30 Oct is one to compare with."""
    assert audit(dana, "2026-10-25")["grace-liu"]["reasons"] == [
        f"{GRACE_SAID} Reservations, corroborated by a pattern of late rejections (below): they are costing you "
        "offers. Stop giving them.",
        PATTERN.replace("0 of 1", "0 of 0"),
    ]
    grace = audit(dana, "2026-10-30")["grace-liu"]
    assert grace["reasons"] == [
        f"{GRACE_SAID} Reservations, corroborated by a pattern of late rejections (below): they are costing you "
        "offers. Stop giving them.",
        PATTERN,
    ]
    assert grace["rule"] == "A credible lukewarm or mixed report, corroborated, means drop."


def test_filed_as_mixed_the_recruiter_s_report_gives_the_same_verdicts(runner: Runner, registry_path: Path) -> None:
    """The user's guess between lukewarm and mixed does not decide the verdict."""
    build(runner, registry_path, lukewarm="mixed")
    for on, expected in TABLE.items():
        assert verdicts(runner, on) == expected, on
    assert audit(runner, "2026-10-07")["grace-liu"]["reasons"][0].startswith(GRACE_SAID)


@pytest.mark.parametrize(
    "reason",
    [
        ("--reason", "They went with someone with more research experience"),
        ("--reason", "They went with someone with more experience in research"),
        ("--reason", "more experience in research", "--reason-kind", "experience"),
    ],
    ids=["research-experience", "experience-in-research", "kind-given"],
)
def test_rewording_the_employer_s_reason_does_not_flip_a_verdict(
    runner: Runner, registry_path: Path, reason: tuple[str, ...]
) -> None:
    """Fabrikam said why (experience): its rejection is not held against Grace, however it is worded,
    so two late rejections stay short of a pattern and she stays on watch."""
    build(runner, registry_path, reason=reason)
    assert verdicts(runner, TODAY)["grace-liu"] == ("watch", [])
    assert verdicts(runner, TODAY)["sato-ken"] == ("keep", ["untested", "policy-limited"])
    assert ("debrief", None, "fabrikam-operations-lead") not in kinds(runner)  # a concrete reason: no debrief


def test_omar_is_keep_on_his_friend_s_mock_call(dana: Runner) -> None:
    """The mock call is credible (source weight 1.0): it is his evidence, and it is what keeps him."""
    assert audit(dana, "2026-10-19")["omar-haddad"]["flags"] == UNTESTED
    omar = audit(dana, TODAY)["omar-haddad"]
    assert (omar["recommendation"], omar["evidence"], omar["moved"]) == ("keep", ["f3"], ["f3"])
    assert omar["reasons"] == [
        "1 report in their favour (report f3): risk 0.15 is below the watch line of 0.30. Most recently, "
        'Sam (a friend) (mock-call, direct) on 2026-10-20: "I\'d hire Dana again tomorrow." (report f3).',
        # Northwind's loss is explained by the recruiter's report about Grace: only Tailspin counts for him.
        "0 of 1 application that reached the reference check with them ended without an offer, no other cause given; "
        "without them: "
        "2 of 2: too little to tell yet.",
    ]
    # Northwind's only report concerns Grace: its rejection is not held against Omar, given with her.


def test_anne_is_unreachable_from_one_report_and_next_says_to_call_her(dana: Runner) -> None:
    """One report of three failed attempts: watch, unreachable; `next` has reach (never rest) and a mock call."""
    anne = audit(dana, "2026-10-13")["anne-weber"]
    assert anne["reasons"] == [
        "Tailspin HR (employer, direct) on 2026-10-13, about Tailspin: could not reach them after 3 attempts "
        "(report f2). 3 failed attempts to reach them: call them and confirm their number, email and "
        f"availability. {WATCH_MEANS}"
    ]
    for on in ("2026-10-13", TODAY):
        mine = [a for a in actions(dana, on) if a["reference"] == "anne-weber" and a["application"] is None]
        assert [a["kind"] for a in mine] == ["reach", "test"], on
        assert mine[0]["reason"] == (
            "Employers could not reach them: call them; confirm their number, email and availability, then "
            "record that they confirmed (the command below)."
        )
        assert mine[0]["command"] == f"refaudit ref edit anne-weber --consent-on {on}"
        assert mine[0]["draft"] == "refaudit draft consent anne-weber"
    assert not any(a["kind"] == "rest" and a["reference"] == "anne-weber" for on in TABLE for a in actions(dana, on))


def test_reaching_anne_clears_unreachable(dana: Runner) -> None:
    """Doing what `reach` says (she confirmed on the phone today) takes the flag and the action away."""
    dana.ok("ref", "edit", "anne", "--consent-on", "today")
    assert verdicts(dana, TODAY)["anne-weber"] == ("keep", [])
    assert "reach" not in [k for k, _, _ in kinds(dana)]


def test_sato_is_keep_policy_limited_untested_and_never_first_in_the_lineup(dana: Runner) -> None:
    """A dates-only answer is not held against him, is not a test, and never leads the lineup."""
    sato = audit(dana, TODAY)["sato-ken"]
    assert sato["reasons"] == [
        "A dates-only answer is company policy, not a test: many people say more when asked. Nobody knows yet "
        "what they say about you; test them with a mock call.",
        "Their employer's policy lets them confirm dates only (report f4): not held against them, but it tells "
        "an employer little, so pair them with someone who can speak freely.",
    ]
    [test] = [a for a in actions(dana) if a["reference"] == "sato-ken"]
    assert test["command"] == "refaudit feedback log sato-ken --sentiment SENTIMENT --source mock-call"
    assert test["reason"].endswith("Their company's dates-only answer is not a test.")
    for on in ("2026-11-23", TODAY):
        lineup = json.loads(dana.ok("lineup", "--as-of", on, "--json").stdout)
        assert [p["id"] for p in lineup["lineup"]] == ["omar-haddad", "sato-ken"], on
        assert [(p["id"], p["reason"]) for p in lineup["held_back"]] == [
            ("grace-liu", "The audit says drop: A credible lukewarm or mixed report, corroborated, means drop "
                          "(report f1)."),
            ("anne-weber", "The audit says watch: Repeated failed attempts to reach them mean watch (report f2). "
                           "Call them first and confirm their number, email and availability."),
        ]  # fmt: skip


def test_next_coaches_as_the_story_unfolds(dana: Runner) -> None:
    """Swap/brief where a watched reference is on a live application, debrief the silent no's, thank for the offer."""
    assert kinds(dana, "2026-10-07") == [
        ("brief", "omar-haddad", "northwind-operations-manager"),
        ("swap", "grace-liu", "contoso-operations-manager"),
        ("swap", "grace-liu", "fabrikam-operations-lead"),
        # Not Northwind: Priya's report is what Grace told Northwind, so that call has come already.
        ("rest", "grace-liu", None),  # on three live applications at once: overused (third round)
        ("test", "anne-weber", None),
        ("test", "grace-liu", None),
        ("test", "omar-haddad", None),
        ("test", "sato-ken", None),
    ]
    # The swaps became due the day of the recruiter's call, not before anyone knew.
    assert {a["due"] for a in actions(dana, "2026-10-07") if a["kind"] == "swap"} == {"2026-10-07"}
    assert kinds(dana, TODAY) == [
        ("brief", "omar-haddad", "adatum-head-of-operations"),
        ("swap", "grace-liu", "adatum-head-of-operations"),
        ("drop", "grace-liu", None),
        ("reach", "anne-weber", None),
        ("debrief", None, "fabrikam-operations-lead"),
        ("thank", "anne-weber", "tailspin-operations-manager"),
        ("thank", "omar-haddad", "tailspin-operations-manager"),
        ("test", "anne-weber", None),
        ("test", "sato-ken", None),
        ("apply-more", None, None),
        ("recruit", None, None),  # only Omar and 佐藤健 are ready: fewer than lineup.size (third round)
    ]
    [drop] = [a for a in actions(dana) if a["kind"] == "drop"]
    assert drop["due"] == "2026-10-25"  # when the (suspected) pattern corroborated the report, not the report's day
    assert drop["reason"] == (
        "Still active, but the audit says drop. A credible lukewarm or mixed report, corroborated, means drop "
        "(report f1)."
    )


def test_swapping_grace_off_adatum_clears_the_swap(dana: Runner) -> None:
    """Briefing a dropped Grace is no answer; Dana runs the swap's own command and the swap is done (the drop stays)."""
    dana.ok("app", "update", "adatum", "--briefed", "grace", "--on", "today")
    [swap] = [a for a in actions(dana) if a["kind"] == "swap" and a["reference"] == "grace-liu"]
    assert swap["command"].startswith("refaudit app update adatum-head-of-operations --swap grace-liu=")
    assert swap["draft"] is None  # never "brief them" for a drop
    dana.ok(*shlex.split(swap["command"])[1:])
    assert [k for k in kinds(dana) if k[1] == "grace-liu"] == [("drop", "grace-liu", None)]


def test_one_person_at_a_time_agrees_with_the_whole_audit(dana: Runner) -> None:
    """`audit REF --json` and `ref show --json`'s verdict are that reference's entry in `audit --json`."""
    for on in TABLE:
        whole = audit(dana, on)
        for ref_id in whole:
            assert audit(dana, on, ref_id) == {ref_id: whole[ref_id]}
    for ref_id, entry in audit(dana, TODAY).items():
        shown = json.loads(dana.ok("ref", "show", ref_id, "--json").stdout)
        assert shown["verdict"] == entry


def test_audit_of_grace_reads_as_a_coach_would_say_it(dana: Runner) -> None:
    """The text a job seeker reads: the verdict, the quote with who and when, the rejections, what to do."""
    out = dana.ok("audit", "grace", env={"COLUMNS": "100"}).stdout
    assert out == (
        "DROP   Grace Liu (grace-liu)  risk 0.27  [pattern]\n"
        '       - Priya at Hays (recruiter, direct) on 2026-10-07, about Northwind: "was hesitant, said Dana\n'
        '         needed close supervision" (report f1). Reservations, corroborated by a pattern of late\n'
        "         rejections (below): they are costing you offers. Stop giving them.\n"
        "       - Given on 3 applications that ended at or after the reference check with no cause that lies\n"
        "         elsewhere: Northwind (northwind-operations-manager, rejected), Contoso\n"
        "         (contoso-operations-manager, rejected), Fabrikam (fabrikam-operations-lead, rejected). 3 of\n"
        "         3 applications that reached the reference check with them ended without an offer, no other\n"
        "         cause given; without them: 0 of 1: too little to compare, so this is a suspicion to check,\n"
        "         not a finding. Ask those employers for a debrief.\n"
    )


_BADGE = re.compile(r"<h3[^>]*>.*?</h3>", re.S)


def _report_verdicts(runner: Runner, on: str, tmp: Path) -> tuple[dict[str, str], str]:
    """The verdict badge of each reference section in `report --format html --as-of ON`, and its text."""
    target = tmp / f"report-{on}.html"
    runner.ok("report", "--format", "html", "--as-of", on, "-o", str(target))
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", target.read_text(encoding="utf-8"))))
    found = dict(re.findall(r"\d+\. (Grace Liu|Omar Haddad|Prof\. Anne Weber|佐藤健) (KEEP|WATCH|DROP) risk", text))
    return found, text


@pytest.mark.parametrize("on", ["2026-10-07", "2026-10-13", "2026-10-30", TODAY])
def test_the_report_agrees_with_the_audit(dana: Runner, tmp_path: Path, on: str) -> None:
    """The report's sections on the same day carry the audit's verdicts, Grace's quote, and say what to do."""
    names = {"grace-liu": "Grace Liu", "omar-haddad": "Omar Haddad", "anne-weber": "Prof. Anne Weber",
             "sato-ken": "佐藤健"}  # fmt: skip
    found, text = _report_verdicts(dana, on, tmp_path)
    assert found == {names[k]: rec.upper() for k, (rec, _) in verdicts(dana, on).items()}
    assert "was hesitant, said Dana needed close supervision" in text
    if on >= "2026-10-30":
        assert "Grace Liu is hurting your applications." in text
        assert "Nobody needs dropping" not in text
    if on >= "2026-10-13":
        assert "Call Prof. Anne Weber: employers could not reach them" in text
