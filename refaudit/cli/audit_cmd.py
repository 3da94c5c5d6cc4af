"""``audit`` and ``lineup``: what the evidence says about each reference, and whom to give next."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._complete import complete_ref
from refaudit.cli._output import echo_json
from refaudit.cli._params import DATE
from refaudit.errors import ValidationError

if TYPE_CHECKING:
    from refaudit import audit

_COLOURS = {"drop": "red", "watch": "yellow", "keep": "green"}
_INDENT = " " * 7


@click.command("audit")
@click.argument("ref_query", metavar="[REF]", required=False, shell_complete=complete_ref)
@click.option("--as-of", type=DATE, help="The audit as it stood on this day, ignoring later records.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--track-record",
    is_flag=True,
    help="Look back: for every ended application, what the audit says of its references on the day they "
    "were given, and how it ended.",
)
@pass_app
def audit_(app: Invocation, ref_query: str | None, as_of: date | None, as_json: bool, track_record: bool) -> None:
    """Recommend keep, watch or drop for every reference (or one), with the reasons.

    Each report is weighed by who relayed it, how directly and how long ago; a
    credible negative means drop, a credible lukewarm or mixed report at least watch.
    Every credible report that is not positive is quoted. docs/SCORING.md explains
    the model; the scoring: section of the config holds every threshold.

    \b
    Example:
      refaudit audit
      refaudit audit grace --json
      refaudit audit --as-of 2026-06-30 --json
      refaudit audit --track-record
    """
    from refaudit import audit, judgement, resolve

    day = as_of or app.today()
    if track_record:
        if ref_query is not None:
            raise click.UsageError("--track-record looks at every application; give it without REF.")
        _track_record(app, day, as_json)
        return
    reg = app.read()
    verdicts = judgement.judge(reg, app.settings(), day).verdicts
    if ref_query is not None:
        verdicts = [verdict_of(verdicts, resolve.reference(reg, ref_query).id, day)]
    if as_json:
        echo_json(audit.audit_json(verdicts, day))
    elif not verdicts:
        click.echo('No references yet. Add one: refaudit ref add "Jane Doe" --relationship manager')
    else:
        if ref_query is None:
            click.echo(_summary(verdicts, day))
        for v in verdicts:
            if ref_query is None:
                click.echo()
            click.echo(verdict_text(v))


def _track_record(app: Invocation, day: date, as_json: bool) -> None:
    from refaudit.audit.track import track_record

    reg = app.read()
    record = track_record(reg, app.settings(), day)
    names = {r.id: r.name for r in reg.references}
    if as_json:
        echo_json(record.to_json())
        return
    click.echo(f"Track record as of {day.isoformat()}: what the audit says of each reference on the day it was given.")
    for a in record.applications:
        click.echo()
        click.echo(f"{a.outcome.upper():<9}  {a.company} ({a.id})")
        for g in a.given:
            click.echo(
                f"{_INDENT}- {names.get(g.reference, g.reference)}, given {g.on.isoformat()}: {g.recommendation}"
            )
    click.echo()
    click.echo(_wrap(record.summary(), first="", rest=""))


def verdict_of(verdicts: list[audit.Verdict], ref_id: str, day: date) -> audit.Verdict:
    """The verdict on one reference, or an error when they were not known yet on ``day``."""
    for v in verdicts:
        if v.id == ref_id:
            return v
    raise ValidationError(f"reference {ref_id!r} was not known yet on {day.isoformat()}; try a later --as-of.")


def verdict_text(v: audit.Verdict) -> str:
    """The headline and the reasons of one verdict, as ``audit`` prints them."""
    return "\n".join([_headline(v), *(_wrap(reason) for reason in v.reasons)])


@click.command("lineup")
@click.option("--size", type=click.IntRange(min=1), help="How many references to propose (default: lineup.size, 3).")
@click.option("--as-of", type=DATE, help="The lineup as it stood on this day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def lineup(app: Invocation, size: int | None, as_of: date | None, as_json: bool) -> None:
    """Propose the references to give on your next application, and why each.

    Only references the audit says keep, active and not overused. First the one whose
    credible reports speak best for you (a manager when nobody has any; never a
    dates-only reference), then relationships not yet covered. When fewer than --size
    are ready, it says who is held back and why.

    \b
    Example:
      refaudit lineup
      refaudit lineup --size 4 --json
    """
    from refaudit import judgement

    day = as_of or app.today()
    judged = judgement.judge(app.read(), app.settings(), day, lineup_size=size)
    picks, held = judged.lineup, judged.held_back
    if as_json:
        echo_json(
            {"as_of": day.isoformat(), "lineup": [p.to_json() for p in picks], "held_back": [p.to_json() for p in held]}
        )
        return
    if not picks and held:
        click.echo("No reference is ready to give: each is held back, for the reason below (refaudit audit says more).")
    elif not picks:
        click.echo(
            "No reference is ready to give: none is keep, active and not overused. Run refaudit audit to see why."
        )
    for n, p in enumerate(picks, 1):
        click.echo(f"{n}. {p.name} ({p.id}), {p.relationship}")
        click.echo(_wrap(p.reason, "   ", "   "))
    if held:
        click.echo(f"\nHeld back ({len(held)}):")
        for p in held:
            click.echo(_wrap(f"{p.name} ({p.id}): {p.reason}", "   ", "     "))


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
    from refaudit.cli._term import wrap  # here, not at the top: completing `audit --j<TAB>` needs none of it

    return wrap(text, first, rest)
