"""The report's context: what is printed, in what order, summarised and redacted (no rendering here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from refaudit import report, settings
from refaudit.audit import Claim
from refaudit.errors import ValidationError
from refaudit.model import Application, Feedback, Reference, Registry, Said

AS_OF = date(2026, 11, 25)


@dataclass(frozen=True)
class V:
    """A stand-in for ``refaudit.audit.Verdict`` with only what the report reads."""

    id: str
    recommendation: str = "keep"
    risk: float = 0.1
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    uses: int = 0
    last_used: date | None = None
    moved: list[str] = field(default_factory=list)
    rule: str | None = None
    claims: list[Claim] = field(default_factory=list)  # what a shared copy words its reasons from
    advice: str = ""
    plain_number: bool = False


@dataclass(frozen=True)
class A:
    kind: str
    due: date
    reference: str | None
    application: str | None
    reason: str
    command: str


@dataclass(frozen=True)
class P:
    id: str
    reason: str


def _registry() -> Registry:
    return Registry(
        owner="Alex Candidate",
        references=[
            Reference(
                id="jane-doe", name="Jane Doe", relationship="manager", organization="Acme Corp",
                email="jane@example.com", phone="+1 555 0100", notes="Led the data team.",
            ),
            Reference(id="bob-smith", name="Bob Smith", relationship="colleague", phone="+44 20 7946 0958"),
            Reference(id="ana-ruiz", name="Ana María Ruiz", relationship="mentor", status_note="Resting for now."),
        ],
        applications=[
            Application(
                id="acme", company="Acme Corp", role="Data Analyst", applied_on=date(2026, 10, 1),
                references=["jane-doe", "bob-smith"], stage="reference-check", outcome="rejected",
                reason="Went with a candidate with more experience", criticism=[Said("Could show more SQL depth")],
                leads=[Said("Globex is hiring")], closed_on=date(2026, 10, 20),
            ),
            Application(
                id="globex", company="Globex", role="Analyst", applied_on=date(2026, 11, 1),
                references=["ana-ruiz"], outcome="rejected", reason="went with a candidate with MORE experience.",
                criticism=[Said("Could show more SQL depth")], closed_on=date(2026, 11, 10),
            ),
        ],
        feedback=[
            Feedback(
                id="f1", reference="jane-doe", reported_on=date(2026, 10, 20), sentiment="negative",
                source="recruiter", quote="Jane Doe said I struggled with deadlines; call jane@example.com.",
                application="acme", notes="Sam told me on the phone.",
            ),
            Feedback(id="f2", reference="bob-smith", reported_on=date(2026, 9, 1), sentiment="positive",
                     quote="Bob Smith (bob-smith) was glowing; ring him on +44 20 7946 0958."),
            Feedback(id="f3", reference="jane-doe", reported_on=date(2026, 12, 1), sentiment="positive",
                     quote="Reported after the as-of date."),
        ],
    )  # fmt: skip


def _verdicts() -> list[V]:
    return [
        V("bob-smith", "keep", 0.1, uses=1, last_used=date(2026, 10, 1)),
        V(
            "jane-doe",
            "drop",
            0.8,
            ["pattern"],
            ["Jane Doe hurt you (report f1)."],
            ["f1"],
            1,
            date(2026, 10, 1),
            claims=[Claim("risk", ("f1",), numbers={"risk": 0.8})],
        ),
        V("ana-ruiz", "watch", 0.35, ["untested"], ["Nobody has heard from Ana María Ruiz."]),
    ]


def _actions() -> list[A]:
    return [
        A("drop", date(2026, 10, 20), "jane-doe", None, "The audit says drop Jane Doe.",
          "refaudit ref status jane-doe dropped"),
        A("apply-more", date(2026, 11, 20), None, None, "Keep 3 coals in the fire.", "refaudit app add X"),
    ]  # fmt: skip


def _contents(redact: bool = False, cfg: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    conf = settings.load(None)
    conf["report"].update(cfg or {})
    return report.build_contents(
        kw.get("registry", _registry()), kw.get("verdicts", _verdicts()), kw.get("actions", _actions()),
        conf, AS_OF, redact=redact, lineup=kw.get("lineup", [P("bob-smith", "A colleague who speaks well of you.")]),
        with_settings=kw.get("with_settings", False), anonymous=kw.get("anonymous", False),
    )  # fmt: skip


def _strings(value: Any) -> Iterator[str]:
    """Every string anywhere in a nested context."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def test_references_are_ordered_drop_watch_keep_and_counted() -> None:
    """The summary lists the most urgent reference first and the cover counts each advice."""
    contents = _contents()
    assert [r["name"] for r in contents["references"]] == ["Jane Doe", "Ana María Ruiz", "Bob Smith"]
    assert [r["badge"] for r in contents["references"]] == ["DROP", "WATCH", "KEEP"]
    assert contents["counts"] == {"drop": 1, "watch": 1, "keep": 1}
    assert [r["anchor"] for r in contents["references"]] == ["ref-1", "ref-2", "ref-3"]


