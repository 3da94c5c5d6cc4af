"""``edit``: the registry in $EDITOR, validated on save, and no plaintext left behind, whatever happens."""

from __future__ import annotations

import json
import os
import shlex
import stat
import sys
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from refaudit import editing, vault
from refaudit.cli import interop_cmd
from tests.conftest import PASSPHRASE, Runner

# A stand-in for a person at an editor: follows the steps in $EDIT_PLAN, one per run,
# and logs where it found the file, how private it was and whether the registry was locked.
EDITOR_SCRIPT = r"""
import fcntl, json, os, signal, sys, time
path = sys.argv[1]
plan = json.loads(os.environ["EDIT_PLAN"])
runs = plan["log"] + ".runs"
n = int(open(runs).read()) if os.path.exists(runs) else 0
open(runs, "w").write(str(n + 1))
fd = os.open(plan["lock"], os.O_RDWR | os.O_CREAT)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    locked = False
except BlockingIOError:
    locked = True
info = {"path": path, "dir_mode": os.stat(os.path.dirname(path)).st_mode & 0o777,
        "file_mode": os.stat(path).st_mode & 0o777, "locked": locked}
with open(plan["log"], "a") as fh:
    fh.write(json.dumps(info) + "\n")
step = plan["steps"][min(n, len(plan["steps"]) - 1)]
with open(path, encoding="utf-8") as fh:
    text = fh.read()
if step.get("expect") and step["expect"] not in text:
    sys.exit(7)  # the user's earlier edits were lost
do = step["do"]
if do == "replace":
    text = text.replace(step["old"], step["new"])
elif do == "write":
    text = step["text"]
elif do == "exit":
    sys.exit(step["code"])
elif do == "signal":
    os.kill(os.getppid(), getattr(signal, step["signal"]))
    time.sleep(10)
if do != "noop":
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
"""


