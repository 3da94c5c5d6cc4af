"""Writes that cannot lose: leftovers of killed processes, rollbacks, sessions, report targets.

Each test reproduces an attack of the third round's red team (issue 23) against the real CLI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from refaudit import fileio, sweep, vault
from refaudit.errors import AuthError, DamagedError
from tests.conftest import PASSPHRASE, Runner

REPO = Path(__file__).resolve().parents[1]

# A refaudit that SIGKILLs itself at the first rename of one of its temp files: the instant
# a save (or an export) has written everything but made none of it visible.
_KILLED_AT_RENAME = """
import os, signal, sys
from refaudit import fileio
real = os.replace
def replace(src, dst, *a, **k):
    if fileio.parse_temp_name(os.path.basename(os.fspath(src))):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *a, **k)
os.replace = replace
from refaudit.cli import main
sys.argv = ["refaudit", *sys.argv[1:]]
main()
"""


def killed_at_rename(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_AT_RENAME, *args], env=env, capture_output=True, check=False, timeout=120
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()


def temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if fileio.parse_temp_name(p.name))


def opens_with(path: Path, passphrase: str) -> bool:
    try:
        vault.unlock_passphrase(path.read_bytes(), passphrase)
    except (AuthError, DamagedError):
        return False
    return True


# --- 1. temp files: one naming rule, swept by the next run ------------------------------


def test_one_function_builds_and_matches_temp_names() -> None:
    """What the writer names, the sweep finds: the pattern is derived from the builder."""
    name = fileio.temp_name("registry.refaudit")
    assert name.startswith(".registry.refaudit.refaudit-") and name.endswith(".tmp")
    assert fileio.parse_temp_name(name) == ("registry.refaudit", os.getpid())
    assert fileio.parse_temp_name(".registry.refaudit.a1b2c3d4.tmp") is None  # the old 8-hex name is not ours
    assert fileio.parse_temp_name(".x.refaudit-12-0123456789ab.tmp.bak") is None


def test_save_killed_at_rename_is_cleaned_by_ref_remove(runner: Runner, registry: Path) -> None:
    """A save killed at the rename leaves whole encrypted copies holding Jane; ref remove leaves none of them."""
    runner.ok("ref", "add", "Jane Doe")
    killed_at_rename("ref", "add", "Bob Smith")
    left = temps(registry.parent)
    assert left, "the kill left no temp file: the test did not reproduce the crash"
    runner.ok("ref", "remove", "jane-doe", "--yes")
    assert temps(registry.parent) == []
    assert sorted(p.name for p in registry.parent.iterdir() if p.is_file()) == [
        "registry.refaudit",
        "registry.refaudit.bak",
        "registry.refaudit.lock",
    ]


def test_save_killed_at_rename_is_cleaned_by_passwd(runner: Runner, registry: Path) -> None:
    """After passwd, the old passphrase opens nothing beside the registry, even a killed save's copy."""
    runner.ok("ref", "add", "Jane Doe")
    killed_at_rename("ref", "add", "Bob Smith")
    assert any(opens_with(p, PASSPHRASE) for p in temps(registry.parent))
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "another long passphrase"})
    assert temps(registry.parent) == []
    assert not any(opens_with(p, PASSPHRASE) for p in registry.parent.iterdir() if p.name.startswith("registry"))


def test_killed_export_leaves_plaintext_that_the_next_export_removes(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """A killed export --force leaves a plaintext temp file; the next export to that file removes it and warns."""
    runner.ok("ref", "add", "Jane Doe")
    target = tmp_path / "all.yaml"
    target.write_text("old\n", encoding="utf-8")
    killed_at_rename("export", "-o", str(target), "--force")
    (left,) = temps(tmp_path)
    assert b"Jane Doe" in left.read_bytes()
    result = runner.ok("export", "-o", str(target), "--force")
    assert (
        f"Warning: removed '{left}', left by a refaudit command that was interrupted: it was NOT encrypted "
        "(an export, report, draft or calendar being written) and may have named your references.\n"
    ) in result.stderr
    assert temps(tmp_path) == []


def test_sweep_never_touches_a_live_process_temp(tmp_path: Path) -> None:
    """A temp file whose process runs (an export under way) is not a leftover."""
    target = tmp_path / "all.yaml"
    live = tmp_path / fileio.temp_name(target.name)
    live.write_bytes(b"being written")
    assert sweep.temps_beside([target]) == []
    gone = tmp_path / fileio.temp_name(target.name, "999999999", "0123456789ab")
    gone.write_bytes(b"REFAUDIT...")
    assert sweep.temps_beside([target]) == [sweep.Leftover(gone, plaintext=False)]


@pytest.mark.parametrize("pid", ["0", "999999999"])
def test_sweep_under_the_lock_takes_every_registry_temp(runner: Runner, registry: Path, pid: str) -> None:
    """Under the registry's lock no other save runs: its temp files go whatever their pid says."""
    stray = registry.with_name(fileio.temp_name(registry.name, pid, "0123456789ab"))
    stray.write_bytes(registry.read_bytes())
    runner.ok("ref", "add", "Jane Doe")
    assert not stray.exists()
