"""Leftovers of refaudit processes that were killed: found, reported, removed.

SIGKILL (or a power cut) cannot be caught, so two things can outlive a process:

- ``.<target>.refaudit-<pid>-<hex>.tmp`` (``fileio.temp_name``) beside a file refaudit
  writes: beside the registry a whole encrypted copy from a save that never finished
  (after ``ref remove`` or ``passwd`` it still holds the removed person and still opens
  with the old passphrase); beside an export, report, draft or calendar, plaintext. A
  save removes the registry's while it holds the lock; every other command removes those
  beside its own target whose process is gone (``remove_stale``); ``verify`` reports and
  removes those of gone processes in the registry's folder and the current folder.
- ``refaudit-edit-<pid>-<random>/`` on tmpfs: the plaintext of an ``edit`` whose process
  is gone. ``sweep_edit_folders`` shreds this user's folders whose owner process no
  longer runs; every command that opens the registry calls it first.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from refaudit import fileio

EDIT_PREFIX = "refaudit-edit-"
_EDIT_NAME = re.compile(rf"^{re.escape(EDIT_PREFIX)}(\d+)-[A-Za-z0-9_]+$")
_SEALED = b"REFAUDIT"  # vault.MAGIC: an encrypted registry (spelled here so the sweep loads no cryptography)


def edit_prefix() -> str:
    """The name an ``edit`` folder starts with: it records the pid that owns it."""
    return f"{EDIT_PREFIX}{os.getpid()}-"


@dataclass(frozen=True)
class Leftover:
    """A temporary file a killed refaudit process left: where, and whether it is plaintext."""

    path: Path
    plaintext: bool


def temps_beside(targets: Sequence[Path], *, any_pid: bool = False) -> list[Leftover]:
    """The temp files (``fileio.temp_name``) of ``targets``, in their folders, whose process is gone.

    ``any_pid`` takes those of live processes too: only for the registry, under its lock,
    where no other save can be under way.
    """
    found: list[Leftover] = []
    for folder, names in _by_folder(targets).items():

        def ours(target: str, pid: int, names: set[str] = names) -> bool:
            return target in names and (any_pid or not _alive(pid))

        found += _temps_in(folder, ours)
    return sorted(found, key=lambda f: str(f.path))


def temps_in(folders: Sequence[Path]) -> list[Leftover]:
    """Every refaudit temp file in ``folders`` whose process is gone, whatever its target."""
    found: list[Leftover] = []
    for folder in dict.fromkeys(Path(os.path.realpath(f)) for f in folders):
        found += _temps_in(folder, lambda _target, pid: not _alive(pid))
    return sorted(found, key=lambda f: str(f.path))


def remove(leftovers: Sequence[Leftover]) -> list[Leftover]:
    """Delete ``leftovers``; returns those that are gone now."""
    for leftover in leftovers:
        fileio.unlink_quietly(leftover.path)
    return [leftover for leftover in leftovers if not leftover.path.exists()]


def remove_stale(target: Path) -> list[Leftover]:
    """Delete the temp files that killed processes left beside ``target``; returns them."""
    return remove(temps_beside([target]))


def notice(left: Leftover) -> str:
    """One line saying what a removed leftover was; a plaintext one says it held names in the clear."""
    if left.plaintext:
        return (
            f"removed {str(left.path)!r}, left by a refaudit command that was interrupted: it was NOT encrypted "
            "(an export, report, draft or calendar being written) and may have named your references"
        )
    return f"removed {str(left.path)!r}, left from a save that was interrupted: an older encrypted copy"


def _by_folder(targets: Sequence[Path]) -> dict[Path, set[str]]:
    folders: dict[Path, set[str]] = {}
    for target in targets:
        folders.setdefault(target.parent, set()).add(target.name)
    return folders


def _temps_in(folder: Path, wanted: Callable[[str, int], bool]) -> list[Leftover]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        parsed = fileio.parse_temp_name(name)
        if parsed is None or not wanted(*parsed):
            continue
        path = folder / name
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            with path.open("rb") as fh:
                head = fh.read(len(_SEALED))
        except OSError:
            continue
        found.append(Leftover(path, plaintext=head != _SEALED))
    return found


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a pid we wrote; leave it alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is not ours to signal
    return True


def edit_bases(environ: Mapping[str, str]) -> list[Path]:
    """Every folder ``edit`` may put its plaintext in (see ``editing.private_base``)."""
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    bases = [Path(runtime)] if runtime else []
    bases += [Path("/dev/shm"), Path(tempfile.gettempdir())]
    return list(dict.fromkeys(bases))


def stale_edit_folders(environ: Mapping[str, str]) -> list[Path]:
    """This user's ``edit`` folders whose owner process is gone."""
    found = []
    for base in edit_bases(environ):
        try:
            names = [n for n in os.listdir(base) if n.startswith(EDIT_PREFIX)]
        except OSError:
            continue
        for name in names:
            match = _EDIT_NAME.match(name)
            if not match:
                continue
            folder = base / name
            try:
                info = folder.lstat()
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode) and fileio.mine(info) and not _alive(int(match.group(1))):
                found.append(folder)
    return found


def sweep_edit_folders(environ: Mapping[str, str]) -> list[Path]:
    """Shred and remove this user's stale ``edit`` folders; returns those removed."""
    stale = stale_edit_folders(environ)
    if not stale:
        return []
    from refaudit.editing import _shred as shred  # one way to shred; imported only when needed

    removed = []
    for folder in stale:
        shred(folder)
        if not folder.exists():
            removed.append(folder)
    return removed