def test_reports_after_as_of_are_left_out() -> None:
    """Looking back ignores what was reported later."""
    jane = _contents()["references"][0]
    assert [e["id"] for e in jane["evidence"]] == ["f1"]
    assert (jane["positive"], jane["negative"], jane["other"]) == (0, 1, 0)


def test_metadata_names_the_owner_and_the_as_of_date() -> None:
    """PDF metadata: title and author carry the owner; the creation date is the as-of date."""
    meta = _contents()["metadata"]
    assert meta["title"] == "Reference audit — Alex Candidate"
    assert meta["author"] == "Alex Candidate"
    assert meta["created"] == "2026-11-25"
    assert "keep 1, watch 1, drop 1" in meta["subject"]


def test_headline_says_what_to_do_in_three_lines() -> None:
    """Drop, watch, next: one line each."""
    lines = _contents()["headline"]
    assert [line["label"] for line in lines] == ["Drop", "Watch", "Next"]
    assert "Jane Doe" in lines[0]["text"]
    assert "Ana María Ruiz" in lines[1]["text"]
    assert "Bob Smith" in lines[2]["text"]


def test_actions_are_attached_to_their_reference() -> None:
    """What is due for a person appears in that person's section too."""
    contents = _contents()
    jane = contents["references"][0]
    assert [a["kind"] for a in jane["actions"]] == ["drop"]
    assert [a["kind"] for a in contents["top_actions"]] == ["drop", "apply-more"]
    assert contents["top_actions"][0]["anchor"] == "ref-1"


def test_redacted_context_holds_no_email_phone_note_or_full_name() -> None:
    """Nothing redacted reaches the templates: not in names, quotes, reasons, actions or metadata."""
    contents = _contents(redact=True)
    everything = "\n".join(_strings(contents))
    for secret in (
        "jane@example.com", "+1 555 0100", "+44 20 7946 0958", "7946", "Led the data team",
        "Resting for now", "Sam told me", "Jane Doe", "Bob Smith", "Ana María Ruiz",
        "Alex Candidate", "jane-doe", "bob-smith",
    ):  # fmt: skip
        assert secret not in everything, secret
    names = [r["name"] for r in contents["references"]]
    assert names == ["J. D.", "A. R.", "B. S."]
    jane = contents["references"][0]
    assert jane["evidence"][0]["quote"] == "J. D. said I struggled with deadlines; call [email]."
    assert contents["metadata"]["author"] == "A. C."
    assert all(a["command"] is None for a in contents["top_actions"])


def test_quotes_are_kept_when_redacting() -> None:
    """Only names, emails and phone numbers are taken out of a quote; the rest stays."""
    bob = _contents(redact=True)["references"][2]
    assert bob["evidence"][0]["quote"] == "B. S. (B. S.) was glowing; ring him on [phone]."


@pytest.mark.parametrize(
    ("name", "short"),
    [("Jane Doe", "J. D."), ("jane", "J."), ("Dr Helen van der Park", "H. P."), ("Prof. Ingrid Olsen", "I. O."),
     ("Élodie Ñúñez", "É. Ñ."),
     ("<script>", "S."), ("!!!", "?")],
    ids=["two-words", "one-word", "many-words", "honorific", "accents", "markup", "no-letters"],
)  # fmt: skip
def test_initials(name: str, short: str) -> None:
    """Names shorten to the initials of their first and last words; honorifics are never initials."""
    assert report.initials(name) == short


