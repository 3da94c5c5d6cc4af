"""The job seeker's name: `init --owner`, `refaudit owner [NAME | --unset]`.

Drafts sign with it; the report's cover and PDF metadata name it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner

KDF = ["--kdf-memory", "19", "--kdf-passes", "2", "--no-recovery-key"]


def test_init_owner_sets_the_name(runner: Runner, registry_path: Path) -> None:
    """`init --owner NAME` starts the registry with the name; `owner` prints it."""
    runner.ok("init", "--owner", "  Lena Fischer ", *KDF)
    assert runner.ok("owner").stdout == "Lena Fischer\n"


def test_owner_sets_shows_and_clears_with_history_naming_no_one(runner: Runner, registry: Path) -> None:
    """`owner NAME` sets, `owner` shows, `owner --unset` clears; the history says what, never the name."""
    assert runner.ok("owner").stdout == 'No name set; set yours with: refaudit owner "Your Name"\n'
    assert runner.ok("owner", "Lena Fischer").stdout == "Owner: Lena Fischer\n"
    assert runner.ok("owner").stdout == "Lena Fischer\n"
    assert runner.ok("owner", "--unset").stdout == "Owner cleared.\n"
    assert runner.ok("owner").stdout == 'No name set; set yours with: refaudit owner "Your Name"\n'
    history = runner.ok("history").stdout
    assert "set the owner" in history and "cleared the owner" in history and "Lena" not in history


def test_setting_the_same_name_writes_nothing(runner: Runner, registry: Path) -> None:
    """The same name again changes nothing on disk."""
    runner.ok("owner", "Lena Fischer")
    before = registry.read_bytes()
    runner.ok("owner", "Lena Fischer")
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["owner", "   "], 1, "Error: Owner '' is empty; give your name as you sign letters, or use --unset"),
        (["owner", "x" * 201], 1, "Error: Owner is 201 characters long; at most 200 are accepted.\n"),
        (["owner", "Lena\x1b[31m"], 1, "Error: Owner contains the control character U+001B"),
        (["owner", "Lena", "--unset"], 2, "Error: Give NAME or --unset, not both.\n"),
    ],
    ids=["blank", "too-long", "escape", "both"],
)
def test_owner_refuses_bad_names(runner: Runner, registry: Path, args: list[str], code: int, message: str) -> None:
    """A blank, overlong or control-character name is refused, naming the field; nothing is written."""
    before = registry.read_bytes()
    result = runner(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert registry.read_bytes() == before


def test_init_refuses_a_bad_owner_before_asking_anything(runner: Runner, registry_path: Path) -> None:
    """`init --owner ''` exits 1 and creates no file."""
    result = runner("init", "--owner", "", *KDF)
    assert result.exit_code == 1
    assert not registry_path.exists()


def test_drafts_sign_with_the_owner(runner: Runner, registry: Path) -> None:
    """With a name set no draft ends with a placeholder; without one, '[your name]' shows what to fill in."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    assert runner.ok("draft", "ask", "jane").stdout.endswith("Thank you,\n[your name]\n")
    runner.ok("owner", "Lena Fischer")
    text = runner.ok("draft", "ask", "jane").stdout
    assert text.endswith("Thank you,\nLena Fischer\n")
    assert "[your name]" not in text


def test_the_report_cover_and_metadata_name_the_owner_not_the_file(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """The HTML report's cover and title hold the owner; the registry's file name appears nowhere."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    out = tmp_path / "r.html"
    runner.ok("report", "--format", "html", "-o", str(out))
    assert "registry.refaudit" not in out.read_text(encoding="utf-8")
    assert "The references of" not in out.read_text(encoding="utf-8")
    runner.ok("owner", "Lena Fischer")
    out = tmp_path / "r2.html"
    runner.ok("report", "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert 'The references of <span class="user">Lena Fischer</span>' in html
    assert "<title>Reference audit — Lena Fischer</title>" in html  # the PDF's title and author come from the same
