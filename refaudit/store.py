"""The registry on disk: paths, the lock, atomic saves and the backup.

A save writes a temporary file beside the registry (``0600``), fsyncs it, reads it
back and checks it opens, copies the current registry to ``<file>.bak`` the same
way, then ``os.replace``s it into place and fsyncs the directory. A crash at any
instant leaves the old registry or the new one, whole.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from refaudit import filecheck, fileio, jsonio, sweep, vault, yamlio
from refaudit.errors import BusyError, DamagedError, RefauditError, ValidationError
from refaudit.model import Registry
from refaudit.text import as_stored

DEFAULT_LOCK_TIMEOUT = 10.0
MAX_FILE_SIZE = 512 * 1024 * 1024  # far above any real registry; refuses a mistaken path


class Store:
    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        given = Path(path).expanduser()
        # Follow a symlink to its target, so that saves replace the target, never the link.
        self.path = Path(os.path.realpath(given)) if given.is_symlink() else given.absolute()
        self.lock_timeout = lock_timeout

    @property
    def backup_path(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def exists(self) -> bool:
        return self.path.exists()

    def warnings(self) -> list[str]:
        """Things about where the registry lives that its owner should know."""
        found: list[str] = []
        try:
            mode = self.path.parent.stat().st_mode
        except OSError:
            return found
        if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
            found.append(
                f"the folder {str(self.path.parent)!r} can be written by other users, who could replace "
                "or delete your registry; move it somewhere private (e.g. the default location)."
            )
        elif shared := _shared_folder_warning(self.path.parent, mode):
            found.append(shared)
        return found

    def read(self, path: Path | None = None) -> bytes:
        target = path or self.path
        try:
            if target.is_dir():
                raise DamagedError(f"{str(target)!r} is a directory, not a refaudit registry.")
            size = target.stat().st_size
            if size > MAX_FILE_SIZE:
                raise DamagedError(f"{str(target)!r} is {size:,} bytes: too large to be a refaudit registry.")
            return _read_regular(target)
        except FileNotFoundError:
            raise RefauditError(
                f"no registry at {str(target)!r}; create one with 'refaudit init' "
                "(or point --registry / REFAUDIT_REGISTRY at yours)."
            ) from None
        except PermissionError:
            raise RefauditError(f"cannot read {str(target)!r}: permission denied.") from None

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the registry's exclusive lock; wait up to the timeout, then exit 5."""
        import filelock  # only commands that write need it; keeps read-only starts fast

        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = filelock.FileLock(str(self.lock_path), timeout=self.lock_timeout, mode=0o600)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise BusyError(
                f"the registry is busy: another refaudit holds {str(self.lock_path)!r} "
                f"(waited {self.lock_timeout:g} s; set REFAUDIT_LOCK_TIMEOUT to wait longer)."
            ) from None
        except OSError as exc:
            raise RefauditError(
                f"cannot lock {str(self.lock_path)!r}: {exc.strerror or exc}; nothing was changed."
            ) from None
        try:
            yield
        finally:
            self._drop_unused_lock()
            lock.release()

    def _drop_unused_lock(self) -> None:
        """Remove the lock file of a registry that does not exist (an aborted init), while holding it."""
        if not self.path.exists():
            fileio.unlink_quietly(self.lock_path)

    def remove_stale_temps(self) -> list[Path]:
        """Delete the temporary files of earlier saves that were killed; call only under the lock.

        Each is a whole encrypted copy: after ``ref remove`` or ``passwd`` it would still
        hold the removed person and open with the old passphrase.
        """
        # Under the lock no other save is under way, so every temp file of the registry is a leftover.
        return [left.path for left in sweep.remove(sweep.temps_beside([self.path, self.backup_path], any_pid=True))]

    def refuse_existing(self) -> None:
        """Exit 1 when a registry is already there: nothing ever overwrites one by accident."""
        if self.path.exists():
            raise RefauditError(
                f"a registry already exists at {str(self.path)!r}; refusing to overwrite it "
                "(choose another --registry, or remove it yourself if you really mean to)."
            )

    def refuse_old_backup(self, *, discard: bool) -> None:
        """Exit 1 when a backup is where a new registry's would go, unless ``discard``: it may be the only copy left."""
        if not discard and (self.backup_path.exists() or self.backup_path.is_symlink()):
            raise RefauditError(
                f"an old backup {str(self.backup_path)!r} is where the new registry's backup would go, and the first "
                "save would destroy it (it may be the only copy of an earlier registry); move it away, or pass "
                "--discard-backup if you mean to lose it."
            )

    def create(self, blob: bytes, verify: Callable[[bytes], None], *, discard_backup: bool = False) -> None:
        """Write a new registry; refuses when one exists or an old backup is in the way (exit 1).

        ``discard_backup`` removes an old backup once the new registry is written.
        """
        self.refuse_existing()
        self.refuse_old_backup(discard=discard_backup)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._replace(blob, verify, backup=None)
        if discard_backup:
            fileio.unlink_quietly(self.backup_path)

    def save(self, blob: bytes, verify: Callable[[bytes], None], *, previous: bytes | None) -> None:
        """Replace the registry with ``blob``; the backup becomes ``previous``.

        Pass ``previous=blob`` to overwrite the backup with the new contents too
        (erasure: the removed person must not survive in the backup).
        """
        self._replace(blob, verify, backup=previous)

    def replace_backup(self, blob: bytes) -> None:
        """Make the backup a copy of ``blob`` (``verify --accept-rollback``); under the lock."""
        try:
            fileio.replace_private(self.backup_path, blob)
        except OSError as exc:
            raise RefauditError(
                f"could not write {str(self.backup_path)!r}: {exc.strerror or exc}; nothing was changed."
            ) from None

    def swap_backup(self, backup: bytes, current: bytes, verify: Callable[[bytes], None]) -> None:
        """Put ``backup`` in the registry's place and keep ``current`` as the backup (``restore --from-backup``)."""
        self._replace(backup, verify, backup=current)

    def _replace(self, blob: bytes, verify: Callable[[bytes], None], *, backup: bytes | None) -> None:
        try:
            self._replace_unsafe(blob, verify, backup=backup)
        except OSError as exc:
            raise RefauditError(
                f"could not save to {str(self.path.parent)!r}: {exc.strerror or exc}; the registry was not changed."
            ) from None

    def _replace_unsafe(self, blob: bytes, verify: Callable[[bytes], None], *, backup: bytes | None) -> None:
        self.remove_stale_temps()  # every save holds the lock, so no other save's temp file is live
        tmp = self._write_temp(self.path, blob)
        try:
            verify(self.read(tmp))
            if backup is not None:
                bak_tmp = self._write_temp(self.backup_path, backup)
                try:
                    os.replace(bak_tmp, self.backup_path)
                except BaseException:
                    fileio.unlink_quietly(bak_tmp)
                    raise
            os.replace(tmp, self.path)
        except BaseException:
            fileio.unlink_quietly(tmp)
            raise
        fileio.fsync_dir(self.path.parent)

    @staticmethod
    def _write_temp(beside: Path, data: bytes) -> Path:
        try:
            return fileio.write_temp(beside, data)
        except OSError as exc:
            raise RefauditError(
                f"could not save to {str(beside.parent)!r}: {exc.strerror or exc}; the registry was not changed."
            ) from None