class Editor:
    """Sets EDITOR to the scripted editor and reads back what it saw."""

    def __init__(self, tmp_path: Path, registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.script = tmp_path / "editor.py"
        self.script.write_text(EDITOR_SCRIPT)
        self.log = tmp_path / "editor.log"
        self.lock = registry.with_name(registry.name + ".lock")
        self.monkeypatch = monkeypatch
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", self.command)

    @property
    def command(self) -> str:
        return f"{shlex.quote(sys.executable)} {shlex.quote(str(self.script))}"

    def plan(self, *steps: dict[str, Any]) -> None:
        self.monkeypatch.setenv(
            "EDIT_PLAN", json.dumps({"log": str(self.log), "lock": str(self.lock), "steps": list(steps)})
        )

    def runs(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def canary() -> str:
    return f"canary-{uuid.uuid4().hex}"


@pytest.fixture
def jane(runner: Runner, registry: Path, canary: str) -> Path:
    """A registry holding Jane Doe, whose note is the canary that must never be left on disk in plaintext."""
    runner.ok("ref", "add", "Jane Doe", "--email", "jane@example.com", "--note", canary)
    return registry


@pytest.fixture
def editor(tmp_path: Path, registry: Path, monkeypatch: pytest.MonkeyPatch) -> Editor:
    return Editor(tmp_path, registry, monkeypatch)


def _plaintext_left(canary: str) -> list[str]:
    """Files in the temporary folders (tmpfs, runtime dir, system temp) that contain the canary."""
    needle = canary.encode()
    roots = {Path("/dev/shm"), Path(tempfile.gettempdir())}
    if os.environ.get("XDG_RUNTIME_DIR"):
        roots.add(Path(os.environ["XDG_RUNTIME_DIR"]))
    found = []
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = Path(folder) / name
                try:
                    if path.is_symlink() or not path.is_file() or path.stat().st_size > 20_000_000:
                        continue
                    if needle in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    continue
    return found


def _decrypted(path: Path) -> dict[str, Any]:
    blob = path.read_bytes()
    data: dict[str, Any] = yaml.safe_load(vault.open_body(blob, vault.unlock_passphrase(blob, PASSPHRASE)))
    return data


def test_valid_change_is_saved_with_history(runner: Runner, jane: Path, editor: Editor, canary: str) -> None:
    """A valid edit is saved, the history keeps its old entries and gains one, and the plaintext is gone."""
    editor.plan({"do": "replace", "old": "name: Jane Doe", "new": "name: Jane Q. Doe"})
    result = runner.ok("edit")
    assert result.stdout == "Saved: edited the registry: 1 reference changed.\n"
    data = _decrypted(jane)
    assert data["references"][0]["name"] == "Jane Q. Doe"
    assert [h["command"] for h in data["history"]] == ["init", "ref add", "edit"]
    assert runner.ok("verify").exit_code == 0
    assert _plaintext_left(canary) == []


def test_plaintext_is_private_on_tmpfs_while_the_registry_is_locked(runner: Runner, jane: Path, editor: Editor) -> None:
    """The editor gets a 0600 file in a fresh 0700 folder in XDG_RUNTIME_DIR; the registry stays locked meanwhile."""
    editor.plan({"do": "noop"})
    runner.ok("edit")
    (run,) = editor.runs()
    path = Path(run["path"])
    assert path.parent.parent == Path(os.environ["XDG_RUNTIME_DIR"])
    assert path.parent.name.startswith("refaudit-edit-")
    assert (run["dir_mode"], run["file_mode"], run["locked"]) == (0o700, 0o600, True)
    assert not path.parent.exists()


def test_invalid_change_without_terminal_writes_nothing(
    runner: Runner, jane: Path, editor: Editor, canary: str
) -> None:
    """Without a terminal an invalid save is exit 1 saying what is wrong, and the registry is unchanged."""
    editor.plan({"do": "replace", "old": "jane@example.com", "new": "jane(at)example"})
    before = jane.read_bytes()
    result = runner("edit")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The edited registry is not valid: references[0].email 'jane(at)example' is not an email "
        "address like jane@example.com. Nothing was written.\n"
    )
    assert jane.read_bytes() == before
    assert _plaintext_left(canary) == []


def test_invalid_change_reopens_with_the_edits_kept(
    runner: Runner, jane: Path, editor: Editor, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal an invalid save is reported and re-opened with the user's edits kept, then saved once fixed."""
    monkeypatch.setattr(interop_cmd, "stdin_is_terminal", lambda: True)
    editor.plan(
        {"do": "replace", "old": "jane@example.com", "new": "jane(at)example"},
        {"do": "replace", "old": "jane(at)example", "new": "jane@example.org", "expect": "jane(at)example"},
    )
    result = runner("edit", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Error: references[0].email 'jane(at)example' is not an email address" in result.stderr
    assert "Re-open the editor to fix it?" in result.stderr
    assert len(editor.runs()) == 2
    assert _decrypted(jane)["references"][0]["email"] == "jane@example.org"
    assert _plaintext_left(canary) == []


def test_declining_to_reopen_writes_nothing(
    runner: Runner, jane: Path, editor: Editor, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering no to re-opening an invalid file discards it: exit 1 and the registry unchanged."""
    monkeypatch.setattr(interop_cmd, "stdin_is_terminal", lambda: True)
    editor.plan({"do": "replace", "old": "status: active", "new": "status: asleep"})
    before = jane.read_bytes()
    result = runner("edit", input="n\n")
    assert result.exit_code == 1
    assert "Nothing was written." in result.stderr
    assert jane.read_bytes() == before
    assert _plaintext_left(canary) == []


@pytest.mark.parametrize(
    "step",
    [
        {"do": "noop"},
        {"do": "write", "text": ""},
        {"do": "replace", "old": "references:", "new": "# a comment the user added\nreferences:"},
    ],
    ids=["unchanged", "emptied", "comment-only"],
)
def test_abort_or_no_change_writes_nothing(
    runner: Runner, jane: Path, editor: Editor, canary: str, step: dict[str, Any]
) -> None:
    """Quitting without saving, emptying the file, or changing only comments writes nothing."""
    editor.plan(step)
    before = jane.read_bytes()
    result = runner.ok("edit")
    assert result.stdout == "No changes; nothing was written.\n"
    assert jane.read_bytes() == before
    assert _plaintext_left(canary) == []


def test_editor_crash_writes_nothing(runner: Runner, jane: Path, editor: Editor, canary: str) -> None:
    """An editor that exits non-zero is exit 1 and nothing is written, even after changing the file."""
    editor.plan({"do": "exit", "code": 3})
    before = jane.read_bytes()
    result = runner("edit")
    assert result.exit_code == 1
    assert result.stderr == "Error: The editor exited with status 3; nothing was written.\n"
    assert jane.read_bytes() == before
    assert _plaintext_left(canary) == []


def test_missing_editor_is_a_clear_error(
    runner: Runner, jane: Path, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An EDITOR that does not exist is exit 1 naming it, with nothing left behind."""
    monkeypatch.setenv("EDITOR", "no-such-editor-here --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    result = runner("edit")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Cannot start the editor 'no-such-editor-here': not found. Set VISUAL or EDITOR; nothing was written.\n"
    )
    assert _plaintext_left(canary) == []


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"], ids=["ctrl-c", "sigterm"])
def test_interrupt_removes_the_plaintext(
    runner: Runner, jane: Path, editor: Editor, canary: str, signal_name: str
) -> None:
    """Ctrl-C or SIGTERM while the editor is open aborts, writes nothing, and removes the plaintext."""
    editor.plan({"do": "signal", "signal": signal_name})
    before = jane.read_bytes()
    result = runner("edit")
    assert result.exit_code == 1
    assert jane.read_bytes() == before
    (run,) = editor.runs()
    assert not Path(run["path"]).parent.exists()
    assert _plaintext_left(canary) == []


def test_without_tmpfs_it_warns_and_still_cleans_up(
    runner: Runner, jane: Path, editor: Editor, canary: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With neither XDG_RUNTIME_DIR nor /dev/shm, the system temp folder is used with a warning, and cleaned."""
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(editing, "SHM", tmp_path / "no-shm")
    editor.plan({"do": "replace", "old": "name: Jane Doe", "new": "name: Jane Q. Doe"})
    result = runner.ok("edit")
    assert result.stderr.startswith("Warning: no tmpfs found ($XDG_RUNTIME_DIR, ")
    (run,) = editor.runs()
    assert Path(run["path"]).parent.parent == Path(tempfile.gettempdir())
    assert _plaintext_left(canary) == []


def test_history_cannot_be_edited(runner: Runner, jane: Path, editor: Editor) -> None:
    """Adding a history key in the editor is refused: refaudit keeps the history itself."""
    editor.plan({"do": "replace", "old": "refaudit: 3\n", "new": "refaudit: 3\nhistory: []\n"})
    before = jane.read_bytes()
    result = runner("edit")
    assert result.exit_code == 1
    assert "history are kept by refaudit and cannot be edited" in result.stderr
    assert jane.read_bytes() == before


def test_removing_a_reference_erases_them_from_history_and_backup(
    runner: Runner, jane: Path, editor: Editor, canary: str
) -> None:
    """Deleting a reference in the editor erases them like 'ref remove': history mentions and the backup too."""
    runner.ok("ref", "add", "Bob Smith")
    text = yaml.safe_dump(
        {
            "refaudit": 1,
            "references": [{"id": "bob-smith", "name": "Bob Smith", "added_on": date.today()}],
            "applications": [],
            "feedback": [],
        }
    )
    editor.plan({"do": "write", "text": text})
    result = runner.ok("edit")
    assert result.stdout == "Saved: edited the registry: 1 reference removed.\n"
    for path in (jane, jane.with_name(jane.name + ".bak")):
        data = _decrypted(path)
        assert [r["id"] for r in data["references"]] == ["bob-smith"]
        assert "jane" not in json.dumps([h["summary"] for h in data["history"]]).lower()
        assert canary not in json.dumps(data, default=str)


def test_visual_wins_over_editor(runner: Runner, jane: Path, editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    """$VISUAL is used before $EDITOR, as git and crontab do."""
    monkeypatch.setenv("VISUAL", editor.command)
    monkeypatch.setenv("EDITOR", "false")
    editor.plan({"do": "replace", "old": "name: Jane Doe", "new": "name: Jane Q. Doe"})
    runner.ok("edit")
    assert len(editor.runs()) == 1


def test_edit_file_mode_is_private(tmp_path: Path) -> None:
    """The workspace is a 0700 folder holding a 0600 file, and it is gone once left."""
    with editing._workspace(tmp_path, "secret") as path:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        (path.parent / ".registry.yaml.swp").write_text("secret swap")
    assert not path.parent.exists()


def test_edit_refuses_a_date_in_the_future(
    runner: Runner, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date after today typed in the editor is refused, naming it; nothing is written."""
    runner.ok("ref", "add", "Jane Doe")
    script = tmp_path / "future_editor.py"
    script.write_text(
        "import sys\np = sys.argv[1]\nt = open(p).read()\n"
        "open(p, 'w').write(t.replace('name: Jane Doe', 'name: Jane Doe\\n  known_since: 2099-01-01'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    before = registry.read_bytes()
    result = runner("edit")
    assert result.exit_code == 1
    assert "known_since 2099-01-01 is in the future" in result.stderr
    assert registry.read_bytes() == before
