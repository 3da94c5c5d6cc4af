"""``ref add|list|show|edit|status|remove``: the people you give as references."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._ask import confirm_or_yes
from refaudit.cli._complete import complete_ref
from refaudit.cli._output import echo_json
from refaudit.cli._params import DATE, lazy_choice
from refaudit.cli._term import Column, echo_table, wide_option

if TYPE_CHECKING:
    from refaudit import references
    from refaudit.change import Change
    from refaudit.model import Reference, Registry
    from refaudit.references import Removed


def _field_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--relationship", "-r", type=lazy_choice("model", "RELATIONSHIPS"), help="How you know them."),
        click.option("--org", "organization", help="Their organisation."),
        click.option("--title", help="Their job title."),
        click.option(
            "--worked-with",
            help="Where you worked together, e.g. 'the data team at Acme' (drafts name no place without it).",
        ),
        click.option("--name-prefix", help="An honorific before the name, e.g. 'Dr.' (kept apart from it)."),
        click.option("--name-suffix", help="A suffix after the name, e.g. 'Jr.' or 'PhD'."),
        click.option("--email", "emails", multiple=True, help="Email address (repeatable; the first is the main one)."),
        click.option(
            "--phone",
            "phones",
            multiple=True,
            help="Phone number, e.g. '+1 555 0100' (repeatable; on edit the ones given replace all, '' clears).",
        ),
        click.option("--link", "links", multiple=True, help="A web address, e.g. a LinkedIn profile (repeatable)."),
        click.option(
            "--known-since", type=DATE, help="Since when you know them (a date, e.g. 2019-03-01 or 1 Mar 2019)."
        ),
        click.option("--consent-on", type=DATE, help="When they last agreed to be your reference."),
        click.option("--tag", "tags", multiple=True, help="A tag (repeatable), e.g. --tag technical."),
        click.option("--note", "notes", help="A private note."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _fields(**kw: Any) -> references.RefFields:
    from refaudit import references

    kw["tags"] = list(kw.get("tags") or [])
    for several in ("emails", "phones", "links"):  # not given: None; given, even as '': replaces the set
        kw[several] = list(kw[several]) if kw.get(several) else None
    return references.RefFields(**kw)


# The id and the name say who it is; the organisation goes first when the terminal is narrow.
_COLUMNS = [
    Column("ID", keep=9, min=10), Column("NAME", keep=8, min=12), Column("RELATIONSHIP", keep=3, min=7),
    Column("ORGANIZATION", keep=1, min=12), Column("STATUS", keep=6, min=7), Column("USES", keep=5, min=4),
    Column("REPORTS", keep=4, min=7),
]  # fmt: skip


def reference_rows(reg: Registry, refs: list[Reference]) -> list[list[str]]:
    uses: dict[str, int] = {}
    for app in reg.applications:
        for r in app.references:
            uses[r] = uses.get(r, 0) + 1
    entries: dict[str, int] = {}
    for f in reg.feedback:
        entries[f.reference] = entries.get(f.reference, 0) + 1
    return [
        [
            r.id,
            r.name,
            r.relationship,
            r.organization or "",
            r.status,
            str(uses.get(r.id, 0)),
            str(entries.get(r.id, 0)),
        ]
        for r in refs
    ]


@click.group()
def ref() -> None:
    """Add, list, show, edit and remove your references.

    \b
    Example:
      refaudit ref add "Jane Doe" --relationship manager --org "Acme Corp"
      refaudit ref list
      refaudit ref show jane
    """


@ref.command("add")
@click.argument("name")
@_field_options
@click.option("--id", "ref_id", help="Choose the id yourself (default: made from the name).")
@pass_app
def add(app: Invocation, /, name: str, ref_id: str | None, **fields: Any) -> None:
    """Add a reference; prints its id.

    \b
    Example:
      refaudit ref add "Jane Doe" --relationship manager --org "Acme Corp" \\
          --email jane@example.com --phone "+1 555 0100" --tag technical
      refaudit ref add "Omar Haddad" --name-prefix Dr. --phone "+1 555 0101" \\
          --phone "+1 555 0102" --link https://www.linkedin.com/in/omar-haddad
    """
    from refaudit import references

    today = app.today()
    namesakes: list[str] = []

    def change(reg: Registry) -> Change[str]:
        namesakes.extend(f"{r.name} ({r.id})" for r in references.same_name(reg, name))
        return references.add(reg, _fields(name=name, **fields), today, ref_id)

    new_id = app.update("ref add", change)
    click.echo(new_id)
    from refaudit.text import fold

    if ref_id is None and not fold(name).isascii():
        # Romanised by rule (a Japanese name may come out in its Chinese reading): say how to choose.
        click.echo(
            f"Note: the id {new_id} is {name} written in Latin letters; "
            f"'refaudit ref edit {new_id} --id NEW' gives them the id you would type.",
            err=True,
        )
    if namesakes:
        click.echo(
            f"Note: you already have {', '.join(namesakes)}; use the ids to tell them apart "
            f"(or 'refaudit ref remove {new_id}' if this was a mistake).",
            err=True,
        )


@ref.command("list")
@click.option(
    "--status",
    type=lazy_choice("model", "REFERENCE_STATUSES", "all"),
    help="Which references (default: all but dropped).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@wide_option()
@pass_app
def list_(app: Invocation, status: str | None, as_json: bool, wide: bool) -> None:
    """List your references (by default all but the dropped ones), fitted to the terminal.

    \b
    Example:
      refaudit ref list
      refaudit ref list --wide
      refaudit ref list --status all --json
    """
    reg = app.read()
    refs = [
        r for r in reg.references
        if (status == "all") or (r.status == status if status else r.status != "dropped")
    ]  # fmt: skip
    if as_json:
        echo_json([r.to_json() for r in refs])
    elif not refs:
        click.echo('No references yet. Add one: refaudit ref add "Jane Doe" --relationship manager')
    else:
        echo_table(_COLUMNS, reference_rows(reg, refs), wide=wide)


def show_data(reg: Registry, r: Reference) -> dict[str, Any]:
    from refaudit import feedback

    apps = sorted(reg.applications_for(r.id), key=lambda a: (a.applied_on, a.id), reverse=True)
    entries = feedback.newest_first(reg.feedback_for(r.id))
    data = r.to_json()
    data["applications"] = [
        {
            "id": a.id,
            "company": a.company,
            "role": a.role,
            "applied_on": a.applied_on,
            "stage": a.stage,
            "outcome": a.outcome,
        }
        for a in apps
    ]
    data["feedback"] = [f.to_json() for f in entries]
    return data


@ref.command("show")
@click.argument("ref_query", metavar="REF", shell_complete=complete_ref)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def show(app: Invocation, ref_query: str, as_json: bool) -> None:
    """Show one reference with every application and report about them, newest first,
    and today's verdict on them (the reasons of `refaudit audit REF`).

    \b
    Example:
      refaudit ref show jane
      refaudit ref show jane-doe --json
    """
    from refaudit import judgement, resolve
    from refaudit.cli.audit_cmd import verdict_text

    reg = app.read()
    reference = resolve.reference(reg, ref_query)
    data = show_data(reg, reference)
    verdicts = judgement.judge(reg, app.settings(), app.today()).verdicts
    verdict = next((v for v in verdicts if v.id == reference.id), None)
    if as_json:
        data["verdict"] = verdict.to_json() if verdict else None
        echo_json(data)
        return
    labels = [
        ("Name", "name"), ("Id", "id"), ("Relationship", "relationship"), ("Organization", "organization"),
        ("Prefix", "name_prefix"), ("Suffix", "name_suffix"), ("Title", "title"), ("Worked with", "worked_with"),
        ("Email", "email"), ("Other emails", "emails"), ("Phone", "phone"), ("Other phones", "phones"),
        ("Links", "links"), ("Known since", "known_since"), ("Consent on", "consent_on"), ("Status", "status"),
        ("Status since", "status_on"), ("Status note", "status_note"), ("Tags", "tags"), ("Notes", "notes"),
        ("Added on", "added_on"),
    ]  # fmt: skip
    for label, key in labels:
        value = data.get(key)
        if value not in (None, []):
            click.echo(f"{label + ':':<14}{', '.join(value) if isinstance(value, list) else value}")
    click.echo(f"\nApplications ({len(data['applications'])}):")
    for a in data["applications"]:
        click.echo(f"  {a['applied_on']}  {a['company']} — {a['role']}  [{a['stage']}, {a['outcome']}]  ({a['id']})")
    click.echo(f"\nReports ({len(data['feedback'])}):")
    for f in data["feedback"]:
        via = f" via {f['reporter']}" if f.get("reporter") else ""
        how = f"{f.get('source', 'other')}, {f.get('certainty', 'direct')}"
        click.echo(f"  {f['reported_on']}  {f['id']}  {f['sentiment']} ({how}){via}")
        if f.get("quote"):
            click.echo(f"      “{f['quote']}”")
    if verdict is not None:
        click.echo("\nVerdict today:")
        click.echo(verdict_text(verdict))


@ref.command("edit")
@click.argument("ref_query", metavar="REF", shell_complete=complete_ref)
@click.option("--name", help="Their name.")
@click.option("--id", "new_id", help="A new id: renamed everywhere it is named (applications, briefings, reports).")
@_field_options
@pass_app
def edit(app: Invocation, /, ref_query: str, new_id: str | None, **fields: Any) -> None:
    """Change a reference's fields (only the options you give), or its id.

    --id renames the reference on every application, briefing, thank-you and report
    that names them; the history records the rename.

    \b
    Example:
      refaudit ref edit jane --phone "+1 555 0199" --title "Director of Data"
      refaudit ref edit ref-5 --id li-na
      refaudit ref edit jane --email jane@acme.example --email jane@home.example
      refaudit ref edit jane --phone ''
    """
    from refaudit import references, resolve

    today = app.today()

    def change(reg: Registry) -> Change[str]:
        return references.edit(reg, resolve.reference(reg, ref_query), _fields(**fields), today, new_id)

    click.echo(f"Updated {app.update('ref edit', change)}.")


@ref.command("status")
@click.argument("ref_query", metavar="REF", shell_complete=complete_ref)
@click.argument("status", type=lazy_choice("model", "REFERENCE_STATUSES"))
@click.option("--note", help="Why (kept with the date).")
@click.option("--on", "on", type=DATE, help="The day you decided (default today; not in the future).")
@pass_app
def status(app: Invocation, ref_query: str, status: str, note: str | None, on: date | None) -> None:
    """Record your own decision about a reference: active, resting or dropped.

    \b
    Example:
      refaudit ref status jane dropped --note "Said I struggled with deadlines"
      refaudit ref status bob resting --on "2 weeks ago"
    """
    from refaudit import references, resolve

    today = app.today()

    def change(reg: Registry) -> Change[str]:
        return references.set_status(reg, resolve.reference(reg, ref_query), status, note, today, on)

    click.echo(f"{app.update('ref status', change)} is now {status}.")


@ref.command("remove")
@click.argument("ref_query", metavar="REF", shell_complete=complete_ref)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def remove(app: Invocation, ref_query: str, yes: bool) -> None:
    """Erase a reference and every report about them (right to erasure).

    Their name, contact details and reports are removed from the registry, its
    history and its backup. Asks first unless --yes.

    \b
    Example:
      refaudit ref remove "Bob Smith"
      refaudit ref remove bob-smith --yes
    """
    from refaudit import references, resolve

    reg = app.read()
    target = resolve.reference(reg, ref_query)
    confirm_or_yes(f"Erase {target.name} ({target.id}) and every report about them?", yes)

    def change(reg: Registry) -> Change[Removed]:
        return references.remove(reg, reg.reference(target.id))

    removed = app.update("ref remove", change, scrub_backup=True)
    click.echo(
        f"Removed {removed.name} ({removed.id}): {removed.feedback} report(s) erased, "
        f"taken off {removed.applications} application(s)."
        + (f" Masked their name, email or phone in {removed.masked} other place(s)." if removed.masked else "")
    )
