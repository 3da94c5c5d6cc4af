"""``sync init [REMOTE]`` and ``sync``: keep the registry in a git repository, merged by refaudit."""

from __future__ import annotations

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._output import safe


@click.group(invoke_without_command=True)
@pass_app
@click.pass_context
def sync(ctx: click.Context, app: Invocation) -> None:
    """Commit the registry, pull the other machines' changes (merged by refaudit), and push.

    Set up once per machine with 'refaudit sync init REMOTE'. Any git remote works: a bare
    repository on a USB drive, ssh, a private hosted repository. A conflict is merged field
    by field, as 'refaudit merge' does; a git failure leaves the registry as it was.

    \b
    Example:
      refaudit sync init /media/usb/refaudit.git
      refaudit sync
    """
    if ctx.invoked_subcommand is not None:
        return
    import socket
    from datetime import UTC, datetime

    from refaudit import service
    from refaudit.copies import gitsync

    access = app.access()
    keyring = service.unlock(access)
    done = gitsync.sync(access.store, keyring, datetime.now(UTC), host=socket.gethostname())
    if done.passphrase_changed:
        click.echo(
            "Note: the passphrase was changed on another machine; from now on use that one (this one no longer opens).",
            err=True,
        )
    click.echo("Synced: pulled the other machines' changes and pushed." if done.pulled else "Synced: pushed.")


@sync.command(name="init")
@click.argument("remote", required=False)
@click.option("--discard-backup", is_flag=True, help="Remove the registry's .bak file first (it is not synced).")
@pass_app
def sync_init(app: Invocation, remote: str | None, discard_backup: bool) -> None:
    """Make the registry's folder a git repository with refaudit's merge driver, and push to REMOTE.

    Where there is no registry yet, clones it from REMOTE. Beside a registry whose history
    differs from REMOTE's, refuses: fetch that one elsewhere and 'refaudit merge' it.

    \b
    Example:
      refaudit sync init /media/usb/refaudit.git            # the first machine
      refaudit sync init ssh://me@host/~/refaudit.git       # another machine: clones
    """
    from refaudit.copies import gitsync

    click.echo(safe(gitsync.init(app.store(), remote, discard_backup=discard_backup)))