def test_evidence_is_newest_first_capped_and_counted() -> None:
    """A reference with many reports prints the newest, and counts the rest."""
    reg = Registry(
        references=[Reference(id="r", name="R")],
        feedback=[
            Feedback(id=f"f{i}", reference="r", reported_on=date(2026, 1, 1) + timedelta(days=i), sentiment="neutral")
            for i in range(1, 41)
        ],
    )
    row = _contents(registry=reg, verdicts=[V("r", evidence=["f2"], moved=["f2"])], actions=[], lineup=[])
    row = row["references"][0]
    ids = [e["id"] for e in row["evidence"]]
    assert len(ids) == 25
    assert ids[0] == "f40"
    assert "f2" in ids  # a report the reasons cite is never the one left out
    assert ids[:-1] == [f"f{i}" for i in range(40, 16, -1)]
    assert [e["id"] for e in row["evidence"] if e["key"]] == ["f2"]
    assert row["evidence_more"] == 15


def test_a_big_registry_prints_fewer_rows_per_reference() -> None:
    """The evidence budget is shared out, so 200 references do not print 25 reports each."""
    refs = [Reference(id=f"r{i}", name=f"Person {i}") for i in range(200)]
    fbs = [
        Feedback(id=f"f{i}", reference=f"r{i % 200}", reported_on=date(2026, 1, 1), sentiment="mixed")
        for i in range(2000)
    ]
    verdicts = [
        V(f"r{i}", "watch" if i % 2 else "keep", evidence=[f"f{i}", f"f{i + 200}"], moved=[f"f{i}"]) for i in range(200)
    ]
    every = {"sections_max": 200}  # every reference gets a section here; see the test below
    contents = _contents(registry=Registry(references=refs, feedback=fbs), verdicts=verdicts, actions=[], lineup=[],
                   cfg=every)  # fmt: skip
    assert contents["compact"] is True
    shown = {r["recommendation"]: len(r["evidence"]) for r in contents["references"]}
    assert shown == {"watch": 2, "keep": 2}  # every report the reasons cite, however small the share
    assert all(r["has_key"] for r in contents["references"])
    assert all(r["evidence_more"] == 8 for r in contents["references"])
    roomy = _contents(registry=Registry(references=refs, feedback=fbs), verdicts=verdicts, actions=[], lineup=[],
                     cfg={"evidence_total": 600, **every})  # fmt: skip
    assert {len(r["evidence"]) for r in roomy["references"]} == {3}


def test_a_huge_registry_gives_a_section_to_those_that_matter_and_lists_all_in_the_table() -> None:
    """Above report.sections_max references: the lineup, then drop/watch/flagged, then keeps get sections."""
    refs = [Reference(id=f"r{i}", name=f"Person {i}") for i in range(300)]
    recs = ["drop"] * 20 + ["watch"] * 30 + ["keep"] * 250
    verdicts = [V(f"r{i}", rec, risk=0.9 - i / 1000, flags=["stale"] if i == 299 else []) for i, rec in enumerate(recs)]
    contents = _contents(registry=Registry(references=refs), verdicts=verdicts, actions=[], lineup=[P("r150", "Good.")])
    assert len(contents["references"]) == 300  # the table lists every reference
    assert contents["light_table"] is True
    sectioned = [r["name"] for r in contents["sections"]]
    assert len(sectioned) == 60
    assert sectioned == [r["name"] for r in contents["references"] if r["section"]]  # in table order
    # The lineup, every drop and watch, the flagged keep, then the keeps most at risk.
    assert set(sectioned) == {f"Person {i}" for i in [150, *range(50), 299, *range(50, 58)]}
    assert contents["attention"] == {"total": 51, "shown": 51, "filler": 8}
    left_out = next(r for r in contents["references"] if not r["section"])
    assert {"badge", "relationship", "organization", "uses", "last_used", "positive", "negative", "other",
            "flags"} <= left_out.keys()  # fmt: skip
    assert "evidence" not in left_out
    small = _contents(registry=Registry(references=refs[:60]), verdicts=verdicts[:60], actions=[], lineup=[])
    assert all(r["section"] for r in small["references"])


