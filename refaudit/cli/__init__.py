"""The ``refaudit`` command line: global options, the error edge, and the command groups."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

import click

from refaudit import __version__
from refaudit.errors import RefauditError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


class CliError(click.ClickException):
    """A RefauditError on its way out: ``Error: …`` on stderr and the error's exit code."""

    def __init__(self, error: RefauditError) -> None:
        from refaudit.printable import safe

        message = safe(str(error), keep_newlines=True)  # a path or key in it must not drive the terminal
        super().__init__(message[:1].upper() + message[1:] if message else error.__class__.__name__)
        # ClickException declares exit_code on the class; ours varies with the error.
        self.exit_code = error.exit_code  # type: ignore[misc]


# Every command: name -> ("module:attribute" under refaudit.cli, its one-line help).
# A new command is one line here. The module is imported only when the command runs
# (or its own --help is asked for), so `refaudit --help` and completing a command name
# cost little more than importing click; a test checks each help matches the docstring.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("registry_cmd:init", "Create a new encrypted registry."),
    "passwd": ("registry_cmd:passwd", "Change the passphrase; the recovery key keeps working."),
    "recover": ("registry_cmd:recover", "Open the registry with its recovery key and set a new passphrase."),
    "verify": (
        "registry_cmd:verify",
        "Decrypt and check the registry: schema, cross-references, history chain, backup.",
    ),
    "restore": ("registry_cmd:restore", "Swap the registry for its backup; the replaced one is kept as the backup."),
    "ref": ("ref_cmd:ref", "Add, list, show, edit and remove your references."),
    "app": ("app_cmd:app_group", "Record applications, the references you gave on them, and how they ended."),
    "feedback": ("feedback_cmd:feedback_group", "Log, list, edit and remove reports of what your references said."),
    "audit": ("audit_cmd:audit_", "Recommend keep, watch or drop for every reference (or one), with the reasons."),
    "lineup": ("audit_cmd:lineup", "Propose the references to give on your next application, and why each."),
    "next": ("next_cmd:next_", "The actions due, most urgent first, each with the command that records it as done."),
    "report": ("report_cmd:report_", "Write the printable audit report and print the path written."),
    "demo": ("demo_cmd:demo", "Create a realistic sample registry to try refaudit on."),
    "export": ("interop_cmd:export", "Write a plaintext copy of the registry (YAML, JSON or CSV), created 0600."),
    "import": ("interop_cmd:import_", "Add records from an export, contacts or a job tracker: all of them, or none."),
    "edit": ("interop_cmd:edit", "Edit the registry as YAML in $VISUAL or $EDITOR, checked when you save."),
    "history": ("history_cmd:history", "Show the registry's change log, newest first."),
    "unlock": ("session_cmd:unlock", "Ask the passphrase once and start a session for this registry."),
    "lock": ("session_cmd:lock", "End every session of this registry; their tokens stop working at once."),
    "completion": ("session_cmd:completion", "Print the shell completion script for bash, zsh or fish."),
    "draft": ("draft_cmd:draft", "Write a message for you to send: refaudit never sends anything."),
    "calendar": ("calendar_cmd:calendar", "Write the actions that are due as a calendar file (iCalendar) to import."),
    "owner": ("registry_cmd:owner_", "Show or set your name: it signs the drafts and heads the report."),
    "config": ("config_cmd:config_group", "Read and change your own settings file (config.yaml)."),
    "merge": (
        "merge_cmd:merge",
        "Merge another copy of the registry (a sync-conflict copy, a backup, another machine's) into this one.",
    ),
    "sync": ("sync_cmd:sync", "Commit the registry, pull the other machines' changes (merged by refaudit), and push."),
    "merge-driver": (
        "merge_cmd:merge_driver",
        "git's merge driver for the registry (set up by 'refaudit sync init'): writes the merge into OURS.",
    ),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands, each imported from its module the first time it is looked up.

    Click's ``Group`` keeps ``commands`` as a dict; this mapping stands in for it, so
    ``get_command``, ``list_commands`` and ``add_command`` work unchanged.
    """

    def __init__(self, lazy: Mapping[str, tuple[str, str]]) -> None:
        self._lazy = dict(lazy)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in self._lazy:
                raise KeyError(name)
            import importlib

            module_name, attr = self._lazy[name][0].split(":")
            command = getattr(importlib.import_module(f"refaudit.cli.{module_name}"), attr)
            if not isinstance(command, click.Command):  # pragma: no cover - a wrong entry in LAZY_COMMANDS
                raise TypeError(f"refaudit.cli.{module_name}:{attr} is not a click command")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._lazy.pop(name, None)
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._lazy), **dict.fromkeys(self._loaded)})

    def __len__(self) -> int:
        return len(self._lazy.keys() | self._loaded.keys())

    def short_help(self, name: str, limit: int = 45) -> str:
        """The command's one-line help, without importing it when it has not been loaded yet."""
        if name in self._loaded or name not in self._lazy:
            return self[name].get_short_help_str(limit)
        # A stand-in command shortens the text exactly as click would the real one's.
        return click.Command(name, help=self._lazy[name][1]).get_short_help_str(limit)


