"""``refaudit merge OTHER``: two copies of one registry, edited apart, put back together (docs/SPEC.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from refaudit import store, vault
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner


@pytest.fixture
def two(runner: Runner, registry: Path, tmp_path: Path) -> tuple[Path, Path]:
    """This registry (jane, one application) and a copy of it, ``other.refaudit``, before either changed."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--ref", "jane-doe")
    other = tmp_path / "other.refaudit"
    shutil.copyfile(registry, other)
    return registry, other


def on(path: Path, *args: str) -> list[str]:
    return ["--registry", str(path), *args]


def diverge(runner: Runner, here: Path, other: Path) -> None:
    """The other copy first: a new organisation, a report f1 and Bob; then here: a note and a report f1."""
    runner.ok(*on(other, "ref", "edit", "jane-doe", "--org", "Globex"))
    runner.ok(*on(other, "feedback", "log", "jane-doe", "--sentiment", "positive", "--source", "recruiter"))
    runner.ok(*on(other, "ref", "add", "Bob Ray"))
    runner.ok(*on(here, "ref", "edit", "jane-doe", "--note", "Met at the offsite"))
    runner.ok(*on(here, "feedback", "log", "jane-doe", "--sentiment", "negative", "--source", "employer"))


def records(data: dict[str, Any]) -> list[str]:
    """The records of an export, in any order."""
    return sorted(json.dumps(r, sort_keys=True) for k in ("references", "applications", "feedback") for r in data[k])


def export(runner: Runner, path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(runner.ok(*on(path, "export", "--format", "json")).stdout)
    return data


def test_dry_run_lists_every_decision_and_writes_nothing(runner: Runner, two: tuple[Path, Path]) -> None:
    """One line per decision; the report logged later here gives its id to the other copy's and is renumbered."""
    here, other = two
    diverge(runner, here, other)
    before = here.read_bytes()
    result = runner.ok("merge", str(other), "--dry-run")
    assert result.stdout == (
        "added reference bob-ray\n"
        "updated reference jane-doe organization\n"
        "added report f1\n"
        "renumbered report f1→f1-2\n"
        f"Dry run: nothing was written; 'refaudit merge {other}' makes these 4 decisions.\n"
    )
    assert here.read_bytes() == before


def test_merge_keeps_both_sides_and_prints_each_renaming(runner: Runner, two: tuple[Path, Path]) -> None:
    """Both reports, both fields, Bob; the merge is in the history; merging again writes nothing."""
    here, other = two
    diverge(runner, here, other)
    result = runner.ok("merge", str(other))
    assert result.stdout == (
        f"renumbered report f1→f1-2\nMerged {other}: 2 added, 1 updated, 1 renumbered, 0 erased.\n"
    )
    data = export(runner, here)
    jane = data["references"][0]
    assert (jane["organization"], jane["notes"]) == ("Globex", "Met at the offsite")
    assert [(f["id"], f["sentiment"]) for f in data["feedback"]] == [("f1-2", "negative"), ("f1", "positive")]
    assert runner.ok("verify").stdout.startswith("OK: ")
    assert "merge" in runner.ok("history", "--limit", "1").stdout
    written = here.read_bytes()
    assert runner.ok("merge", str(other)).stdout == f"Nothing to merge: {other} holds nothing this registry lacks.\n"
    assert here.read_bytes() == written


def test_json_lists_the_decisions(runner: Runner, two: tuple[Path, Path]) -> None:
    _, other = two
    runner.ok(*on(other, "ref", "add", "Bob Ray"))
    data = json.loads(runner.ok("merge", str(other), "--dry-run", "--json").stdout)
    schema = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "merge.schema.json").read_text())
    Draft202012Validator(schema).validate(data)
    assert data == {
        "other": str(other), "dry_run": True, "changed": True, "written": False, "mentions": [],
        "decisions": [{"decision": "added", "kind": "reference", "id": "bob-ray", "field": None, "new_id": None}],
    }  # fmt: skip


def test_merging_the_other_way_gives_the_same_records(runner: Runner, two: tuple[Path, Path], tmp_path: Path) -> None:
    """Merge is commutative on the records: here ⊔ other and other ⊔ here export the same."""
    here, other = two
    diverge(runner, here, other)
    mirror = tmp_path / "mirror.refaudit"
    shutil.copyfile(other, mirror)
    runner.ok("merge", str(other))
    runner.ok(*on(mirror, "merge", str(here.with_name("registry.refaudit.bak"))))  # here before the merge
    assert records(export(runner, here)) == records(export(runner, mirror))


def test_an_erasure_wins_and_free_text_mentions_are_listed(runner: Runner, two: tuple[Path, Path]) -> None:
    """Jane removed here; edited there, with her name typed in a note: she does not come back, the note is listed."""
    here, other = two
    runner.ok("ref", "remove", "jane-doe", "--yes")
    runner.ok(*on(other, "ref", "edit", "jane-doe", "--title", "CTO"))
    runner.ok(*on(other, "app", "update", "acme-analyst", "--note", "Jane Doe said she would call"))
    dry = runner.ok("merge", str(other), "--dry-run").stdout
    assert "erased reference (erased on this copy: not brought back)\n" in dry
    assert "mention of a person erased here: application acme-analyst notes (erase it by hand)\n" in dry
    runner.ok("merge", str(other))
    data = export(runner, here)
    assert data["references"] == []
    assert "references" not in data["applications"][0]
    again = runner.ok("merge", str(other)).stdout  # the note typed there is still here: still listed
    assert again.endswith(f"Nothing to merge: {other} holds nothing this registry lacks.\n")