def test_a_big_registry_prints_the_two_main_reasons_and_counts_the_rest() -> None:
    """Above report.compact_above references, each section keeps its first two reasons."""
    refs = [Reference(id=f"r{i}", name=f"Person {i}") for i in range(3)]
    verdicts = [V(f"r{i}", reasons=["First.", "Second.", "Third."]) for i in range(3)]
    reg = Registry(references=refs)
    contents = _contents(registry=reg, verdicts=verdicts, actions=[], lineup=[], cfg={"compact_above": 2})
    assert contents["compact"] is True
    assert [(r["reasons"], r["reasons_more"]) for r in contents["references"]] == [(["First.", "Second."], 1)] * 3
    full = _contents(registry=reg, verdicts=verdicts, actions=[], lineup=[])
    assert full["compact"] is False
    assert full["references"][0]["reasons"] == ["First.", "Second.", "Third."]


def test_applications_appendix_summarises_a_long_history() -> None:
    """The most recent applications are listed; all of them are counted by month."""
    apps = [
        Application(id=f"a{i}", company=f"Co {i}", role="Analyst", applied_on=date(2024, 1, 1) + timedelta(days=i),
                    outcome="rejected" if i % 2 else "pending")
        for i in range(700)
    ]  # fmt: skip
    contents = _contents(registry=Registry(applications=apps), verdicts=[], actions=[], lineup=[])
    appendix = contents["applications"]
    assert appendix["total"] == 700
    assert len(appendix["rows"]) == 200
    assert appendix["rows"][0]["company"] == "Co 699"
    assert appendix["hidden"] == 500
    assert len(appendix["months"]) == 23
    assert sum(m["total"] for m in appendix["months"]) == 700
    assert {o["outcome"]: o["count"] for o in appendix["outcomes"]}["rejected"] == 350


def test_months_past_the_window_say_how_many_applications_they_hold() -> None:
    """Counted by month for the last report.months_listed months; the earlier months' applications are counted too."""
    apps = [
        Application(id=f"a{i}", company=f"Co {i}", role="Analyst", applied_on=date(2024, 1, 1) + timedelta(days=i))
        for i in range(700)
    ]  # fmt: skip
    appendix = _contents(registry=Registry(applications=apps), verdicts=[], actions=[], lineup=[],
                        cfg={"months_listed": 12})["applications"]  # fmt: skip
    assert [len(appendix["months"]), appendix["months_hidden"]] == [12, 11]
    assert appendix["months_hidden_applications"] == 700 - sum(m["total"] for m in appendix["months"])
    assert appendix["months_hidden_applications"] == 335  # January 2024 to November 2024


def _many_cited(n: int) -> tuple[Registry, V]:
    """One reference with ``n`` reports a day apart, every one cited by the reasons; f1 and f2 moved the verdict."""
    fbs = [
        Feedback(id=f"f{i}", reference="r", reported_on=date(2025, 1, 1) + timedelta(days=i),
                 sentiment=("negative", "lukewarm", "mixed", "positive")[i % 4])
        for i in range(1, n + 1)
    ]  # fmt: skip
    ids = [f.id for f in fbs]
    refs = [Reference(id="r", name="R"), Reference(id="s", name="S")]
    return Registry(references=refs, feedback=fbs), V("r", "drop", 0.9, evidence=ids, moved=["f1", "f2"])


def test_a_compact_section_prints_at_most_its_share_of_cited_reports_and_summarises_the_rest() -> None:
    """Past report.compact_above references, a section prints no more cited reports than its share (at least
    three): those that moved the verdict first, then the newest; the rest are counted by sentiment."""
    reg, verdict = _many_cited(40)
    compact = {"compact_above": 1}  # two references: compact sections, two of them sharing evidence_total

    def section(**cfg: int) -> dict[str, Any]:
        ctx = _contents(registry=reg, verdicts=[verdict, V("s")], actions=[], lineup=[], cfg={**compact, **cfg})
        assert ctx["compact"] is True
        return next(r for r in ctx["references"] if r["name"] == "R")

    row = section(evidence_total=2)  # a share of 1: still three of the cited reports
    assert [(e["id"], e["key"]) for e in row["evidence"]] == [("f40", False), ("f2", True), ("f1", True)]
    assert row["evidence_more"] == 37
    assert row["evidence_left"] == "10 positive, 9 lukewarm, 9 mixed, 9 negative"
    assert row["evidence_left_cited"] == 37
    roomy = section(evidence_total=20)  # a share of 10
    assert [e["id"] for e in roomy["evidence"]] == ["f40", "f39", "f38", "f37", "f36", "f35", "f34", "f33", "f2", "f1"]
    assert roomy["evidence_more"] == 30


