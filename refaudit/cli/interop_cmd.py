"""``export``, ``import``, ``edit``: the registry in plaintext, deliberately and briefly."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from refaudit.cli._common import AppContext, lazy_choice, pass_app, stdin_is_terminal
from refaudit.errors import UsageError

if TYPE_CHECKING:
    from refaudit.change import Change
    from refaudit.interop import Outcome
    from refaudit.model import Registry

_UNENCRYPTED = (
    "Warning: {what} NOT encrypted: your references' personal data in plain text. "
    "Keep it private and delete it when you are done."
)


@click.command()
@click.option(
    "--format", "fmt", type=lazy_choice("interop", "FORMATS"), help="yaml, json or csv [default: from -o, else yaml]."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # kept as text: a trailing "/" asks for a folder, i.e. CSV
    help="File to write (a folder for csv) [default: standard output].",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@pass_app
def export(app: AppContext, fmt: str | None, output: str | None, force: bool) -> None:
    """Write a plaintext copy of the registry (YAML, JSON or CSV), created 0600.

    YAML and JSON go to standard output unless -o is given; CSV writes
    references.csv, applications.csv and feedback.csv into the folder -o names.
    History is not exported. Refuses to overwrite a file without --force.

    \b
    Example:
      refaudit export -o backup.yaml
      refaudit export --format json | jq '.references[].name'
      refaudit export --format csv -o refs/
    """
    from refaudit import interop

    fmt = fmt.lower() if fmt else None
    if output is None or output == "-":
        fmt = fmt or "yaml"
        if fmt == "csv":
            raise UsageError("a CSV export writes three files; name a folder with -o, e.g. -o refs/.")
        reg = app.read()
        click.echo(_UNENCRYPTED.format(what="this export is"), err=True)
        click.echo(interop.to_yaml(reg) if fmt == "yaml" else interop.to_json(reg), nl=False)
        return
    target = Path(output)
    if fmt is None:
        fmt = "csv" if output.endswith(os.sep) else interop.guess_format(target, default="yaml")
    st = app.store()
    protected = [st.path, st.backup_path, st.lock_path]
    interop.check_target(fmt, target, force=force, protected=protected)
    written = interop.export(app.read(), fmt, target, force=force, protected=protected)
    what = f"{written[0]} is" if len(written) == 1 else f"{', '.join(map(str, written))} are"
    click.echo(_UNENCRYPTED.format(what=what), err=True)
    for path in written:
        click.echo(path)


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=lazy_choice("interop", "FORMATS"), help="yaml, json or csv [default: from PATH].")
@click.option("--dry-run", is_flag=True, help="Show what would be added, replaced or skipped; write nothing.")
@click.option(
    "--on-conflict",
    type=lazy_choice("interop", "CONFLICT_POLICIES"),
    default="fail",
    show_default=True,
    help="When an id already exists: fail, skip the incoming record, or replace the existing one.",
)
@pass_app
def import_(app: AppContext, path: Path, fmt: str | None, dry_run: bool, on_conflict: str) -> None:
    """Add records from an export or a hand-made CSV: all of them, or none.

    PATH is a YAML or JSON file, a CSV file, or a folder holding references.csv,
    applications.csv and feedback.csv. Everything is checked before anything is
    written; an error names the file, the row and the field. A hand-made
    references.csv needs only a 'name' column; rows without an id get one.

    \b
    Example:
      refaudit import backup.yaml --dry-run
      refaudit import refs/ --on-conflict skip
      refaudit import contacts.csv --format csv
    """
    from refaudit import interop

    incoming = interop.read(path, fmt.lower() if fmt else None)
    today = app.today()
    policy = on_conflict.lower()

    def merge(reg: Registry) -> Change[Outcome]:
        return interop.merge(reg, incoming, policy, today)

    if dry_run:
        outcome = merge(app.read()).result
        for action in outcome.actions:
            click.echo(f"would {action.verb} {action.kind} {action.id} ({action.label})")
        click.echo(
            f"Dry run: {outcome.count('add')} to add, {outcome.count('replace')} to replace, "
            f"{outcome.count('skip')} to skip; nothing was written."
        )
        return
    if incoming.count == 0 and incoming.owner is None:
        click.echo(f"Nothing to import in {path}.")
        return
    outcome = app.update("import", merge)
    click.echo(
        f"Imported {path}: {outcome.count('add')} added, {outcome.count('replace')} replaced, "
        f"{outcome.count('skip')} skipped."
    )


@click.command()
@pass_app
def edit(app: AppContext) -> None:
    """Edit the registry as YAML in $VISUAL or $EDITOR, checked when you save.

    An invalid file is reported and, on a terminal, offered back to you to fix
    (like visudo); without a terminal it is an error and nothing is written.
    Quitting without saving changes nothing. The plaintext lives in a private
    folder on tmpfs and is removed afterwards, whatever happens. The passphrase
    is asked first; then the registry stays locked while the editor is open (as
    visudo does), so other refaudit commands that change it wait or exit 5.

    \b
    Example:
      refaudit edit
      EDITOR=nano refaudit edit
    """
    from refaudit import editing

    editor, label, today = editing.editor_command(os.environ), str(app.store().path), app.today()
    retry = _ask_reopen if stdin_is_terminal() else None

    def change(reg: Registry) -> Change[str | None]:
        warn = lambda text: click.echo(f"Warning: {text}", err=True)  # noqa: E731
        return editing.edit(reg, label=label, today=today, editor=editor, retry=retry, warn=warn)

    summary = app.update("edit", change)
    click.echo("No changes; nothing was written." if summary is None else f"Saved: {summary}.")


def _ask_reopen(message: str) -> bool:
    click.echo(f"Error: {message}", err=True)
    return click.confirm("Re-open the editor to fix it? ('n' discards your changes)", default=True, err=True)
