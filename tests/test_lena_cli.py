"""Lena Fischer's search (issue 21), typed through the command line day by day, day-first.

What a coach expects the audit to say, and on which day (``tests/lena_story.py`` types it;
report names are the issue's, mapped to the ids the registry gave them):

=========== ============== ======================== ================= =====================
day          Marco          Jonas                    Aiko              Sara
=========== ============== ======================== ================= =====================
15 Sep       drop           keep                     keep              keep
16 Sep       watch (f4)     keep                     keep              keep
28 Sep       watch          keep                     keep (f3)         keep
06 Oct       watch          watch, pattern (suspect) keep              keep, overused
08 Oct       watch          drop, contradicted (f5)  keep              keep, overused
15 Oct       watch          drop (f10 changes none)  keep              keep, overused
20 Oct       keep (f7)      drop                     watch (f3, f6)    keep, overused
28 Oct       keep           drop                     watch             keep, fatigued (f9)
02 Nov       keep           drop                     drop (f8)         keep, fatigued
=========== ============== ======================== ================= =====================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refaudit.audit import CHECK_MEANS
from tests.conftest import Runner
from tests.lena_story import LAST_DAY, config_file, type_story

_BUILT: dict[str, Any] = {}


@pytest.fixture
def lena(runner: Runner, registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The whole story typed once; each test starts from a copy. Returns the report ids."""
    config = config_file(tmp_path)
    monkeypatch.setenv("REFAUDIT_CONFIG", str(config))
    monkeypatch.setenv("REFAUDIT_TODAY", LAST_DAY)
    if not _BUILT:
        _BUILT["ids"] = type_story(runner, LAST_DAY, config)
        _BUILT["bytes"] = registry_path.read_bytes()
    else:
        registry_path.write_bytes(_BUILT["bytes"])
    ids: dict[str, str] = _BUILT["ids"]
    return ids


def audit(runner: Runner, on: str) -> dict[str, dict[str, Any]]:
    data = json.loads(runner.ok("audit", "--as-of", on, "--json").stdout)
    return {v["id"]: v for v in data["references"]}


def verdict(runner: Runner, on: str, ref: str) -> tuple[str, list[str]]:
    v = audit(runner, on)[ref]
    return v["recommendation"], v["flags"]


def actions(runner: Runner, on: str, ref: str | None = None) -> list[dict[str, Any]]:
    rows = json.loads(runner.ok("next", "--as-of", on, "--json").stdout)["actions"]
    return [a for a in rows if ref is None or a["reference"] == ref]


def test_marco_old_negative_gives_way_to_newer_credible_praise(runner: Runner, lena: dict[str, str]) -> None:
    """Drop until 15 Sep, watch from 16 Sep (one newer credible positive), keep from 20 Oct (two)."""
    f2, f4, f7 = lena["f2"], lena["f4"], lena["f7"]
    marco = audit(runner, "2026-09-15")["marco-rossi"]
    assert marco["recommendation"] == "drop"
    assert marco["reasons"][0].endswith(
        "It is older than 365 days, but no credible positive report has come since; one would make it watch, "
        "2 would lift it."
    )
    marco = audit(runner, "2026-09-16")["marco-rossi"]
    assert (marco["recommendation"], marco["moved"]) == ("watch", [f2, f4])
    assert marco["rule"] == "An old credible negative followed by a newer credible positive means watch."
    assert f"a newer credible report speaks for them (report {f4})" in marco["reasons"][0]
    assert verdict(runner, "2026-10-19", "marco-rossi")[0] == "watch"
    marco = audit(runner, "2026-10-20")["marco-rossi"]
    assert marco["recommendation"] == "keep"
    assert f"is outweighed by 2 credible positive reports since (reports {f4}, {f7})" in " ".join(marco["reasons"])
    for day in ("2026-09-16", "2026-10-01", "2026-10-20", LAST_DAY):
        said = " ".join(audit(runner, day)["marco-rossi"]["reasons"])
        assert "no credible positive report has come since" not in said and "nothing credible" not in said, day