def test_a_full_section_prints_up_to_evidence_per_reference_cited_reports() -> None:
    """A small registry's full section prints every cited report up to report.evidence_per_reference."""
    reg, verdict = _many_cited(30)

    def section(**cfg: int) -> dict[str, Any]:
        ctx = _contents(registry=reg, verdicts=[verdict, V("s")], actions=[], lineup=[], cfg=cfg)
        assert ctx["compact"] is False
        return next(r for r in ctx["references"] if r["name"] == "R")

    row = section()
    assert len(row["evidence"]) == 25
    assert {"f1", "f2"} <= {e["id"] for e in row["evidence"]}
    assert [row["evidence_more"], row["evidence_left_cited"]] == [5, 5]
    every = section(evidence_per_reference=30)
    assert [len(every["evidence"]), every["evidence_more"], every["evidence_left"]] == [30, 0, ""]


def test_the_table_lists_the_most_urgent_and_summarises_the_rest_by_advice() -> None:
    """Past report.references_listed, the table of all references lists the most urgent; the rest are counted
    by advice, with their reports and flags. Every reference is still counted and ordered."""
    refs = [Reference(id=f"r{i}", name=f"Person {i}", status="resting" if i == 9 else "active") for i in range(10)]
    fbs = [Feedback(id=f"f{i}", reference=f"r{i}", reported_on=date(2026, 1, 1), sentiment="negative")
           for i in range(10)]  # fmt: skip
    recs = ["drop"] * 3 + ["watch"] * 3 + ["keep"] * 4
    verdicts = [V(f"r{i}", rec, 0.9 - i / 100, flags=["stale"] if i in (5, 8, 9) else []) for i, rec in enumerate(recs)]
    ctx = _contents(registry=Registry(references=refs, feedback=fbs), verdicts=verdicts, actions=[], lineup=[],
                   cfg={"references_listed": 4})  # fmt: skip
    assert len(ctx["references"]) == 10
    assert [r["name"] for r in ctx["listed"]] == ["Person 0", "Person 1", "Person 2", "Person 3"]
    assert ctx["unlisted"] == [
        {"recommendation": "watch", "badge": "WATCH", "count": 2, "active": 2, "positive": 0, "negative": 2,
         "other": 0, "flags": "stale 1"},
        {"recommendation": "keep", "badge": "KEEP", "count": 4, "active": 3, "positive": 0, "negative": 4,
         "other": 0, "flags": "stale 2"},
    ]  # fmt: skip
    assert _contents()["unlisted"] == []


def test_debriefs_group_the_same_reason_said_twice() -> None:
    """Reasons and criticism that differ only in case and punctuation are counted together."""
    debriefs = _contents()["debriefs"]
    assert [(g["count"], g["where"]) for g in debriefs["reasons"]] == [(2, "Globex, Acme Corp")]
    assert [(g["text"], g["count"]) for g in debriefs["criticism"]] == [("Could show more SQL depth", 2)]
    assert [lead["text"] for lead in debriefs["leads"]] == ["Globex is hiring"]


def test_timeline_counts_reports_per_month_by_sentiment() -> None:
    """One bar per month, stacked positive / other / reserved / negative."""
    chart = _contents()["timeline"]
    assert chart["unit"] == "month"
    assert [b["total"] for b in chart["bars"]] == [1, 1, 0]  # Sep, Oct, Nov
    assert [s["group"] for s in chart["bars"][0]["segments"]] == ["positive"]
    assert [s["group"] for s in chart["bars"][1]["segments"]] == ["negative"]
    assert chart["bars"][0]["label"] == "Sep 26"


