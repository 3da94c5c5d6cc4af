"""`make man`: one page per command, from the commands themselves, that man(1) shows as a user can copy it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click
import pytest

from refaudit.cli import _manpage, cli

SECTIONS = ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return _manpage.pages(cli)


def _commands(group: click.Group, path: list[str], ctx: click.Context) -> dict[str, bool]:
    """Every command's page name, and whether it is a group."""
    found = {"-".join(path): True}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found |= _commands(command, [*path, name], click.Context(command, info_name=name, parent=ctx))
        else:
            found["-".join([*path, name])] = False
    return found


def test_every_command_has_a_page_with_every_section(pages: dict[str, str]) -> None:
    """A page per command and group, each with the nine sections man(7) readers look for, in order; a group's
    page lists its commands too."""
    expected = _commands(cli, ["refaudit"], click.Context(cli, info_name="refaudit"))
    assert sorted(pages) == sorted(f"{name}.1" for name in expected)
    for name, is_group in expected.items():
        headers = [line[4:] for line in pages[f"{name}.1"].splitlines() if line.startswith(".SH ")]
        assert [h for h in headers if h not in ("COMMANDS", "EXAMPLES")] == [s for s in SECTIONS if s != "EXAMPLES"]
        assert ("COMMANDS" in headers) is is_group, name
    # Every command's help has an example but git's merge driver, which git runs, not a person.
    assert [n for n, text in pages.items() if ".SH EXAMPLES" not in text] == ["refaudit-merge-driver.1"]


def test_the_name_line_is_the_whole_summary(pages: dict[str, str]) -> None:
    """NAME carries the help's whole first line, not click's 45-character cut with an ellipsis."""
    text = pages["refaudit-ref-edit.1"]
    name = text.split(".SH NAME\n")[1].split("\n")[0]
    assert name == ("refaudit\\-ref\\-edit \\- Change a reference's fields (only the options you give), or its id.")
    assert "..." not in "".join(p.split(".SH NAME\n")[1].split("\n")[0] for p in pages.values())


def test_examples_are_verbatim_with_plain_hyphens(pages: dict[str, str]) -> None:
    """Examples sit between .nf and .fi, indentation kept, every hyphen \\- so that groff prints '-'."""
    text = pages["refaudit-feedback-log.1"]
    block = text.split(".SH EXAMPLES\n")[1].split(".SH ")[0]
    assert block.startswith(".nf\n.RS 4\n") and block.endswith(".RE\n.fi\n")
    assert (
        "refaudit feedback log jane \\-\\-sentiment negative \\-\\-source recruiter \\-\\-certainty direct \\e" in block
    )
    assert "\n    \\-\\-app acme" in block  # the continuation keeps its indent
    assert ".nh\n" in text  # no hyphenation anywhere


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_groff_renders_every_page_without_a_warning_and_examples_copy_as_typed(
    pages: dict[str, str], tmp_path: Path
) -> None:
    """groff -ww finds nothing to warn about; the rendered example is the command exactly, ASCII hyphens."""
    for name, text in pages.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        check = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", str(path)], capture_output=True, text=True)
        assert check.stderr == "", name
    shown = subprocess.run(
        ["groff", "-man", "-Tutf8", "-rLL=200n", "-P-c", "-P-b", "-P-u", str(tmp_path / "refaudit-app-debrief.1")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    examples = shown.split("EXAMPLES\n")[1].split("\n\n")[0]
    assert examples.splitlines() == [
        '           refaudit app debrief acme --reason "went with a candidate with more experience" \\',
        '               --reason-kind experience --criticism "Could show more SQL depth" \\',
        '               --lead "Globex is hiring analysts" --on "last friday"',
    ]
    assert "\u2010" not in shown and "\u2212" not in shown  # no typographic hyphen or minus to break a paste


def test_roff_requests_in_help_text_are_guarded() -> None:
    """A help line starting with '.' or an apostrophe is text, never a roff request; backslashes are \\e."""
    assert _manpage._line(".SH FAKE") == "\\&.SH FAKE"
    assert _manpage._line("'br") == "\\&'br"
    assert _manpage._line("a \\fB b") == "a \\efB b"
    assert _manpage._escape("李娜 — ok") == "\\[u674E]\\[u5A1C] \\[u2014] ok"


def test_pages_are_reproducible(pages: dict[str, str]) -> None:
    """No date in the pages: the same commands give the same bytes."""
    assert _manpage.pages(cli) == pages
    assert all(text.startswith(f'.TH "{name[:-2].upper()}" "1" "" "refaudit ') for name, text in pages.items())
