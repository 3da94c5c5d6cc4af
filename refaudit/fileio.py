"""Private files written whole: the one atomic write and the one quiet unlink.

Every file refaudit writes holds personal data or keys, so every one is created ``0600``
(whatever the umask), written through a fresh temporary file beside its target, flushed
and fsynced before it is renamed into place, and the folder fsynced after the rename
(click's ``_AtomicFile``, KeePassXC's ``QSaveFile``). Errors are ``OSError``; the caller
says what could not be saved.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation on a descriptor from os.open


def mine(info: os.stat_result) -> bool:
    """Whether the file ``info`` describes belongs to this user (always on Windows: no POSIX owner ids)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or info.st_uid == geteuid()


# Every temporary file refaudit writes is named by ``temp_name``: ``.<target>.refaudit-<pid>-<hex>.tmp``.
# The pid says whose it is (a sweep removes only those of processes that are gone), the hex
# makes it unique. The pattern that finds them is built from ``temp_name`` itself, so the
# writer and the sweep cannot drift apart again (they once did: 12 hex written, 8 looked for).
_TEMP_HEX_BYTES = 6


def temp_name(target: str, pid: str | None = None, unique: str | None = None) -> str:
    """The name of a temporary file for ``target`` (a file name, no folder): this process's, random."""
    pid = str(os.getpid()) if pid is None else pid
    unique = secrets.token_hex(_TEMP_HEX_BYTES) if unique is None else unique
    return f".{target}.refaudit-{pid}-{unique}.tmp"


def _temp_pattern() -> re.Pattern[str]:
    marks = ("\x00T", "\x00P", "\x00H")
    text = re.escape(temp_name(*marks))
    groups = ("(?P<target>.+)", r"(?P<pid>\d+)", f"(?P<hex>[0-9a-f]{{{2 * _TEMP_HEX_BYTES}}})")
    for mark, group in zip(marks, groups, strict=True):
        text = text.replace(re.escape(mark), group)
    return re.compile(f"^{text}$", re.DOTALL)


_TEMP_RE = _temp_pattern()


def parse_temp_name(name: str) -> tuple[str, int] | None:
    """``(target, pid)`` when ``name`` is one of ``temp_name``'s names, else ``None``."""
    match = _TEMP_RE.match(name)
    return (match["target"], int(match["pid"])) if match else None


def unlink_quietly(path: Path) -> None:
    """Remove ``path`` if it is there; a failure to remove it is not worth an error."""
    with contextlib.suppress(OSError):
        path.unlink()


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable; some filesystems refuse fsync on folders, which is fine."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # the rename is already done; durability is the best this filesystem offers
    finally:
        os.close(fd)


def create_private(path: Path, data: bytes) -> None:
    """Create ``path`` (never an existing file, never through a symlink) ``0600`` and fsync it.

    ``FileExistsError`` when something is already there. A half-written file is removed.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | BINARY, 0o600)
    try:
        # O_CREAT's mode is filtered by the umask; say it outright. Windows before Python 3.13 has no
        # fchmod (and its chmod only sets read-only): the file's ACL, inherited from the folder, decides.
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        unlink_quietly(path)
        raise


def write_temp(beside: Path, data: bytes) -> Path:
    """A new private temporary file in ``beside``'s folder holding ``data``, fsynced; returns its path."""
    tmp = beside.with_name(temp_name(beside.name))
    create_private(tmp, data)
    return tmp


def replace_private(path: Path, data: bytes, *, mtime: float | None = None) -> None:
    """Atomically replace (or create) ``path`` with ``data``: the old file or the new, whole, at any instant.

    ``mtime`` sets the new file's modification time before it becomes visible (sessions keep
    their expiry there).
    """
    tmp = write_temp(path, data)
    try:
        if mtime is not None:
            os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)
    except BaseException:
        unlink_quietly(tmp)
        raise
    fsync_dir(path.parent)


__all__ = [
    "create_private",
    "fsync_dir",
    "parse_temp_name",
    "replace_private",
    "temp_name",
    "unlink_quietly",
    "write_temp",
]
