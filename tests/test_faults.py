"""Faults during a save: a full disk, a read-only folder, fsync failing. Nothing is lost."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from refaudit import store
from tests.conftest import CHEAP_KDF, Runner


def temp_files(registry: Path) -> list[Path]:
    return sorted(registry.parent.glob(f".{registry.name}*.tmp"))


def failing(code: int, message: str):  # type: ignore[no-untyped-def]
    def raise_it(*_: object, **__: object) -> None:
        raise OSError(code, message)

    return raise_it


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (errno.ENOSPC, "No space left on device", "No space left on device"),
        (errno.EIO, "Input/output error", "Input/output error"),
    ],
    ids=["enospc", "eio"],
)
def test_fsync_failure_leaves_registry_and_no_temp_file(
    runner: Runner, registry: Path, monkeypatch: pytest.MonkeyPatch, code: int, message: str, expected: str
) -> None:
    """When writing the new version fails, the error says why and the old registry stays, whole."""
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    monkeypatch.setattr(store.os, "fsync", failing(code, message))
    result = runner("ref", "add", "Bob Smith")
    assert result.exit_code == 1
    assert expected in result.stderr and "not changed" in result.stderr
    assert registry.read_bytes() == before
    assert temp_files(registry) == []


def test_replace_failure_keeps_old_registry(runner: Runner, registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the old registry is intact and the temp file is removed."""
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    monkeypatch.setattr(store.os, "replace", failing(errno.EXDEV, "Invalid cross-device link"))
    result = runner("ref", "add", "Bob Smith")
    assert result.exit_code == 1
    assert "Invalid cross-device link" in result.stderr
    assert registry.read_bytes() == before
    assert temp_files(registry) == []


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB tmpfs (needs root and mount; skipped elsewhere)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:  # fmt: skip
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_mid_write(runner: Runner, small_tmpfs: Path) -> None:
    """On a really full disk the save fails cleanly and the registry opens with its old contents."""
    registry = small_tmpfs / "registry.refaudit"
    runner.ok("--registry", str(registry), "init", *CHEAP_KDF)
    runner.ok("--registry", str(registry), "ref", "add", "Jane Doe", "--note", "x" * 4000)
    filler = small_tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    before = registry.read_bytes()
    result = runner("--registry", str(registry), "ref", "add", "Bob Smith", "--note", "y" * 4000)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert registry.read_bytes() == before
    assert temp_files(registry) == []
    filler.unlink()
    assert "jane-doe" in runner.ok("--registry", str(registry), "ref", "list").stdout


def test_read_only_folder(runner: Runner, small_tmpfs: Path) -> None:
    """A folder that became read-only: the save is refused with the reason, the registry still opens."""
    registry = small_tmpfs / "registry.refaudit"
    runner.ok("--registry", str(registry), "init", *CHEAP_KDF)
    before = registry.read_bytes()
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], capture_output=True)
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only here")
    result = runner("--registry", str(registry), "ref", "add", "Bob Smith", env={"REFAUDIT_LOCK_TIMEOUT": "1"})
    assert result.exit_code == 1
    assert "Read-only file system" in result.stderr or "read-only" in result.stderr.lower()
    assert registry.read_bytes() == before
    assert runner("--registry", str(registry), "ref", "list").exit_code == 0
