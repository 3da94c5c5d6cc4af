"""``app add|list|show|update|debrief``: the applications you gave references on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._complete import complete_app, complete_ref
from refaudit.cli._output import echo_json
from refaudit.cli._params import DATE, lazy_choice
from refaudit.cli._term import Column, echo_table, wide_option, wrap

if TYPE_CHECKING:
    from refaudit.change import Change
    from refaudit.model import Application, Event, Reference, Registry


@click.group("app")
def app_group() -> None:
    """Record applications, the references you gave on them, and how they ended.

    \b
    Example:
      refaudit app add "Acme Corp" --role "Data Analyst" --applied "15 Sep 2026" --ref jane --ref bob
      refaudit app update acme --stage interview --on 2026-09-29
      refaudit app update acme --stage reference-check --briefed jane --on "last monday"
      refaudit app update acme --outcome rejected --on yesterday
      refaudit app debrief acme --reason "went with a more experienced candidate" --reason-kind experience

    DATE is 2026-09-15, 15.09.2026, 15 Sep 2026, 2026/09/15, today, yesterday,
    3 days ago, 2 weeks ago or last monday.
    """


F = TypeVar("F", bound=Callable[..., Any])


def _refs_option(flag: str, dest: str | None, help_text: str) -> Callable[[F], F]:
    """A repeatable REF option that completes reference ids."""
    names = (flag, dest) if dest else (flag,)
    return click.option(*names, multiple=True, metavar="REF", shell_complete=complete_ref, help=help_text)


@app_group.command("add")
@click.argument("company")
@click.option("--role", required=True, help="The job you applied for.")
@click.option("--applied", type=DATE, help="When you applied (default today).")
@click.option("--via", help="The agency or recruiter, if any.")
@_refs_option("--ref", "refs", "A reference you gave (repeatable).")
@click.option("--note", help="A private note.")
@click.option("--id", "app_id", help="Choose the id yourself (default: made from company and role).")
@pass_app
def add(
    app: Invocation,
    company: str,
    role: str,
    applied: date | None,
    via: str | None,
    refs: tuple[str, ...],
    note: str | None,
    app_id: str | None,
) -> None:
    """Record an application and the references given for it; prints its id.

    \b
    Example:
      refaudit app add "Acme Corp" --role "Data Analyst" --applied 2026-10-01 \\
          --via Hays --ref jane --ref "Bob Smith"
      refaudit app add Globex --role Analyst --applied "3 weeks ago" --ref olsen
    """
    from refaudit import applications, resolve

    today = app.today()
    warned: list[str] = []

    def change(reg: Registry) -> Change[str]:
        given = [resolve.reference(reg, r) for r in refs]
        warned[:] = _warnings(app, reg, applied or today, given)
        return applications.add(
            reg, company, role, today, applied=applied, via=via, refs=given, notes=note, app_id=app_id
        )

    click.echo(app.update("app add", change))
    for line in warned:
        click.echo(line, err=True)


def _warnings(
    app: Invocation, reg: Registry, day: date, given: list[Reference], already: Sequence[str] = ()
) -> list[str]:
    """What the audit says that day of the references about to be given (never blocks)."""
    from refaudit import giving

    return giving.warnings(reg, app.settings(), day, given, already) if given else []


# The id and the company say which application it is; the role and its references go first.
_COLUMNS = [
    Column("ID", keep=6, min=14), Column("COMPANY", keep=5, min=10), Column("ROLE", keep=2, min=10),
    Column("APPLIED", keep=3, min=10), Column("STAGE", keep=4, min=15), Column("OUTCOME", keep=4, min=10),
    Column("REFERENCES", min=12),
]  # fmt: skip


def _rows(apps: list[Application]) -> list[list[str]]:
    return [
        [a.id, a.company, a.role, a.applied_on.isoformat(), a.stage, a.outcome, ", ".join(a.references)] for a in apps
    ]


@app_group.command("list")
@click.option("--open", "only_open", is_flag=True, help="Only applications still pending.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@wide_option()
@pass_app
def list_(app: Invocation, only_open: bool, as_json: bool, wide: bool) -> None:
    """List your applications, most recent first, fitted to the terminal.

    \b
    Example:
      refaudit app list
      refaudit app list --open --wide
      refaudit app list --open --json
    """
    reg = app.read()
    apps = [a for a in reg.applications if a.is_open or not only_open]
    apps.sort(key=lambda a: (a.applied_on, a.id), reverse=True)
    if as_json:
        echo_json([a.to_json() for a in apps])
    elif not apps:
        click.echo(
            "No open applications." if only_open and reg.applications
            else 'No applications yet. Add one: refaudit app add "Acme Corp" --role "Data Analyst" --ref jane'
        )  # fmt: skip
    else:
        echo_table(_COLUMNS, _rows(apps), wide=wide)


def show_data(reg: Registry, a: Application) -> dict[str, Any]:
    """The application as the registry holds it, plus the reports logged against it (newest first)."""
    from refaudit import feedback

    data = a.to_json()
    data["feedback"] = [f.to_json() for f in feedback.newest_first([f for f in reg.feedback if f.application == a.id])]
    return data


def _event_text(e: Event, names: dict[str, str]) -> str:
    if e.event in ("briefed", "thanked", "told") and e.value:
        return f"{e.event} {names.get(e.value, e.value)} ({e.value})"
    if e.event in ("ref", "withdraw-ref") and e.value:
        verb = "gave" if e.event == "ref" else "withdrew"
        return f"{verb} {names.get(e.value, e.value)} ({e.value})"
    if e.event in ("briefed", "thanked") and e.value:
        return f"{e.event} {names.get(e.value, e.value)} ({e.value})"
    if e.event == "note":
        return f"note: {e.value}" if e.value else "note"
    if e.event == "debrief":
        return f"debrief (reason kind {e.value})" if e.value else "debrief"
    return f"{e.event} {e.value}" if e.value else e.event


def _echo_show(reg: Registry, a: Application, data: dict[str, Any]) -> None:
    from refaudit import applications

    names = {r.id: r.name for r in reg.references}
    briefed: dict[str, list[str]] = {}
    for b in a.briefed:
        briefed.setdefault(b.reference, []).append(b.on.isoformat())
    closed = f" (closed {a.closed_on.isoformat()})" if a.closed_on else ""
    lines = [
        ("Company", a.company), ("Role", a.role), ("Id", a.id), ("Applied on", a.applied_on.isoformat()),
        ("Via", a.via), ("Stage", a.stage), ("Outcome", a.outcome + closed),
        ("Updated on", a.updated_on.isoformat() if a.updated_on else None), ("Reason", a.reason),
        ("Reason kind", a.reason_kind),
    ]  # fmt: skip
    for label, value in lines:
        if value:
            click.echo(wrap(value, f"{label + ':':<13}", " " * 13))
    click.echo(f"\nReferences ({len(a.references)}):")
    withdrawn = {w.reference: w.on.isoformat() for w in a.withdrawn}
    for ref_id in a.references:
        told = f"  briefed {', '.join(briefed[ref_id])}" if ref_id in briefed else "  not briefed"
        if ref_id in withdrawn and ref_id not in applications.given_on(a, date.max):
            told += f"  withdrawn {withdrawn[ref_id]}"
        click.echo(f"  {names.get(ref_id, ref_id)} ({ref_id}){told}")
    for title, items in (("Criticism", a.criticism), ("Leads", a.leads)):
        if items:
            click.echo(f"\n{title}:")
            for item in items:
                day = applications.said_on(a, item)
                click.echo(wrap(f"{item.text}" + (f" ({day.isoformat()})" if day else ""), "  - ", "    "))
    if a.timeline:
        click.echo("\nTimeline:")
        for e in a.timeline:
            click.echo(wrap(_event_text(e, names), f"  {e.on.isoformat()}  ", " " * 14))
    if a.notes:
        click.echo(f"\nNotes: {a.notes}")
    click.echo(f"\nReports ({len(data['feedback'])}):")
    for f in data["feedback"]:
        via = f" via {f['reporter']}" if f.get("reporter") else ""
        click.echo(
            f"  {f['reported_on']}  {f['id']}  {f['reference']}: {f['sentiment']} "
            f"({f.get('source', 'other')}, {f.get('certainty', 'direct')}){via}"
        )
        if f.get("quote"):
            click.echo(wrap(f"“{f['quote']}”", " " * 6, " " * 7))


@app_group.command("show")
@click.argument("app_query", metavar="APP", shell_complete=complete_app)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def show(app: Invocation, app_query: str, as_json: bool) -> None:
    """Show one application: its timeline, references, briefings, outcome, debrief and reports.

    \b
    Example:
      refaudit app show acme
      refaudit app show acme-data-analyst --json
    """
    from refaudit import resolve

    reg = app.read()
    target = resolve.application(reg, app_query)
    data = show_data(reg, target)
    if as_json:
        echo_json(data)
    else:
        _echo_show(reg, target, data)


_ON_HELP = "The day it happened (default today; not in the future nor before you applied)."


@app_group.command("update")
@click.argument("app_query", metavar="APP", shell_complete=complete_app)
@click.option("--stage", type=lazy_choice("model", "STAGES"), help="How far it got.")
@click.option("--outcome", type=lazy_choice("model", "OUTCOMES"), help="How it ended (pending while open).")
@click.option("--reason", help="The reason the employer gave.")
@click.option(
    "--reason-kind",
    type=lazy_choice("model", "REASON_KINDS"),
    help="What kind of reason it was (only references and none-given count towards the pattern).",
)
@_refs_option("--ref", "refs", "Add a reference you gave (repeatable).")
@_refs_option("--briefed", None, "You told this reference the call is coming (repeatable).")
@_refs_option("--thanked", None, "You thanked this reference and told them how it went (repeatable).")
@_refs_option("--withdraw-ref", "withdraw", "Take this reference off the application from --on (repeatable).")
@click.option(
    "--swap", "swaps", multiple=True, metavar="OLD=NEW", shell_complete=complete_ref,
    help="Withdraw reference OLD and give NEW instead, one event (repeatable).",
)  # fmt: skip
@_refs_option("--told", None, "You told this reference how your search ended (repeatable).")
@click.option("--heard-back", is_flag=True, help="The employer replied (restarts the quiet-days clock).")
@click.option(
    "--followed-up", is_flag=True, help="You asked where it stands (the follow-up is done; the quiet clock runs on)."
)
@click.option("--note", help="A private note, added as a dated line (it does not restart the quiet-days clock).")
@click.option("--on", "on", type=DATE, help=_ON_HELP)
@click.option(
    "--force", is_flag=True, help="Let the stage move backwards, or change after an outcome or a final outcome."
)
@pass_app
def update(
    app: Invocation,
    app_query: str,
    stage: str | None,
    outcome: str | None,
    reason: str | None,
    reason_kind: str | None,
    refs: tuple[str, ...],
    briefed: tuple[str, ...],
    thanked: tuple[str, ...],
    withdraw: tuple[str, ...],
    swaps: tuple[str, ...],
    told: tuple[str, ...],
    heard_back: bool,
    followed_up: bool,
    note: str | None,
    on: date | None,
    force: bool,
) -> None:
    """Progress or close an application, add references, record briefings, each on its day.

    Everything given is recorded on --on (default today) in the application's
    timeline: the stage, the outcome, the briefing, the thanks, the note. A stage
    never moves backwards (applied, screening, interview, final, reference-check,
    offer) nor changes after an outcome, and a final outcome is not changed,
    unless --force. An offer moves the stage to offer, and may then become
    accepted or withdrawn without --force.

    --withdraw-ref takes a reference off the application from --on; --swap
    OLD=NEW withdraws OLD and gives NEW in one step. The application keeps
    everyone ever given; the audit leaves a withdrawn reference out from that day.
    Giving a reference the audit warns about prints a warning on stderr.

    Only the employer restarts the quiet-days clock (a stage, an outcome,
    --heard-back, a debrief, employer feedback); --followed-up and --note do not.
    Prints the application's id.

    --reason-kind: experience, skills, fit, compensation, internal-candidate,
    position-filled, references, none-given, other. Only references and none-given
    (or no reason at all) count towards the audit's pattern.

    \b
    Example:
      refaudit app update acme --stage interview --on 2026-09-29
      refaudit app update acme --stage reference-check --briefed jane --on "3 days ago"
      refaudit app update acme --ref "Bob Smith"
      refaudit app update acme --outcome rejected --reason "more experience" --reason-kind experience
      refaudit app update globex --outcome offer --thanked jane --note "Start date 1 March"
      refaudit app update acme --stage interview --force
      refaudit app update globex --swap bob=jane --on 2026-10-09
      refaudit app update globex --outcome accepted --told jane --told bob
    """
    from refaudit import applications, resolve

    today = app.today()
    warned: list[str] = []
    pairs = [_swap_pair(s) for s in swaps]

    def change(reg: Registry) -> Change[str]:
        target = resolve.application(reg, app_query)
        day = applications.event_day(target, on, today)
        swapped = [(resolve.reference(reg, old), resolve.reference(reg, new)) for old, new in pairs]
        given = [resolve.reference(reg, r) for r in refs]
        already = applications.given_on(target, day)
        fresh = [r for r in [*(new for _, new in swapped), *given] if r.id not in already]
        warned[:] = _warnings(app, reg, day, fresh, already)
        up = applications.AppUpdate(
            stage=stage,
            outcome=outcome,
            reason=reason,
            reason_kind=reason_kind,
            notes=note,
            refs=[resolve.reference(reg, r) for r in refs],
            briefed=[resolve.reference(reg, r) for r in briefed],
            thanked=[resolve.reference(reg, r) for r in thanked],
            withdraw=[resolve.reference(reg, r) for r in withdraw],
            swaps=swapped,
            told=[resolve.reference(reg, r) for r in told],
            heard_back=heard_back,
            followed_up=followed_up,
            on=on,
            force=force,
        )
        return applications.update(reg, target, up, today)

    click.echo(app.update("app update", change))
    for line in warned:
        click.echo(line, err=True)


def _swap_pair(text: str) -> tuple[str, str]:
    old, sep, new = text.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise click.BadParameter(
            f"{text!r} is not OLD=NEW; give the reference to take off and the one to give, e.g. --swap bob=jane.",
            param_hint="'--swap'",
        )
    return old.strip(), new.strip()


@app_group.command("debrief")
@click.argument("app_query", metavar="APP", shell_complete=complete_app)
@click.option("--reason", help="The reason they gave for turning you down.")
@click.option(
    "--reason-kind",
    type=lazy_choice("model", "REASON_KINDS"),
    help="What kind of reason it was (only references and none-given count towards the pattern).",
)
@click.option("--criticism", multiple=True, help="Constructive criticism (repeatable).")
@click.option("--lead", "leads", multiple=True, help="A job lead or referral they offered (repeatable).")
@click.option("--on", "on", type=DATE, help="The day they told you (default today; not before you applied).")
@pass_app
def debrief(
    app: Invocation,
    app_query: str,
    reason: str | None,
    reason_kind: str | None,
    criticism: tuple[str, ...],
    leads: tuple[str, ...],
    on: date | None,
) -> None:
    """Record what the employer said when turning you down.

    The reason and its kind replace any earlier ones; criticism and leads are added
    to those already recorded. The debrief is dated --on (default today).
    --reason-kind: experience, skills, fit, compensation, internal-candidate,
    position-filled, references, none-given, other.

    \b
    Example:
      refaudit app debrief acme --reason "went with a candidate with more experience" \\
          --reason-kind experience --criticism "Could show more SQL depth" \\
          --lead "Globex is hiring analysts" --on "last friday"
    """
    from refaudit import applications, resolve

    today = app.today()

    def change(reg: Registry) -> Change[str]:
        target = resolve.application(reg, app_query)
        return applications.debrief(
            reg, target, today, reason=reason, reason_kind=reason_kind,
            criticism=list(criticism), leads=list(leads), on=on,
        )  # fmt: skip

    click.echo(f"Debriefed {app.update('app debrief', change)}.")
