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
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from refaudit import history, store, sweep, vault
from refaudit.change import Change
from refaudit.copies import stamping, uids
from refaudit.errors import AuthError, DamagedError, RefauditError, ValidationError
from refaudit.model import Registry
from refaudit.parts import HistoryEntry
from refaudit.text import as_stored

if TYPE_CHECKING:
    from refaudit.copies import combining
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
    discard_backup: bool = False,
) -> str | None:
    """Create a new registry (refusing to overwrite one, or an old backup unless ``discard_backup``);
    returns the recovery key, if any."""
    vault.check_kdf_floor(kdf)
    reg = registry or Registry()
    keyring, recovery_key = vault.create(passphrase, kdf, recovery=recovery)  # Argon2id before the lock
    with access.store.locked():
        access.store.refuse_existing()
        reg.copies.setdefault("merge_key", uids.new_merge_key())
        stamping.stamp(stamping.Snapshot(), reg, access.now())
        history.append(reg, access.now(), command, "created the registry")
        blob = vault.seal(keyring, store.encode(reg))
        access.store.create(blob, _verifier(keyring), discard_backup=discard_backup)
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
    with _opened(access, held, guard=True) as (blob, reg, current):
        before = stamping.snapshot(reg)
        done = change(reg)
        if done.summary is None:
            return done.result
        new = done.registry if done.registry is not None else reg
        if done.registry is not None:
            new.copies = reg.copies
        touched = stamping.stamp(before, new, access.now())  # uids, stamps and tombstones (refaudit.copies)
        # Re-validate the whole registry so that a change can never save what reading refuses
        # (by reading's rule: what the change added was checked as typed).
        with as_stored():
            Registry.from_plain(new.to_plain())
        history.append(new, access.now(), command, done.summary).uids = touched
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
    with _opened(access, held, guard=True) as (_, reg, _current):
        stamping.stamp_keys(reg, access.now())
        history.append(reg, access.now(), command, "changed the passphrase")
        new_blob = vault.seal(new_keyring, store.encode(reg))
        access.store.save(new_blob, _verifier(new_keyring), previous=new_blob)


def merge_copy(access: Access, other_blob: bytes, unlock_other: Unlock, *, dry_run: bool) -> combining.Merged:
    """``refaudit merge OTHER`` (``refaudit.copies``): keys first, then one locked save (none to dry-run or
    when no record changes). An erasure the merge brings is written over the backup too."""
    from refaudit.copies import combining  # merging's modules (and the lexicon) load only for a merge

    held = unlock(access)
    theirs_keyring = combining.other_keyring(other_blob, held, unlock_other)
    other, theirs = combining.opened(other_blob, theirs_keyring)
    with _opened(access, held) as (blob, _, current):
        reg, mine = combining.opened(blob, current)
        new, outcome = combining.combine(reg, other, access.now(), (mine, theirs))
        result = combining.Merged(outcome, mentions=combining.mentions(outcome, other))
        if dry_run or new is None:
            return result
        # A rollback blocks this save too, unless the merge brings the backup's later changes in.
        if (problem := backup_problem(access.store, new, current, blob)) is not None:
            raise DamagedError(f"{problem}. Nothing was written.")
        newer = outcome.keys_from_other and theirs_keyring.file_id == current.file_id
        keyring = theirs_keyring if newer else current
        new_blob = vault.seal(keyring, store.encode(new))
        erased = any(d.action == "erased" and d.id for d in outcome.decisions)
        access.store.save(new_blob, _verifier(keyring), previous=new_blob if erased else blob)
        result.written = True
    return result


def verify(access: Access) -> list[str]:
    """Decrypt, validate, check the history chain and the backup; returns the problems found."""
    reg, keyring = read_with_keyring(access)
    problems = history.problems(reg.history)
    found = backup_problem(access.store, reg, keyring)
    if found is not None:
        problems.append(found)
    return problems


_DECIDE = (
    "'refaudit restore --from-backup' puts the backup back; 'refaudit verify --accept-rollback' keeps the "
    "registry as it is and lets the next save replace the backup"
)


def backup_problem(st: store.Store, reg: Registry, keyring: vault.Keyring, blob: bytes | None = None) -> str | None:
    """Why the backup may not be replaced by a save, or None (no backup, or an older version of ``reg``).

    A save replaces the backup with the registry as it was; that is safe only when the backup
    is an older version of this registry. It is not when its history holds entries the
    registry's lacks (an older copy was put back: the backup holds the later changes), when
    it does not open with the registry's key, or when the two share no history.
    """
    path = st.backup_path
    if not path.exists():
        return None
    try:
        bak = st.read(path)
        if bak == blob:  # after an erasure or a new passphrase the backup is the registry itself
            return None
        older = _history_of(vault.open_body(bak, vault.unlock_key(bak, keyring.file_id, keyring.data_key)))
    except RefauditError as exc:
        return (
            f"the backup {str(path)!r} does not open with this registry's key ({exc}): it is not an older "
            f"version of this registry, so no save replaces it until you decide: {_DECIDE}"
        )
    mine = {e.hash for e in reg.history}
    theirs = [e for e in older if e.hash not in mine]
    if not theirs:
        return None
    if len(theirs) == len(older) and reg.history:
        return (
            f"the backup {str(path)!r} shares no history with the registry: it is not an older version of it, "
            f"so no save replaces it until you decide: {_DECIDE}"
        )
    newest = theirs[-1]
    return (
        f"the registry was rolled back: its backup {str(path)!r} holds {len(theirs)} later change"
        f"{'' if len(theirs) == 1 else 's'} (the newest: {newest.command}, {newest.at}), so an older copy "
        f"was put in the registry's place; no save replaces the backup until you decide: {_DECIDE}"
    )


