"""``audit`` and ``lineup``: what the evidence says about each reference, and whom to give next."""

from __future__ import annotations

import shutil
import textwrap
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

import click

from refaudit.cli._common import DATE, AppContext, echo_json, pass_app

if TYPE_CHECKING:
    from refaudit import audit

_COLOURS = {"drop": "red", "watch": "yellow", "keep": "green"}
_INDENT = " " * 7


@click.command("audit")
@click.option("--as-of", type=DATE, help="The audit as it stood on this day, ignoring later records.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def audit_(app: AppContext, as_of: date | None, as_json: bool) -> None:
    """Recommend keep, watch or drop for every reference, with the reasons.

    Each report is weighed by who relayed it, how directly and how long ago; a
    credible negative means drop. docs/SCORING.md explains the model; the scoring:
    section of the config holds every threshold.

    \b
    Example:
      refaudit audit
      refaudit audit --as-of 2026-06-30 --json
    """
    from refaudit import audit

    settings = app.settings()
    day = as_of or app.today()
    verdicts = audit.audit(app.read(), settings, day)
    if as_json:
        echo_json(audit.audit_json(verdicts, day))
    elif not verdicts:
        click.echo('No references yet. Add one: refaudit ref add "Jane Doe" --relationship manager')
    else:
        click.echo(_summary(verdicts, day))
        for v in verdicts:
            click.echo()
            click.echo(_headline(v))
            for reason in v.reasons:
                click.echo(_wrap(reason))


@click.command("lineup")
@click.option("--size", type=click.IntRange(min=1), help="How many references to propose (default: lineup.size, 3).")
@click.option("--as-of", type=DATE, help="The lineup as it stood on this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def lineup(app: AppContext, size: int | None, as_of: date | None, as_json: bool) -> None:
    """Propose the references to give on your next application, and why each.

    Only references the audit says keep, active and not overused; a manager first,
    then relationships not yet covered.

    \b
    Example:
      refaudit lineup
      refaudit lineup --size 4 --json
    """
    from refaudit import audit

    settings = app.settings()
    day = as_of or app.today()
    reg = app.read()
    picks = audit.lineup(reg, audit.audit(reg, settings, day), settings, size)
    if as_json:
        echo_json({"as_of": day.isoformat(), "lineup": [p.to_json() for p in picks]})
    elif not picks:
        click.echo(
            "No reference is ready to give: none is keep, active and not overused. Run refaudit audit to see why."
        )
    else:
        for n, p in enumerate(picks, 1):
            click.echo(f"{n}. {p.name} ({p.id}), {p.relationship}")
            click.echo(_wrap(p.reason, "   ", "   "))


def _summary(verdicts: list[audit.Verdict], day: date) -> str:
    counts = Counter(v.recommendation for v in verdicts)
    parts = [f"{counts[r]} {r}" for r in ("drop", "watch", "keep") if counts[r]]
    return f"Audit as of {day.isoformat()}: {', '.join(parts)}."


def _headline(v: audit.Verdict) -> str:
    # The word carries the meaning; colour only helps, and click drops it off a terminal.
    word = click.style(f"{v.recommendation.upper():<5}", fg=_COLOURS[v.recommendation], bold=True)
    flags = f"  [{', '.join(v.flags)}]" if v.flags else ""
    return f"{word}  {v.name} ({v.id})  risk {v.risk:.2f}{flags}"


def _wrap(text: str, first: str = _INDENT + "- ", rest: str = _INDENT + "  ") -> str:
    columns = min(shutil.get_terminal_size((100, 24)).columns, 100)
    return textwrap.fill(
        text, width=max(columns, 40), initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )
