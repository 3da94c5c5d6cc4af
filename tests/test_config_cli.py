"""`refaudit config`: the user's own config file, and the layers of settings it sits in.

XDG_CONFIG_HOME points into each test's folder (conftest), so the user's file is
<tmp>/config-home/refaudit/config.yaml.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import Runner

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    return tmp_path / "config-home" / "refaudit" / "config.yaml"


def test_path_is_the_platform_user_config_file(runner: Runner, mine: Path) -> None:
    """`config path` prints the user's config file, under XDG_CONFIG_HOME on Linux."""
    assert runner.ok("config", "path").stdout == f"{mine}\n"


def test_a_config_file_sets_how_slashed_dates_read_without_refaudit_config(
    runner: Runner, registry: Path, mine: Path
) -> None:
    """With dates.order dmy set in the user's file, 03/10/2026 reads as 3 October 2026; no REFAUDIT_CONFIG."""
    refused = runner("app", "add", "Acme", "--role", "Analyst", "--applied", "03/10/2026")
    assert refused.exit_code == 2
    assert "refaudit config set dates.order dmy (or mdy)." in refused.stderr
    assert runner.ok("config", "set", "dates.order", "dmy").stdout == f"Set dates.order in {mine}.\n"
    assert runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "03/10/2026").stdout == "acme-analyst\n"
    assert json.loads(runner.ok("app", "show", "acme", "--json").stdout)["applied_on"] == "2026-10-03"
    assert mine.read_text(encoding="utf-8").endswith("dates:\n  order: dmy\n")


def test_get_prints_the_value_in_force_and_where_it_came_from(runner: Runner, mine: Path, tmp_path: Path) -> None:
    """Defaults, then the user's file, then REFAUDIT_CONFIG, then --config: each wins key by key."""
    shipped = Path(__file__).resolve().parents[1] / "config" / "default.yaml"
    assert runner.ok("config", "get", "lineup.size").stdout == f"3\t# the shipped defaults: {shipped}\n"
    runner.ok("config", "set", "lineup.size", "2")
    runner.ok("config", "set", "next.min_open_applications", "5")
    assert runner.ok("config", "get", "lineup.size").stdout == f"2\t# your config file: {mine}\n"
    env_file = tmp_path / "env.yaml"
    env_file.write_text("lineup:\n  size: 4\n", encoding="utf-8")
    flag_file = tmp_path / "flag.yaml"
    flag_file.write_text("next:\n  follow_up_after_days: 10\n", encoding="utf-8")
    env = {"REFAUDIT_CONFIG": str(env_file)}
    assert runner.ok("config", "get", "lineup.size", env=env).stdout == f"4\t# REFAUDIT_CONFIG: {env_file}\n"
    both = ["--config", str(flag_file), "config", "get"]
    assert runner.ok(*both, "lineup.size", env=env).stdout == f"4\t# REFAUDIT_CONFIG: {env_file}\n"
    assert runner.ok(*both, "next.follow_up_after_days", env=env).stdout == f"10\t# --config: {flag_file}\n"
    assert runner.ok(*both, "next.min_open_applications", env=env).stdout == f"5\t# your config file: {mine}\n"


def test_set_reads_one_yaml_flow_value(runner: Runner, mine: Path) -> None:
    """A list is typed as [a, b]; get prints it back the same way."""
    runner.ok("config", "set", "next.brief_at_stages", "[final, reference-check]")
    assert runner.ok("config", "get", "next.brief_at_stages").stdout.startswith("[final, reference-check]\t")