def test_jonas_suspected_pattern_then_contradicted(runner: Runner, lena: dict[str, str]) -> None:
    """Watch on 6 Oct (a suspected pattern), drop and contradicted from 8 Oct, f1 named, a professional check."""
    jonas = audit(runner, "2026-10-06")["jonas-weber"]
    assert (jonas["recommendation"], jonas["flags"]) == ("watch", ["pattern"])
    assert jonas["rule"] == "A suspected pattern of late losses means watch."
    [pattern] = [r for r in jonas["reasons"] if r.startswith("Given on 3 applications")]
    assert (
        "Of the applications that reached the reference check with them, 4 of 4 ended without an offer, no other "
        "cause given (counting 1 application 2 times, where the employer praised the other reference: the loss is "
        "likelier theirs); without them: 0 of 1: too little to compare"
    ) in pattern
    assert "too little to compare, so this is a suspicion to check, not a finding" in pattern
    [claim] = [c for c in jonas["claims"] if c["kind"] == "late-losses"]
    assert claim["applications"] == ["helio", "quanta", "kestrel"]
    assert {k: claim["numbers"][k] for k in ("k", "n", "m", "p", "too_little")} == {
        "k": 4, "n": 4, "m": 0, "p": 1, "too_little": 1,
    }  # fmt: skip

    jonas = audit(runner, "2026-10-08")["jonas-weber"]
    assert (jonas["recommendation"], jonas["flags"]) == ("drop", ["pattern", "contradicted"])
    f1, f5 = lena["f1"], lena["f5"]
    [contradiction] = [r for r in jonas["reasons"] if "heard the opposite" in r]
    assert contradiction.startswith(
        f"A mock call by someone you know heard praise (report {f1}); a recruiter heard the opposite (report {f5})."
    )
    mine = [a for a in actions(runner, "2026-10-08", "jonas-weber") if a["application"] is None]
    assert [a["kind"] for a in mine] == ["drop", "check-reference"]
    [check] = mine[1:]
    assert (check["kind"], check["due"], check["command"]) == (
        "check-reference",
        "2026-10-08",
        "refaudit feedback log jonas-weber --source reference-service --sentiment SENTIMENT",
    )
    assert not [a for a in actions(runner, "2026-10-08", "jonas-weber") if a["kind"] == "test"]
    # f10, another friend's glowing call, changes nothing.
    later = audit(runner, "2026-10-15")["jonas-weber"]
    assert (later["recommendation"], later["flags"], later["rule"]) == (
        jonas["recommendation"], jonas["flags"], jonas["rule"],
    )  # fmt: skip
    later_actions = actions(runner, "2026-10-15", "jonas-weber")
    assert [a["kind"] for a in later_actions if a["application"] is None] == ["drop", "check-reference"]
    # A swap for him on every open application before its reference check (from 8 Oct).
    assert sorted(a["application"] for a in later_actions if a["kind"] == "swap") == ["glasfaser", "nordlicht"]


def test_aiko_independent_rumours_add_up(runner: Runner, lena: dict[str, str]) -> None:
    """Keep after f3; watch with a professional check from 20 Oct (two independent rumours); drop from 2 Nov."""
    assert verdict(runner, "2026-09-28", "aiko-tanaka") == ("keep", [])
    aiko = audit(runner, "2026-10-20")["aiko-tanaka"]
    assert aiko["recommendation"] == "watch"
    assert aiko["reasons"][0].startswith(
        "2 people, independently of each other (different reporters, different applications), passed on "
        f'reservations about them: Jan, a former labmate (about Quanta, 2026-09-28): "reserved" (report {lena["f3"]})'
    )
    assert aiko["reasons"][0].endswith(CHECK_MEANS)
    [converging] = [c for c in aiko["claims"] if c["kind"] == "converging"]
    assert (converging["numbers"]["count"], converging["on"]) == (2, "2026-10-20")
    kinds = [a["kind"] for a in actions(runner, "2026-10-20", "aiko-tanaka")]
    assert "check-reference" in kinds and "test" not in kinds
    assert verdict(runner, "2026-11-01", "aiko-tanaka")[0] == "watch"
    aiko = audit(runner, "2026-11-02")["aiko-tanaka"]
    assert (aiko["recommendation"], aiko["rule"]) == ("drop", "3 independent adverse reports mean drop.")