def test_timeline_shows_lukewarm_and_mixed_apart_from_neutral_and_silence() -> None:
    """Lukewarm and mixed reports are their own segment ("reserved"), stacked between the other
    (neutral, no response, declined) and negative; the text alternative counts them apart."""
    day = date(2026, 11, 2)
    fbs = [
        Feedback(id=f"f{i}", reference="r", reported_on=day, sentiment=s)
        for i, s in enumerate(["positive", "neutral", "lukewarm", "mixed", "no-response", "declined", "negative"])
    ]
    chart = report.timeline_chart(fbs, AS_OF)
    bar = chart["bars"][-1]
    assert [s["group"] for s in bar["segments"]] == ["positive", "other", "reserved", "negative"]
    heights = {s["group"]: float(s["h"]) for s in bar["segments"]}
    assert heights["reserved"] == pytest.approx(heights["positive"] * 2, abs=0.3)
    assert heights["other"] == pytest.approx(heights["positive"] * 3, abs=0.3)
    assert "1 positive, 2 lukewarm or mixed, 1 negative and 3 other;" in chart["alt"]


def test_a_long_run_of_empty_months_is_drawn_as_one_marked_break() -> None:
    """21 months with 18 empty in the middle: the empty run takes one slot, a break saying what it leaves out."""
    days = [date(2025, 2, 10), date(2025, 3, 1), date(2026, 10, 2), date(2026, 10, 20)]
    fbs = [Feedback(id=f"f{i}", reference="r", reported_on=d, sentiment="positive") for i, d in enumerate(days)]
    chart = report.timeline_chart(fbs, date(2026, 11, 25))
    assert chart["unit"] == "month"
    slots = [("gap" if b["gap"] else b["label"], b["total"]) for b in chart["bars"]]
    assert slots == [("Feb 25", 1), ("Mar 25", 1), ("gap", 0), ("Oct 26", 2), ("Nov 26", 0)]
    [gap] = [b for b in chart["bars"] if b["gap"]]
    assert (gap["label"], gap["period"]) == ("no reports", "April 2025 to September 2026")
    assert chart["alt"] == (
        "Bar chart of the 4 reports per month, from February 2025 to November 2026 (none from April 2025 to "
        "September 2026, drawn as a break): 4 positive, 0 lukewarm or mixed, 0 negative and 0 other; the most, 2, "
        "in October 2026."
    )


def test_six_empty_months_or_fewer_stay_as_empty_slots() -> None:
    """A run of exactly 6 empty months is no break: every month keeps its slot."""
    days = [date(2026, 1, 5), date(2026, 8, 5)]
    fbs = [Feedback(id=f"f{i}", reference="r", reported_on=d, sentiment="negative") for i, d in enumerate(days)]
    chart = report.timeline_chart(fbs, date(2026, 8, 30))
    assert [b["gap"] for b in chart["bars"]] == [False] * 8


def test_timeline_uses_quarters_over_a_long_span_and_is_empty_without_reports() -> None:
    """Three years of reports are drawn by quarter; no reports, no chart."""
    fbs = [Feedback(id="f1", reference="r", reported_on=date(2023, 11, 2), sentiment="positive")]
    reg = Registry(references=[Reference(id="r", name="R")], feedback=fbs)
    assert report.timeline_chart(reg.feedback, AS_OF)["unit"] == "quarter"
    assert report.timeline_chart([], AS_OF)["empty"] is True


def test_risk_chart_draws_the_riskiest_against_the_configured_thresholds() -> None:
    """Thresholds come from scoring.watch_risk and scoring.drop_risk."""
    contents = _contents()
    chart = contents["risk_chart"]
    assert contents["thresholds"] == {"watch": 0.30, "drop": 0.50}
    assert [b["value"] for b in chart["bars"]] == ["DROP 0.80", "WATCH 0.35", "KEEP 0.10"]
    assert [line["label"] for line in chart["lines"]] == ["watch 0.30", "drop 0.50"]
    small = report.risk_chart(contents["references"], contents["thresholds"], limit=1)
    assert (len(small["bars"]), small["hidden"]) == (1, 2)


