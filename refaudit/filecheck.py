"""Regular files only: what refaudit reads and writes must not be a FIFO, a device or a folder.

Reading a FIFO waits forever for a writer; reading ``/dev/zero`` never ends; replacing
``/dev/full`` with an atomic rename swaps a device node for a file of plaintext. So the
registry, import sources, settings and every file refaudit writes are checked here
first, and reads are capped. The one exception is a passphrase file, which may be a
pipe (``--passphrase-file <(pass show refaudit)``) and is read up to ``SECRET_LIMIT``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from refaudit import fileio
from refaudit.errors import RefauditError

SECRET_LIMIT = 4096  # docs/SPEC.md: a passphrase file is read up to 4 KiB

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind(mode: int) -> str:
    """What a file of this mode is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def require_writable_target(path: Path, what: str = "the output") -> None:
    """Refuse to write over anything but a regular file (a missing one is fine)."""
    try:
        mode = path.stat().st_mode  # follows a symlink: what counts is what it points at
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise RefauditError(f"cannot use {str(path)!r} as {what}: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(mode):
        raise RefauditError(
            f"{str(path)!r} is {kind(mode)}; refaudit writes {what} only to a regular file. Nothing was written."
        )


def require_new_target(path: Path, what: str, *, force: bool, protected: Iterable[Path] = ()) -> None:
    """Refuse an output before anything is unlocked: one of ``protected`` (the registry's own
    files), anything but a regular file, or an existing file (or link) without ``force``."""
    for own in protected:
        if os.path.realpath(path) == os.path.realpath(own):
            raise RefauditError(f"refusing to write over the registry's own file {str(own)!r}; name another file.")
    require_writable_target(path, what)
    if not force and (path.exists() or path.is_symlink()):
        raise RefauditError(f"{str(path)!r} already exists; refusing to overwrite it (use --force).")


def require_readable_source(path: Path, what: str, *, folder_ok: bool = False) -> None:
    """Refuse to read anything but a regular file (or a folder, where one is meant)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if stat.S_ISREG(mode) or (folder_ok and stat.S_ISDIR(mode)):
        return
    accepted = "a regular file or a folder" if folder_ok else "a regular file"
    raise RefauditError(f"{what} {str(path)!r} is {kind(mode)}; it must be {accepted}.")


def read_regular(path: Path, what: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Opened without blocking, so a FIFO put in its place cannot hang the reader, and
    checked on the open descriptor, so it cannot be swapped after the check.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | fileio.BINARY
    fd = os.open(path, flags)  # the caller turns OSError into its own message
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefauditError(f"{what} {str(path)!r} is {kind(info.st_mode)}, not a regular file.")
        if info.st_size > limit:
            raise RefauditError(f"{what} {str(path)!r} is {info.st_size:,} bytes, more than the {limit:,} allowed.")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # it grew while we read
            raise RefauditError(f"{what} {str(path)!r} is more than the {limit:,} bytes allowed.")
        return data
    finally:
        os.close(fd)


def read_secret_line(path: str, what: str) -> str:
    """The first line of a secret file: a regular file or a pipe, read up to ``SECRET_LIMIT`` bytes."""
    try:
        with open(path, "rb", buffering=0) as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
                raise RefauditError(f"the {what} file {path!r} is {kind(mode)}; give a regular file or a pipe.")
            data = b""
            while len(data) <= SECRET_LIMIT and b"\n" not in data:
                chunk = fh.read(SECRET_LIMIT + 1 - len(data))
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        raise RefauditError(f"cannot read the {what} file {path!r}: {exc.strerror or exc}.") from None
    line = data.split(b"\n", 1)[0]
    if len(line) > SECRET_LIMIT:
        raise RefauditError(f"the {what} file {path!r} has no line break in its first {SECRET_LIMIT} bytes.")
    try:
        return line.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        raise RefauditError(f"the {what} file {path!r} is not UTF-8 text.") from None
