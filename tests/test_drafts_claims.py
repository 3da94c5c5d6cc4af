"""Drafts assert nothing the registry does not hold (issue 22): no invented shared past, no numbers about the search.

Today is pinned to 2026-11-30.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


@pytest.fixture
def search(runner: Runner, registry: Path) -> Runner:
    """Jonas (works at Fernbahn now, never with her there); three applications that reached the final stages."""
    runner.ok("ref", "add", "Jonas Weber", "--relationship", "manager", "--org", "Fernbahn", "--title", "CTO")
    for i, company in enumerate(["Helio", "Quanta", "Kestrel"], start=1):
        runner.ok("app", "add", company, "--role", "Backend Engineer", "--applied", f"2026-10-0{i}")
        runner.ok("app", "update", company, "--stage", "final", "--on", f"2026-10-1{i}")
        runner.ok("app", "update", company, "--outcome", "rejected", "--on", f"2026-10-2{i}")
    return runner


def test_ask_names_no_organisation_as_shared_and_no_numbers_about_the_search(search: Runner) -> None:
    """Without --worked-with, `draft ask` names no shared employer and counts nothing of her search."""
    text = search.ok("draft", "ask", "jonas").stdout
    assert "Fernbahn" not in text
    assert "you are one of the people who know my work best. Would you be willing" in text
    assert "of mine did" not in text
    assert (
        "How often: only when an application reaches the final stages, and I share the calls among a few "
        "references; I will not give your name more than 3 times in 30 days.\n"
    ) in text  # a promise about their name, no numbers about her search


def test_ask_names_where_you_worked_together_when_told(search: Runner) -> None:
    """`ref edit --worked-with` is the one place a draft takes a shared past from."""
    search.ok("ref", "edit", "jonas", "--worked-with", "the platform team at Altwerk")
    text = search.ok("draft", "ask", "jonas").stdout
    assert "know my work best, from the platform team at Altwerk. Would you be willing" in text
    assert "Fernbahn" not in text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 301, "Error: Worked-with is 301 characters long"),
        ("Acme\x1b[2J", "Error: Worked-with contains the control"),
    ],
    ids=["too-long", "escape"],
)
def test_worked_with_refuses_hostile_values(search: Runner, registry: Path, value: str, message: str) -> None:
    """An overlong or control-character --worked-with exits 1 naming the field; nothing is written."""
    before = registry.read_bytes()
    result = search("ref", "edit", "jonas", "--worked-with", value)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert registry.read_bytes() == before


def test_thank_does_not_claim_what_the_reference_told_the_employer(search: Runner) -> None:
    """An offer's thank-you thanks them; it does not say their words were part of it (nobody reported that)."""
    search.ok("app", "add", "Lumen", "--role", "Backend Engineer", "--applied", "2026-11-01", "--ref", "jonas")
    search.ok("app", "update", "lumen", "--outcome", "offer", "--on", "2026-11-20")
    text = search.ok("draft", "thank", "lumen", "--ref", "jonas").stdout
    assert "What you told them" not in text
    assert "Thank you for standing behind me; I am very grateful." in text


def test_follow_up_dates_the_last_word_from_the_employer_not_a_note(search: Runner) -> None:
    """A note of hers is not news from the employer: the follow-up names the interview day."""
    search.ok("app", "add", "Lumen", "--role", "Backend Engineer", "--applied", "2026-10-01")
    search.ok("app", "update", "lumen", "--stage", "interview", "--on", "2026-10-10")
    search.ok("app", "update", "lumen", "--note", "sent a thank-you mail", "--on", "2026-10-20")
    text = search.ok("draft", "follow-up", "lumen").stdout
    assert "the last I heard from you was on 10 October 2026" in text


def test_a_debrief_after_silence_does_not_thank_them_for_a_decision(search: Runner) -> None:
    """Ghosted: the debrief does not say they let you know their decision."""
    search.ok("app", "add", "Lumen", "--role", "Backend Engineer", "--applied", "2026-10-01")
    search.ok("app", "update", "lumen", "--outcome", "ghosted", "--on", "2026-11-20")
    text = search.ok("draft", "debrief", "lumen").stdout
    assert "letting me know your decision" not in text
    assert "I have not heard back about the Backend Engineer role at Lumen" in text


def test_consent_to_someone_never_given_does_not_say_they_have_been(search: Runner) -> None:
    """No consent date and never given: 'I have you down as one of my references', not 'you have been'."""
    text = search.ok("draft", "consent", "jonas").stdout
    assert "I have you down as one of my references." in text
    assert "You have kindly been" not in text
