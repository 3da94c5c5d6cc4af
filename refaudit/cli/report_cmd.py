"""``report``: the printable audit report, as PDF or as one self-contained HTML file."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date
from pathlib import Path

import click

from refaudit.cli._app import Invocation, pass_app
from refaudit.cli._ask import is_terminal
from refaudit.cli._files import sweep_leftovers
from refaudit.cli._output import safe
from refaudit.cli._params import DATE, choice

# Above this many references, say on a terminal that rendering is under way.
_PROGRESS_ABOVE = 100


@click.command("report")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="File to write, or - for standard output [default: refaudit-report-YYYY-MM-DD.pdf (or .html) here].",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite an existing file that is not a report refaudit wrote (never a registry).",
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
    help="For sharing, e.g. with a coach: no emails, phone numbers, notes or commands; people as initials.",
)
@click.option(
    "--anonymous",
    is_flag=True,
    help="For a workshop: --redact, and people as Reference A, B…, employers as Employer 1, 2…, "
    "reporters as their role; no organisations or titles.",
)
@click.option("--as-of", type=DATE, help="The report as it stood on this day, ignoring later records.")
@click.option(
    "--pdf-variant",
    type=choice(["pdf/ua-1", "pdf/a-3u", "plain"]),
    default="pdf/ua-1",
    show_default=True,
    help="pdf/ua-1: tagged for screen readers; pdf/a-3u: for archiving; plain: untagged.",
)
@click.option(
    "--paper",
    type=choice(["A4", "Letter"]),
    help="Paper size [default: report.paper, shipped as auto: Letter in the US and Canada, A4 elsewhere].",
)
@click.option("--with-settings", is_flag=True, help="Add an appendix with the scoring settings used.")
@pass_app
def report_(
    app: Invocation,
    output: Path | None,
    force: bool,
    fmt: str | None,
    redact: bool,
    anonymous: bool,
    as_of: date | None,
    pdf_variant: str,
    paper: str | None,
    with_settings: bool,
) -> None:
    """Write the printable audit report and print the path written.

    The cover says whose audit it is and the period the evidence covers; the summary
    says in words who is hurting you and what to do; then every reference with its
    evidence and who relayed it, each application, and what employers told you.
    The same registry, settings, locale and --as-of always give the same bytes.
    An earlier report is replaced; any other existing file needs --force, and a
    registry is never overwritten. With -o - the document alone goes to stdout.

    \b
    Example:
      refaudit report
      refaudit report --redact -o for-my-coach.pdf
      refaudit report --anonymous --paper Letter -o workshop.pdf
      refaudit report --format html --as-of 2026-06-30
      refaudit report --redact --format html -o - > share.html
    """
    from refaudit import interop, report, service
    from refaudit.report.target import require_report_target

    day = as_of or app.today()
    fmt = fmt or ("html" if output and output.suffix.lower() in (".html", ".htm") else "pdf")
    to_stdout = output is not None and str(output) == "-"
    target = output or Path(f"refaudit-report-{day.isoformat()}.{fmt}")
    if not to_stdout:
        st = app.store()
        require_report_target(target, force=force, protected=(st.path, st.backup_path, st.lock_path))
        sweep_leftovers(target)
    options = service.ReportOptions(
        fmt=fmt,
        redact=redact or anonymous,
        anonymous=anonymous,
        variant=pdf_variant,
        paper=paper,
        territory=report.territory(_locale_name()),
        with_settings=with_settings,
    )
    from refaudit.report import render

    # The PDF is laid out in a child process, started now so that it imports WeasyPrint
    # while the registry is unlocked and audited here; its memory is returned when it ends
    # and does not add up with the registry's (see refaudit.report.render).
    with render.pdf_worker() if fmt == "pdf" else contextlib.nullcontext():
        registry = app.read()
        progress = None
        if len(registry.references) > _PROGRESS_ABOVE and is_terminal(sys.stderr):
            click.echo(f"Rendering the report for {len(registry.references):,} references…", err=True)
            progress = _show_page
        try:
            data = service.render_report(registry, app.settings(), day, options, progress=progress)
        finally:
            if progress is not None:
                click.echo("\r\033[K", nl=False, err=True)  # the progress line is done
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        return
    interop.write_private(target, data, force=True)
    click.echo(safe(target))


def _show_page(page: int) -> None:
    click.echo(f"\r\033[KLaying out page {page:,}…", nl=False, err=True)


def _locale_name() -> str | None:
    """The locale that sets the paper size, as the C library would pick it."""
    for key in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(key)
        if value:
            return value
    return None