def test_control_characters_never_reach_the_template() -> None:
    """Text the registry would refuse anyway is cleaned rather than crashing the renderer."""
    reg = Registry(references=[Reference(id="r", name="Nul\x00 Bell\x07 \ud800Surrogate\ufffe")])
    row = _contents(registry=reg, verdicts=[V("r")], actions=[], lineup=[])["references"][0]
    assert row["name"] == "Nul Bell Surrogate"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"paper": "A3"}, "config: report.paper 'A3' is not one of: auto, A4, Letter, A5, Legal."),
        (
            {"evidence_per_reference": 0},
            "config: report.evidence_per_reference must be a whole number of at least 1, not 0.",
        ),
        ({"title": " "}, "config: report.title must be text, not ' '."),
        (
            {"references_listed": "all"},
            "config: report.references_listed must be a whole number of at least 1, not 'all'.",
        ),
    ],
    ids=["paper", "zero", "blank-title", "references-listed"],
)  # fmt: skip
def test_report_settings_are_checked(override: dict[str, Any], message: str) -> None:
    """A report setting the renderer cannot use is refused, naming the key."""
    with pytest.raises(ValidationError) as info:
        _contents(cfg=override)
    assert str(info.value) == message


def test_paper_size_is_case_insensitive() -> None:
    """``letter`` in a config file means Letter."""
    conf = settings.load(None)
    conf["report"]["paper"] = "letter"
    assert conf.report.settled().paper == "Letter"


def test_settings_appendix_lists_the_scoring_knobs_only_when_asked() -> None:
    """With --with-settings the settings used are printed, nested keys flattened; by default not at all."""
    assert _contents()["settings_sections"] == []
    sections = {s["name"]: s for s in _contents(with_settings=True)["settings_sections"]}
    keys = {row["key"]: row["value"] for row in sections["scoring"]["rows"]}
    assert keys["watch_risk"] == "0.3"
    assert keys["source_weight.employer"] == "1.0"


# --- the one as-of view, rules and words (issue 12) -------------------------------------------


def test_as_of_reads_the_registry_as_it_stood_that_day() -> None:
    """A reference dropped later is not "dropped since" that later day; open applications are counted as then."""
    reg = _registry()
    reg.references[0].status, reg.references[0].status_on = "dropped", date(2026, 12, 20)
    contents = _contents(registry=reg)
    jane = next(r for r in contents["references"] if r["name"] == "Jane Doe")
    assert "dropped" not in " ".join(jane["details"])
    assert "active" in jane["details"]
    # Globex closed on 2026-11-10: open the day before, closed on AS_OF.
    before = report.build_contents(reg, _verdicts(), [], settings.load(None), date(2026, 11, 9))
    assert before["totals"]["open_applications"] == 1
    assert contents["totals"]["open_applications"] == 0
    assert [r["outcome"] for r in before["applications"]["rows"]] == ["pending", "rejected"]


def test_a_verdict_set_by_a_rule_is_marked_and_explained() -> None:
    """ "WATCH 0.24" left of the 0.30 line carries † and the rule in words, in the chart and the section."""
    rule = "One credible lukewarm report means at least watch."
    verdicts = [V("bob-smith"), V("jane-doe", "drop", 0.8), V("ana-ruiz", "watch", 0.24, rule=rule)]
    contents = _contents(verdicts=verdicts)
    bars = {b["label"]: b["value"] for b in contents["risk_chart"]["bars"]}
    assert bars == {"Jane Doe": "DROP 0.80", "Ana María Ruiz": "WATCH 0.24 †", "Bob Smith": "KEEP 0.10"}
    assert contents["risk_chart"]["ruled"] == [{"name": "Ana María Ruiz", "rule": rule}]
    ana = next(r for r in contents["references"] if r["name"] == "Ana María Ruiz")
    assert ana["rule"] == rule
    assert contents["risk_chart"]["alt"] == (
        "Horizontal bars of the risk that each of 3 references hurts you, highest first, against the thresholds "
        "watch at 0.30 and drop at 0.50: 1 drop, 1 watch, 1 keep; highest Jane Doe, 0.80."
    )


def test_every_cited_report_is_shown_and_only_moved_ones_get_a_diamond() -> None:
    """Every report in Verdict.evidence is shown, those that did not move it too; ◆ marks Verdict.moved."""
    reg = _registry()
    lukewarm = Feedback(id="f4", reference="jane-doe", reported_on=date(2026, 11, 1), sentiment="lukewarm",
                        source="employer", reporter="Kim at Globex", quote="She was fine, I guess.")  # fmt: skip
    reg.feedback.append(lukewarm)
    verdicts = [V("jane-doe", "drop", 0.8, evidence=["f1", "f4"], moved=["f1"]), V("bob-smith"), V("ana-ruiz")]
    jane = _contents(registry=reg, verdicts=verdicts)["references"][0]
    assert [(e["id"], e["key"], e["reporter"]) for e in jane["evidence"]] == [
        ("f4", False, "Kim at Globex"), ("f1", True, ""),
    ]  # fmt: skip
    assert jane["has_key"] is True


