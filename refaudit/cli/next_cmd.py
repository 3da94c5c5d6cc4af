"""``next``: what to do now, most urgent first."""

from __future__ import annotations

from datetime import date

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._output import echo_json
from refaudit.cli._params import DATE
from refaudit.cli._term import wrap


@click.command("next")
@click.option("--as-of", type=DATE, help="The actions as they stood on this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def next_(app: Invocation, as_of: date | None, as_json: bool) -> None:
    """The actions due, most urgent first, each with the command that records it as done.

    Brief references before a reference check, swap a dropped reference off an
    application before its reference check (swap or brief a watched one on a live
    application), reach a reference employers could not get hold of, thank them after
    an offer, ask for a debrief after a rejection with a vague or no reason, follow up
    or mark ghosted an application the employer has gone quiet on, test untested or
    watched references with a mock call, refresh old consent, rest or drop references
    the audit warns about, and keep enough applications open. Thresholds: the next:
    section of the config.
    After you accept an offer, only this is left: withdraw from the other
    applications, thank your references and tell them how the search ended.
    An action that is a message also shows the 'refaudit draft' command that writes it.

    \b
    Example:
      refaudit next
      refaudit next --as-of 2026-10-01 --json
    """
    from refaudit import actions, drafts, judgement

    day = as_of or app.today()
    reg = app.read()
    due = judgement.judge(reg, app.settings(), day).due
    if as_json:
        rows = [{**a.to_json(), "draft": drafts.draft_command(a)} for a in due]  # draft: None unless a message
        echo_json({"as_of": day.isoformat(), "actions": rows})
    elif not due:
        today = app.today()
        when = "is due today" if day == today else f"{'was' if day < today else 'is'} due on {day.isoformat()}"
        click.echo(f"Nothing {when} — your references are briefed, thanked and in good standing.")
    else:
        width = max(len(a.kind) for a in due)
        for a in due:
            click.echo(wrap(f"{actions.subject(a, reg)}: {a.reason}", f"{a.kind:<{width}}  ", " " * (width + 2)))
            click.echo(f"{'':<{width}}    {a.command}")
            if (draft := drafts.draft_command(a)) is not None:
                click.echo(f"{'':<{width}}    message: {draft}")
