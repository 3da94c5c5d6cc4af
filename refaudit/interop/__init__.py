"""Bringing data in and out: one module per format or source, and what they share.

- ``exporting``: the registry as YAML, JSON or three CSVs (``refaudit export``).
- ``native``: refaudit's own files, and spreadsheets people made (``--map``).
- ``linkedin``, ``google``, ``vcard``, ``tracker``: other programs' exports.
- ``csvfile``: CSV as found in the wild; ``dates``: the dates those programs write;
  ``source``: reading a file or standard input; ``records``: what every reader
  produces; ``merge``: matching incoming records with the registry's.

``read`` picks the reader (``--from auto`` recognises each source by its header).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from refaudit.errors import ValidationError
from refaudit.interop import google, linkedin, native, source, tracker, vcard
from refaudit.interop.exporting import (
    CSV_NAMES,
    EXPORT_FORMATS,
    check_target,
    defuse,
    export,
    export_paths,
    guess_format,
    plain,
    restore,
    split_list,
    to_csv,
    to_json,
    to_yaml,
    write_private,
)
from refaudit.interop.merge import CONFLICT_POLICIES, Outcome, RowAction, merge
from refaudit.interop.records import MAX_IMPORT_ROWS, Incoming, typed_registry
from refaudit.interop.source import MAX_IMPORT_SIZE

__all__ = [
    "CONFLICT_POLICIES",
    "CSV_NAMES",
    "EXPORT_FORMATS",
    "IMPORT_SOURCES",
    "MAX_IMPORT_ROWS",
    "MAX_IMPORT_SIZE",
    "Incoming",
    "Options",
    "Outcome",
    "RowAction",
    "check_target",
    "defuse",
    "export",
    "export_paths",
    "guess_format",
    "merge",
    "plain",
    "read",
    "restore",
    "split_list",
    "to_csv",
    "to_json",
    "to_yaml",
    "typed_registry",
    "write_private",
]

IMPORT_SOURCES = ("auto", "refaudit", "linkedin", "google", "vcard", "tracker")
_CONTACTS = ("linkedin", "google", "vcard")


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


def read(path: Path | None, options: Options, stdin: BinaryIO | None = None) -> Incoming:
    """Parse and validate an import: a file, a folder of refaudit CSVs, or standard input (``path`` None)."""
    if options.source not in IMPORT_SOURCES:
        raise ValidationError(f"--from {options.source!r} is not one of: {', '.join(IMPORT_SOURCES)}.")
    _check_options(options)
    if path is not None and path.is_dir():
        if options.source not in ("auto", "refaudit") or options.fmt not in (None, "csv"):
            raise ValidationError(f"{str(path)!r} is a folder; only refaudit's own CSV export is read as a folder.")
        return native.read_folder(path, options.mapping, options.ignore_unknown)
    if path is None:
        assert stdin is not None
        text = source.read_stream(stdin)
    else:
        text = source.read_path(path)
    kind = options.source if options.source != "auto" else _recognise(text, options.fmt)
    if (options.status is not None or options.only) and kind not in _CONTACTS:
        raise ValidationError(
            f"--status and --only are for contacts (LinkedIn, Google, vCard); {text.name!r} holds no contacts list."
        )
    if (options.mapping or options.ignore_unknown) and kind in _CONTACTS:
        raise ValidationError(
            f"--map and --ignore-unknown are for spreadsheets of your own; {text.name!r} is a {kind} export "
            "and its columns are known."
        )
    status = options.status or "resting"
    if kind == "linkedin":
        return linkedin.read(text, status=status, only=options.only, order=options.date_order)
    if kind == "google":
        return google.read(text, status=status, only=options.only)
    if kind == "vcard":
        return vcard.read(text, status=status, only=options.only)
    if kind == "tracker":
        return tracker.read(text, options.mapping, order=options.date_order)
    fmt = options.fmt or _format_of(text)
    if fmt == "csv":
        return native.from_csv(text, options.mapping, options.ignore_unknown)
    if options.mapping or options.ignore_unknown:
        raise ValidationError("--map and --ignore-unknown are for spreadsheets (CSV); this is a YAML or JSON file.")
    return native.from_json(text) if fmt == "json" else native.from_yaml(text)


def _check_options(options: Options) -> None:
    contact = options.source in _CONTACTS
    if options.fmt is not None and options.source not in ("auto", "refaudit"):
        raise ValidationError(f"--format is for refaudit's own files; --from {options.source} reads its own layout.")
    if (options.mapping or options.ignore_unknown) and contact:
        raise ValidationError(
            f"--map and --ignore-unknown are for spreadsheets of your own; --from {options.source} knows its columns."
        )
    if (options.status is not None or options.only) and options.source not in (*_CONTACTS, "auto"):
        raise ValidationError("--status and --only are for contacts: --from linkedin, google or vcard.")


def _recognise(text: source.Text, fmt: str | None) -> str:
    """Which source a file is, from its name and its first lines (``--from auto``)."""
    if fmt in ("yaml", "json"):
        return "refaudit"
    if text.suffix in (".vcf", ".vcard") or vcard.looks_like(text.text):
        return "vcard"
    if text.suffix in (".yaml", ".yml", ".json"):
        return "refaudit"
    head = [line for line in text.text.splitlines()[:20] if line.strip()]
    for line in head:
        cells = [c.strip().strip('"') for c in line.replace(";", ",").replace("\t", ",").split(",")]
        if linkedin.is_header(cells):
            return "linkedin"
        if google.is_header(cells):
            return "google"
        if tracker.is_header(cells) and native.section_of(text.name) != "applications":
            return "tracker"
        if line.startswith(("refaudit:", "{", "[")):
            break
    return "refaudit"


def _format_of(text: source.Text) -> str:
    """yaml, json or csv, from the name, else from the first characters (standard input)."""
    if text.suffix in (".yaml", ".yml"):
        return "yaml"
    if text.suffix == ".json":
        return "json"
    if text.suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    start = text.text.lstrip()[:1]
    if start in ("{", "["):
        return "json"
    first = next((line for line in text.text.splitlines() if line.strip() and not line.startswith("#")), "")
    if first.startswith("refaudit:") or first.startswith("---") or ": " in first or first.rstrip().endswith(":"):
        return "yaml"
    if text.name != source.STDIN_NAME and text.suffix:
        raise ValidationError(
            f"cannot tell the format of {text.name!r} from its name; pass --format yaml, json or csv."
        )
    return "csv"