def test_a_copy_whose_passphrase_changed_opens_and_its_newer_header_wins(
    runner: Runner, two: tuple[Path, Path]
) -> None:
    """The same registry with a new passphrase there: no passphrase asked; after the merge the new one opens here."""
    here, other = two
    runner.ok(*on(other, "passwd"), env={"REFAUDIT_NEW_PASSPHRASE": "a brand new passphrase"})
    runner.ok(*on(other, "ref", "add", "Bob Ray"), env={"REFAUDIT_PASSPHRASE": "a brand new passphrase"})
    runner.ok("merge", str(other))
    blob = here.read_bytes()
    reg = store.decode(vault.open_body(blob, vault.unlock_passphrase(blob, "a brand new passphrase")))
    assert [r.id for r in reg.references] == ["jane-doe", "bob-ray"]


def test_another_registry_needs_its_own_passphrase_and_keeps_the_local_header(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """A registry made apart (another file id) opens with REFAUDIT_OTHER_PASSPHRASE; the file id stays ours."""
    other = tmp_path / "apart.refaudit"
    env = {"REFAUDIT_PASSPHRASE": "their passphrase"}
    runner.ok(*on(other, "init", *CHEAP_KDF, "--no-recovery-key"), env=env)
    runner.ok(*on(other, "ref", "add", "Omar Li"), env=env)
    file_id = vault.inspect(registry.read_bytes())["file_id"]
    wrong = runner("merge", str(other), env={"REFAUDIT_OTHER_PASSPHRASE": "not it"})
    assert (wrong.exit_code, wrong.stderr) == (3, f"Error: Wrong passphrase for '{other}' (the other copy)\n")
    none = runner("merge", str(other))
    assert none.exit_code == 2 and "REFAUDIT_OTHER_PASSPHRASE" in none.stderr
    runner.ok("merge", str(other), env={"REFAUDIT_OTHER_PASSPHRASE": "their passphrase"})
    assert vault.inspect(registry.read_bytes())["file_id"] == file_id
    assert [r["id"] for r in export(runner, registry)["references"]] == ["omar-li"]


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 1, "Error: No file at '{p}' to merge.\n"),
        (b"REFAUDIT\x00\x01garbage", 4, "Error: The registry is damaged or was tampered with"),
        (b"hello", 4, "Error: This is not a refaudit registry"),
    ],
    ids=["missing", "damaged", "not-a-registry"],
)
def test_a_missing_or_damaged_other_changes_nothing(
    runner: Runner, two: tuple[Path, Path], tmp_path: Path, content: bytes | None, code: int, message: str
) -> None:
    here, _ = two
    bad = tmp_path / "bad.refaudit"
    if content is not None:
        bad.write_bytes(content)
    before = here.read_bytes()
    result = runner("merge", str(bad))
    assert result.exit_code == code
    assert result.stderr.startswith(message.format(p=bad))
    assert here.read_bytes() == before


@pytest.mark.parametrize(
    "name",
    [
        "registry.sync-conflict-20260301-101010-ABCDEF.refaudit",
        "registry (Jane's conflicted copy 2026-03-01).refaudit",
        "registry.refaudit.orig",
    ],
)
def test_every_command_points_out_a_conflict_copy(runner: Runner, two: tuple[Path, Path], name: str) -> None:
    """Syncthing's, Dropbox's and git's leftovers are named, with the command that merges them; not an error."""
    here, other = two
    copy = here.with_name(name)
    shutil.copyfile(other, copy)
    result = runner.ok("ref", "list")
    assert result.stderr.startswith("Note: ")
    assert f"{name}' looks like a conflicting copy of your registry; merge it with: refaudit merge " in (
        result.stderr.replace('"', "'")
    )
    assert "jane-doe" in result.stdout


def test_unrelated_names_are_not_conflict_copies(runner: Runner, two: tuple[Path, Path]) -> None:
    here, _ = two
    here.with_name("notes.sync-conflict-1.txt").write_text("x")
    here.with_name("registry.refaudit.bak.old").write_text("x")
    assert "Note:" not in runner.ok("ref", "list").stderr


def test_the_merge_driver_without_a_session_leaves_the_conflict(runner: Runner, two: tuple[Path, Path]) -> None:
    """Never a prompt: without the session 'refaudit sync' gives it, exit 1 and %A untouched."""
    here, other = two
    runner.ok(*on(other, "ref", "add", "Bob Ray"))
    ours = here.with_name("ours")
    shutil.copyfile(here, ours)
    before = ours.read_bytes()
    result = runner("merge-driver", str(here), str(ours), str(other), env={"REFAUDIT_PASSPHRASE": PASSPHRASE})
    assert result.exit_code == 1
    assert "resolve this conflict with 'refaudit merge'" in result.stderr
    assert ours.read_bytes() == before


def test_a_fifo_in_others_place_is_refused_without_waiting(
    runner: Runner, two: tuple[Path, Path], tmp_path: Path
) -> None:
    """A FIFO named as OTHER is never read until it ends: exit 1 naming what it is."""
    import os

    here, _ = two
    fifo = tmp_path / "pipe.refaudit"
    os.mkfifo(fifo)
    before = here.read_bytes()
    result = runner("merge", str(fifo))
    assert (result.exit_code, here.read_bytes()) == (1, before)
    assert "is a FIFO" in result.stderr or "not a regular file" in result.stderr