class RefauditGroup(click.Group):
    """Loads commands lazily; converts the core's errors at one edge (``--debug`` adds the traceback)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = LazyCommands(LAZY_COMMANDS)
        self.commands = self.lazy

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        with formatter.section("Commands"):
            formatter.write_dl([(n, self.lazy.short_help(n, limit)) for n in names])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        names = [n for n in self.list_commands(ctx) if n.startswith(incomplete)]
        items = [CompletionItem(n, help=self.lazy.short_help(n)) for n in names]
        # click.Command.shell_complete: this group's own options (skipping click.Group's, which imports every command)
        return items + click.Command.shell_complete(self, ctx, incomplete)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RefauditError as exc:
            _traceback_when_debugging(ctx)
            raise CliError(exc) from None
        except OverflowError as exc:
            # Date arithmetic past year 1 or 9999 (e.g. --as-of 0001-01-01 minus a horizon in days).
            _traceback_when_debugging(ctx)
            raise CliError(RefauditError(f"{OUT_OF_RANGE} ({exc}).")) from None
        except BrokenPipeError:
            from refaudit.cli import _term  # imported when needed: --help stays light

            _term.reader_gone()  # `refaudit audit | head -1`: exit 0, as when the output fits the pipe

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            from refaudit.cli import _term

            _term.reader_gone()  # `refaudit --help | head -1`


def _traceback_when_debugging(ctx: click.Context) -> None:
    from refaudit.cli._app import Invocation

    app = ctx.find_object(Invocation)
    if (app and app.debug) or os.environ.get("REFAUDIT_DEBUG") == "1":
        import traceback

        traceback.print_exc(file=sys.stderr)


OUT_OF_RANGE = (
    "a date falls outside the calendar (years 1 to 9999): choose a later --as-of, "
    "or smaller day counts in --config; nothing was changed"
)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=RefauditGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--registry",
    "registry",
    type=click.Path(),  # a str: pathlib is imported only when a command runs
    envvar="REFAUDIT_REGISTRY",
    help="Registry file [env REFAUDIT_REGISTRY; default: registry.refaudit in your user data folder].",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    help="YAML laid over REFAUDIT_CONFIG's file, your config file and the shipped settings [env REFAUDIT_CONFIG].",
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
@click.option(
    "--color",
    "color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="Colour the output; auto: on a terminal, unless NO_COLOR or TERM=dumb (FORCE_COLOR forces it).",
)
@click.version_option(__version__, prog_name="refaudit")
@click.pass_context
def cli(
    ctx: click.Context, registry: str | None, config: str | None, passphrase_file: str | None, debug: bool, color: str
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
    # Imported here, not at the top: `refaudit --help` never runs this callback.
    from pathlib import Path

    from refaudit.cli import _term
    from refaudit.cli._app import Invocation
    from refaudit.cli._params import default_registry_path

    ctx.color = _term.colour(color)  # every command's output: subcommands inherit it
    ctx.obj = Invocation(
        registry_path=Path(registry) if registry else default_registry_path(),
        config_path=config,
        passphrase_file=passphrase_file,
        debug=debug,
    )


def main() -> None:
    try:
        cli(prog_name="refaudit")
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away after the last line: not an error
            from refaudit.cli import _term

            _term.silence_stdout()
        except (AttributeError, ValueError, OSError):
            pass
