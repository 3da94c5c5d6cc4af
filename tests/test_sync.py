"""``refaudit sync init`` and ``refaudit sync``: two machines, one bare repository on disk, real git.

Each machine has its own home (git identity, config) and its own state folder (device id);
both use this refaudit as git's merge driver. They record changes offline, then each runs
``refaudit sync``; at the end both hold the same registry.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from refaudit.copies import gitsync
from tests.conftest import CHEAP_KDF, Runner

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class Machine:
    def __init__(self, runner: Runner, root: Path, name: str) -> None:
        self.runner = runner
        self.home = root / f"home-{name}"
        self.home.mkdir()
        self.registry = root / name / "registry.refaudit"
        self.env = {
            "HOME": str(self.home),
            "XDG_STATE_HOME": str(self.home / "state"),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "REFAUDIT_REGISTRY": str(self.registry),
        }

    def __call__(self, *args: str, code: int = 0) -> str:
        result = self.runner(*args, env=self.env)  # type: ignore[arg-type]
        assert result.exit_code == code, f"refaudit {' '.join(args)} -> {result.exit_code}\n{result.output}"
        return result.output

    def export(self) -> str:
        result = self.runner("export", "--format", "json", env=self.env)  # type: ignore[arg-type]
        assert result.exit_code == 0, result.output
        return result.stdout


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


@pytest.fixture
def laptop(runner: Runner, tmp_path: Path, remote: Path) -> Machine:
    m = Machine(runner, tmp_path, "laptop")
    m("init", *CHEAP_KDF, "--no-recovery-key")
    m("ref", "add", "Jane Doe", "--relationship", "manager")
    m("app", "add", "Acme", "--role", "Analyst", "--ref", "jane-doe")
    assert m("sync", "init", str(remote), "--discard-backup") == (
        f"{m.registry.parent} is a git repository now, pushed to {remote}.\n"
    )
    return m


@pytest.fixture
def desktop(runner: Runner, tmp_path: Path, remote: Path, laptop: Machine) -> Machine:
    m = Machine(runner, tmp_path, "desktop")
    assert m("sync", "init", str(remote)) == f"fetched the registry from {remote} into {m.registry.parent}.\n"
    return m


def test_sync_init_writes_the_driver_the_attributes_and_the_ignores(laptop: Machine) -> None:
    folder = laptop.registry.parent
    config = subprocess.run(
        ["git", "-C", str(folder), "config", "merge.refaudit.driver"], capture_output=True, text=True
    )
    assert config.stdout == "refaudit merge-driver %O %A %B\n"
    assert (folder / ".gitattributes").read_text() == "/registry.refaudit -text -diff merge=refaudit\n"
    assert (folder / ".gitignore").read_text().splitlines() == [
        "/registry.refaudit.lock", "/registry.refaudit.bak", ".*.refaudit-*.tmp", "*.orig",
    ]  # fmt: skip


def test_two_machines_offline_then_one_sync_each_hold_the_same_registry(laptop: Machine, desktop: Machine) -> None:
    """A week apart on each: every report, every field, every erasure is on both after one sync each (and one more)."""
    laptop("ref", "edit", "jane-doe", "--note", "Met at the offsite")
    laptop("feedback", "log", "jane-doe", "--sentiment", "positive", "--source", "recruiter")
    laptop("ref", "add", "Omar Li")
    desktop("ref", "edit", "jane-doe", "--org", "Globex")
    desktop("feedback", "log", "jane-doe", "--sentiment", "negative", "--source", "employer")
    desktop("ref", "add", "Bob Ray")
    desktop("ref", "remove", "bob-ray", "--yes")
    desktop("app", "update", "acme-analyst", "--stage", "interview")
    assert laptop("sync") == "Synced: pushed.\n"
    assert desktop("sync") == "Synced: pulled the other machines' changes and pushed.\n"
    assert laptop("sync") == "Synced: pulled the other machines' changes and pushed.\n"
    assert laptop.export() == desktop.export()
    data = json.loads(laptop.export())
    assert [r["id"] for r in data["references"]] == ["jane-doe", "omar-li"]
    assert (data["references"][0]["notes"], data["references"][0]["organization"]) == ("Met at the offsite", "Globex")
    assert sorted(f["sentiment"] for f in data["feedback"]) == ["negative", "positive"]
    assert data["applications"][0]["stage"] == "interview"
    for m in (laptop, desktop):
        assert m("verify").startswith("OK: ")
        backup = m.registry.with_name("registry.refaudit.bak")
        assert not backup.exists() or backup.read_bytes() == m.registry.read_bytes()  # Bob is erased there too
        assert oct(m.registry.stat().st_mode & 0o777) == "0o600"


def test_sync_init_beside_a_registry_with_another_history_refuses(
    runner: Runner, tmp_path: Path, remote: Path, laptop: Machine
) -> None:
    other = Machine(runner, tmp_path, "other")
    other("init", *CHEAP_KDF, "--no-recovery-key")
    before = other.registry.read_bytes()
    out = other("sync", "init", str(remote), "--discard-backup", code=1)
    assert "already holds a registry whose history differs from this one" in out and "refaudit merge" in out
    assert other.registry.read_bytes() == before


def test_sync_init_refuses_beside_a_backup(runner: Runner, tmp_path: Path, remote: Path) -> None:
    m = Machine(runner, tmp_path, "m")
    m("init", *CHEAP_KDF, "--no-recovery-key")
    m("ref", "add", "Jane Doe")  # the save leaves registry.refaudit.bak
    out = m("sync", "init", str(remote), code=1)
    assert "--discard-backup" in out and m.registry.with_name("registry.refaudit.bak").exists()


def test_a_git_failure_is_exit_1_quoting_git_and_the_registry_is_unchanged(laptop: Machine, remote: Path) -> None:
    laptop("ref", "add", "Omar Li")
    shutil.rmtree(remote)
    before = laptop.registry.read_bytes()
    out = laptop("sync", code=1)
    assert out.startswith("Error: Git ls-remote failed: fatal: ")
    assert laptop.registry.read_bytes() == before


def test_sync_before_sync_init_says_what_to_do(runner: Runner, tmp_path: Path) -> None:
    m = Machine(runner, tmp_path, "m")
    m("init", *CHEAP_KDF, "--no-recovery-key")
    assert "run 'refaudit sync init REMOTE' first" in m("sync", code=1)


def test_the_passphrase_changed_on_another_machine_is_said(laptop: Machine, desktop: Machine) -> None:
    """The newest passwd wins the merge; sync says so on the other machine."""
    desktop("passwd", "--new-passphrase-file", str(_secret(desktop.home, "a new passphrase")))
    desktop.env["REFAUDIT_PASSPHRASE"] = "a new passphrase"
    desktop("ref", "add", "Bob Ray")
    laptop("ref", "add", "Omar Li")
    desktop("sync")
    out = laptop("sync")
    assert "the passphrase was changed on another machine" in out


def _secret(folder: Path, text: str) -> Path:
    path = folder / "secret"
    path.write_text(text + "\n")
    return path


def test_first_error_finds_gits_reason() -> None:
    assert gitsync.first_error("hint: x\nfatal: 'nowhere' does not appear to be a git repository\n") == (
        "fatal: 'nowhere' does not appear to be a git repository"
    )
    assert gitsync.first_error("") == "no message"


@pytest.mark.parametrize("remote", ["--upload-pack=touch /tmp/pwned", "", "a\nb"], ids=["option", "empty", "newline"])
def test_a_remote_that_git_would_take_for_an_option_is_refused(runner: Runner, tmp_path: Path, remote: str) -> None:
    m = Machine(runner, tmp_path, "m")
    m("init", *CHEAP_KDF, "--no-recovery-key")
    out = m("sync", "init", "--discard-backup", "--", remote, code=1)
    assert "is not a git remote; give a path, an ssh address or a URL" in out
    assert not (m.registry.parent / ".git").exists()


def test_sync_without_a_remote_says_how_to_add_one(runner: Runner, tmp_path: Path) -> None:
    m = Machine(runner, tmp_path, "m")
    m("init", *CHEAP_KDF, "--no-recovery-key")
    assert (
        m("sync", "init")
        == f"{m.registry.parent} is a git repository now; add a remote with 'refaudit sync init REMOTE'.\n"
    )
    assert "has no remote yet: run 'refaudit sync init REMOTE'" in m("sync", code=1)
