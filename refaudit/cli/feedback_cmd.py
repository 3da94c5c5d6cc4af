"""``feedback log|list|remove``: what a reference reportedly said about you."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._ask import confirm_or_yes
from refaudit.cli._complete import complete_app, complete_ref
from refaudit.cli._output import echo_json
from refaudit.cli._params import DATE, lazy_choice
from refaudit.cli._term import Column, echo_table, wide_option
from refaudit.errors import UsageError

if TYPE_CHECKING:
    from refaudit.change import Change
    from refaudit.feedback import Logged
    from refaudit.model import Registry

MAX_ATTEMPTS = 99  # checks.MAX_ATTEMPTS, spelled here so that listing commands imports no core module


@click.group("feedback")
def feedback_group() -> None:
    """Log, list, edit and remove reports of what your references said.

    \b
    Example:
      refaudit feedback log jane --sentiment negative --source recruiter \\
          --reporter "Sam at Hays" --quote "said I struggled with deadlines" --app acme
      refaudit feedback list jane
      refaudit feedback edit f3 --sentiment lukewarm --on "2 weeks ago"
      refaudit feedback remove f3
    """


F = TypeVar("F", bound=Callable[..., Any])

# What people say, and the sentiment to log it as: shown in `feedback log --help`.
_GUIDE = [
    ('Praise, would hire again: "one of the best"', "positive"),
    ('Facts only: dates, title, "she worked here"', "neutral"),
    ("Faint praise, hesitation, reservations:", "lukewarm"),
    ('  "was fine, I guess", "needs a lot of direction"', ""),
    ('Good and bad: "strong, but missed deadlines"', "mixed"),
    ('Warned them off: "I would not rehire him"', "negative"),
    ("Never reached them (add --attempts N)", "no-response"),
    ("Company policy: confirmed dates only", "declined"),
]
SENTIMENT_GUIDE = "\b\n" + "\n".join(
    f"{said:<50} {sentiment}".rstrip()
    for said, sentiment in [("What they said", "--sentiment"), ("-" * 50, "-" * 11), *_GUIDE]
)


def _report_options(func: F) -> F:
    """The options a report has, shared by ``log`` and ``edit``."""
    options = [
        click.option(
            "--source", type=lazy_choice("model", "FEEDBACK_SOURCES"), help="Who told you (log: default other)."
        ),
        click.option(
            "--certainty",
            type=lazy_choice("model", "CERTAINTIES"),
            help="verbatim: their exact words; direct: someone who heard it told you (log: default); hearsay; "
            "inferred.",
        ),
        click.option(
            "--app", "app_query", metavar="APP", shell_complete=complete_app, help="The application it was about."
        ),
        click.option(
            "--date", "--on", "reported_on", type=DATE, help="When the report reached you (default today; not later)."
        ),
        click.option("--reporter", help="Who told you, e.g. 'Sam at Hays'."),
        click.option("--quote", help="What was said, as close to the words as you have."),
        click.option("--topic", "topics", multiple=True, help="A topic (repeatable), e.g. --topic reliability."),
        click.option("--note", help="A private note."),
        click.option(
            "--attempts",
            type=click.IntRange(1, MAX_ATTEMPTS),
            metavar="N",
            help="With no-response: how many times the employer tried (default 1).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _check_attempts(attempts: int | None, sentiment: str | None) -> None:
    if attempts is not None and sentiment is not None and sentiment != "no-response":
        raise UsageError(f"--attempts {attempts} is only for --sentiment no-response, not {sentiment}.")


@feedback_group.command("log", epilog=SENTIMENT_GUIDE)
@click.argument("ref_query", metavar="REF", shell_complete=complete_ref)
@click.option(
    "--sentiment",
    "-s",
    required=True,
    type=lazy_choice("model", "SENTIMENTS"),
    help="What the report said (table below).",
)
@_report_options
@click.option(
    "--fatigue", is_flag=True, help="They were slow to answer or tired of being asked: rest them (flag fatigued)."
)
@pass_app
def log(
    app: Invocation,
    ref_query: str,
    sentiment: str,
    source: str | None,
    certainty: str | None,
    app_query: str | None,
    reported_on: date | None,
    reporter: str | None,
    quote: str | None,
    topics: tuple[str, ...],
    note: str | None,
    attempts: int | None,
    fatigue: bool,
) -> None:
    """Log one report of what a reference said; prints its id.

    --date (or --on) is the day the report reached you. --source mock-call: someone
    you know who called the reference as an employer would and heard the words
    themselves; a professional reference check you ordered is --source
    reference-service.

    \b
    Example:
      refaudit feedback log jane --sentiment negative --source recruiter --certainty direct \\
          --app acme --reporter "Sam at Hays" --quote "said I struggled with deadlines" \\
          --topic reliability --on "last tuesday"
      refaudit feedback log olsen --sentiment lukewarm --source recruiter \\
          --quote "said I need a lot of direction" --date 15.09.2026
      refaudit feedback log bob --sentiment no-response --attempts 3 --source employer --app acme
      refaudit feedback log omar --sentiment positive --source mock-call --reporter "my friend Kim"
      refaudit feedback log sara --sentiment positive --source employer --fatigue \\
          --quote "very positive, but took a week to answer"
    """
    from refaudit import feedback, resolve

    _check_attempts(attempts, sentiment)
    today = app.today()
    typed = feedback.NewFeedback(
        sentiment=sentiment,
        source=source or "other",
        certainty=certainty or "direct",
        reported_on=reported_on,
        reporter=reporter,
        quote=quote,
        topics=list(topics),
        notes=note,
        attempts=attempts,
        fatigue=fatigue,
    )

    def change(reg: Registry) -> Change[Logged]:
        ref = resolve.reference(reg, ref_query)
        target = resolve.application(reg, app_query) if app_query is not None else None
        return feedback.log(reg, ref, target, typed, today)

    logged = app.update("feedback log", change)
    for warning in logged.warnings:
        click.echo(warning, err=True)
    click.echo(logged.id)


@feedback_group.command("edit", epilog=SENTIMENT_GUIDE)
@click.argument("feedback_id", metavar="ID")
@click.option("--ref", "ref_query", metavar="REF", shell_complete=complete_ref, help="It was about this reference.")
@click.option("--sentiment", "-s", type=lazy_choice("model", "SENTIMENTS"), help="What the report said (table below).")
@_report_options
@click.option("--no-app", is_flag=True, help="It was not about any one application.")
@click.option(
    "--fatigue/--no-fatigue",
    default=None,
    help="Mark (or clear) that they were slow to answer or tired of being asked.",
)
@pass_app
def edit(
    app: Invocation,
    feedback_id: str,
    ref_query: str | None,
    sentiment: str | None,
    source: str | None,
    certainty: str | None,
    app_query: str | None,
    reported_on: date | None,
    reporter: str | None,
    quote: str | None,
    topics: tuple[str, ...],
    note: str | None,
    attempts: int | None,
    no_app: bool,
    fatigue: bool | None,
) -> None:
    """Change a report: only the fields given; it keeps its id.

    Takes the options of 'feedback log'. An empty value clears a text field
    (--quote ""); --topic replaces the topics. Moving a report away from
    no-response drops its attempts.

    \b
    Example:
      refaudit feedback edit f3 --sentiment lukewarm --quote "needs a lot of direction"
      refaudit feedback edit f3 --on 2026-09-15 --app acme
      refaudit feedback edit f7 --attempts 2
      refaudit feedback edit f9 --no-fatigue
    """
    from refaudit import feedback, resolve

    if app_query is not None and no_app:
        raise UsageError("--app and --no-app contradict each other; give one.")
    today = app.today()

    def change(reg: Registry) -> Change[Logged]:
        entry = feedback.find(reg, feedback_id)
        _check_attempts(attempts, sentiment or entry.sentiment)
        up = feedback.FeedbackEdit(
            ref=resolve.reference(reg, ref_query) if ref_query is not None else None,
            app=resolve.application(reg, app_query) if app_query is not None else None,
            no_app=no_app,
            sentiment=sentiment,
            source=source,
            certainty=certainty,
            reported_on=reported_on,
            reporter=reporter,
            quote=quote,
            topics=list(topics),
            notes=note,
            attempts=attempts,
            fatigue=fatigue,
        )
        return feedback.edit(reg, entry, up, today)

    edited = app.update("feedback edit", change)
    for warning in edited.warnings:
        click.echo(warning, err=True)
    click.echo(f"Updated report {edited.id}.")


# Who said what, and when, stay longest; how it reached you goes first.
_COLUMNS = [
    Column("ID", keep=9, min=3), Column("DATE", keep=7, min=10), Column("REFERENCE", keep=8, min=10),
    Column("APPLICATION", keep=3, min=12), Column("SENTIMENT", keep=8, min=11), Column("SOURCE", keep=2),
    Column("CERTAINTY", keep=1), Column("REPORTER", keep=4, min=12), Column("QUOTE", keep=5, min=20),
]  # fmt: skip


@feedback_group.command("list")
@click.argument("ref_query", metavar="[REF]", required=False, shell_complete=complete_ref)
@click.option(
    "--app", "app_query", metavar="APP", shell_complete=complete_app, help="Only reports on this application."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@wide_option()
@pass_app
def list_(app: Invocation, ref_query: str | None, app_query: str | None, as_json: bool, wide: bool) -> None:
    """List reports, newest first: all, or about one reference, or on one application.

    The table fits the terminal: long cells are cut with …, and on a narrow one the
    least useful columns are left out (--wide shows all).

    \b
    Example:
      refaudit feedback list
      refaudit feedback list jane --app acme --wide
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
        echo_table(_COLUMNS, rows, wide=wide)


@feedback_group.command("remove")
@click.argument("feedback_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def remove(app: Invocation, feedback_id: str, yes: bool) -> None:
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