def _history_of(body: bytes) -> list[HistoryEntry]:
    """The history of a decrypted body, without building the whole registry (every save reads the backup's)."""
    if body[:1] != b"{":
        return store.decode(body).history  # block-style YAML of an older refaudit: the history needs no uids
    from refaudit import jsonio

    try:
        plain = jsonio.loads(body, "the backup")
        entries = (plain.get("history") if isinstance(plain, dict) else None) or []
        return [HistoryEntry.from_plain(e, f"history[{i}]") for i, e in enumerate(entries)]
    except (ValidationError, AttributeError, TypeError) as exc:
        raise DamagedError(f"the backup's history is invalid: {exc}") from None


def accept_rollback(access: Access) -> bool:
    """Keep the registry as it is: its backup becomes a copy of it. Returns whether there was anything to accept."""
    held = unlock(access)
    with _opened(access, held) as (blob, reg, current):
        if backup_problem(access.store, reg, current) is None:
            return False
        access.store.replace_backup(blob)
    return True


def restore_backup(access: Access) -> Registry:
    """Swap the registry for its backup; the replaced registry becomes the backup. Returns the restored registry.

    Exit 1 without a backup, 4 when the backup does not open with the registry's key.
    """
    held = unlock(access)
    with _opened(access, held) as (blob, _reg, current):
        path = access.store.backup_path
        if not path.exists():
            raise RefauditError(f"there is no backup to restore: {str(path)!r} does not exist.")
        bak = access.store.read(path)
        try:
            opened = vault.open_body(bak, vault.unlock_key(bak, current.file_id, current.data_key))
            restored = store.decode(opened, current.data_key)
        except RefauditError as exc:
            raise DamagedError(f"the backup {str(path)!r} does not open with this registry's key ({exc}).") from None
        access.store.swap_backup(bak, blob, _verifier(current))
    return restored


def leftovers(access: Access, cwd: Path | None = None) -> list[str]:
    """Remove the temp files killed refaudit processes left in the registry's folder and ``cwd``; say what each was.

    Only those whose process is gone: a save or an export running now keeps its own.
    """
    folders = [access.store.path.parent, *([cwd] if cwd is not None else [])]
    return [sweep.notice(left) for left in sweep.remove(sweep.temps_in(folders))]


@contextlib.contextmanager
def _opened(
    access: Access, keyring: vault.Keyring, *, guard: bool = False
) -> Iterator[tuple[bytes, Registry, vault.Keyring]]:
    """Hold the lock; yield the file as it is now, its registry and its keyring (from the key in hand).

    ``guard``: refuse (exit 4, nothing written) when a save would lose the backup (``backup_problem``).
    """
    with access.store.locked():
        blob = access.store.read()
        current = _reopen(blob, keyring, access.store.path)
        reg = store.decode(vault.open_body(blob, current), current.data_key)
        if guard and (problem := backup_problem(access.store, reg, current, blob)) is not None:
            raise DamagedError(f"{problem}. Nothing was written.")
        yield blob, reg, current


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
    """Audit the registry as it stood on ``as_of``, gather what is due, and render: the report's bytes.

    A ``redact`` or ``anonymous`` report passes the gate (``refaudit.gate``) before a byte is
    returned: its HTML and PDF metadata are searched for every identity; a survivor is exit 1.
    """
    from refaudit.report import render

    contents = report_contents(registry, settings, as_of, options)
    if options.fmt == "html":
        html = render.render_html(contents)
        if options.redact:
            _gate(registry, as_of, options, html, contents)
        return html.encode("utf-8")
    if options.redact:  # the HTML WeasyPrint is handed, and the metadata it writes
        _gate(registry, as_of, options, render.render_document_html(contents), contents)
    return render.render_pdf(contents, options.variant, progress)


def _gate(registry: Registry, as_of: date, options: ReportOptions, html: str, contents: dict[str, Any]) -> None:
    """Exit 1, nothing written, when an identity survived the redaction (``refaudit.gate``)."""
    from refaudit import asof, gate
    from refaudit.report.redact import Privacy, identity_lexicon

    privacy = Privacy.ANONYMOUS if options.anonymous else Privacy.REDACT
    lexicon = identity_lexicon(asof.view(registry, as_of), privacy)  # the registry the report was made from
    what = "the anonymous report" if options.anonymous else "the redacted report"
    gate.check(lexicon, [*gate.html_texts(html), *gate.metadata_texts(contents["metadata"])], what)


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
    "leftovers",
    "merge_copy",
    "read",
    "read_with_keyring",
    "rekey",
    "render_report",
    "report_contents",
    "unlock",
    "update",
    "verify",
]
