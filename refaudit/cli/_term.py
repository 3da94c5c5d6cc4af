"""Terminal output that fits: display widths, tables fitted to the terminal, wrapping, colour, closed pipes.

Widths are display columns (wcwidth: a CJK character takes two, a combining accent none).
How wide the output may be: ``COLUMNS`` when set, else the terminal's width when standard
output is one; a pipe or a file gets whole rows (cells still cut at ``max_col``), as
``ps`` and ``ls`` do. ``--wide`` shows every column and every character.

Colour is decided once, by ``colour``: ``--color always|never`` first, then ``NO_COLOR``
(any value, https://no-color.org) turns it off, ``FORCE_COLOR`` (any value but ``0``,
https://force-color.org) turns it on, ``TERM=dumb`` off; otherwise it is on when the
output is a terminal (click leaves it out of pipes and files).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
ELLIPSIS = "…"
WRAP_MAX = 100  # long lines read best at this width even on a wider terminal
WRAP_MIN = 40


def _plain(text: str) -> bool:
    """Printable ASCII: one column a character, no escape, tab or wide character to measure."""
    return text.isascii() and text.isprintable()


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    if _plain(text):  # most text: no need to load wcwidth's tables (about 10 ms)
        return len(text)
    import wcwidth  # here, not at the top: every command imports this module, few print tables

    return max(wcwidth.width(text, control_codes="ignore"), 0)


def cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` columns, ending in … when something was cut."""
    if width(text) <= limit:
        return text
    if limit <= 0:
        return ""
    import wcwidth

    out, used = [], 0
    for grapheme in wcwidth.iter_graphemes(text):
        w = width(grapheme)
        if used + w > limit - 1:
            break
        out.append(grapheme)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def colour(choice: str = "auto", environ: Mapping[str, str] | None = None) -> bool | None:
    """Whether output is coloured: True, False, or None for "when it is a terminal" (click decides).

    ``choice`` is the global ``--color`` (``auto``, ``always`` or ``never``).

    Precedence: ``--color`` > ``NO_COLOR`` > ``FORCE_COLOR`` (not ``0``) > ``TERM=dumb`` > a terminal.
    """
    env = os.environ if environ is None else environ
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR") not in (None, "", "0"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return None


def columns() -> int | None:
    """How many columns output may take; None when it is not going to a terminal (and COLUMNS is unset)."""
    raw = os.environ.get("COLUMNS", "")
    if raw.isdecimal() and int(raw) > 0:
        return int(raw)
    try:
        if sys.stdout.isatty():
            import shutil  # here: completing a command's options loads this module, and shutil brings bz2 and lzma

            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


def wrap(text: str, first: str = "", rest: str = "") -> str:
    """``text`` wrapped like ``audit``'s reasons: to the terminal, at most 100 and at least 40 columns.

    Printable ASCII is wrapped by the standard library's ``textwrap``, each line's trailing
    blank dropped: the very lines ``wcwidth.wrap`` gives it (``tests/test_term.py`` checks),
    about four times faster and without loading wcwidth. Anything else goes to wcwidth,
    which measures display columns.
    """
    limit = max(min(columns() or WRAP_MAX, WRAP_MAX), WRAP_MIN)
    joined = " ".join(text.split())
    if _plain(joined + first + rest):
        import textwrap

        lines = [
            line.rstrip()
            for line in textwrap.wrap(
                joined, limit, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
            )
        ]
    else:
        import wcwidth

        lines = wcwidth.wrap(joined, limit, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)
    return "\n".join(lines) if lines else first.rstrip()


@dataclass(frozen=True)
class Column:
    """A table column: ``keep`` ranks how long it stays when the terminal is narrow (lowest goes first)."""

    header: str
    keep: int = 0
    min: int = 6


def _fit(cols: Sequence[Column], natural: list[int], limit: int) -> list[int] | None:
    """Widths that fit ``limit`` by narrowing the widest columns (never below their minimum), or None."""
    widths = list(natural)
    floors = [min(max(c.min, width(c.header)), n) for c, n in zip(cols, natural, strict=True)]
    excess = sum(widths) + 2 * (len(widths) - 1) - limit
    while excess > 0:
        room = [(w, i) for i, w in enumerate(widths) if w > floors[i]]
        if not room:
            return None
        _, i = max(room)
        widths[i] -= 1
        excess -= 1
    return widths


def table(
    columns_: Sequence[Column | str],
    rows: Sequence[Sequence[str]],
    *,
    limit: int | None,
    max_col: int | None = 40,
) -> tuple[str, list[str]]:
    """The rows under their headers, fitted to ``limit`` columns; also the headers left out to fit.

    Long cells are cut with …; when even the narrowest cells do not fit, the column with
    the lowest ``keep`` is left out (the rightmost first among equals), and so on.
    """
    cols = [c if isinstance(c, Column) else Column(c) for c in columns_]
    cells = [[" ".join(str(c).split()) for c in row] for row in rows]
    if max_col is not None:
        cells = [[cut(c, max_col) for c in row] for row in cells]
    shown = list(range(len(cols)))
    while True:
        natural = [max([width(cols[i].header)] + [width(r[i]) for r in cells]) for i in shown]
        widths = natural if limit is None else _fit([cols[i] for i in shown], natural, limit)
        if widths is not None or len(shown) == 1:
            break
        drop = min(reversed(shown), key=lambda i: cols[i].keep)
        shown.remove(drop)
    if widths is None:
        widths = [max(limit or 1, 1)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(pad(cut(v, w), w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line([cols[i].header for i in shown]), line(["-" * w for w in widths])]
    out.extend(line([r[i] for i in shown]) for r in cells)
    hidden = [c.header for i, c in enumerate(cols) if i not in shown]
    return "\n".join(out), hidden


def hidden_note(hidden: list[str], limit: int | None) -> str | None:
    """What to say on stderr when columns were left out to fit."""
    if not hidden:
        return None
    return f"({', '.join(hidden)} left out to fit {limit} columns; --wide shows every column.)"


def silence_stdout() -> None:
    """After the reader of a pipe went away: send what is still buffered nowhere, so exit stays quiet.

    The recipe from Python's documentation of SIGPIPE: point the file descriptor at
    /dev/null, so that the interpreter's final flush does not fail again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def echo_table(
    columns_: Sequence[Column | str], rows: Sequence[Sequence[str]], *, wide: bool = False, max_col: int = 40
) -> None:
    """Print a table fitted to the terminal (``wide``: every column, every character)."""
    import click

    limit = None if wide else columns()
    text, hidden = table(columns_, rows, limit=limit, max_col=None if wide else max_col)
    click.echo(text)
    note = hidden_note(hidden, limit)
    if note:
        click.echo(note, err=True)


def wide_option() -> Callable[[F], F]:
    import click

    return click.option("--wide", is_flag=True, help="Show every column and every character, however wide.")


def stdout_gone() -> bool:
    """Whether standard output is a pipe whose reader went away (``refaudit audit | head -1``).

    Asked before treating a BrokenPipeError as "nobody is reading": a pipe to a helper
    process that died is a real failure, not a reader that had seen enough.
    """
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, ValueError, OSError):
        return False


def reader_gone() -> NoReturn:
    """End quietly with exit 0 when standard output's reader went away; re-raise any other broken pipe."""
    import click

    if not stdout_gone():
        raise
    silence_stdout()
    raise click.exceptions.Exit(0) from None
