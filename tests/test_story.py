"""A scripted session: Alex's rejected Acme application, and what Jane reportedly said.

> Alex applied to Acme (Data Analyst) via the agency Hays and gave Jane Doe and Bob Smith.
> Acme reached the reference-check stage and then said no: "went with a candidate with more
> experience". A week later Sam at Hays told Alex that Jane "said I struggled with deadlines"
> (source recruiter, certainty direct). The Acme interviewer suggested Globex, which is hiring.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import Runner, filled

TODAY = date.today()
APPLIED = (TODAY - timedelta(days=30)).isoformat()


def test_alex_and_the_acme_rejection(runner: Runner, registry: Path) -> None:
    """The story, typed as a user would, ends with Jane's report traceable from her and from the application."""
    assert runner.ok("ref", "add", "Jane Doe", "--relationship", "manager", "--org", "Initech").stdout == "jane-doe\n"
    assert runner.ok("ref", "add", "Bob Smith", "--relationship", "colleague").stdout == "bob-smith\n"

    app_id = runner.ok(
        "app", "add", "Acme", "--role", "Data Analyst", "--applied", APPLIED, "--via", "Hays",
        "--ref", "jane", "--ref", "Bob Smith",
    ).stdout.strip()  # fmt: skip
    assert app_id == "acme-data-analyst"
    runner.ok("app", "update", "acme", "--stage", "reference-check", "--briefed", "jane", "--briefed", "bob")
    runner.ok("app", "update", "acme", "--outcome", "rejected")
    runner.ok(
        "app", "debrief", "acme", "--reason", "went with a candidate with more experience",
        "--lead", "Globex is hiring",
    )  # fmt: skip
    # A week later (today, for this test), Sam at Hays passes on what Jane said.
    fid = runner.ok(
        "feedback", "log", "jane", "--app", "acme", "--sentiment", "negative", "--source", "recruiter",
        "--certainty", "direct", "--reporter", "Sam at Hays", "--quote", "said I struggled with deadlines",
    ).stdout.strip()  # fmt: skip
    assert fid == "f1"

    # What Alex sees about Jane.
    shown = filled(json.loads(runner.ok("ref", "show", "jane", "--json").stdout))
    assert shown["name"] == "Jane Doe"
    assert shown["applications"] == [
        {
            "id": "acme-data-analyst",
            "company": "Acme",
            "role": "Data Analyst",
            "applied_on": APPLIED,
            "stage": "reference-check",
            "outcome": "rejected",
        }
    ]
    assert shown["feedback"] == [
        {
            "id": "f1",
            "reference": "jane-doe",
            "application": "acme-data-analyst",
            "reported_on": TODAY.isoformat(),
            "source": "recruiter",
            "reporter": "Sam at Hays",
            "sentiment": "negative",
            "certainty": "direct",
            "quote": "said I struggled with deadlines",
        }
    ]
    text = runner.ok("ref", "show", "jane").stdout
    assert f"  {APPLIED}  Acme — Data Analyst  [reference-check, rejected]  (acme-data-analyst)\n" in text
    assert f"  {TODAY.isoformat()}  f1  negative (recruiter, direct) via Sam at Hays\n" in text
    assert "      “said I struggled with deadlines”\n" in text

    # Bob was given too, but nothing was reported about him.
    bob = json.loads(runner.ok("ref", "show", "bob", "--json").stdout)
    assert [a["id"] for a in bob["applications"]] == ["acme-data-analyst"]
    assert bob["feedback"] == []

    # Every report, as JSON, with the registry's field names.
    assert filled(json.loads(runner.ok("feedback", "list", "--json").stdout)) == shown["feedback"]
    assert filled(json.loads(runner.ok("feedback", "list", "--app", "acme", "--json").stdout)) == shown["feedback"]
    assert json.loads(runner.ok("feedback", "list", "bob", "--json").stdout) == []

    # The application holds the whole story.
    acme = filled(json.loads(runner.ok("app", "show", "acme", "--json").stdout))
    assert acme["via"] == "Hays"
    assert acme["references"] == ["jane-doe", "bob-smith"]
    assert acme["stage"] == "reference-check"
    assert acme["outcome"] == "rejected"
    assert acme["closed_on"] == TODAY.isoformat()
    assert acme["reason"] == "went with a candidate with more experience"
    assert acme["leads"] == [{"text": "Globex is hiring", "on": TODAY.isoformat()}]
    assert [b["reference"] for b in acme["briefed"]] == ["jane-doe", "bob-smith"]
    assert runner.ok("app", "list", "--open", "--json").stdout == "[]\n"

    # …and the log says what happened, without saying what anyone said.
    log = json.loads(runner.ok("history", "--json").stdout)
    assert [e["command"] for e in log] == [
        "feedback log", "app debrief", "app update", "app update", "app add", "ref add", "ref add", "init",
    ]  # fmt: skip
    assert "deadlines" not in json.dumps(log)
    assert runner.ok("verify").exit_code == 0
