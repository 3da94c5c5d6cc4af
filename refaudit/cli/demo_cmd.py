"""``demo``: a sample registry to try everything on."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from refaudit.cli._app import Invocation, pass_app

DEMO_PASSPHRASE = "demo"


@click.command()
@click.option(
    "--registry",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to create it (default: the global --registry or REFAUDIT_REGISTRY).",
)
@click.option(
    "--discard-backup",
    is_flag=True,
    help="Create it even though an old backup (.bak) is beside it; that backup is deleted.",
)
@pass_app
def demo(app: Invocation, path: Path | None, discard_backup: bool) -> None:
    """Create a realistic sample registry to try refaudit on.

    Alex Candidate's year of job hunting: ten references, forty applications and
    thirty reports, with a reference who is hurting, one who never answers, and
    actions due. The passphrase comes from the usual sources, else it is 'demo'.
    Refuses to overwrite an existing registry, or an old backup without
    --discard-backup, like init.

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
    access = app.access()
    access.store.refuse_existing()
    access.store.refuse_old_backup(discard=discard_backup)
    default = app.passphrase_file is None and "REFAUDIT_PASSPHRASE" not in os.environ
    passphrase = DEMO_PASSPHRASE if default else app.secrets.passphrase()
    reg = build_demo(app.today())
    counts = f"{len(reg.references)} references, {len(reg.applications)} applications, {len(reg.feedback)} reports"
    recovery = service.init(
        access,
        passphrase,
        vault.DEFAULT_KDF,
        recovery=True,
        registry=reg,
        command="demo",
        discard_backup=discard_backup,
    )
    click.echo(f"Created a demo registry for {reg.owner} at {access.store.path} ({counts}).")
    if recovery:
        click.echo(f"Recovery key: {recovery}")
    secret = f" REFAUDIT_PASSPHRASE={DEMO_PASSPHRASE}" if default else ""
    if default:
        click.echo(f"The passphrase is '{DEMO_PASSPHRASE}'.")
    click.echo(f"Try:\n  export REFAUDIT_REGISTRY={shlex.quote(str(access.store.path))}{secret}")
    click.echo("  refaudit audit\n  refaudit next")
