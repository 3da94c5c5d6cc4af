"""``feedback log|list|remove``: what a reference reportedly said about you."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from refaudit.cli._common import DATE, AppContext, confirm_or_yes, echo_json, lazy_choice, pass_app, table
from refaudit.cli.session_cmd import complete_app, complete_ref

if TYPE_CHECKING:
    from refaudit.change import Change
    from refaudit.feedback import Logged
    from refaudit.model import Registry


@click.group("feedback")
def feedback_group() -> None:
    """Log, list and remove reports of what your references said.

    \b
    Example:
      refaudit feedback log jane --sentiment negative --source recruiter \\
          --reporter "Sam at Hays" --quote "said I struggled with deadlines" --app acme
      refaudit feedback list jane
      refaudit feedback remove f3
    """


@feedback_group.command("log")
@click.argument("ref_query", metavar="REF", shell_complete=complete_ref)
@click.option(
    "--sentiment", "-s", required=True, type=lazy_choice("model", "SENTIMENTS"), help="What the report said, overall."
)
@click.option(
    "--source", type=lazy_choice("model", "SOURCES"), default="other", show_default=True, help="Who told you."
)
@click.option(
    "--certainty", type=lazy_choice("model", "CERTAINTIES"), default="direct", show_default=True,
    help="verbatim: their exact words; direct: someone who heard it told you; hearsay; inferred.",
)  # fmt: skip
@click.option("--app", "app_query", metavar="APP", shell_complete=complete_app, help="The application it was about.")
@click.option("--date", "reported_on", type=DATE, help="When the report reached you (YYYY-MM-DD; default today).")
@click.option("--reporter", help="Who told you, e.g. 'Sam at Hays'.")
@click.option("--quote", help="What was said, as close to the words as you have.")
@click.option("--topic", "topics", multiple=True, help="A topic (repeatable), e.g. --topic reliability.")
@click.option("--note", help="A private note.")
@pass_app
def log(
    app: AppContext,
    ref_query: str,
    sentiment: str,
    source: str,
    certainty: str,
    app_query: str | None,
    reported_on: date | None,
    reporter: str | None,
    quote: str | None,
    topics: tuple[str, ...],
    note: str | None,
) -> None:
    """Log one report of what a reference said; prints its id.

    \b
    Example:
      refaudit feedback log jane --sentiment negative --source recruiter --certainty direct \\
          --app acme --reporter "Sam at Hays" --quote "said I struggled with deadlines" \\
          --topic reliability
      refaudit feedback log bob --sentiment no-response --source employer --app acme
    """
    from refaudit import feedback, resolve

    today = app.today()
    report = feedback.Report(
        sentiment=sentiment.lower(),
        source=source.lower(),
        certainty=certainty.lower(),
        reported_on=reported_on,
        reporter=reporter,
        quote=quote,
        topics=list(topics),
        notes=note,
    )

    def change(reg: Registry) -> Change[Logged]:
        ref = resolve.reference(reg, ref_query)
        target = resolve.application(reg, app_query) if app_query is not None else None
        return feedback.log(reg, ref, target, report, today)

    logged = app.update("feedback log", change)
    for warning in logged.warnings:
        click.echo(warning, err=True)
    click.echo(logged.id)


@feedback_group.command("list")
@click.argument("ref_query", metavar="[REF]", required=False, shell_complete=complete_ref)
@click.option(
    "--app", "app_query", metavar="APP", shell_complete=complete_app, help="Only reports on this application."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_(app: AppContext, ref_query: str | None, app_query: str | None, as_json: bool) -> None:
    """List reports, newest first: all, or about one reference, or on one application.

    \b
    Example:
      refaudit feedback list
      refaudit feedback list jane --app acme --json
    """
    from refaudit import feedback, resolve

    reg = app.read()
    entries = reg.feedback
    if ref_query is not None:
        ref_id = resolve.reference(reg, ref_query).id
        entries = [f for f in entries if f.reference == ref_id]
    if app_query is not None:
        app_id = resolve.application(reg, app_query).id
        entries = [f for f in entries if f.application == app_id]
    entries = feedback.newest_first(entries)
    if as_json:
        echo_json([f.to_json() for f in entries])
    elif not entries:
        click.echo(
            "No reports match." if reg.feedback
            else "No reports yet. Log one: refaudit feedback log jane --sentiment positive --source employer"
        )  # fmt: skip
    else:
        rows = [
            [f.id, f.reported_on.isoformat(), f.reference, f.application or "", f.sentiment, f.source,
             f.certainty, f.reporter or "", f.quote or ""]
            for f in entries
        ]  # fmt: skip
        headers = ["ID", "DATE", "REFERENCE", "APPLICATION", "SENTIMENT", "SOURCE", "CERTAINTY", "REPORTER", "QUOTE"]
        click.echo(table(headers, rows))


@feedback_group.command("remove")
@click.argument("feedback_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def remove(app: AppContext, feedback_id: str, yes: bool) -> None:
    """Delete one report (its id is never reused). Asks first unless --yes.

    \b
    Example:
      refaudit feedback remove f3
      refaudit feedback remove f3 --yes
    """
    from refaudit import feedback

    entry = feedback.find(app.read(), feedback_id)
    confirm_or_yes(f"Delete report {entry.id} ({entry.sentiment}, on {entry.reference}, {entry.reported_on})?", yes)

    def change(reg: Registry) -> Change[str]:
        return feedback.remove(reg, feedback.find(reg, entry.id))

    click.echo(f"Removed report {app.update('feedback remove', change)}.")
