"""Bringing data in and out: one module per format or source, and what they share.

- ``exporting``: the registry as YAML, JSON or three CSVs (``refaudit export``).
- ``native``: refaudit's own files, and spreadsheets people made (``--map``).
- ``linkedin``, ``google``, ``outlook``, ``vcard``, ``tracker``: other programs' exports;
  ``contacts``: what the contact sources share.
- ``sources``: the interface every source implements (``ImportSource``) and import's ``Options``.
- ``csvfile``: CSV as found in the wild; ``dates``: the dates those programs write;
  ``source``: reading a file or standard input; ``records``: what every reader
  produces; ``reconcile``: matching incoming records with the registry's.

``read`` picks the source from ``REGISTERED`` (``--from auto`` asks each whether it
recognises the file).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from refaudit.errors import ValidationError
from refaudit.interop import google, linkedin, native, outlook, source, tracker, vcard
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
from refaudit.interop.reconcile import CONFLICT_POLICIES, Outcome, RowAction, reconcile, rehearse
from refaudit.interop.records import MAX_IMPORT_ROWS, Incoming, typed_registry
from refaudit.interop.source import MAX_IMPORT_SIZE, check_encoding
from refaudit.interop.sources import ImportSource, Options

__all__ = [
    "CONFLICT_POLICIES",
    "CSV_NAMES",
    "EXPORT_FORMATS",
    "IMPORT_SOURCES",
    "MAX_IMPORT_ROWS",
    "MAX_IMPORT_SIZE",
    "REGISTERED",
    "ImportSource",
    "Incoming",
    "Options",
    "Outcome",
    "RowAction",
    "check_encoding",
    "check_target",
    "defuse",
    "export",
    "export_paths",
    "guess_format",
    "plain",
    "read",
    "reconcile",
    "rehearse",
    "restore",
    "split_list",
    "to_csv",
    "to_json",
    "to_yaml",
    "typed_registry",
    "write_private",
]

# Every source import reads, in the order --from auto tries them (refaudit's own files first, by
# their name; then each program by its header). Adding a source: a module with a SOURCE, one line here.
REGISTERED: tuple[ImportSource, ...] = (
    native.SOURCE,
    linkedin.SOURCE,
    google.SOURCE,
    outlook.SOURCE,
    vcard.SOURCE,
    tracker.SOURCE,
)
_BY_NAME = {s.name: s for s in REGISTERED}
IMPORT_SOURCES = ("auto", *_BY_NAME)
_CONTACTS = tuple(s.name for s in REGISTERED if s.kind == "contacts")


def read(path: Path | None, options: Options, stdin: BinaryIO | None = None) -> Incoming:
    """Parse and validate an import: a file, a folder of refaudit CSVs, or standard input (``path`` None)."""
    if options.source not in IMPORT_SOURCES:
        raise ValidationError(f"--from {options.source!r} is not one of: {', '.join(IMPORT_SOURCES)}.")
    _check_options(options)
    if path is not None and path.is_dir():
        if options.source not in ("auto", "refaudit") or options.fmt not in (None, "csv"):
            raise ValidationError(f"{str(path)!r} is a folder; only refaudit's own CSV export is read as a folder.")
        return native.read_folder(path, options.mapping, options.ignore_unknown, options.encoding)
    if path is None:
        assert stdin is not None
        text = source.read_stream(stdin, options.encoding)
    else:
        text = source.read_path(path, options.encoding)
    chosen = _BY_NAME[options.source] if options.source != "auto" else _recognise(text, options.fmt)
    if (options.status is not None or options.only) and chosen.kind != "contacts":
        raise ValidationError(
            f"--status and --only are for contacts ({_contact_labels()}); {text.name!r} holds no contacts list."
        )
    if (options.mapping or options.ignore_unknown) and chosen.kind == "contacts":
        raise ValidationError(
            f"--map and --ignore-unknown are for spreadsheets of your own; {text.name!r} is a {chosen.name} export "
            "and its columns are known."
        )
    incoming = chosen.read(text, options)
    incoming.encoding = text.encoding
    return incoming


def _contact_labels() -> str:
    labels = [s.label for s in REGISTERED if s.kind == "contacts"]
    return ", ".join(labels)


def _check_options(options: Options) -> None:
    contact = options.source in _CONTACTS
    if options.fmt is not None and options.source not in ("auto", "refaudit"):
        raise ValidationError(f"--format is for refaudit's own files; --from {options.source} reads its own layout.")
    if (options.mapping or options.ignore_unknown) and contact:
        raise ValidationError(
            f"--map and --ignore-unknown are for spreadsheets of your own; --from {options.source} knows its columns."
        )
    if (options.status is not None or options.only) and options.source not in (*_CONTACTS, "auto"):
        names = ", ".join(_CONTACTS[:-1]) + " or " + _CONTACTS[-1]
        raise ValidationError(f"--status and --only are for contacts: --from {names}.")


def _recognise(text: source.Text, fmt: str | None) -> ImportSource:
    """Which source a file is, from its name and its first lines (``--from auto``); refaudit's own at last."""
    if fmt is not None:
        return native.SOURCE
    return next((s for s in REGISTERED if s.recognises(text)), native.SOURCE)