def _shared_folder_warning(folder: Path, mode: int) -> str | None:
    """A world-writable sticky folder (``/tmp``): others cannot delete the registry, but can squat its names."""
    if not mode & stat.S_IWOTH:
        return None
    return (
        f"the folder {str(folder)!r} is shared with other users (like /tmp): one of them can create your "
        "registry's lock or backup file before you do and so block every save; move it somewhere private."
    )


def _read_regular(path: Path) -> bytes:
    """A FIFO or a device in the registry's place is refused (exit 4), never read until it ends."""
    try:
        return filecheck.read_regular(path, "the registry", MAX_FILE_SIZE)
    except RefauditError as exc:
        raise DamagedError(f"{exc} It is not a refaudit registry.") from None


# --- Registry <-> YAML <-> vault ----------------------------------------------------
#
# The body is written in YAML's JSON-compatible flow style (JSON is a subset of YAML 1.2):
# the same document ``export --format yaml`` prints, but parsed about 30 times faster and
# in a fraction of the memory, which is what makes an agency-sized registry usable.
# Bodies in block-style YAML are read too.


def encode(registry: Registry) -> bytes:
    return jsonio.dumps(registry.to_plain()).encode("utf-8")


def decode(body: bytes, data_key: bytes | None = None) -> Registry:
    """The registry in ``body``; with the data key, records of older versions get their derived uids."""
    # Parsing makes an object for every field of every record, all of them alive until the
    # command ends: the cycle collector would walk the growing heap again and again while
    # they are made (a big registry's decode took a quarter longer) and find nothing, for
    # records hold no cycles. So it pauses meanwhile, as Mercurial does for big structures.
    paused = gc.isenabled()
    gc.disable()
    try:
        plain = jsonio.loads(body, "the body") if body[:1] == b"{" else yamlio.load_trusted(body)
        if data_key is not None:
            from refaudit.copies import uids

            uids.fill_plain(plain, data_key)
        with as_stored():  # older registries keep opening: their text by the rule it was written under
            return Registry.from_plain(plain)
    except ValidationError as exc:
        raise DamagedError(f"the registry's contents are invalid: {exc}") from None
    finally:
        if paused:
            gc.enable()


def open_blob(blob: bytes, unlock: Callable[[bytes], vault.Keyring]) -> tuple[Registry, vault.Keyring]:
    keyring = unlock(blob)
    return decode(vault.open_body(blob, keyring), keyring.data_key), keyring
