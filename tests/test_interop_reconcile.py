"""Reconciling an import with the registry: identical is a no-op, replace never clears, id-less rows match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Runner


def _export(runner: Runner) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(runner.ok("export", "--format", "json").stdout)
    return data


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reimporting_an_export_is_a_no_op(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Every record of an export already exists identically: nothing is a conflict, nothing changes."""
    runner.ok("ref", "add", "Jane Doe", "--email", "jane@example.com", "--phone", "(555) 010-0200")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "2026-01-02", "--ref", "jane-doe")
    runner.ok("feedback", "log", "jane-doe", "--sentiment", "positive", "--date", "2026-01-05")
    exported = tmp_path / "backup.yaml"
    runner.ok("export", "-o", str(exported))
    before = _export(runner)
    result = runner.ok("import", str(exported))
    assert result.stdout == f"Imported {exported}: 0 added, 0 completed, 3 already there, 0 replaced, 0 skipped.\n"
    assert _export(runner) == before


def test_replace_never_clears_a_field_the_row_lacks(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A row that gives a new title but no email or phone replaces the title and keeps the email and phone."""
    runner.ok("ref", "add", "Jane Doe", "--email", "jane@example.com", "--phone", "+1 555 0100", "--title", "Lead")
    source = _write(tmp_path / "r.yaml", "references:\n- id: jane-doe\n  name: Jane Doe\n  title: Director\n")
    runner.ok("import", str(source), "--on-conflict", "replace")
    jane = _export(runner)["references"][0]
    assert (jane["title"], jane["email"], jane["phone"]) == ("Director", "jane@example.com", "+1 555 0100")


def test_handmade_feedback_without_ids_is_not_logged_twice(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Reports without ids match by everything they say: the second import of the same feedback.csv adds none."""
    runner.ok("ref", "add", "Jane Doe")
    source = _write(
        tmp_path / "feedback.csv",
        "reference,reported_on,sentiment,quote\njane-doe,2026-01-05,negative,Late twice\n"
        "jane-doe,2026-01-06,positive,\n",
    )
    runner.ok("import", str(source))
    result = runner.ok("import", str(source))
    assert result.stdout == f"Imported {source}: 0 added, 0 completed, 2 already there, 0 replaced, 0 skipped.\n"
    assert [f["id"] for f in _export(runner)["feedback"]] == ["f1", "f2"]
    assert runner.ok("feedback", "log", "jane-doe", "--sentiment", "mixed").stdout.strip() == "f3"


def test_an_application_matches_by_company_role_and_date(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """The same company and role on another day is another application; on the same day, the same one."""
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "2026-01-02")
    source = _write(
        tmp_path / "applications.csv",
        "company,role,applied_on\nACME,analyst,2026-01-02\nAcme,Analyst,2026-03-04\n",
    )
    result = runner.ok("import", str(source), "--dry-run", "--on-conflict", "skip")
    assert result.stdout == (
        "applications.csv, row 2: would skip application acme-analyst (ACME — analyst)\n"
        "applications.csv, row 3: would add application acme-analyst-2 (Acme — Analyst)\n"
        "Dry run: 1 to add, 0 to complete, 0 already there, 0 to replace, 1 to skip; nothing was written.\n"
    )