def test_sara_overused_then_fatigued_and_held_back(runner: Runner, lena: dict[str, str]) -> None:
    """Overused in early October; fatigued from 28 Oct, resting and held back from the lineup."""
    assert verdict(runner, "2026-10-05", "sara-lind") == ("keep", ["untested", "overused"])
    assert verdict(runner, "2026-10-28", "sara-lind") == ("keep", ["overused", "fatigued"])
    lineup = json.loads(runner.ok("lineup", "--as-of", "2026-10-28", "--json").stdout)
    assert "sara-lind" not in [p["id"] for p in lineup["lineup"]]
    [held] = [p for p in lineup["held_back"] if p["id"] == "sara-lind"]
    assert held["reason"] == "Fatigued: slow to answer or tired of being asked lately; let them rest."
    rest = [a for a in actions(runner, "2026-10-28", "sara-lind") if a["kind"] == "rest"]
    assert rest and rest[0]["reason"].startswith("Given often lately and slow to answer or tired of being asked")


def test_the_bench_collapses_and_next_says_recruit(runner: Runner, lena: dict[str, str]) -> None:
    """28 Oct: one dropped, one on watch, two resting: nobody is ready, so recruit a manager."""
    [recruit] = [a for a in actions(runner, "2026-10-28") if a["kind"] == "recruit"]
    assert recruit["command"] == "refaudit ref add NAME --relationship manager"
    assert recruit["reason"].startswith("None of your references is ready (the lineup wants 3)")
    assert json.loads(runner.ok("next", "--as-of", "2026-10-28", "--json").stdout)["actions"][-1]["draft"] is None


def test_typed_up_to_a_day_the_audit_is_the_audit_as_of_that_day(
    runner: Runner, lena: dict[str, str], tmp_path: Path
) -> None:
    """Typing the story up to 8 Oct and asking today gives what --as-of 8 Oct gives on the whole story."""
    whole = audit(runner, "2026-10-08")
    other = tmp_path / "until.refaudit"
    env: dict[str, str | None] = {"REFAUDIT_REGISTRY": str(other), "REFAUDIT_TODAY": "2026-10-08"}
    ids = type_story(_EnvRunner(runner, env), "2026-10-08", config_file(tmp_path))
    assert ids == {k: v for k, v in lena.items() if k in ids}
    data = json.loads(runner.ok("audit", "--json", env=env).stdout)
    assert {v["id"]: v for v in data["references"]} == whole


def test_every_claim_kind_is_in_the_schema(runner: Runner, lena: dict[str, str]) -> None:
    """Each claim printed over the story has a kind the schema lists, and cites reports that exist."""
    schema = json.loads((Path(__file__).parents[1] / "docs/schemas/audit.schema.json").read_text(encoding="utf-8"))
    kinds = set(schema["$defs"]["claim"]["properties"]["kind"]["enum"])
    known = set(lena.values())
    for day in ("2026-09-15", "2026-10-06", "2026-10-20", LAST_DAY):
        for v in audit(runner, day).values():
            for claim in v["claims"]:
                assert claim["kind"] in kinds
                assert set(claim["feedback"]) <= known


class _EnvRunner(Runner):
    """A runner whose every call adds ``env`` (here: another registry, typed up to a day)."""

    def __init__(self, inner: Runner, env: dict[str, str | None]) -> None:
        super().__init__()
        self._env = env

    def ok(self, *args: str, **kw: Any) -> Any:
        env = {**self._env, **(kw.pop("env", None) or {})}
        env["REFAUDIT_REGISTRY"] = self._env["REFAUDIT_REGISTRY"]
        return super().ok(*args, env=env, **kw)


