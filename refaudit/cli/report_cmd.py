"""``report``: the printable audit report, as PDF or as one self-contained HTML file."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from refaudit.cli._common import DATE, AppContext, choice, pass_app
from refaudit.cli._output import safe
from refaudit.errors import RefauditError
from refaudit.model import Registry

if TYPE_CHECKING:
    from refaudit.settings import Settings

# Above this many references, say on a terminal that rendering is under way.
_PROGRESS_ABOVE = 100


@click.command("report")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write [default: refaudit-report-YYYY-MM-DD.pdf (or .html) here].",
)
@click.option(
    "--format",
    "fmt",
    type=choice(["pdf", "html"]),
    help="pdf, or html: one self-contained file [default: from the -o name, else pdf].",
)
@click.option(
    "--redact",
    is_flag=True,
    help="For sharing, e.g. with a coach: no emails, phone numbers or notes; names as initials.",
)
@click.option("--as-of", type=DATE, help="The report as it stood on this day, ignoring later records.")
@pass_app
def report_(app: AppContext, output: Path | None, fmt: str | None, redact: bool, as_of: date | None) -> None:
    """Write the printable audit report and print the path written.

    The cover counts keep / watch / drop; then what to do now, the lineup, every
    reference with its evidence, what employers told you, and the applications.
    The same registry and --as-of always give a byte-identical PDF.

    \b
    Example:
      refaudit report
      refaudit report --redact -o for-my-coach.pdf
      refaudit report --format html --as-of 2026-06-30
    """
    from refaudit import filecheck, interop

    day = as_of or app.today()
    fmt = fmt or ("html" if output and output.suffix.lower() in (".html", ".htm") else "pdf")
    target = output or Path(f"refaudit-report-{day.isoformat()}.{fmt}")
    _refuse_registry(app, target)
    filecheck.require_writable_target(target, "a report")
    from refaudit import render

    # The PDF is laid out in a child process, started now so that it imports WeasyPrint
    # while the registry is unlocked and audited here; its memory is returned when it ends
    # and does not add up with the registry's (see refaudit.render).
    with render.pdf_worker() if fmt == "pdf" else contextlib.nullcontext():
        registry = app.read()
        progress = None
        if len(registry.references) > _PROGRESS_ABOVE and _stderr_is_terminal():
            click.echo(f"Rendering the report for {len(registry.references):,} references…", err=True)
            progress = _show_page
        try:
            data = render_report(registry, app.settings(), day, fmt=fmt, redact=redact, progress=progress)
        finally:
            if progress is not None:
                click.echo("\r\033[K", nl=False, err=True)  # the progress line is done
    interop.write_private(target, data, force=True)
    click.echo(safe(target))


def _show_page(page: int) -> None:
    click.echo(f"\r\033[KLaying out page {page:,}…", nl=False, err=True)


def render_report(
    registry: Registry,
    settings: Settings,
    as_of: date,
    *,
    fmt: str,
    redact: bool,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Audit, gather what is due, and render: the bytes of the report file."""
    from refaudit import actions, audit, render, report

    verdicts = audit.audit(registry, settings, as_of)
    due = actions.due_actions(registry, verdicts, settings, as_of)
    picks = audit.lineup(registry, verdicts, settings)
    context = report.build_context(registry, verdicts, due, settings, as_of, redact=redact, lineup=picks)
    del verdicts, due, picks
    if fmt == "html":
        return render.render_html(context, settings).encode("utf-8")
    if progress is None:
        return render.render_pdf(context, settings)
    return render.render_pdf(context, settings, progress)


def _refuse_registry(app: AppContext, target: Path) -> None:
    registry = app.registry_path
    for protected in (registry, registry.with_name(registry.name + ".bak")):
        if os.path.realpath(target) == os.path.realpath(protected):
            raise RefauditError(f"refusing to write the report over {str(protected)!r}.")


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
