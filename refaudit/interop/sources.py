"""The one interface every import source implements, and the options ``import`` passes them.

A source (LinkedIn, Google, Outlook, vCard, a job tracker, refaudit's own files)
declares its ``name`` (what ``--from`` calls it), its ``kind`` (``contacts``,
``applications`` or ``registry``: which options apply to it), how it recognises a
file under ``--from auto``, and how it reads one into ``Incoming`` records.
``refaudit.interop`` keeps the one list of registered sources; adding a source is a
module with a ``SOURCE``, a line in that list and a fixture in ``tests/fixtures/import``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from refaudit.interop.records import Incoming
from refaudit.interop.source import Text

SOURCE_KINDS = ("contacts", "applications", "registry")


@dataclass(frozen=True)
class Options:
    """How to read an import: ``import``'s options, checked by the readers that use them."""

    source: str = "auto"
    fmt: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    ignore_unknown: bool = False
    status: str | None = None
    only: Sequence[str] = ()
    date_order: str | None = None  # dmy | mdy, for slashed dates in trackers and LinkedIn
    encoding: str | None = None  # None: detected


@dataclass(frozen=True)
class ImportSource:
    """One kind of file ``import`` reads."""

    name: str  # what --from calls it
    kind: str  # one of SOURCE_KINDS
    label: str  # what messages call it: "LinkedIn", "a vCard file"
    recognises: Callable[[Text], bool]  # for --from auto: from the file's name and first lines
    read: Callable[[Text, Options], Incoming]


def head_cells(text: Text, lines: int = 20) -> list[list[str]]:
    """The first non-empty lines of ``text`` split into cells, any delimiter: where a header is looked for.

    Stops at a line that opens a YAML or JSON document (nothing below it is a header).
    """
    rows = []
    for line in text.text.splitlines()[:lines]:
        if not line.strip():
            continue
        if line.startswith(("refaudit:", "{", "[")):
            break
        rows.append([c.strip().strip('"') for c in line.replace(";", ",").replace("\t", ",").split(",")])
    return rows


def any_header(text: Text, is_header: Callable[[list[str]], bool]) -> bool:
    return any(is_header(cells) for cells in head_cells(text))
