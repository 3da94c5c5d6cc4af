"""Man pages written from the Click commands themselves: ``make man`` (``python -m refaudit.cli._manpage DIR``).

One page per command (``refaudit-ref-edit.1``), as man(7) lays one out: NAME with the whole
one-line summary, SYNOPSIS, DESCRIPTION, OPTIONS (COMMANDS for a group), EXAMPLES,
EXIT STATUS, ENVIRONMENT, FILES and SEE ALSO. Examples are set verbatim (``.nf``/``.fi``,
hyphenation off, every ``-`` a ``\\-``), so that a command copied from ``man`` runs as
printed: groff otherwise fills and hyphenates them (``more experi‐ence``). Every line of
text is escaped for roff: a backslash is ``\\e``, a character beyond ASCII ``\\[uXXXX]``,
and a line that begins with ``.`` or ``'`` is guarded with ``\\&``. The pages carry no
date, so the same commands give the same bytes.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import click

from refaudit import __version__

# Exit codes as refaudit.errors gives them (docs/SPEC.md).
EXIT_STATUS = (
    ("0", "Success."),
    ("1", "The operation was refused or failed: a value not accepted, a record not found, a file refused."),
    ("2", "The call itself is wrong: an unknown option or value, no passphrase source without a terminal."),
    ("3", "Wrong passphrase, recovery key or session."),
    ("4", "The registry is damaged: not a refaudit file, an unsupported version, tampered or truncated."),
    ("5", "Another refaudit holds the registry's lock past REFAUDIT_LOCK_TIMEOUT."),
)
ENVIRONMENT = (
    ("REFAUDIT_REGISTRY", "The registry file (as --registry)."),
    ("REFAUDIT_CONFIG", "A YAML file overriding the shipped settings (as --config)."),
    ("REFAUDIT_PASSPHRASE", "The passphrase, for scripts (better: --passphrase-file or a session)."),
    ("REFAUDIT_PASSPHRASE_FILE", "A file whose first line is the passphrase (as --passphrase-file)."),
    ("REFAUDIT_SESSION", "A session made by 'refaudit unlock': no passphrase asked while it lasts."),
    ("REFAUDIT_NEW_PASSPHRASE", "The new passphrase for init, passwd and recover, for scripts."),
    ("REFAUDIT_RECOVERY_KEY", "The recovery key for recover, for scripts."),
    ("REFAUDIT_LOCK_TIMEOUT", "Seconds to wait for another refaudit's lock (default 10)."),
    ("REFAUDIT_TODAY", "Pins the day refaudit takes as today (tests, replays)."),
    ("REFAUDIT_DEBUG", "1: show tracebacks for errors (as --debug)."),
    ("NO_COLOR", "Any value: no colour (https://no-color.org); --color wins over it."),
    ("FORCE_COLOR", "Any value but 0: colour even into a pipe, unless NO_COLOR or --color never."),
    ("TERM", "dumb: no colour."),
    ("COLUMNS", "How wide tables and wrapped text may be."),
    ("VISUAL, EDITOR", "The editor of 'refaudit edit'."),
)
FILES = (
    ("registry.refaudit", "The encrypted registry, in the user data folder (~/.local/share/refaudit on Linux) "
     "unless --registry or REFAUDIT_REGISTRY names another."),
    ("registry.refaudit.bak", "The previous version, kept by every save."),
    ("registry.refaudit.lock", "Held while a command changes the registry."),
    ("config/default.yaml", "The shipped settings, every key commented; --config overrides them."),
)  # fmt: skip
_EXAMPLE = re.compile(r"^\s*Examples?:\s*$")


def pages(root: click.Command, name: str = "refaudit") -> dict[str, str]:
    """``{file name: page}`` for ``root`` and every command under it."""
    out: dict[str, str] = {}
    _walk(root, [name], click.Context(root, info_name=name), out)
    return out


def _walk(command: click.Command, path: list[str], ctx: click.Context, out: dict[str, str]) -> None:
    children: list[tuple[str, click.Command]] = []
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):
            child = command.get_command(ctx, sub)
            if child is not None and not child.hidden:
                children.append((sub, child))
    out["-".join(path) + ".1"] = page(command, path, ctx, children)
    for sub, child in children:
        _walk(child, [*path, sub], click.Context(child, info_name=sub, parent=ctx), out)


def page(command: click.Command, path: list[str], ctx: click.Context, children: list[tuple[str, click.Command]]) -> str:
    """One man page in roff."""
    title = "-".join(path)
    description, examples = _split_help(command.help or "")
    lines = [
        f'.TH "{title.upper()}" "1" "" "refaudit {__version__}" "refaudit manual"',
        ".nh",  # never hyphenate: option names and commands must read as typed
        ".ad l",
        ".SH NAME",
        f"{_escape(title)} \\- {_escape(_summary(command))}",
        ".SH SYNOPSIS",
        f".B {_escape(' '.join(path))}",
        _escape(" ".join(command.collect_usage_pieces(ctx))),
        ".SH DESCRIPTION",
    ]
    for paragraph in description:
        lines += [*(_line(text) for text in paragraph), ".PP"]
    if lines[-1] == ".PP":
        lines.pop()
    if children:
        lines.append(".SH COMMANDS")
        for sub, child in children:
            lines += [".TP", f"\\fB{_escape(sub)}\\fR", _line(_summary(child))]
    options = [p for p in command.get_params(ctx) if isinstance(p, click.Option) and not p.hidden]
    if options:
        lines.append(".SH OPTIONS")
        for option in options:
            record = option.get_help_record(ctx)
            if record is None:
                continue
            names, text = record
            breakable = _escape(names).replace("|", "|\\:")  # a long list of choices may wrap after a bar
            lines += [".TP", f"\\fB{breakable}\\fR", _line(" ".join(text.split()))]
    if examples:
        lines += [".SH EXAMPLES", ".nf", ".RS 4", *(_line(example) for example in examples), ".RE", ".fi"]
    lines.append(".SH EXIT STATUS")
    for code, meaning in EXIT_STATUS:
        lines += [".TP", f"\\fB{code}\\fR", _escape(meaning)]
    lines.append(".SH ENVIRONMENT")
    for variable, meaning in ENVIRONMENT:
        lines += [".TP", f"\\fB{_escape(variable)}\\fR", _escape(meaning)]
    lines.append(".SH FILES")
    for file, meaning in FILES:
        lines += [".TP", f"\\fI{_escape(file)}\\fR", _escape(meaning)]
    lines += [".SH SEE ALSO", _escape(", ".join(_see_also(path, children)))]
    return "\n".join(lines) + "\n"


def _summary(command: click.Command) -> str:
    """The help's first paragraph, whole, on one line (click's short help cuts it at 45 characters)."""
    first = (command.help or command.short_help or "").split("\n\n")[0]
    return " ".join(first.replace("\b", "").split())


def _split_help(text: str) -> tuple[list[list[str]], list[str]]:
    """The description's paragraphs (lines kept) and the example lines, without click's ``\\b`` marks."""
    paragraphs: list[list[str]] = []
    examples: list[str] = []
    in_examples = False
    for block in text.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip() != "\b"]
        if not lines:
            continue
        if _EXAMPLE.match(lines[0]):
            in_examples = True
            lines = lines[1:]
        if in_examples and all(line.startswith("  ") or not line.strip() for line in lines):
            examples += [line.rstrip() for line in textwrap.dedent("\n".join(lines)).split("\n") if line.strip()]
            continue
        in_examples = False
        paragraphs.append([line.strip() for line in lines])
    return paragraphs, examples


def _see_also(path: list[str], children: list[tuple[str, click.Command]]) -> list[str]:
    parents = ["-".join(path[:i]) for i in range(1, len(path))]
    subs = ["-".join([*path, sub]) for sub, _ in children]
    return [f"{page}(1)" for page in [*parents, *subs]] or ["refaudit(1)"]


def _escape(text: str) -> str:
    """Text safe inside a roff line: backslashes and hyphens escaped, anything beyond ASCII as ``\\[uXXXX]``
    (groff and mandoc read it whatever the page's encoding)."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "".join(c if c.isascii() else f"\\[u{ord(c):04X}]" for c in text)


def _line(text: str) -> str:
    """One line of text: escaped, and guarded when it would read as a roff request."""
    escaped = _escape(text)
    return "\\&" + escaped if escaped.startswith((".", "'")) else escaped


def main(argv: list[str]) -> int:
    from refaudit.cli import cli

    if len(argv) != 1:
        print("usage: python -m refaudit.cli._manpage DIR", file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.mkdir(parents=True, exist_ok=True)
    written = pages(cli)
    for name, text in written.items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"{len(written)} man pages in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