def test_watch_means_one_thing_everywhere() -> None:
    """The summary says what watch means in the one sentence, never "hold back until more is known"."""
    contents = _contents(verdicts=[V("bob-smith"), V("jane-doe"), V("ana-ruiz", "watch", 0.35)])
    words = " ".join(contents["narrative"]) + " ".join(line["text"] for line in contents["headline"])
    assert report.WATCH_MEANS == "give them only alongside a strong reference, and test them soon with a mock call"
    assert contents["narrative"] == [
        "No reference is clearly hurting you, but Ana María Ruiz needs watching.",
        "The one thing to do: for Ana María Ruiz, give them only alongside a strong reference, "
        "and test them soon with a mock call.",
    ]
    assert contents["headline"][1] == {"label": "Watch", "text": f"Ana María Ruiz: {report.WATCH_MEANS}."}
    assert "hold back" not in words


def test_an_unreachable_reference_on_watch_is_to_be_called_first() -> None:
    """Watch keeps its words; an unreachable one is also told to call them, and the evidence reads as a failed call."""
    reg = _registry()
    reg.feedback.append(
        Feedback(id="f4", reference="ana-ruiz", reported_on=date(2026, 11, 12), sentiment="no-response",
                 source="employer", reporter="Globex HR", attempts=3)
    )  # fmt: skip
    verdicts = [
        V("bob-smith"), V("jane-doe"), V("ana-ruiz", "watch", 0.22, ["unreachable"], evidence=["f4"], moved=["f4"]),
    ]  # fmt: skip
    contents = _contents(registry=reg, verdicts=verdicts)
    assert contents["narrative"] == [
        "No reference is clearly hurting you, but Ana María Ruiz needs watching.",
        "On 2026-11-12 Globex HR said they could not reach them after 3 attempts.",
        "The one thing to do: call Ana María Ruiz: employers could not reach them, so confirm their number, email "
        f"and availability. For Ana María Ruiz, {report.WATCH_MEANS}.",
    ]
    assert contents["headline"][1] == {
        "label": "Watch",
        "text": "Call Ana María Ruiz: employers could not reach them, so confirm their number, email and "
        f"availability. Ana María Ruiz: {report.WATCH_MEANS}.",
    }


def test_the_narrative_names_who_hurts_the_evidence_and_the_one_thing_to_do() -> None:
    """Built from the verdicts: finding, the report against them with who relayed it, the late rejection, the action."""
    reg = _registry()
    reg.feedback[0].reporter = "Sam at Hays"
    contents = _contents(registry=reg)
    assert contents["narrative"] == [
        "Jane Doe is hurting your applications.",
        "On 2026-10-20 Sam at Hays relayed a negative report: “Jane Doe said I struggled with deadlines; "
        "call jane@example.com.”",
        "1 of the 1 application that reached the reference check with Jane Doe on it ended without an offer.",
        "The one thing to do: stop giving Jane Doe, and give Bob Smith instead.",
    ]


@pytest.mark.parametrize(
    ("locale_name", "paper"),
    [("en_US.UTF-8", "Letter"), ("fr_CA", "Letter"), ("de_DE.UTF-8@euro", "A4"), ("C", "A4"), (None, "A4"),
     ("xx_\x1b[31m", "A4")],
    ids=["us", "canada", "germany", "c-locale", "unset", "hostile"],
)  # fmt: skip
def test_paper_auto_follows_the_locale(locale_name: str | None, paper: str) -> None:
    """report.paper ships as auto: Letter where the locale's territory is US or CA, A4 elsewhere."""
    conf = settings.load(None)
    assert conf["report"]["paper"] == "auto"
    territory = report.territory(locale_name)
    assert conf.report.settled(territory=territory).paper == paper
    assert conf.report.settled(territory=territory, paper="A4").paper == "A4"
