"""``unlock``, ``lock``, ``completion``: sessions like ``bw unlock``, and shell completion.

The ``shell_complete`` callbacks for REF and APP arguments are in ``_complete``.
"""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._output import safe

PROG_NAME = "refaudit"
COMPLETE_VAR = "_REFAUDIT_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


@click.command()
@click.option(
    "--timeout",
    default="15m",
    show_default=True,
    metavar="DURATION",
    help="How long the session lasts: e.g. 90s, 15m, 1h30m (at most 24h).",
)
@click.option("--raw", is_flag=True, help="Print only the token.")
@pass_app
def unlock(app: Invocation, timeout: str, raw: bool) -> None:
    """Ask the passphrase once and start a session for this registry.

    Prints a line for your shell to run; while REFAUDIT_SESSION is set, commands
    skip the passphrase. The token is useless without the session file in your
    private runtime folder, which expires and which 'refaudit lock' removes.

    \b
    Example:
      eval "$(refaudit unlock)"
      export REFAUDIT_SESSION="$(refaudit unlock --raw --timeout 1h)"
      refaudit lock
    """
    from refaudit import service, session, vault

    ttl = session.parse_duration(timeout)
    access = app.access(unlock=app.secrets.unlock_with_passphrase)
    _, keyring = service.read_with_keyring(access)
    now = app.now()
    token = session.create(
        access.store.path, keyring.file_id, keyring.data_key, ttl, now, slots=vault.slots_digest(keyring)
    )
    until = session.expiry_of(now, ttl).strftime("%Y-%m-%d %H:%M")
    click.echo(f"Session for {safe(access.store.path)} until {until}; end it with 'refaudit lock'.", err=True)
    click.echo(token if raw else f"export REFAUDIT_SESSION={token}")


@click.command()
@pass_app
def lock(app: Invocation) -> None:
    """End every session of this registry; their tokens stop working at once.

    Needs no passphrase. 'refaudit passwd' and 'refaudit recover' do this too.

    \b
    Example:
      refaudit lock && unset REFAUDIT_SESSION
    """
    from refaudit import session

    path = app.store().path
    ended = session.end_all(path)
    click.echo(f"Ended {ended} session{'' if ended == 1 else 's'} of {safe(path)}.")


@click.command()
@click.argument("shell", type=click.Choice(SHELLS, case_sensitive=False))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Reference and application ids complete while a session is live
    ('refaudit unlock'); completion never asks for the passphrase.

    \b
    Example:
      eval "$(refaudit completion bash)"     # in ~/.bashrc
      eval "$(refaudit completion zsh)"      # in ~/.zshrc
      refaudit completion fish > ~/.config/fish/completions/refaudit.fish
    """
    comp_cls = get_completion_class(shell)
    assert comp_cls is not None  # click ships all three
    click.echo(comp_cls(ctx.find_root().command, {}, PROG_NAME, COMPLETE_VAR).source(), nl=False)
