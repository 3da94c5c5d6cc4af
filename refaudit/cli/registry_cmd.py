"""``init``, ``passwd``, ``recover``, ``verify``: the registry file and its keys."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._output import safe

if TYPE_CHECKING:
    from refaudit.service import Unlock

# The defaults of vault.DEFAULT_KDF, spelled here so that listing this command does not
# import the cryptography; test_registry_cli checks they agree.
KDF_MEMORY_MIB = 64
KDF_PASSES = 3
# vault.MAX_MEMORY_KIB and vault.MAX_PASSES: the most init accepts and reading allows.
KDF_MAX_MEMORY_MIB = 1024
KDF_MAX_PASSES = 10


def _new_passphrase(app: Invocation, command: str, unlock: Unlock, new_passphrase_file: str | None) -> None:
    """Unlock with ``unlock`` (a wrong secret stops here, before the new passphrase is asked),
    set the new passphrase, and end every session (their tokens opened the old key slots)."""
    from refaudit import service, session, vault

    access = app.access(unlock=unlock)
    keyring = service.unlock(access)
    new = app.secrets.new_secret("REFAUDIT_NEW_PASSPHRASE", new_passphrase_file)
    service.rekey(access, command, lambda held: vault.rewrap_passphrase(held, new), keyring=keyring)
    session.end_all(app.store().path)


@click.command()
@click.option(
    "--no-recovery-key", is_flag=True, help="Do not create a recovery key (you cannot recover a lost passphrase)."
)
@click.option(
    "--kdf-memory",
    type=click.IntRange(1, KDF_MAX_MEMORY_MIB),
    default=KDF_MEMORY_MIB,
    show_default=True,
    metavar="MIB",
    help="Argon2id memory in MiB (19 to 1024).",
)
@click.option(
    "--kdf-passes",
    type=click.IntRange(1, KDF_MAX_PASSES),
    default=KDF_PASSES,
    show_default=True,
    metavar="N",
    help="Argon2id passes (2 to 10).",
)
@click.option(
    "--discard-backup",
    is_flag=True,
    help="Create it even though an old backup (.bak) is beside it; that backup is deleted.",
)
@click.option("--owner", "owner_name", metavar="NAME", help="Your name: it signs the drafts and heads the report.")
@pass_app
def init(
    app: Invocation,
    no_recovery_key: bool,
    kdf_memory: int,
    kdf_passes: int,
    discard_backup: bool,
    owner_name: str | None,
) -> None:
    """Create a new encrypted registry.

    Prints the recovery key once: write it down somewhere safe. It opens the
    registry if you forget the passphrase ('refaudit recover'). Refuses to overwrite
    a registry, or an old backup (.bak) beside it unless --discard-backup.

    \b
    Example:
      refaudit init --owner "Lena Fischer"
      REFAUDIT_PASSPHRASE='correct horse battery staple' refaudit init --kdf-memory 128
    """
    from refaudit import owner, service, vault
    from refaudit.model import Registry

    kdf = vault.KdfParams(kdf_memory * 1024, kdf_passes, vault.DEFAULT_KDF.lanes)
    vault.check_kdf_floor(kdf)
    start = Registry(owner=owner.checked(owner_name) if owner_name is not None else None)
    access = app.access()
    access.store.refuse_existing()  # before asking for a passphrase twice
    access.store.refuse_old_backup(discard=discard_backup)
    passphrase = app.secrets.new_secret("REFAUDIT_PASSPHRASE", app.passphrase_file, "passphrase")
    recovery = service.init(
        access, passphrase, kdf, recovery=not no_recovery_key, discard_backup=discard_backup, registry=start
    )
    click.echo(f"Created {safe(access.store.path)}")
    if recovery:
        click.echo("Write down this recovery key and keep it somewhere safe; it is shown only once:", err=True)
        click.echo(f"Recovery key: {recovery}")


@click.command()
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False), help="Read the new passphrase from this file.")
@pass_app
def passwd(app: Invocation, new_passphrase_file: str | None) -> None:
    """Change the passphrase; the recovery key keeps working.

    The current passphrase is checked before the new one is asked for. Without a
    terminal the new passphrase comes from REFAUDIT_NEW_PASSPHRASE or
    --new-passphrase-file. Ends every 'refaudit unlock' session.

    \b
    Example:
      refaudit passwd
      REFAUDIT_PASSPHRASE=old REFAUDIT_NEW_PASSPHRASE=new refaudit passwd
    """
    current = partial(app.secrets.unlock_with_passphrase, prompt="Current passphrase")
    _new_passphrase(app, "passwd", current, new_passphrase_file)
    click.echo("Passphrase changed.")


@click.command()
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False), help="Read the new passphrase from this file.")
@pass_app
def recover(app: Invocation, new_passphrase_file: str | None) -> None:
    """Open the registry with its recovery key and set a new passphrase.

    The recovery key comes from REFAUDIT_RECOVERY_KEY or a prompt; the new
    passphrase from REFAUDIT_NEW_PASSPHRASE, --new-passphrase-file or a prompt.

    \b
    Example:
      refaudit recover
      REFAUDIT_RECOVERY_KEY=ABCDE-… REFAUDIT_NEW_PASSPHRASE=new refaudit recover
    """
    _new_passphrase(app, "recover", app.secrets.unlock_with_recovery, new_passphrase_file)
    click.echo("Passphrase reset with the recovery key.")


@click.command()
@click.option(
    "--accept-rollback",
    is_flag=True,
    help="Keep the registry as it is after a rollback (or beside a foreign backup): the backup becomes a copy of it.",
)
@pass_app
def verify(app: Invocation, accept_rollback: bool) -> None:
    """Decrypt and check the registry: schema, cross-references, history chain, backup.

    Exits 0 when all is well and 4 when anything is damaged, including a registry
    rolled back to an older copy while its backup holds later changes (no save
    replaces such a backup), or a backup that is not an older version of it.
    Decide with 'refaudit restore --from-backup' (the backup wins) or
    --accept-rollback (the registry wins; the backup's later changes are lost). Temp files
    left by an interrupted refaudit (here or beside the registry) are removed, each
    with a warning.

    \b
    Example:
      refaudit verify && echo "registry is healthy"
      refaudit verify --accept-rollback
    """
    from refaudit import service
    from refaudit.errors import DamagedError

    access = app.access()
    if accept_rollback and service.accept_rollback(access):
        click.echo(f"Accepted: the backup {safe(access.store.backup_path)} is now a copy of the registry.", err=True)
    for leftover in service.leftovers(access, Path.cwd()):
        click.echo(f"Warning: {safe(leftover)}", err=True)
    problems = service.verify(access)
    if problems:
        raise DamagedError("; ".join(problems))
    click.echo("OK: the registry decrypts, its contents are valid, the history chain is intact.")


@click.command("owner")
@click.argument("name", required=False)
@click.option("--unset", is_flag=True, help="Clear the name.")
@pass_app
def owner_(app: Invocation, name: str | None, unset: bool) -> None:
    """Show or set your name: it signs the drafts and heads the report.

    Without NAME, prints the name (or says none is set).

    \b
    Example:
      refaudit owner "Lena Fischer"
      refaudit owner
      refaudit owner --unset
    """
    from refaudit import owner
    from refaudit.errors import UsageError

    if unset and name is not None:
        raise UsageError("give NAME or --unset, not both.")
    if name is None and not unset:
        current = app.read().owner
        click.echo(safe(current) if current else 'No name set; set yours with: refaudit owner "Your Name"')
        return
    result = app.update("owner", lambda reg: owner.set_owner(reg, name))
    click.echo(f"Owner: {safe(result)}" if result else "Owner cleared.")


@click.command()
@click.option("--from-backup", is_flag=True, required=True, help="Put the backup (.bak) in the registry's place.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def restore(app: Invocation, from_backup: bool, yes: bool) -> None:
    """Swap the registry for its backup; the replaced one is kept as the backup.

    For a registry that was rolled back ('refaudit verify' says so): the backup holds
    the later changes. Exits 1 without a backup, 4 when the backup does not open with
    the registry's key. Running it twice swaps them back.

    \b
    Example:
      refaudit restore --from-backup
      refaudit restore --from-backup --yes
    """
    from refaudit import service
    from refaudit.cli._ask import confirm_or_yes
    from refaudit.errors import RefauditError

    access = app.access()
    if not access.store.backup_path.exists():
        raise RefauditError(f"there is no backup to restore: {str(access.store.backup_path)!r} does not exist.")
    confirm_or_yes(
        f"Put the backup {safe(access.store.backup_path)} in the place of {safe(access.store.path)} "
        "(the registry becomes the backup)?",
        yes,
    )
    restored = service.restore_backup(access)
    last = restored.history[-1] if restored.history else None
    newest = f" (its newest change: {last.command}, {last.at})" if last else ""
    click.echo(f"Restored the backup{newest}; the registry it replaced is now {safe(access.store.backup_path)}.")
