"""``merge OTHER`` and ``merge-driver``: put two copies of the registry back together."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from refaudit.cli import _ask
from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._output import echo_json, has_undecodable, safe

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from refaudit import vault

NO_OTHER_SOURCE = (
    "no passphrase for {other}: set REFAUDIT_OTHER_PASSPHRASE, use --other-passphrase-file, or run on a terminal."
)


def _other_unlocker(other: Path, passphrase_file: str | None) -> Callable[[bytes], vault.Keyring]:
    """How to open OTHER when this registry's key does not: its own passphrase, from its own sources."""
    from refaudit import filecheck, vault
    from refaudit.errors import AuthError, UsageError, ValidationError

    def unlock(blob: bytes) -> vault.Keyring:
        if passphrase_file:
            secret = filecheck.read_secret_line(passphrase_file, "other passphrase")
        elif (env := os.environ.get("REFAUDIT_OTHER_PASSPHRASE")) is not None:
            if has_undecodable(env):
                raise ValidationError("REFAUDIT_OTHER_PASSPHRASE is not UTF-8 text; set it in UTF-8.")
            secret = env
        elif _ask.stdin_is_terminal():
            secret = click.prompt(f"Passphrase of {safe(other)}", hide_input=True, err=True)
        else:
            raise UsageError(NO_OTHER_SOURCE.format(other=safe(other)))
        if not secret:
            raise ValidationError("an empty passphrase is refused.")
        try:
            return vault.unlock_passphrase(blob, secret)
        except AuthError:
            raise AuthError(f"wrong passphrase for {str(other)!r} (the other copy)") from None

    return unlock


@click.command()
@click.argument("other", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="List every decision the merge would make; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the decisions as JSON.")
@click.option(
    "--other-passphrase-file",
    type=click.Path(dir_okay=False),
    help="Read OTHER's passphrase from this file [else env REFAUDIT_OTHER_PASSPHRASE, else a prompt].",
)
@pass_app
def merge(app: Invocation, other: str, dry_run: bool, as_json: bool, other_passphrase_file: str | None) -> None:
    """Merge another copy of the registry (a sync-conflict copy, a backup, another machine's) into this one.

    Records are matched by their uid and merged field by field: the newer change wins and
    the other value goes to the history; lists merge as sets; an erasure on either side
    wins. Readable ids that collide are renumbered (the older record keeps its id). One
    locked save; nothing is written when the merge changes no record. OTHER's passphrase
    is asked only when this registry's key does not open it.

    \b
    Example:
      refaudit merge --dry-run "registry.sync-conflict-20260301-101010-ABCDEF.refaudit"
      refaudit merge "registry.sync-conflict-20260301-101010-ABCDEF.refaudit"
    """
    from pathlib import Path

    from refaudit import service
    from refaudit.copies import combining

    path = Path(other)
    blob = combining.read_other(path)
    result = service.merge_copy(app.access(), blob, _other_unlocker(path, other_passphrase_file), dry_run=dry_run)
    decisions = result.outcome.decisions
    if as_json:
        echo_json(
            {
                "other": str(path),
                "dry_run": dry_run,
                "changed": result.outcome.changed,
                "written": result.written,
                "decisions": [d.to_json() for d in decisions],
                "mentions": result.mentions,
            }
        )
        return
    shown = decisions if dry_run else result.renamings
    for decision in shown:
        click.echo(safe(decision.line()))
    for mention in result.mentions:
        click.echo(f"mention of a person erased here: {safe(mention)} (erase it by hand)")
    name = safe(path)
    if not result.outcome.changed:
        click.echo(f"Nothing to merge: {name} holds nothing this registry lacks.")
    elif dry_run:
        click.echo(f"Dry run: nothing was written; 'refaudit merge {name}' makes these {len(decisions)} decisions.")
    else:
        counts = {a: sum(d.action == a for d in decisions) for a in ("added", "updated", "renumbered", "erased")}
        click.echo(f"Merged {name}: " + ", ".join(f"{n} {a}" for a, n in counts.items()) + ".")


@click.command(name="merge-driver")
@click.argument("base", type=click.Path())
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@pass_app
def merge_driver(app: Invocation, base: str, ours: str, theirs: str) -> None:
    """git's merge driver for the registry (set up by 'refaudit sync init'): writes the merge into OURS.

    Never prompts, takes no lock and writes no backup. The key comes from the one-use session
    'refaudit sync' puts in REFAUDIT_SESSION; without it, exit 1 and git leaves the conflict
    for 'refaudit merge'.

    \b
    Example (in .git/config, as 'refaudit sync init' writes it):
      [merge "refaudit"]
          driver = refaudit merge-driver %O %A %B
    """
    from datetime import UTC, datetime
    from pathlib import Path

    from refaudit.copies import combining
    from refaudit.errors import RefauditError

    token = os.environ.get("REFAUDIT_SESSION")
    if not token:
        raise RefauditError(
            "merge-driver needs the session 'refaudit sync' gives it; resolve this conflict with 'refaudit merge'."
        )
    combining.merge_driver(app.store().path, Path(ours), Path(theirs), token, datetime.now(UTC))
