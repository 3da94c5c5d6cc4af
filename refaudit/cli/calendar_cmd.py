"""``calendar``: the due actions of ``next`` as an iCalendar file your calendar reminds you of."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._files import check_output, write_output
from refaudit.cli._output import safe

DEFAULT_FILE = "refaudit-next.ics"
MAX_DAYS = 366  # ical.MAX_DAYS, spelled here so that listing commands imports no core module


@click.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help=f"File to write, created 0600 [default: {DEFAULT_FILE}]."
)
@click.option(
    "--days",
    type=click.IntRange(0, MAX_DAYS),
    default=30,
    show_default=True,
    help="Include the actions due within this many days (overdue ones always).",
)
@click.option("--redact", is_flag=True, help="Initials only; no reasons, emails, phones, quotes or commands.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@pass_app
def calendar(app: Invocation, output: Path | None, days: int, redact: bool, force: bool) -> None:
    """Write the actions that are due as a calendar file (iCalendar) to import.

    One all-day event per action, with a reminder at 09:00: overdue ones today, the
    others on the day they fall due. Each says what to do at a glance and, in its
    description, why, the command that writes the message and the one that records
    it done. Importing a newer file updates the events instead of duplicating them.
    Use --redact for a calendar synced to a cloud.

    \b
    Example:
      refaudit calendar
      refaudit calendar --days 14 --redact -o ~/refaudit.ics --force
    """
    from refaudit import ical
    from refaudit.interop import write_private

    target = output or Path(DEFAULT_FILE)
    check_output(app.store(), target, "a calendar", force=force)
    reg, today = app.read(), app.today()
    due = ical.due_within(reg, app.settings(), today, days)
    data = ical.to_ical(due, reg, today, app.now(), redact=redact)
    if redact:
        from refaudit import gate
        from refaudit.report.redact import Privacy, identity_lexicon

        gate.check(identity_lexicon(reg, Privacy.REDACT), ical.texts(data), "the redacted calendar")
        write_private(target, data, force=force)  # initials and companies only: no warning needed
    else:
        write_output(target, data, force=force)
    count = f"{len(due)} action" + ("" if len(due) == 1 else "s")
    click.echo(f"Wrote {count} due by {(today + timedelta(days=days)).isoformat()} to {safe(target)}")
