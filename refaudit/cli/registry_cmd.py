"""``init``, ``passwd``, ``recover``, ``verify``: the registry file and its keys."""

from __future__ import annotations

from functools import partial
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
@pass_app
def init(app: Invocation, no_recovery_key: bool, kdf_memory: int, kdf_passes: int) -> None:
    """Create a new encrypted registry.

    Prints the recovery key once: write it down somewhere safe. It opens the
    registry if you forget the passphrase ('refaudit recover').

    \b
    Example:
      refaudit init
      REFAUDIT_PASSPHRASE='correct horse battery staple' refaudit init --kdf-memory 128
    """
    from refaudit import service, vault

    kdf = vault.KdfParams(kdf_memory * 1024, kdf_passes, vault.DEFAULT_KDF.lanes)
    vault.check_kdf_floor(kdf)
    access = app.access()
    access.store.refuse_existing()  # before asking for a passphrase twice
    passphrase = app.secrets.new_secret("REFAUDIT_PASSPHRASE", app.passphrase_file, "passphrase")
    recovery = service.init(access, passphrase, kdf, recovery=not no_recovery_key)
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
@pass_app
def verify(app: Invocation) -> None:
    """Decrypt and check the registry: schema, cross-references, history chain, backup.

    Exits 0 when all is well and 4 when anything is damaged, including a registry
    rolled back to an older copy while its backup holds later changes. Files left
    by an interrupted save are reported as warnings (the next save removes them).

    \b
    Example:
      refaudit verify && echo "registry is healthy"
    """
    from refaudit import service
    from refaudit.errors import DamagedError

    access = app.access()
    for leftover in service.leftovers(access):
        click.echo(f"Warning: {safe(leftover)}", err=True)
    problems = service.verify(access)
    if problems:
        raise DamagedError("; ".join(problems))
    click.echo("OK: the registry decrypts, its contents are valid, the history chain is intact.")
