"""Lazy commands: ``--help`` and completing names import no more than the command line needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest

from refaudit import vault
from refaudit.cli import LAZY_COMMANDS, cli, registry_cmd

# Run the CLI the way the console script does, then list what got imported.
_PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
from refaudit.cli import main
main()
"""
# The core and the heavy libraries: none of them may be imported to list or complete names.
HEAVY = ("refaudit.service", "refaudit.store", "refaudit.vault", "refaudit.session", "yaml", "cryptography",
         "filelock", "jinja2", "weasyprint", "platformdirs", "zxcvbn")  # fmt: skip


def _every_module(args: list[str], **env: str) -> tuple[str, set[str]]:
    child = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )
    return child.stdout, set(json.loads(child.stderr.strip().splitlines()[-1]))


def _imported(args: list[str], **env: str) -> tuple[str, set[str]]:
    out, modules = _every_module(args, **env)
    return out, {m for m in modules if m.split(".")[0] in ("refaudit", *HEAVY) or m in HEAVY}


def _complete(words: str) -> tuple[str, set[str]]:
    cword = str(len(words.split()) + words.endswith(" "))  # COMP_WORDS[0] is "refaudit"
    return _imported([], COMP_WORDS=f"refaudit {words}", COMP_CWORD=cword, _REFAUDIT_COMPLETE="bash_complete")


def test_help_imports_no_command_module_and_no_core() -> None:
    """``refaudit --help`` lists every command from the mapping alone."""
    out, modules = _imported(["--help"])
    assert "  verify        Decrypt and check the registry" in out  # the column fits merge-driver
    assert modules == {"refaudit", "refaudit.cli", "refaudit.errors"}


def test_completing_a_command_name_imports_no_command_module() -> None:
    """TAB after ``refaudit re`` offers recover, ref, report and restore without importing them."""
    out, modules = _complete("re")
    assert out.split() == ["plain,recover", "plain,ref", "plain,report", "plain,restore"]
    assert modules == {"refaudit", "refaudit.cli", "refaudit.errors"}


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("audit --j", "plain,--json"),
        ("ref add --re", "plain,--relationship"),
        ("app update --st", "plain,--stage"),
        ("feedback log --so", "plain,--source"),
        ("init --kdf-m", "plain,--kdf-memory"),
        ("report --as", "plain,--as-of"),
        ("unlock --t", "plain,--timeout"),
        ("import --on-", "plain,--on-conflict"),
    ],
    ids=["audit", "ref-add", "app-update", "feedback-log", "init", "report", "unlock", "import"],
)
def test_completing_an_option_name_imports_only_that_command(words: str, offered: str) -> None:
    """An option name completes from the command's own module, without the core."""
    out, modules = _complete(words)
    assert out.split() == [offered]
    assert not {m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY}


def test_completing_an_option_name_leaves_shutil_out() -> None:
    """shutil brings bz2 and lzma, a few ms of a 60 ms completion: the terminal module imports it
    only to ask a terminal its width (make bench's "lazy" rows sit near their 1.3x)."""
    out, modules = _every_module(
        [], COMP_WORDS="refaudit app update --st", COMP_CWORD="3", _REFAUDIT_COMPLETE="bash_complete"
    )
    assert out.split() == ["plain,--stage"]
    assert "shutil" not in modules


def test_completing_a_choice_reads_it_from_the_core() -> None:
    """Values of a choice come from the model, loaded only then: ``ref list --status <TAB>``."""
    out, _ = _complete("ref list --status ")
    assert out.split() == ["plain,active", "plain,resting", "plain,dropped", "plain,all"]


def test_every_mapping_entry_names_its_command_and_its_help() -> None:
    """Each LAZY_COMMANDS entry loads a command of that name whose first help line is the one listed."""
    ctx = click.Context(cli)
    for name, (_, short) in LAZY_COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=1000) == short, name


def test_a_command_added_the_old_way_still_works() -> None:
    """``group.add_command`` beside the lazy mapping: listed, looked up, and shown in --help."""
    group = type(cli)(name="t")

    @click.command("extra")
    def extra() -> None:
        """Do an extra thing."""

    group.add_command(extra)
    ctx = click.Context(group)
    assert "extra" in group.list_commands(ctx) and group.get_command(ctx, "extra") is extra
    assert "  extra         Do an extra thing." in group.get_help(ctx)


def test_init_defaults_are_the_vaults() -> None:
    """init's --kdf-memory and --kdf-passes defaults, spelled in the CLI to keep it light, match vault.DEFAULT_KDF."""
    assert vault.DEFAULT_KDF.memory_kib == registry_cmd.KDF_MEMORY_MIB * 1024
    assert vault.DEFAULT_KDF.passes == registry_cmd.KDF_PASSES


def test_limits_spelled_in_the_cli_are_the_cores() -> None:
    """Limits the CLI spells out to stay light (KDF bounds, attempts, calendar days) match the core's."""
    from refaudit import checks, ical
    from refaudit.cli import calendar_cmd, feedback_cmd

    assert vault.MAX_MEMORY_KIB == registry_cmd.KDF_MAX_MEMORY_MIB * 1024
    assert vault.MAX_PASSES == registry_cmd.KDF_MAX_PASSES
    assert checks.MAX_ATTEMPTS == feedback_cmd.MAX_ATTEMPTS
    assert ical.MAX_DAYS == calendar_cmd.MAX_DAYS