def test_unset_goes_back_to_the_value_below(runner: Runner, mine: Path) -> None:
    """unset removes the key (and a section left empty); the shipped value is in force again."""
    runner.ok("config", "set", "dates.order", "mdy")
    assert runner.ok("config", "unset", "dates.order").stdout == f"Removed dates.order from {mine}.\n"
    assert "dates" not in mine.read_text(encoding="utf-8").split("\n", 1)[1]
    assert runner.ok("config", "get", "dates.order").stdout.startswith("''\t# the shipped defaults")
    assert (
        runner.ok("config", "unset", "dates.order").stdout == f"dates.order is not set in {mine}; nothing to remove.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["get", "nope.x"], "Error: Unknown setting 'nope.x'; known at the top level: dates, lineup, messages"),
        (["get", "scoring.nope"], "Error: Unknown setting 'scoring.nope'; known at scoring: certainty_weight"),
        (["get", "scoring..x"], "Error: 'scoring..x' is not a setting; name one as SECTION.KEY"),
        (["set", "nope.x", "1"], "Error: Unknown setting 'nope.x'"),
        (["set", "dates.order", "xyz"], "Error: Config: dates.order 'xyz' is not one of: dmy, mdy"),
        (["set", "scoring.watch_risk", "abc"], "Error: Config: scoring.watch_risk must be a number, not 'abc'."),
        (["set", "scoring.watch_risk", ".nan"], "Error: Config: scoring.watch_risk must be a finite number"),
        (["set", "lineup.size", "[1, 2]"], "Error: Config: lineup.size must be a whole number, not [1, 2]."),
        (["set", "next.ghosted_after_days", "99999999"], "Error: Config: next.ghosted_after_days must be from 0"),
        (["set", "lineup.size", "{a: [1"], "Error: The value of lineup.size"),
        (["set", "messages.dir", "no-such-folder"], "Error: Config: messages.dir 'no-such-folder' is not a folder"),
    ],
    ids=[
        "unknown-section",
        "unknown-key",
        "empty-part",
        "set-unknown",
        "bad-order",
        "not-a-number",
        "nan",
        "list-for-int",
        "huge-days",
        "bad-yaml",
        "missing-folder",
    ],
)
def test_bad_keys_and_values_exit_1_naming_the_key_and_change_nothing(
    runner: Runner, mine: Path, args: list[str], message: str
) -> None:
    """An unknown key or a value --config would refuse: exit 1, the key named, the file byte-for-byte unchanged."""
    runner.ok("config", "set", "lineup.size", "3")
    before = mine.read_bytes()
    result = runner("config", *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message), result.stderr
    assert mine.read_bytes() == before


def test_a_relative_messages_dir_is_read_from_the_folder_of_the_file_that_set_it(
    runner: Runner, registry: Path, mine: Path
) -> None:
    """messages.dir 'templates' in the user's file means the templates folder beside that file."""
    folder = mine.parent / "templates"
    folder.mkdir(parents=True)
    (folder / "ask.txt.j2").write_text("Subject: Mine\n\nHello {{ reference.greeting }}\n", encoding="utf-8")
    runner.ok("config", "set", "messages.dir", "templates")
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    assert runner.ok("draft", "ask", "jane").stdout == "Subject: Mine\n\nHello Jane\n"


def test_a_broken_user_file_is_named(runner: Runner, registry: Path, mine: Path) -> None:
    """A user's file that is not valid stops commands that need settings, naming the file and the key."""
    mine.parent.mkdir(parents=True)
    mine.write_text("scoring:\n  watch_risk: high\n", encoding="utf-8")
    result = runner("audit")
    assert result.exit_code == 1
    assert result.stderr == "Error: Config: scoring.watch_risk must be a number, not 'high'.\n"


def test_edit_keeps_a_valid_save_and_refuses_an_invalid_one(
    runner: Runner, mine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`config edit` runs $EDITOR on a copy; an invalid save leaves the file as it was (exit 1, no terminal)."""
    script = tmp_path / "ed.py"
    script.write_text(
        "import os, sys, pathlib\np = pathlib.Path(sys.argv[1])\np.write_text(p.read_text() + os.environ['ADD'])\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("ADD", "lineup:\n  size: 4\n")
    assert runner.ok("config", "edit").stdout == f"Saved {mine}.\n"
    assert runner.ok("config", "get", "lineup.size").stdout.startswith("4\t")
    before = mine.read_bytes()
    monkeypatch.setenv("ADD", "bogus: 1\n")
    result = runner("config", "edit")
    assert result.exit_code == 1
    assert "Unknown key 'bogus'" in result.stderr or "unknown key 'bogus'" in result.stderr
    assert mine.read_bytes() == before
    assert list(mine.parent.glob("*.tmp")) == []
