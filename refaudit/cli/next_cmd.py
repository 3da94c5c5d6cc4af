"""``next`` and ``demo``: what to do now, and a sample registry to try everything on."""

from __future__ import annotations

import os
import shlex
from datetime import date
from pathlib import Path

import click

from refaudit.cli._common import DATE, AppContext, echo_json, pass_app
from refaudit.cli._term import wrap

DEMO_PASSPHRASE = "demo"


@click.command("next")
@click.option("--as-of", type=DATE, help="The actions as they stood on this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def next_(app: AppContext, as_of: date | None, as_json: bool) -> None:
    """The actions due, most urgent first, each with the command that records it as done.

    Brief references before a reference check, swap (or brief) a watched or dropped
    reference on a live application, reach a reference employers could not get hold
    of, thank them after an offer, ask for a debrief after a rejection with a vague or
    no reason, follow up or mark ghosted a quiet application, test untested or watched
    references with a mock call, refresh old consent, rest or drop references the audit
    warns about, and keep enough applications open. Thresholds: the next: section of
    the config.
    An action that is a message also shows the 'refaudit draft' command that writes it.

    \b
    Example:
      refaudit next
      refaudit next --as-of 2026-10-01 --json
    """
    from refaudit import actions, audit, drafts

    day = as_of or app.today()
    reg, settings = app.read(), app.settings()
    due = actions.due_actions(reg, audit.audit(reg, settings, day), settings, day)
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


@click.command()
@click.option(
    "--registry",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to create it (default: the global --registry or REFAUDIT_REGISTRY).",
)
@pass_app
def demo(app: AppContext, path: Path | None) -> None:
    """Create a realistic sample registry to try refaudit on.

    Alex Candidate's year of job hunting: ten references, forty applications and
    thirty reports, with a reference who is hurting, one who never answers, and
    actions due. The passphrase comes from the usual sources, else it is 'demo'.
    Refuses to overwrite an existing registry, like init.

    \b
    Example:
      refaudit demo --registry /tmp/demo.refaudit
      export REFAUDIT_REGISTRY=/tmp/demo.refaudit REFAUDIT_PASSPHRASE=demo
      refaudit audit
      refaudit next
    """
    from refaudit import service, vault
    from refaudit.demo import build_demo

    if path is not None:
        app.registry_path = path
    ctx = app.context()
    ctx.store.refuse_existing()
    default = app.passphrase_file is None and "REFAUDIT_PASSPHRASE" not in os.environ
    passphrase = DEMO_PASSPHRASE if default else app.passphrase()
    reg = build_demo(app.today())
    counts = f"{len(reg.references)} references, {len(reg.applications)} applications, {len(reg.feedback)} reports"
    recovery = service.init(ctx, passphrase, vault.DEFAULT_KDF, recovery=True, registry=reg, command="demo")
    click.echo(f"Created a demo registry for {reg.owner} at {ctx.store.path} ({counts}).")
    if recovery:
        click.echo(f"Recovery key: {recovery}")
    secret = f" REFAUDIT_PASSPHRASE={DEMO_PASSPHRASE}" if default else ""
    if default:
        click.echo(f"The passphrase is '{DEMO_PASSPHRASE}'.")
    click.echo(f"Try:\n  export REFAUDIT_REGISTRY={shlex.quote(str(ctx.store.path))}{secret}")
    click.echo("  refaudit audit\n  refaudit next")
