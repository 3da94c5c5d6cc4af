"""Windows without POSIX calls: importing every module works, and a registry is made, saved and read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from refaudit import fileio
from tests.conftest import CHEAP_KDF, PASSPHRASE

# What Windows (before Python 3.13 for fchmod) does not have and refaudit itself reaches for: removed before
# refaudit is imported. (filelock picks its Windows lock there; here a stand-in takes its place.)
WINDOWS_LACKS = ("fchmod", "geteuid", "getuid", "O_NOFOLLOW", "O_DIRECTORY")

_SCRIPT = f"""
import os, pkgutil, importlib, sys
import filelock


class WindowsLockStandIn:  # filelock's POSIX locks call fchmod; on Windows filelock uses msvcrt instead
    def __init__(self, path, timeout=-1, mode=0o644):
        self.path = path

    def acquire(self):
        open(self.path, "a").close()

    def release(self):
        pass


filelock.FileLock = WindowsLockStandIn
import platformdirs.unix, platformdirs._runtime  # on Windows platformdirs has its own module; load the POSIX one first
for name in {WINDOWS_LACKS!r}:
    if hasattr(os, name):
        delattr(os, name)
import refaudit
for module in pkgutil.walk_packages(refaudit.__path__, "refaudit."):
    if module.name.endswith("__main__"):
        continue
    importlib.import_module(module.name)
from click.testing import CliRunner
from refaudit.cli import cli
runner = CliRunner()
for args in (["init", *{CHEAP_KDF!r}], ["ref", "add", "Jane Doe", "--phone", "+1 555 0100"], ["ref", "list"],
             ["export", "-o", sys.argv[1]]):
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
print(open(sys.argv[1], encoding="utf-8").read())
"""


def test_every_module_imports_and_a_registry_works_without_posix_calls(tmp_path: Path) -> None:
    """With os.fchmod, os.geteuid and the POSIX open flags gone, nothing crashes: init, add, list, export."""
    env = {**os.environ, "REFAUDIT_REGISTRY": str(tmp_path / "r.refaudit"), "REFAUDIT_PASSPHRASE": PASSPHRASE}
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path / "out.yaml")],
        capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1], check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "name: Jane Doe" in result.stdout


def test_private_files_and_ownership_without_fchmod_or_geteuid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """create_private writes the bytes exactly (no newline translation) without fchmod; every file is ours
    where there are no POSIX owner ids."""
    monkeypatch.delattr(os, "fchmod")
    monkeypatch.delattr(os, "geteuid")
    data = b"line one\r\nline two\n\x1a\x00end"
    fileio.create_private(tmp_path / "f", data)
    assert (tmp_path / "f").read_bytes() == data
    assert fileio.mine((tmp_path / "f").stat())
