"""Ciara Walsh's search (a hospital pharmacist in Cork), typed day by day, day-first; read as a coach would.

``tests/ciara_story.py`` types it. What a coach expects on each day (report names are the
story's, r1 … r10; the registry gives them ids f1 … f10 in the same order):

=========== ================= =================== ================== ============== ===============
day          Declan (manager)  Siobhán (colleague)  Paul (academic)    Tom (client)   Aisling (colleague)
=========== ================= =================== ================== ============== ===============
08 Sep       keep              keep                 drop (r1, 2025)    keep           keep
15 Oct       drop, contradicted keep (r3 a rumour)  drop               keep           keep
16 Oct       drop (swapped off) keep                watch (r5)         keep           keep
20 Oct       drop              keep                 watch              watch, pattern keep
22 Oct       drop              watch (r3+r6)        watch              watch, pattern keep
27 Oct       drop              watch                watch              watch, pattern keep, fatigued (r7)
30 Oct       drop              watch                keep (r8)          watch, pattern keep, fatigued
02 Nov       drop              watch (r9 same Orla) keep               watch, pattern keep, fatigued
04 Nov       drop              watch, checked (r10) keep               watch, pattern keep, fatigued
11 Nov       (search over: withdraw, thank, tell)
=========== ================= =================== ================== ============== ===============

The corrected sentences this story found (see the test names): a brief for a reference already
called; "swap them if you still can" at the reference check; a rumour said to be able to add
up when it could not; "watch, not drop" when it was watch anyway; a professional check asked
for after it came back; the comparison without its "too little to tell"; an empty lineup that
named the wrong reasons; a recruit reason that counted the wrong thing; withdrawn applications
counted as the audit's misses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refaudit.audit import CHECK_MEANS, WATCH_MEANS
from tests.ciara_story import LAST_DAY, OWNER, type_story
from tests.conftest import Runner

_BUILT: dict[str, Any] = {}


@pytest.fixture
def ciara(runner: Runner, registry_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The whole story typed once; each test starts from a copy. Returns the report ids by story name."""
    monkeypatch.setenv("REFAUDIT_TODAY", LAST_DAY)
    if not _BUILT:
        _BUILT["ids"], _BUILT["warnings"] = type_story(runner, LAST_DAY)
        _BUILT["bytes"] = registry_path.read_bytes()
    else:
        registry_path.write_bytes(_BUILT["bytes"])
        runner.ok("config", "set", "dates.order", "dmy")
    ids: dict[str, str] = _BUILT["ids"]
    return ids


def audit(runner: Runner, on: str) -> dict[str, dict[str, Any]]:
    data = json.loads(runner.ok("audit", "--as-of", on, "--json").stdout)
    return {v["id"]: v for v in data["references"]}


