"""The hash-chained change log: what is recorded, `history`, and `verify` catching rewrites."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from refaudit import history, vault, yamlio
from refaudit.cli import cli
from refaudit.model import Registry
from tests.conftest import PASSPHRASE, Runner


@pytest.fixture
def busy(runner: Runner, registry: Path) -> Path:
    """A registry after a few changes of every kind."""
    runner.ok("ref", "add", "Jane Doe", "--email", "jane@example.com", "--phone", "+1 555 0100")
    runner.ok("ref", "add", "Bob Smith")
    runner.ok("app", "add", "Acme", "--role", "Data Analyst", "--applied", "2026-10-01", "--ref", "jane")
    runner.ok("app", "update", "acme", "--stage", "reference-check", "--briefed", "jane", "--ref", "bob")
    runner.ok("app", "update", "acme", "--outcome", "rejected", "--reason", "more experience")
    runner.ok("app", "debrief", "acme", "--criticism", "More SQL", "--lead", "Globex is hiring")
    runner.ok(
        "feedback", "log", "jane", "-s", "negative", "--app", "acme", "--reporter", "Sam at Hays",
        "--quote", "struggled with deadlines", "--date", "2026-10-20",
    )  # fmt: skip
    runner.ok("feedback", "log", "bob", "-s", "positive")
    runner.ok("feedback", "remove", "f2", "--yes")
    return registry


def entries(runner: Runner, *args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(runner.ok("history", "--json", *args).stdout)
    return data


EXPECTED = [
    ("feedback remove", "removed report f2"),
    ("feedback log", "logged report f2 on bob-smith"),
    ("feedback log", "logged report f1 on jane-doe"),
    ("app debrief", "debriefed acme-data-analyst: 1 criticism(s), 1 lead(s)"),
    ("app update", "updated application acme-data-analyst: outcome rejected, reason"),
    ("app update", "updated application acme-data-analyst: stage reference-check, 1 reference(s) added, 1 briefed"),
    ("app add", "added application acme-data-analyst with 1 reference(s)"),
    ("ref add", "added reference bob-smith"),
    ("ref add", "added reference jane-doe"),
    ("init", "created the registry"),
]


def test_every_change_is_recorded_newest_first(runner: Runner, busy: Path) -> None:
    """Each change appends one entry: time, command and a summary of ids and counts."""
    found = entries(runner)
    assert [(e["command"], e["summary"]) for e in found] == EXPECTED
    for e in found:
        assert set(e) == {"at", "command", "summary", "summary_digest", "hash"}
        assert datetime.fromisoformat(e["at"]).tzinfo is not None
        assert re.fullmatch(r"[0-9a-f]{64}", e["hash"])


def test_history_holds_no_secret_or_personal_detail(runner: Runner, busy: Path) -> None:
    """No passphrase, contact detail, quote, reporter or free text ever reaches the log."""
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "new secret words"})
    text = runner.ok("history", "--json", env={"REFAUDIT_PASSPHRASE": "new secret words"}).stdout
    for secret in (PASSPHRASE, "new secret words", "Jane Doe", "jane@example.com", "555 0100", "Sam at Hays",
                   "struggled", "more experience", "More SQL", "Globex"):  # fmt: skip
        assert secret not in text


def test_table_is_newest_first(runner: Runner, registry: Path) -> None:
    """`history` prints a table of time, command and summary."""
    runner.ok("ref", "add", "Jane Doe")
    lines = runner.ok("history").stdout.splitlines()
    assert re.fullmatch(r"TIME +COMMAND +SUMMARY", lines[0])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00  ref add  +added reference jane-doe", lines[2])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00  init     +created the registry", lines[3])
    assert len(lines) == 4


def test_limit(runner: Runner, busy: Path) -> None:
    """--limit N shows the N most recent changes."""
    assert [e["summary"] for e in entries(runner, "--limit", "2")] == [s for _, s in EXPECTED[:2]]
    assert len(runner.ok("history", "-n", "3").stdout.splitlines()) == 2 + 3
    assert len(entries(runner, "--limit", "500")) == len(EXPECTED)


@pytest.mark.parametrize("value", ["0", "-1", "many"], ids=["zero", "negative", "not-a-number"])
def test_bad_limit(runner: Runner, busy: Path, value: str) -> None:
    """A limit that is not a positive whole number is a usage error."""
    result = runner("history", "--limit", value)
    assert result.exit_code == 2
    assert "Invalid value for '--limit'" in result.stderr


def test_reading_and_failing_record_nothing(runner: Runner, busy: Path) -> None:
    """Commands that only look, or that fail, leave the file (and so the log) untouched."""
    before = busy.read_bytes()
    for args in (["history"], ["app", "list"], ["app", "show", "acme"], ["feedback", "list", "--json"],
                 ["ref", "show", "jane"], ["verify"]):  # fmt: skip
        runner.ok(*args)
    assert runner("feedback", "log", "nobody", "-s", "positive").exit_code == 1
    assert busy.read_bytes() == before


def test_help_has_example() -> None:
    """`history --help` has a summary and an example."""
    assert cli.commands["history"].help and "Example:" in cli.commands["history"].help


# --- tampering -----------------------------------------------------------------------------


def rewrite(path: Path, edit: Callable[[list[dict[str, Any]]], None]) -> None:
    """Decrypt the registry, let ``edit`` change its history, re-seal it with the same keyring."""
    blob = path.read_bytes()
    keyring = vault.unlock_passphrase(blob, PASSPHRASE)
    data = yamlio.load_trusted(vault.open_body(blob, keyring))
    edit(data["history"])
    path.write_bytes(vault.seal(keyring, yamlio.dump(data).encode("utf-8")))


def _set(index: int, key: str, value: str) -> Callable[[list[dict[str, Any]]], None]:
    def edit(h: list[dict[str, Any]]) -> None:
        h[index][key] = value

    return edit


def _reword_with_digest(h: list[dict[str, Any]]) -> None:
    h[3]["summary"] = "nothing happened"
    h[3]["summary_digest"] = history._digest("nothing happened")


def _swap(h: list[dict[str, Any]]) -> None:
    h[2], h[3] = h[3], h[2]


TAMPERING = [
    (_set(3, "summary", "added application elsewhere"), "history entry 4 (", "was altered: its summary does not match"),
    (_reword_with_digest, "history entry 4 (", "does not chain to the one before"),
    (_set(2, "command", "import"), "history entry 3 (", "does not chain to the one before"),
    (_set(2, "at", "2020-01-01T00:00:00+00:00"), "history entry 3 (2020-01-01", "does not chain"),
    (_set(5, "hash", "0" * 64), "history entry 6 (", "does not chain"),
    (lambda h: h.pop(4), "history entry 5 (", "an entry was altered or removed"),
    (lambda h: h.pop(0), "history entry 1 (", "does not chain"),
    (_swap, "history entry 3 (", "does not chain"),
]


@pytest.mark.parametrize(
    ("edit", "where", "what"),
    TAMPERING,
    ids=["summary-altered", "summary-and-digest-altered", "command-altered", "time-altered", "hash-altered",
         "entry-removed", "first-entry-removed", "entries-swapped"],
)  # fmt: skip
def test_verify_catches_a_rewritten_history(
    runner: Runner, busy: Path, edit: Callable[[list[dict[str, Any]]], None], where: str, what: str
) -> None:
    """A history entry altered or removed, even in a validly re-encrypted file, makes `verify` exit 4."""
    assert runner.ok("verify").stdout.startswith("OK:")
    rewrite(busy, edit)
    result = runner("verify")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: ")
    assert where.lower() in result.stderr.lower() and what in result.stderr
    shown = runner.ok("history")
    assert shown.stderr == "Warning: the history chain is broken; 'refaudit verify' says where.\n"


def test_untouched_rewrite_still_verifies(runner: Runner, busy: Path) -> None:
    """Re-sealing without changing the history is not mistaken for tampering."""
    rewrite(busy, lambda h: None)
    assert runner.ok("verify").exit_code == 0


def test_erased_summaries_keep_the_chain(runner: Runner, busy: Path) -> None:
    """After `ref remove`, summaries naming the person read [erased] and the chain still verifies."""
    runner.ok("ref", "remove", "jane", "--yes")
    summaries = [e["summary"] for e in entries(runner)]
    assert summaries[0] == "removed a reference, 1 report(s), from 1 application(s)"
    assert summaries.count(history.ERASED) == 2  # added reference jane-doe, logged report f1 on jane-doe
    assert runner.ok("verify").exit_code == 0


def test_chain_unit() -> None:
    """history.append links entries; problems() is empty for an intact chain and names a broken link."""
    reg = Registry()
    at = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    for i in range(3):
        history.append(reg, at, "ref add", f"added reference r{i}")
    assert history.problems(reg.history) == []
    assert reg.history[0].hash != reg.history[1].hash
    del reg.history[1]
    assert history.problems(reg.history) == [
        "history entry 2 (2026-11-25T12:00:00+00:00) does not chain to the one before: an entry was altered or removed."
    ]
