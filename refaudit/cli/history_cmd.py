"""``history``: the registry's hash-chained change log, newest first."""

from __future__ import annotations

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._output import echo_json
from refaudit.cli._term import Column, echo_table, wide_option


@click.command("history")
@click.option("--limit", "-n", type=click.IntRange(min=1), metavar="N", help="Show only the N most recent changes.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with each entry's digest and chain hash).")
@wide_option()
@pass_app
def history(app: Invocation, limit: int | None, as_json: bool, wide: bool) -> None:
    """Show the registry's change log, newest first.

    Each entry is chained to the one before by a hash, so that altering or
    removing one shows: 'refaudit verify' checks the chain.

    \b
    Example:
      refaudit history --limit 10
      refaudit history --wide
      refaudit history --json
    """
    from refaudit import history as history_mod

    reg = app.read()
    entries = list(reversed(reg.history))[:limit]
    if history_mod.problems(reg.history):
        click.echo("Warning: the history chain is broken; 'refaudit verify' says where.", err=True)
    if as_json:
        echo_json([{k: getattr(e, k) for k in e.FIELDS} for e in entries])
    elif not entries:
        click.echo("No changes recorded.")
    else:
        rows = [[e.at.replace("T", " "), e.command, e.summary] for e in entries]
        columns = [Column("TIME", keep=2, min=25), Column("COMMAND", keep=1, min=7), Column("SUMMARY", keep=3, min=30)]
        echo_table(columns, rows, wide=wide, max_col=100)