def actions(runner: Runner, on: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(runner.ok("next", "--as-of", on, "--json").stdout)["actions"]
    return rows


def kinds(runner: Runner, on: str, ref: str) -> list[tuple[str, str | None]]:
    return [(a["kind"], a["application"]) for a in actions(runner, on) if a["reference"] == ref]


def lineup(runner: Runner, on: str) -> tuple[list[str], dict[str, str]]:
    data = json.loads(runner.ok("lineup", "--as-of", on, "--json").stdout)
    return [p["id"] for p in data["lineup"]], {p["id"]: p["reason"] for p in data["held_back"]}


def test_the_verdicts_day_by_day(runner: Runner, ciara: dict[str, str]) -> None:
    """The table above, from `audit --json` as of each day."""
    table = {
        "2026-09-08": ("keep", "keep", "drop", "keep", "keep"),
        "2026-10-15": ("drop", "keep", "drop", "keep", "keep"),
        "2026-10-16": ("drop", "keep", "watch", "keep", "keep"),
        "2026-10-20": ("drop", "keep", "watch", "watch", "keep"),
        "2026-10-22": ("drop", "watch", "watch", "watch", "keep"),
        "2026-10-27": ("drop", "watch", "watch", "watch", "keep"),
        "2026-10-30": ("drop", "watch", "keep", "watch", "keep"),
        "2026-11-04": ("drop", "watch", "keep", "watch", "keep"),
    }
    people = ("declan-murphy", "siobhan-kelly", "paul-fitzgerald", "tom-daly", "aisling-byrne")
    for day, expected in table.items():
        verdicts = audit(runner, day)
        assert tuple(verdicts[p]["recommendation"] for p in people) == expected, day
    flags = {day: {p: v["flags"] for p, v in audit(runner, day).items()} for day in ("2026-10-27", "2026-11-04")}
    assert flags["2026-10-27"] == {
        "declan-murphy": ["contradicted", "user-dropped"], "siobhan-kelly": [], "paul-fitzgerald": [],
        "tom-daly": ["untested", "pattern"], "aisling-byrne": ["fatigued"],
    }  # fmt: skip
    assert flags["2026-11-04"]["aisling-byrne"] == ["fatigued"]


def test_day_first_dates_come_from_her_own_config_file_and_drafts_sign_with_her_name(
    runner: Runner, ciara: dict[str, str]
) -> None:
    """`config set dates.order dmy` once, no REFAUDIT_CONFIG: 07/09/2026 was read as 7 September."""
    got = runner.ok("config", "get", "dates.order").stdout
    assert got.startswith("dmy") and "config.yaml" in got
    [uhg] = [a for a in json.loads(runner.ok("app", "list", "--json").stdout) if a["id"] == "uhg"]
    assert uhg["applied_on"] == "2026-09-07"
    tell = runner.ok("draft", "tell", "limerick", "--ref", "aisling").stdout
    assert "You were one of my references for this role" in tell and tell.rstrip().endswith(f"With thanks,\n{OWNER}")


def test_giving_warns_on_the_day_and_stdout_stays_the_id(runner: Runner, ciara: dict[str, str]) -> None:
    """Paul given while his old negative stood, Tom while overused, Aisling while fatigued: a warning each time."""
    assert _BUILT["warnings"] == {
        "2026-09-07 app add University Hospital Galway": "Warning: Paul Fitzgerald (paul-fitzgerald) is drop as of "
        "2026-09-07. One credible negative report means drop (report f1). The lineup's pick instead: Declan Murphy "
        "(declan-murphy).\n",
        "2026-09-21 app add University Hospital Limerick": "Warning: Paul Fitzgerald (paul-fitzgerald) is drop as of "
        "2026-09-21. One credible negative report means drop (report f1). The lineup's pick instead: Declan Murphy "
        "(declan-murphy).\n",
        "2026-10-01 app add Tallaght University Hospital": "Warning: Tom Daly (tom-daly) is overused as of "
        "2026-10-01. Overused: given often lately: employers and they both notice. The lineup's pick instead: "
        "Declan Murphy (declan-murphy).\n",
        "2026-10-05 app add South Infirmary Victoria": "Warning: Paul Fitzgerald (paul-fitzgerald) is drop as of "
        "2026-10-05. One credible negative report means drop (report f1). The lineup's pick instead: Declan Murphy "
        "(declan-murphy).\n",
        "2026-11-03 app add University Hospital Kerry": "Warning: Aisling Byrne (aisling-byrne) is fatigued as of "
        "2026-11-03. Fatigued: a report says they are slow to answer or tired of being asked. The lineup has nobody "
        "else ready to give instead.\n",
    }


def test_paul_an_old_second_hand_negative_gives_way_to_hr_first_hand(runner: Runner, ciara: dict[str, str]) -> None:
    """Drop on his 2025 recruiter story until HR at UHG praised him (watch), keep after UHL's HR (two)."""
    r1, r5, r8 = ciara["r1"], ciara["r5"], ciara["r8"]
    paul = audit(runner, "2026-10-15")["paul-fitzgerald"]
    assert paul["reasons"][0] == (
        f'Pádraig at PharmaPeople (recruiter, direct) on 2025-03-12, about Boots Ireland: "said she was disorganised '
        f'in the lab" (report {r1}). One credible negative is enough to cost you an offer: stop giving them. It is '
        "older than 365 days, but no credible positive report has come since; one would make it watch, 2 would lift it."
    )
    paul = audit(runner, "2026-10-16")["paul-fitzgerald"]
    assert (paul["recommendation"], paul["moved"]) == ("watch", [r1, r5])
    assert f"a newer credible report speaks for them (report {r5})" in paul["reasons"][0]
    paul = audit(runner, "2026-10-30")["paul-fitzgerald"]
    assert paul["reasons"][1] == (
        f'Pádraig at PharmaPeople (recruiter, direct) on 2025-03-12, about Boots Ireland: "said she was disorganised '
        f'in the lab" (report {r1}) is outweighed by 2 credible positive reports since (reports {r5}, {r8}) and is '
        "older than 365 days."
    )
    for day in ("2026-10-16", "2026-10-22", "2026-10-30", LAST_DAY):
        said = " ".join(audit(runner, day)["paul-fitzgerald"]["reasons"])
        assert "no credible positive report has come since" not in said, day
    # UHG's loss is not held against him: its HR praised him first-hand.
    assert audit(runner, "2026-10-16")["paul-fitzgerald"]["reasons"][1] == (
        "Given on 1 application that ended without an offer after the reference check (Boots Ireland (boots-2025, "
        "rejected)). 1 of 1 application that reached the reference check with them ended without an offer, no "
        "other cause given; without them: 2 of 3: too little to tell yet."
    )


def test_declan_glows_for_a_friend_and_runs_her_down_to_an_employer(runner: Runner, ciara: dict[str, str]) -> None:
    """Drop and contradicted from the recruiter's readout; a professional check, never a friend; swapped off."""
    r2, r4 = ciara["r2"], ciara["r4"]
    declan = audit(runner, "2026-10-15")["declan-murphy"]
    assert (declan["recommendation"], declan["flags"]) == ("drop", ["contradicted"])
    assert declan["reasons"][1] == (
        f"A mock call by someone you know heard praise (report {r2}); a recruiter heard the opposite (report {r4}). "
        "They may tell friends one thing and employers another, so another friendly call proves nothing: only a "
        "professional reference check (logged with --source reference-service) can clear this."
    )
    mine = [a for a in actions(runner, "2026-10-15") if a["reference"] == "declan-murphy"]
    assert [(a["kind"], a["application"]) for a in mine] == [
        ("swap", "hse-community"), ("drop", None), ("check-reference", None),
    ]  # fmt: skip
    assert mine[0]["command"] == "refaudit app update hse-community --swap declan-murphy=aisling-byrne"
    assert mine[2]["reason"] == (
        "A friend's call heard praise, but the employer's side heard the opposite: another friendly call proves "
        "nothing. Order a professional reference check (a reference-checking service) and log what it hears."
    )
    assert mine[2]["command"] == "refaudit feedback log declan-murphy --source reference-service --sentiment SENTIMENT"
    # She swapped him off and marked him dropped on 16 Oct: nothing more is asked about him.
    assert kinds(runner, "2026-10-16", "declan-murphy") == []
    assert lineup(runner, "2026-10-22")[1]["declan-murphy"] == "Status dropped: you set them aside."


def test_siobhan_two_independent_rumours_add_up_and_the_same_recruiter_again_does_not(
    runner: Runner, ciara: dict[str, str]
) -> None:
    """Orla (Beaumont) then Ronan (Bon Secours): watch and a professional check; Orla again (Tallaght): still 2."""
    r3, r6, r9 = ciara["r3"], ciara["r6"], ciara["r9"]
    assert audit(runner, "2026-10-15")["siobhan-kelly"]["reasons"] == [
        f'Orla at HealthStaff (recruiter, hearsay) on 2026-10-12, about Beaumont Hospital: "heard the ward manager '
        f'was lukewarm" (report {r3}): on record, but not credible (recruiter, hearsay): alone it moves nothing; 2 '
        "independent people saying the same would."
    ]
    siobhan = audit(runner, "2026-10-22")["siobhan-kelly"]
    assert (siobhan["recommendation"], siobhan["rule"]) == ("watch", "2 independent adverse reports mean watch.")
    assert siobhan["reasons"][0] == (
        "2 people, independently of each other (different reporters, different applications), passed on "
        f'reservations about them: Orla at HealthStaff (about Beaumont Hospital, 2026-10-12): "heard the ward manager '
        f'was lukewarm" (report {r3}); Ronan, a mutual friend (about Bon Secours Cork, 2026-10-22): "she sounded '
        f'hesitant when they rang her" (report {r6}). None of it alone is proof, but independent rumours that agree '
        f"are a finding. {CHECK_MEANS}"
    )
    assert ("check-reference", None) in kinds(runner, "2026-10-22", "siobhan-kelly")
    # "orla at healthstaff", typed in lower case on 2 Nov, is the same reporter: the count stays 2.
    siobhan = audit(runner, "2026-11-02")["siobhan-kelly"]
    assert (siobhan["recommendation"], siobhan["rule"]) == ("watch", "2 independent adverse reports mean watch.")
    assert siobhan["reasons"][1] == (
        f'orla at healthstaff (recruiter, hearsay) on 2026-11-02, about Tallaght University Hospital: "lukewarm '
        f'again, apparently" (report {r9}): on record, but not credible (recruiter, hearsay), and it shares a reporter '
        "or an application with the 2 independent reports above, so it does not add to them."
    )


def test_siobhan_after_the_professional_check_she_was_told_to_order(runner: Runner, ciara: dict[str, str]) -> None:
    """4 Nov, Veritas Checks heard her praised: no further check asked for, anywhere; one more would lift watch."""
    r10 = ciara["r10"]
    siobhan = audit(runner, "2026-11-04")["siobhan-kelly"]
    assert siobhan["recommendation"] == "watch"
    assert siobhan["reasons"][0].endswith(
        f"None of it alone is proof, but independent rumours that agree are a finding. A credible positive report "
        f"has come since (report {r10}); 1 more would outweigh the rumours. {WATCH_MEANS}"
    )
    assert "check-reference" not in [k for k, _ in kinds(runner, "2026-11-04", "siobhan-kelly")]
    held = lineup(runner, "2026-11-04")[1]["siobhan-kelly"]
    assert held.endswith(WATCH_MEANS) and "professional" not in " ".join(siobhan["reasons"]) + held
    # The check is weighed in the reasons, but it is not one of the reports that set watch.
    r3, r6 = ciara["r3"], ciara["r6"]
    assert siobhan["moved"] == [r3, r6]
    assert held.startswith(f"The audit says watch: 2 independent adverse reports mean watch (reports {r3}, {r6}).")


def test_tom_the_late_losses_show_a_pattern_without_waiting_for_an_offer(runner: Runner, ciara: dict[str, str]) -> None:
    """Mater, UHG (its HR praised Paul: counts twice) and Bon Secours ended without an offer: watch, pattern."""
    assert audit(runner, "2026-10-19")["tom-daly"]["flags"] == ["untested"]
    tom = audit(runner, "2026-10-20")["tom-daly"]
    assert (tom["recommendation"], tom["flags"], tom["rule"]) == (
        "watch", ["untested", "pattern"], "A pattern of late losses means watch.",
    )  # fmt: skip
    [claim] = [c for c in tom["claims"] if c["kind"] == "late-losses"]
    assert claim["applications"] == ["mater", "uhg", "bon-secours"]
    assert {k: claim["numbers"][k] for k in ("k", "n", "m", "p", "co_praised", "probability")} == {
        "k": 4, "n": 4, "m": 2, "p": 3, "co_praised": 1, "probability": 0.833,
    }  # fmt: skip
    assert tom["reasons"][0].startswith(
        "Given on 3 applications that ended at or after the reference check with no cause that lies elsewhere: "
        "Mater Misericordiae (mater, rejected), University Hospital Galway (uhg, rejected), Bon Secours Cork "
        "(bon-secours, rejected). Of the applications that reached the reference check with them, 4 of 4 ended "
        "without an offer, no other cause given (counting 1 application 2 times, where the employer praised the "
        "other reference: the loss is likelier theirs); without them: 2 of 3; the chance that their rate is the "
        "higher one is 83%."
    )
    assert lineup(runner, "2026-10-20")[0] == ["aisling-byrne", "siobhan-kelly"]


def test_a_pick_never_cites_an_adverse_report_as_support(runner: Runner, ciara: dict[str, str]) -> None:
    """Paul leads on HR's praise; the old recruiter story is named as what he leads despite."""
    r1, r3, r5, r8 = ciara["r1"], ciara["r3"], ciara["r5"], ciara["r8"]
    text = runner.ok("lineup", "--as-of", "2026-10-30", env={"COLUMNS": "200"}).stdout
    assert text.startswith(
        "1. Paul Fitzgerald (paul-fitzgerald), academic\n   Their credible reports speak best for you; keep, "
        f"risk 0.17 (reports {r5}, {r8}; despite report {r1}).\n"
    )
    picks = json.loads(runner.ok("lineup", "--as-of", "2026-10-15", "--json").stdout)["lineup"]
    assert picks[2]["reason"] == f"The lowest risk left; keep, risk 0.20 (despite report {r3})."


def test_a_watched_reference_at_the_reference_check_is_briefed_not_swapped(
    runner: Runner, ciara: dict[str, str]
) -> None:
    """Tallaght at interview: swap if you still can; at the reference check it is too late, so brief them."""
    [early] = [
        a for a in actions(runner, "2026-10-22") if (a["reference"], a["application"]) == ("tom-daly", "tallaght")
    ]
    assert early["reason"] == (
        "The audit says watch, and this application is at interview: swap them if you still can, or brief them "
        f"now. {WATCH_MEANS}"
    )
    [late] = [
        a for a in actions(runner, "2026-10-27") if (a["reference"], a["application"]) == ("tom-daly", "tallaght")
    ]
    assert (late["kind"], late["command"]) == ("brief", "refaudit app update tallaght --briefed tom-daly")
    assert late["draft"] == "refaudit draft brief tallaght --ref tom-daly"
    assert late["reason"] == (
        "The audit says watch, and this application is at reference-check: too late to swap them, so brief them "
        f"now. {WATCH_MEANS}"
    )


def test_no_brief_for_a_reference_the_employer_side_has_already_heard(runner: Runner, ciara: dict[str, str]) -> None:
    """Limerick's check service heard Aisling on 27 Oct and its HR heard Paul by 30 Oct: the call has come."""

    def limerick(day: str) -> list[tuple[str, str]]:
        return [(a["kind"], a["reference"]) for a in actions(runner, day) if a["application"] == "limerick"]

    assert limerick("2026-10-26") == [("brief", "aisling-byrne"), ("brief", "paul-fitzgerald")]
    assert limerick("2026-10-27") == [("brief", "paul-fitzgerald")]
    assert limerick("2026-10-30") == []


def test_aisling_positive_but_tired_rests_and_the_bench_is_empty(runner: Runner, ciara: dict[str, str]) -> None:
    """27 Oct: Veritas found her very positive but slow and tired of being asked: keep, fatigued, held back."""
    aisling = audit(runner, "2026-10-27")["aisling-byrne"]
    assert aisling["reasons"][1].endswith(
        "slow to answer, or tired of being asked. Let them rest until 2026-12-26: they stay out of the lineup and "
        "never lead it, however well they speak of you."
    )
    picks, held = lineup(runner, "2026-10-27")
    assert (
        picks == []
        and held["aisling-byrne"] == "Fatigued: slow to answer or tired of being asked lately; let them rest."
    )
    text = runner.ok("lineup", "--as-of", "2026-10-27").stdout
    assert text.startswith(
        "No reference is ready to give: each is held back, for the reason below (refaudit audit says more).\n"
    )
    assert ("rest", None) in kinds(runner, "2026-10-27", "aisling-byrne")
    recruits = {day: [a["reason"] for a in actions(runner, day) if a["kind"] == "recruit"] for day in (
        "2026-10-15", "2026-10-27", "2026-11-04")}  # fmt: skip
    tail = "find a new reference, ideally a recent manager; once added, ask them with refaudit draft ask REF."
    assert recruits == {
        "2026-10-15": [f"None of your ready references is a manager, and the lineup wants one: {tail}"],
        "2026-10-27": [f"None of your references is ready (the lineup wants 3): {tail}"],
        "2026-11-04": [
            f"Only 1 of your references is ready (the lineup wants 3) and that one is not a manager: {tail}"
        ],
    }


def test_the_comparison_says_when_there_is_too_little_to_tell(runner: Runner, ciara: dict[str, str]) -> None:
    """Below the pattern's threshold the comparison still says how sure it is (docs/SPEC.md: too little to tell)."""
    verdicts = audit(runner, "2026-10-22")
    assert verdicts["aisling-byrne"]["reasons"][-1] == (
        "0 of 1 application that reached the reference check with them ended without an offer, no other cause given; "
        "without them: 4 of 4: "
        "too little to tell yet."
    )
    assert verdicts["siobhan-kelly"]["reasons"][-1].endswith(
        "1 of 2 applications that reached the reference check with them ended without an offer, no other cause given; "
        "without them: 4 of 4; "
        "the chance that their rate is the higher one is 11%."
    )


def test_accepting_limerick_ends_the_search(runner: Runner, ciara: dict[str, str]) -> None:
    """10 Nov: withdraw the other three; thank and tell everyone given and not dropped (Paul thanked already)."""
    on_the_day = [(a["kind"], a["reference"], a["application"]) for a in actions(runner, "2026-11-10")]
    assert on_the_day == [
        ("withdraw", None, "hse-community"), ("withdraw", None, "kerry"), ("withdraw", None, "sivuh"),
        ("thank", "aisling-byrne", "kerry"), ("thank", "siobhan-kelly", "hse-community"),
        ("thank", "tom-daly", "tallaght"),
        ("tell", "aisling-byrne", "limerick"), ("tell", "paul-fitzgerald", "limerick"),
        ("tell", "siobhan-kelly", "limerick"), ("tell", "tom-daly", "limerick"),
    ]  # fmt: skip
    after = {a["kind"] for a in actions(runner, "2026-11-11")}
    assert after == {"thank", "tell"}


def test_the_track_record_leaves_out_what_she_withdrew(runner: Runner, ciara: dict[str, str]) -> None:
    """The three applications she withdrew after accepting say nothing about her references."""
    data = json.loads(runner.ok("audit", "--track-record", "--json").stdout)
    rows = {a["id"]: (a["outcome"], [(g["reference"], g["recommendation"]) for g in a["given"]])
            for a in data["applications"]}  # fmt: skip
    assert rows["limerick"] == ("accepted", [("paul-fitzgerald", "drop"), ("aisling-byrne", "keep")])
    assert data["summary"] == {
        "flagged": 2, "flagged_offers": 1, "keeps_only": 6, "keeps_only_offers": 0,
        "text": "Of 2 applications given with a reference then on watch or drop, 1 offer; of 6 applications with "
        "keeps only, no offer. Left out: 3 applications you withdrew, which say nothing about your references.",
    }  # fmt: skip
