"""Hostile text everywhere: the Big List of Naughty Strings in every field the user types."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import Runner

STRESS = os.environ.get("REFAUDIT_STRESS") == "1"
FIELDS = ["name", "organization", "note", "quote", "company", "reason", "tag", "id"]


def sample(lines: list[str]) -> list[str]:
    """Every line under make stress; every tenth (about 50 of them) in make test."""
    return lines if STRESS else lines[::10]


def clean_failure(result, what: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code in (0, 1, 2), (what, result.exit_code, result.output)
    assert "Traceback" not in result.output, what
    if result.exit_code:
        assert result.stderr.startswith(("Error: ", "Usage: ")), (what, result.stderr)


def argv_safe(text: str) -> bool:
    return "\x00" not in text


@pytest.mark.slow
@pytest.mark.parametrize("field", FIELDS)
def test_naughty_strings_in_every_field(runner: Runner, registry: Path, blns: list[str], field: str) -> None:
    """Each naughty string is accepted or refused cleanly, and JSON and terminal output stay clean."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--ref", "jane-doe", "--id", "acme")
    accepted = 0
    for i, text in enumerate(s for s in sample(blns) if argv_safe(s)):
        args = {
            "name": ["ref", "add", text],
            "organization": ["ref", "add", f"Person {i}", "--org", text],
            "note": ["ref", "add", f"Person {i}", "--note", text],
            "tag": ["ref", "add", f"Person {i}", "--tag", text],
            "id": ["ref", "add", f"Person {i}", "--id", text],
            "quote": ["feedback", "log", "jane-doe", "--sentiment", "neutral", "--quote", text],
            "company": ["app", "add", text, "--role", "Analyst"],
            "reason": ["app", "update", "acme", "--reason", text],
        }[field]
        result = runner(*args)
        clean_failure(result, repr(text))
        accepted += result.exit_code == 0
    assert accepted > 0
    json_listings = [
        ["ref", "list", "--json"], ["app", "list", "--json"], ["feedback", "list", "--json"], ["audit", "--json"],
        ["ref", "show", "jane-doe", "--json"], ["app", "show", "acme", "--json"],
    ]  # fmt: skip
    for listing in json_listings:
        out = runner.ok(*listing).stdout
        json.loads(out)
    for listing in (["ref", "list"], ["app", "list"], ["feedback", "list"], ["audit"], ["ref", "show", "jane-doe"],
                    ["app", "show", "acme"], ["history"], ["next"]):  # fmt: skip
        out = runner.ok(*listing).output
        assert "\x1b" not in out and "\x9b" not in out, listing
    assert runner.ok("verify").exit_code == 0
