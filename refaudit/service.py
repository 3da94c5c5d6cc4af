"""Use cases: open the registry (under its lock when changing it), change, record history, save.

The CLI hands in a ``Context`` saying where the registry is, how to unlock it and what
time it is; everything here is the same whichever edge calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from refaudit import history, store, sweep, vault
from refaudit.errors import RefauditError
from refaudit.model import Registry

T = TypeVar("T")


@dataclass
class Context:
    store: store.Store
    unlock: Callable[[bytes], vault.Keyring]
    now: Callable[[], datetime]


@dataclass(frozen=True)
class Change:
    """What a use case did: its result, and the history line that records it."""

    summary: str
    result: object = None


def init(
    ctx: Context,
    passphrase: str,
    kdf: vault.KdfParams,
    *,
    recovery: bool,
    registry: Registry | None = None,
    command: str = "init",
) -> str | None:
    """Create a new registry (refusing to overwrite one); returns the recovery key, if any."""
    vault.check_kdf_floor(kdf)
    reg = registry or Registry()
    with ctx.store.locked():
        ctx.store.refuse_existing()
        keyring, recovery_key = vault.create(passphrase, kdf, recovery=recovery)
        history.append(reg, ctx.now(), command, "created the registry")
        blob = vault.seal(keyring, store.encode(reg))
        ctx.store.create(blob, _verifier(keyring))
    return recovery_key


def read(ctx: Context) -> Registry:
    """The registry as it is now, for commands that only look (no lock, nothing written)."""
    reg, _ = store.open_blob(ctx.store.read(), ctx.unlock)
    return reg


def read_with_keyring(ctx: Context) -> tuple[Registry, vault.Keyring]:
    return store.open_blob(ctx.store.read(), ctx.unlock)


def update(ctx: Context, command: str, change: Callable[[Registry], Change], *, scrub_backup: bool = False) -> object:
    """Read, change and save the registry while holding its lock; returns the change's result.

    When ``change`` raises, nothing is written. ``scrub_backup`` writes the new
    contents over the backup as well (erasure).
    """
    with ctx.store.locked():
        blob = ctx.store.read()
        reg, keyring = store.open_blob(blob, ctx.unlock)
        done = change(reg)
        # Re-validate the whole registry so that a change can never save what reading refuses.
        Registry.from_plain(reg.to_plain())
        history.append(reg, ctx.now(), command, done.summary)
        new_blob = vault.seal(keyring, store.encode(reg))
        ctx.store.save(new_blob, _verifier(keyring), previous=new_blob if scrub_backup else blob)
    return done.result


def rekey(ctx: Context, command: str, rewrap: Callable[[vault.Keyring], vault.Keyring]) -> None:
    """Rewrap the data key (passwd, recover): same contents, new key slots, fresh nonce.

    The backup is overwritten with the new file too: after a passphrase change the old
    passphrase must open nothing left on disk.
    """
    with ctx.store.locked():
        blob = ctx.store.read()
        reg, keyring = store.open_blob(blob, ctx.unlock)
        new_keyring = rewrap(keyring)
        history.append(reg, ctx.now(), command, "changed the passphrase")
        new_blob = vault.seal(new_keyring, store.encode(reg))
        ctx.store.save(new_blob, _verifier(new_keyring), previous=new_blob)


def verify(ctx: Context) -> list[str]:
    """Decrypt, validate, check the history chain and the backup; returns the problems found."""
    reg, keyring = read_with_keyring(ctx)
    problems = history.problems(reg.history)
    backup = ctx.store.backup_path
    if backup.exists():
        try:
            bak = ctx.store.read(backup)
            older = store.decode(vault.open_body(bak, vault.unlock_key(bak, keyring.file_id, keyring.data_key)))
        except RefauditError as exc:
            problems.append(f"the backup {str(backup)!r} does not open: {exc}")
        else:
            problems.extend(_rollback(reg, older, backup))
    return problems


def _rollback(reg: Registry, backup: Registry, path: object) -> list[str]:
    """The backup is the version before the last save: a history longer than the registry's means a rollback."""
    later = history.extends(backup.history, reg.history)
    if not later:
        return []
    newest = backup.history[-1]
    return [
        f"the registry was rolled back: its backup {str(path)!r} holds {later} later change"
        f"{'' if later == 1 else 's'} (the newest: {newest.command}, {newest.at}), so an older copy "
        "was put in the registry's place; to undo that, copy the backup over the registry"
    ]


def leftovers(ctx: Context) -> list[str]:
    """Files killed saves left beside the registry (a save removes them, under the lock)."""
    return [
        f"{str(path)!r} is left from a save that was interrupted: an older encrypted copy, removed at the next save"
        for path in sweep.stale_temps(ctx.store.path)
    ]


def _verifier(keyring: vault.Keyring) -> Callable[[bytes], None]:
    def check(data: bytes) -> None:
        vault.open_body(data, keyring)

    return check
