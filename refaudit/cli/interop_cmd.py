"""``export``, ``import``, ``edit``: the registry in plaintext, deliberately and briefly."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._ask import stdin_is_terminal
from refaudit.cli._files import sweep_leftovers
from refaudit.cli._output import safe
from refaudit.cli._params import lazy_choice
from refaudit.errors import UsageError, ValidationError

if TYPE_CHECKING:
    from refaudit import interop
    from refaudit.change import Change
    from refaudit.interop import Outcome
    from refaudit.model import Registry

_UNENCRYPTED = (
    "Warning: {what} NOT encrypted: your references' personal data in plain text. "
    "Keep it private and delete it when you are done."
)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=lazy_choice("interop", "EXPORT_FORMATS"),
    help="yaml, json or csv [default: from -o, else yaml].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # kept as text: a trailing "/" asks for a folder, i.e. CSV
    help="File to write (a folder for csv) [default: standard output].",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@pass_app
def export(app: Invocation, fmt: str | None, output: str | None, force: bool) -> None:
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
    sweep_leftovers(*interop.export_paths(fmt, target))
    written = interop.export(app.read(), fmt, target, force=force, protected=protected)
    what = f"{safe(written[0])} is" if len(written) == 1 else f"{', '.join(map(safe, written))} are"
    click.echo(_UNENCRYPTED.format(what=what), err=True)
    for path in written:
        click.echo(safe(path))


def _mapping(values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        column, sep, target = value.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise UsageError(f"--map {value!r} is not COLUMN=FIELD, e.g. --map 'Full Name=name'.")
        mapping[column.strip()] = target.strip()
    return mapping


@click.command("import")
@click.argument("path", type=click.Path(path_type=str, allow_dash=True))
@click.option(
    "--from",
    "source",
    type=lazy_choice("interop", "IMPORT_SOURCES"),
    default="auto",
    show_default=True,
    help="Where the file comes from; auto recognises each by its header.",
)
@click.option(
    "--format", "fmt", type=lazy_choice("interop", "EXPORT_FORMATS"), help="yaml, json or csv [default: from PATH]."
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read a spreadsheet's COLUMN as the registry field FIELD (repeatable).",
)
@click.option("--ignore-unknown", is_flag=True, help="Leave out columns refaudit does not know, and list them.")
@click.option(
    "--status",
    type=click.Choice(("active", "resting"), case_sensitive=False),
    help="Status of people added from contacts [default: resting].",
)
@click.option("--only", multiple=True, metavar="NAME", help="Import just this person (name or email; repeatable).")
@click.option(
    "--date-order",
    type=click.Choice(("dmy", "mdy")),
    help="How to read a slashed date such as 03/04/2026 in this file [default: the dates.order setting].",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="The file's text encoding, e.g. cp1252 or utf-16 [default: detected; the summary names it].",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show, row by row, what would be added, matched, filled, replaced or skipped (exit 1 if it would fail).",
)
@click.option(
    "--on-conflict",
    type=lazy_choice("interop", "CONFLICT_POLICIES"),
    default="fail",
    show_default=True,
    help="When a record exists with other values: fail, skip the incoming one, fill only the fields the "
    "registry has empty, or replace the fields it gives.",
)
@pass_app
def import_(
    app: Invocation,
    path: str,
    source: str,
    fmt: str | None,
    mapping: tuple[str, ...],
    ignore_unknown: bool,
    status: str | None,
    only: tuple[str, ...],
    date_order: str | None,
    encoding: str | None,
    dry_run: bool,
    on_conflict: str,
) -> None:
    """Add records from an export, contacts or a job tracker: all of them, or none.

    PATH ('-' for standard input) is a refaudit YAML or JSON export, a CSV file or a
    folder of refaudit CSVs, LinkedIn's Connections.csv, a Google Contacts CSV, an
    Outlook contacts CSV, a vCard file (.vcf, 3.0 or 4.0), or a job tracker's CSV of
    applications; --from auto recognises each. A row without an id matches a person
    by uid, then email, then name without honorifics (and organisation when both
    have one); an application by company, role and date; so importing the same file
    twice adds nothing. Every email, phone and web address of a contact is kept.
    People from contacts are added as 'resting' unless --status active. Everything
    is checked before anything is written; an error names the file, the row and the
    column. The summary names the encoding read and the columns used and left out.

    \b
    Example:
      refaudit import Connections.csv --dry-run
      refaudit import contacts.vcf --only 'Jane Doe' --status active
      refaudit import outlook.csv --encoding cp1252 --on-conflict fill
      refaudit import applications.csv --from tracker --map 'Firm=company' --date-order mdy
      refaudit import people.csv --map 'Full Name=name' --ignore-unknown
      refaudit export | refaudit --registry other.refaudit import -
    """
    from refaudit import filecheck, interop

    if path != "-":
        filecheck.require_readable_source(Path(path), "the import source", folder_ok=True)
    if encoding is not None:
        interop.check_encoding(encoding)
    options = interop.Options(
        source=source,
        fmt=fmt,
        mapping=_mapping(mapping),
        ignore_unknown=ignore_unknown,
        status=status,
        only=only,
        date_order=date_order or app.date_order(),
        encoding=encoding,
    )
    incoming = interop.read(None if path == "-" else Path(path), options, sys.stdin.buffer)
    shown = "standard input" if path == "-" else safe(path)
    today = app.today()
    policy = on_conflict

    def reconcile(reg: Registry) -> Change[Outcome]:
        return interop.reconcile(reg, incoming, policy, today)

    if dry_run:
        outcome = interop.rehearse(app.read(), incoming, policy, today)
        _say_what_was_read(shown, incoming)
        for action in outcome.actions:
            target = f" {action.kind} {safe(action.id)}" if action.kind != "row" else ""
            where = f"{action.where}: " if action.where else ""
            said = _FIELDS_SAID.get(action.verb)
            kept = f"; {said} {', '.join(action.fields)}" if said and action.fields else ""
            click.echo(f"{where}would {action.verb}{target} ({safe(action.label)}{kept})")
        filled = f"{outcome.count('fill')} to fill, " if policy == "fill" else ""
        conflicts = f", {outcome.count('conflict')} in conflict" if outcome.count("conflict") else ""
        click.echo(
            f"Dry run: {outcome.count('add')} to add, {outcome.count('complete')} to complete, "
            f"{outcome.count('match')} already there, {filled}"
            f"{outcome.count('replace')} to replace, {outcome.count('skip')} to skip{conflicts}; nothing was written."
        )
        if outcome.refused:
            raise ValidationError(f"{outcome.refused} The real run would import nothing.")
        return
    if incoming.count == 0 and incoming.owner is None:
        click.echo(f"Nothing to import in {shown}.")
        return
    outcome = app.update("import", reconcile)
    _say_what_was_read(shown, incoming)
    filled = f"{outcome.count('fill')} filled, " if policy == "fill" else ""
    click.echo(
        f"Imported {shown}: {outcome.count('add')} added, {outcome.count('complete')} completed, "
        f"{outcome.count('match')} already there, {filled}"
        f"{outcome.count('replace')} replaced, {outcome.count('skip')} skipped."
    )
    for action in outcome.actions:
        if action.verb == "fill" and action.fields:
            click.echo(
                f"  {action.where}: {action.kind} {safe(action.id)} kept its own {', '.join(action.fields)}",
                err=True,
            )


_FIELDS_SAID = {"fill": "keeps its own", "conflict": "differs in"}


def _say_what_was_read(shown: str, incoming: interop.Incoming) -> None:
    """On stderr, beside the summary: the encoding read, the columns used, those with values left out.

    refaudit's own YAML and JSON have no columns to leave out: for them only an encoding other than
    UTF-8 is worth a line.
    """
    encoding = f" as {incoming.encoding}" if incoming.encoding else ""
    if not incoming.used and not incoming.left_out and not incoming.ignored:
        if incoming.encoding not in (None, "UTF-8"):
            click.echo(f"Read {shown}{encoding}.", err=True)
        return
    used = ", ".join(repr(c) for c in dict.fromkeys(incoming.used)) or "none"  # a folder's files share columns
    left = list(dict.fromkeys([*incoming.ignored, *incoming.left_out]))
    left_out = f"left out (not imported): {', '.join(repr(c) for c in left)}" if left else "nothing left out"
    click.echo(f"Read {shown}{encoding}; used {used}; {left_out}.", err=True)


@click.command()
@pass_app
def edit(app: Invocation) -> None:
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