def test_the_track_record_checks_the_audit_against_how_each_application_ended(
    runner: Runner, lena: dict[str, str]
) -> None:
    """Per ended application, the audit of each reference on the day they were given, and the outcome."""
    data = json.loads(runner.ok("audit", "--track-record", "--json").stdout)
    assert data["as_of"] == LAST_DAY
    rows = {a["id"]: (a["outcome"], [(g["reference"], g["on"], g["recommendation"]) for g in a["given"]])
            for a in data["applications"]}  # fmt: skip
    assert list(rows) == ["altwerk-2025", "helio", "quanta", "brightline", "kestrel", "ostwind", "fernbahn"]
    # On 4 Aug Marco's old recruiter negative had no answer yet: drop. Jonas was still keep.
    assert rows["helio"] == ("rejected", [("jonas-weber", "2026-08-04", "keep"), ("marco-rossi", "2026-08-04", "drop")])
    assert rows["fernbahn"] == (
        "accepted",
        [("marco-rossi", "2026-09-15", "drop"), ("sara-lind", "2026-09-15", "keep")],
    )
    assert data["summary"] == {
        "flagged": 3, "flagged_offers": 1, "keeps_only": 4, "keeps_only_offers": 0,
        "text": "Of 3 applications given with a reference then on watch or drop, 1 offer; of 4 applications with "
        "keeps only, no offer.",
    }  # fmt: skip
    text = runner.ok("audit", "--track-record", env={"COLUMNS": "100"}).stdout
    assert "ACCEPTED   Fernbahn (fernbahn)\n       - Marco Rossi, given 2026-09-15: drop\n" in text
    # As of a day before anything ended, there is nothing to check yet.
    early = json.loads(runner.ok("audit", "--track-record", "--as-of", "2024-12-20", "--json").stdout)
    assert early["applications"] == [] and early["summary"]["text"].startswith("No application has ended yet")
    refused = runner("audit", "jonas", "--track-record")
    assert refused.exit_code == 2 and "--track-record looks at every application" in refused.stderr


def test_no_fatigue_clears_the_mark_and_a_bad_value_changes_nothing(
    runner: Runner, lena: dict[str, str], registry_path: Path
) -> None:
    """`feedback edit ID --no-fatigue` takes the flag away; `--fatigue=yes` is a usage error, the file unchanged."""
    f9 = lena["f9"]
    before = registry_path.read_bytes()
    bad = runner("feedback", "edit", f9, "--fatigue=yes")
    assert bad.exit_code == 2 and registry_path.read_bytes() == before
    [entry] = [f for f in json.loads(runner.ok("feedback", "list", "--json").stdout) if f["id"] == f9]
    assert entry["fatigue"] is True
    runner.ok("feedback", "edit", f9, "--no-fatigue")
    assert verdict(runner, "2026-10-28", "sara-lind") == ("keep", ["overused"])
    [entry] = [f for f in json.loads(runner.ok("feedback", "list", "--json").stdout) if f["id"] == f9]
    assert entry["fatigue"] is None


def test_after_the_accepted_offer_next_only_winds_the_search_down(runner: Runner, lena: dict[str, str]) -> None:
    """As of 7 Nov (Fernbahn accepted on 6 Nov): only withdraw, thank and tell, no check or recruit."""
    assert {a["kind"] for a in actions(runner, "2026-11-07")} == {"withdraw", "thank", "tell"}


def test_a_suspected_pattern_in_someone_a_friend_praised_asks_for_a_professional_check(
    runner: Runner, lena: dict[str, str]
) -> None:
    """6 Oct: Felix's call praised Jonas, yet his applications keep ending after the reference check: another
    friendly call would prove nothing, so watch asks for a professional check, and next offers it, not a test."""
    jonas = audit(runner, "2026-10-06")["jonas-weber"]
    assert (jonas["recommendation"], jonas["flags"]) == ("watch", ["pattern"])
    assert jonas["reasons"][0].endswith(CHECK_MEANS)
    mine = [a for a in actions(runner, "2026-10-06", "jonas-weber") if a["application"] is None]
    assert [(a["kind"], a["due"]) for a in mine] == [("check-reference", "2026-10-06")]
    assert mine[0]["reason"].startswith(
        "A friend's call heard praise, but applications with them keep ending without an offer after the "
        "reference check: another friendly call proves nothing."
    )
