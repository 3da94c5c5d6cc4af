"""Use cases: unlock, then lock, re-read, change, record history, save.

The CLI hands in an ``Access`` saying where the registry is, how to unlock it and what
time it is; everything here is the same whichever edge calls it.

Nobody waits on another person's prompt: a change asks for the passphrase (and runs
Argon2id) *before* it takes the registry's lock, then locks, re-reads the file and opens
it with the data key already in hand. If the key slots changed in between (``passwd``
or ``recover`` ran), the change is refused and nothing is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from refaudit import history, store, sweep, vault
from refaudit.change import Change
from refaudit.errors import AuthError, RefauditError
from refaudit.model import Registry

if TYPE_CHECKING:
    from refaudit.settings import Settings

T = TypeVar("T")

Unlock = Callable[[bytes], vault.Keyring]


@dataclass
class Access:
    """What a use case needs from its edge: where the registry is, how to unlock it, what time it is."""

    store: store.Store
    unlock: Unlock
    now: Callable[[], datetime]


def init(
    access: Access,
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
    keyring, recovery_key = vault.create(passphrase, kdf, recovery=recovery)  # Argon2id before the lock
    with access.store.locked():
        access.store.refuse_existing()
        history.append(reg, access.now(), command, "created the registry")
        blob = vault.seal(keyring, store.encode(reg))
        access.store.create(blob, _verifier(keyring))
    return recovery_key


def read(access: Access) -> Registry:
    """The registry as it is now, for commands that only look (no lock, nothing written)."""
    reg, _ = store.open_blob(access.store.read(), access.unlock)
    return reg


def read_with_keyring(access: Access) -> tuple[Registry, vault.Keyring]:
    return store.open_blob(access.store.read(), access.unlock)


def unlock(access: Access) -> vault.Keyring:
    """Ask for the key (prompt, Argon2id) without taking the lock; pass the result as ``keyring=``."""
    return access.unlock(access.store.read())


def update(
    access: Access,
    command: str,
    change: Callable[[Registry], Change[T]],
    *,
    scrub_backup: bool = False,
    keyring: vault.Keyring | None = None,
) -> T:
    """Change and save the registry under its lock; returns the change's result.

    The key is asked for first (or given as ``keyring``), outside the lock. When ``change``
    raises, nothing is written; a change whose summary is ``None`` writes nothing either.
    ``scrub_backup`` (or the change's ``erase_backup``) writes the new contents over the
    backup as well (erasure).
    """
    held = keyring or unlock(access)
    with _opened(access, held) as (blob, reg, current):
        done = change(reg)
        if done.summary is None:
            return done.result
        new = done.registry if done.registry is not None else reg
        # Re-validate the whole registry so that a change can never save what reading refuses.
        Registry.from_plain(new.to_plain())
        history.append(new, access.now(), command, done.summary)
        new_blob = vault.seal(current, store.encode(new))
        scrub = scrub_backup or done.erase_backup
        access.store.save(new_blob, _verifier(current), previous=new_blob if scrub else blob)
    return done.result


def rekey(
    access: Access,
    command: str,
    rewrap: Callable[[vault.Keyring], vault.Keyring],
    *,
    keyring: vault.Keyring | None = None,
) -> None:
    """Rewrap the data key (passwd, recover): same contents, new key slots, fresh nonce.

    ``rewrap`` runs before the lock is taken (it derives a key from the new passphrase).
    The backup is overwritten with the new file too: after a passphrase change the old
    passphrase must open nothing left on disk.
    """
    held = keyring or unlock(access)
    new_keyring = rewrap(held)
    with _opened(access, held) as (_, reg, _current):
        history.append(reg, access.now(), command, "changed the passphrase")
        new_blob = vault.seal(new_keyring, store.encode(reg))
        access.store.save(new_blob, _verifier(new_keyring), previous=new_blob)


def verify(access: Access) -> list[str]:
    """Decrypt, validate, check the history chain and the backup; returns the problems found."""
    reg, keyring = read_with_keyring(access)
    problems = history.problems(reg.history)
    backup = access.store.backup_path
    if backup.exists():
        try:
            bak = access.store.read(backup)
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


def leftovers(access: Access) -> list[str]:
    """Files killed saves left beside the registry (a save removes them, under the lock)."""
    return [
        f"{str(path)!r} is left from a save that was interrupted: an older encrypted copy, removed at the next save"
        for path in sweep.stale_temps(access.store.path)
    ]


@contextlib.contextmanager
def _opened(access: Access, keyring: vault.Keyring) -> Iterator[tuple[bytes, Registry, vault.Keyring]]:
    """Hold the lock; yield the file as it is now, its registry and its keyring (from the key in hand)."""
    with access.store.locked():
        blob = access.store.read()
        current = _reopen(blob, keyring, access.store.path)
        yield blob, store.decode(vault.open_body(blob, current)), current


def _reopen(blob: bytes, keyring: vault.Keyring, path: object) -> vault.Keyring:
    """The keyring for ``blob`` from a data key unlocked earlier, when its key slots are unchanged.

    ``AuthError`` (nothing written) when the file is another registry now, or its passphrase
    or recovery key changed since the key was unlocked.
    """
    if vault.inspect(blob)["file_id"] != keyring.file_id.hex():
        raise AuthError(
            f"{str(path)!r} was replaced by another registry while this command waited; nothing was written."
        )
    current = vault.unlock_key(blob, keyring.file_id, keyring.data_key)
    if (current.kdf, current.salt, current.slots) != (keyring.kdf, keyring.salt, keyring.slots):
        raise AuthError(
            f"the passphrase of {str(path)!r} was changed (passwd or recover) while this command waited; "
            "nothing was written: run it again with the new passphrase."
        )
    return current


def _verifier(keyring: vault.Keyring) -> Callable[[bytes], None]:
    def check(data: bytes) -> None:
        vault.open_body(data, keyring)

    return check


# --- the report ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOptions:
    """How to render: format, privacy, PDF variant, paper, appendix, the cover's fallback name."""

    fmt: str = "pdf"
    redact: bool = False
    anonymous: bool = False
    variant: str = "pdf/ua-1"
    paper: str | None = None
    territory: str | None = None
    with_settings: bool = False
    label: str | None = None


def render_report(
    registry: Registry,
    settings: Settings,
    as_of: date,
    options: ReportOptions,
    *,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Audit the registry as it stood on ``as_of``, gather what is due, and render: the report's bytes."""
    from refaudit.report import render

    contents = report_contents(registry, settings, as_of, options)
    if options.fmt == "html":
        return render.render_html(contents).encode("utf-8")
    return render.render_pdf(contents, options.variant, progress)


def report_contents(registry: Registry, settings: Settings, as_of: date, options: ReportOptions) -> dict[str, Any]:
    """What the report prints: the audit, the actions due and the lineup of the registry as it stood on ``as_of``."""
    from refaudit import judgement, report

    cfg = settings.report.settled(territory=options.territory, paper=options.paper)
    # The one judgement of the day: the audit, the actions and the report see the same registry.
    judged = judgement.judge(registry, settings, as_of)
    return report.build_contents(
        judged.seen, judged.verdicts, judged.due, settings, as_of,
        redact=options.redact, anonymous=options.anonymous, lineup=judged.lineup, cfg=cfg,
        label=options.label, with_settings=options.with_settings,
    )  # fmt: skip


__all__ = [
    "Access",
    "Change",
    "ReportOptions",
    "Unlock",
    "init",
    "read",
    "read_with_keyring",
    "rekey",
    "render_report",
    "report_contents",
    "unlock",
    "update",
    "verify",
]
