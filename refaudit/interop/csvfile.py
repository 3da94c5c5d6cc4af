"""CSV as it is found in the wild: ``,`` ``;`` or tab, a BOM, CRLF, quotes left open, preambles.

Rows keep their number as a spreadsheet shows it (the header is row 1), so that every
error can name the file, the row and the column. Line breaks inside quoted cells come
out as ``\\n`` whichever convention the file used.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass

from refaudit.errors import ValidationError
from refaudit.interop.records import check_rows

DELIMITERS = (",", ";", "\t")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_CELL = 1024 * 1024  # one cell of a megabyte is already no contact's notes


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    header_row: int = 1


def parse(
    text: str,
    name: str,
    *,
    delimiter: str | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> Table:
    """Read ``text`` (already decoded) as a table.

    ``is_header`` finds the header below a preamble (LinkedIn's notes); without it the
    first non-empty row is the header.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    delimiter = delimiter or sniff(text, name)
    _check_quotes(text, name, delimiter)
    records = _records(text, name, delimiter)
    start = 0
    if is_header is not None:
        for index, (_number, cells) in enumerate(records):
            if is_header(cells):
                start = index
                break
    while start < len(records) and not any(c.strip() for c in records[start][1]):
        start += 1
    if start >= len(records):
        return Table(name, [], [])
    header_row, header = records[start]
    rows = [(n, cells) for n, cells in records[start + 1 :] if any(c.strip() for c in cells)]
    check_rows(name, len(rows))
    return Table(name, header, rows, header_row)


def sniff(text: str, name: str) -> str:
    """The delimiter the header line uses most, outside quotes (``.tsv`` files are tabs anyway)."""
    if name.lower().endswith(".tsv"):
        return "\t"
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for c in first:
        if c == '"':
            quoted = not quoted
        elif not quoted and c in counts:
            counts[c] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_quotes(text: str, name: str, delimiter: str) -> None:
    """Refuse a quote that is opened and never closed, naming the line where it opens.

    Python's reader would take the rest of the file as one cell (or fail with
    "unexpected end of data", naming nothing).
    """
    quoted = just_closed = False
    at_start = True
    line = opened = 1
    for c in text:
        if quoted:
            if c == '"':
                quoted, just_closed = False, True
            elif c == "\n":
                line += 1
            continue
        if c == '"' and (at_start or just_closed):
            quoted, at_start = True, False
            opened = line if not just_closed else opened
            continue
        just_closed = False
        if c == "\n":
            line += 1
        at_start = c in ("\n", delimiter)
    if quoted:
        raise ValidationError(
            f"{name!r} is not valid CSV: the quoted cell opened on line {opened} is never closed "
            '(a " is missing; nothing was imported).'
        )


def _records(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            records.append((number, cells))
    except csv.Error as exc:
        raise ValidationError(
            f"{name!r} is not valid CSV ({_NAMES[delimiter]}-separated): line {reader.line_num}: {exc}."
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    return records


def _lines(text: str) -> list[str]:
    """Lines ending in ``\\n`` only: ``splitlines`` would also break on form feeds and the like."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
