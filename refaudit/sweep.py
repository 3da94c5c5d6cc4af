"""Leftovers of refaudit processes that were killed: found, reported, removed.

SIGKILL (or a power cut) cannot be caught, so two things can outlive a process:

- ``.<registry>.<random>.tmp`` beside the registry: a whole encrypted copy from a save
  that never finished. After ``ref remove`` or ``passwd`` such a copy still holds the
  removed person and still opens with the old passphrase. A save removes them while it
  holds the registry's lock (``stale_temps`` finds them; ``store`` removes them).
- ``refaudit-edit-<pid>-<random>/`` on tmpfs: the plaintext of an ``edit`` whose process
  is gone. ``sweep_edit_folders`` shreds this user's folders whose owner process no
  longer runs; every command that opens the registry calls it first.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from refaudit import fileio

EDIT_PREFIX = "refaudit-edit-"
_EDIT_NAME = re.compile(rf"^{re.escape(EDIT_PREFIX)}(\d+)-[A-Za-z0-9_]+$")


def edit_prefix() -> str:
    """The name an ``edit`` folder starts with: it records the pid that owns it."""
    return f"{EDIT_PREFIX}{os.getpid()}-"


def temp_pattern(registry_name: str) -> re.Pattern[str]:
    """The names ``store`` gives its temporary files for this registry and its backup."""
    return re.compile(rf"^\.{re.escape(registry_name)}(?:\.bak)?\.[A-Za-z0-9_]{{8}}\.tmp$")


def stale_temps(registry: Path) -> list[Path]:
    """Temporary files of unfinished saves beside ``registry`` (leftovers, unless a save runs now)."""
    pattern = temp_pattern(registry.name)
    try:
        names = os.listdir(registry.parent)
    except OSError:
        return []
    return sorted(registry.parent / n for n in names if pattern.match(n))


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
