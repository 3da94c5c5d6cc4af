"""``init``, ``passwd``, ``recover``, ``verify``: the registry file and its keys."""

from __future__ import annotations

import os

import click

from refaudit import service, session, vault
from refaudit.cli._common import AppContext, pass_app, stdin_is_terminal
from refaudit.cli._output import safe
from refaudit.errors import DamagedError, UsageError


def _end_sessions(app: AppContext) -> None:
    session.end_all(app.store().path)


@click.command()
@click.option(
    "--no-recovery-key", is_flag=True, help="Do not create a recovery key (you cannot recover a lost passphrase)."
)
@click.option(
    "--kdf-memory",
    type=click.IntRange(1, vault.MAX_MEMORY_KIB // 1024),
    default=vault.DEFAULT_KDF.memory_kib // 1024,
    show_default=True,
    metavar="MIB",
    help="Argon2id memory in MiB (19 to 1024).",
)
@click.option(
    "--kdf-passes",
    type=click.IntRange(1, vault.MAX_PASSES),
    default=vault.DEFAULT_KDF.passes,
    show_default=True,
    metavar="N",
    help="Argon2id passes (2 to 10).",
)
@pass_app
def init(app: AppContext, no_recovery_key: bool, kdf_memory: int, kdf_passes: int) -> None:
    """Create a new encrypted registry.

    Prints the recovery key once: write it down somewhere safe. It opens the
    registry if you forget the passphrase ('refaudit recover').

    \b
    Example:
      refaudit init
      REFAUDIT_PASSPHRASE='correct horse battery staple' refaudit init --kdf-memory 128
    """
    kdf = vault.KdfParams(kdf_memory * 1024, kdf_passes, vault.DEFAULT_KDF.lanes)
    vault.check_kdf_floor(kdf)
    ctx = app.context()
    ctx.store.refuse_existing()  # before asking for a passphrase twice
    passphrase = app.new_secret("REFAUDIT_PASSPHRASE", app.passphrase_file, "passphrase")
    recovery = service.init(ctx, passphrase, kdf, recovery=not no_recovery_key)
    click.echo(f"Created {safe(ctx.store.path)}")
    if recovery:
        click.echo("Write down this recovery key and keep it somewhere safe; it is shown only once:", err=True)
        click.echo(f"Recovery key: {recovery}")


@click.command()
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False), help="Read the new passphrase from this file.")
@pass_app
def passwd(app: AppContext, new_passphrase_file: str | None) -> None:
    """Change the passphrase; the recovery key keeps working.

    Without a terminal the new passphrase comes from REFAUDIT_NEW_PASSPHRASE or
    --new-passphrase-file. Ends every 'refaudit unlock' session.

    \b
    Example:
      refaudit passwd
      REFAUDIT_PASSPHRASE=old REFAUDIT_NEW_PASSPHRASE=new refaudit passwd
    """
    ctx = app.context()
    current = app.passphrase("Current passphrase")
    ctx.unlock = lambda blob: vault.unlock_passphrase(blob, current)
    new = app.new_secret("REFAUDIT_NEW_PASSPHRASE", new_passphrase_file)
    service.rekey(ctx, "passwd", lambda keyring: vault.rewrap_passphrase(keyring, new))
    _end_sessions(app)
    click.echo("Passphrase changed.")


@click.command()
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False), help="Read the new passphrase from this file.")
@pass_app
def recover(app: AppContext, new_passphrase_file: str | None) -> None:
    """Open the registry with its recovery key and set a new passphrase.

    The recovery key comes from REFAUDIT_RECOVERY_KEY or a prompt; the new
    passphrase from REFAUDIT_NEW_PASSPHRASE, --new-passphrase-file or a prompt.

    \b
    Example:
      refaudit recover
      REFAUDIT_RECOVERY_KEY=ABCDE-… REFAUDIT_NEW_PASSPHRASE=new refaudit recover
    """
    ctx = app.context()
    key_text = os.environ.get("REFAUDIT_RECOVERY_KEY")
    if key_text is None:
        key_text = _ask_recovery()
    ctx.unlock = lambda blob: vault.unlock_recovery(blob, key_text)
    new = app.new_secret("REFAUDIT_NEW_PASSPHRASE", new_passphrase_file)
    service.rekey(ctx, "recover", lambda keyring: vault.rewrap_passphrase(keyring, new))
    _end_sessions(app)
    click.echo("Passphrase reset with the recovery key.")


def _ask_recovery() -> str:
    if not stdin_is_terminal():
        raise UsageError("no recovery key: set REFAUDIT_RECOVERY_KEY, or run on a terminal.")
    value: str = click.prompt("Recovery key", hide_input=True, err=True)
    return value


@click.command()
@pass_app
def verify(app: AppContext) -> None:
    """Decrypt and check the registry: schema, cross-references, history chain, backup.

    Exits 0 when all is well and 4 when anything is damaged, including a registry
    rolled back to an older copy while its backup holds later changes. Files left
    by an interrupted save are reported as warnings (the next save removes them).

    \b
    Example:
      refaudit verify && echo "registry is healthy"
    """
    ctx = app.context()
    for leftover in service.leftovers(ctx):
        click.echo(f"Warning: {safe(leftover)}", err=True)
    problems = service.verify(ctx)
    if problems:
        raise DamagedError("; ".join(problems))
    click.echo("OK: the registry decrypts, its contents are valid, the history chain is intact.")


def register(group: click.Group) -> None:
    for command in (init, passwd, recover, verify):
        group.add_command(command)
