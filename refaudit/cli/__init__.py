"""The ``refaudit`` command line: global options, the error edge, and the command groups."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from refaudit import __version__
from refaudit.cli import _term
from refaudit.cli._common import AppContext, default_registry_path
from refaudit.errors import RefauditError


class CliError(click.ClickException):
    """A RefauditError on its way out: ``Error: …`` on stderr and the error's exit code."""

    def __init__(self, error: RefauditError) -> None:
        message = str(error)
        super().__init__(message[:1].upper() + message[1:] if message else error.__class__.__name__)
        # ClickException declares exit_code on the class; ours varies with the error.
        self.exit_code = error.exit_code  # type: ignore[misc]


class RefauditGroup(click.Group):
    """Converts the core's errors at one edge; ``--debug`` adds the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RefauditError as exc:
            app = ctx.find_object(AppContext)
            if (app and app.debug) or os.environ.get("REFAUDIT_DEBUG") == "1":
                traceback.print_exc(file=sys.stderr)
            raise CliError(exc) from None
        except BrokenPipeError:
            _term.reader_gone()  # `refaudit audit | head -1`: exit 0, as when the output fits the pipe

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            _term.reader_gone()  # `refaudit --help | head -1`


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=RefauditGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--registry",
    "registry",
    type=click.Path(path_type=Path),
    envvar="REFAUDIT_REGISTRY",
    help="Registry file [env REFAUDIT_REGISTRY; default: registry.refaudit in your user data folder].",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    envvar="REFAUDIT_CONFIG",
    help="YAML overriding the shipped scoring/report settings [env REFAUDIT_CONFIG].",
)
@click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False),
    envvar="REFAUDIT_PASSPHRASE_FILE",
    help="Read the passphrase from the first line of this file [env REFAUDIT_PASSPHRASE_FILE].",
)
@click.option(
    "--debug", is_flag=True, envvar="REFAUDIT_DEBUG", help="Show tracebacks for errors [env REFAUDIT_DEBUG=1]."
)
@click.version_option(__version__, prog_name="refaudit")
@click.pass_context
def cli(
    ctx: click.Context, registry: Path | None, config: str | None, passphrase_file: str | None, debug: bool
) -> None:
    """Find out whether one of your own references is costing you offers.

    refaudit keeps an encrypted registry of your references, the applications you gave
    them on and what each reportedly said, then recommends keep, watch or drop for
    each one, every recommendation traced to the reports it rests on.

    \b
    Example:
      refaudit init
      refaudit ref add "Jane Doe" --relationship manager --org "Acme Corp"
      refaudit app add "Acme Corp" --role "Data Analyst" --ref jane
      refaudit feedback log jane --sentiment negative --source recruiter --quote "…"
      refaudit audit
      refaudit report

    The passphrase comes from --passphrase-file, REFAUDIT_PASSPHRASE, a session
    (REFAUDIT_SESSION from 'refaudit unlock'), or a prompt on a terminal.
    """
    if _term.no_colour():
        ctx.color = False  # NO_COLOR or TERM=dumb: every command's output, inherited by subcommands
    ctx.obj = AppContext(
        registry_path=registry or default_registry_path(),
        config_path=config,
        passphrase_file=passphrase_file,
        debug=debug,
    )


# --- COMMANDS: one import line per command module ------------------------------------
from refaudit.cli import interop_cmd, ref, registry_cmd, session_cmd  # noqa: E402

registry_cmd.register(cli)
ref.register(cli)
interop_cmd.register(cli)
session_cmd.register(cli)
from refaudit.cli import app_cmd, feedback_cmd, history_cmd  # noqa: E402

app_cmd.register(cli)
feedback_cmd.register(cli)
history_cmd.register(cli)
from refaudit.cli import next_cmd  # noqa: E402

next_cmd.register(cli)
from refaudit.cli import audit_cmd  # noqa: E402

audit_cmd.register(cli)
from refaudit.cli import report_cmd  # noqa: E402

report_cmd.register(cli)
# --- end COMMANDS ---------------------------------------------------------------------


def main() -> None:
    try:
        cli(prog_name="refaudit")
    finally:
        _term.flush_at_exit()
