"""Export: the registry as YAML, JSON or three CSV files (which ``native`` reads back).

Export is the registry exactly as docs/SPEC.md shows it (no history, no counters); a CSV
export writes the records' three files and ``meta.csv`` (schema version and owner). Files are
created ``0600`` and never overwrite without ``force``. CSV cells that a spreadsheet
would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or CR) are prefixed
with ``'``, as OWASP advises; so is a cell that already starts with ``'`` followed by
one of those, so import can undo exactly what export did. List cells join their
items with ``; `` (``\\;`` and ``\\\\`` escape a literal ``;`` and ``\\``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from refaudit import filecheck, fileio, jsonio, yamlio
from refaudit.errors import RefauditError, ValidationError
from refaudit.interop.records import RECORDS
from refaudit.model import RECORD_LISTS, Registry

EXPORT_FORMATS = ("yaml", "json", "csv")
CSV_NAMES = {section: f"{section}.csv" for section in RECORD_LISTS}
# What is not a record: the schema version and the owner (whose name heads the report and signs drafts).
META_CSV = "meta.csv"
META_COLUMNS = ("refaudit", "owner")


def _fields_typed(section: str, prefix: str) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(RECORDS[section]) if str(f.type).startswith(prefix))


# Read from the model, so that a new list field exports and imports without a change here.
LIST_FIELDS = {section: _fields_typed(section, "list[") for section in RECORD_LISTS}
# Lists of {reference, on}: ``briefed``, ``thanked``; a CSV cell reads "jane-doe on 2026-10-10; …".
BRIEFING_FIELDS = {section: _fields_typed(section, "list[Briefing]") for section in RECORD_LISTS}
# Lists of {on, event, value}: ``timeline``; a CSV cell reads "2026-10-15 stage reference-check; …".
EVENT_FIELDS = {section: _fields_typed(section, "list[Event]") for section in RECORD_LISTS}
# Lists of texts or {text, on}: ``criticism``, ``leads``; a CSV cell reads "More SQL (on 2026-10-20); Older point".
SAID_FIELDS = {section: _fields_typed(section, "list[Said]") for section in RECORD_LISTS}
_SAID_DAY = re.compile(r"^(?P<text>.*\S) \(on (?P<on>\d{4}-\d{2}-\d{2})\)$", re.DOTALL)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_LIST_SEP = "; "


# --- export -----------------------------------------------------------------------------


def plain(registry: Registry) -> dict[str, Any]:
    """The registry as docs/SPEC.md shows it: no history, no feedback counter."""
    return registry.to_plain(with_history=False)


def to_yaml(registry: Registry) -> str:
    return yamlio.dump(plain(registry))


def to_json(registry: Registry) -> str:
    return jsonio.dumps(plain(registry), indent=2) + "\n"


def to_csv(registry: Registry) -> dict[str, str]:
    """``{file name: CSV text}`` for the three record types, every field a column, and ``meta.csv``."""
    data = plain(registry)
    files = {}
    for section in RECORD_LISTS:
        columns = RECORDS[section].FIELDS
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for record in data[section]:
            writer.writerow([_csv_cell(section, col, record.get(col)) for col in columns])
        files[CSV_NAMES[section]] = out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(META_COLUMNS)
    writer.writerow([str(data["refaudit"]), defuse(data.get("owner") or "")])
    files[META_CSV] = out.getvalue()
    return files


def _csv_cell(section: str, column: str, value: Any) -> str:
    if value is None:
        text = ""
    elif column in BRIEFING_FIELDS[section]:
        text = _LIST_SEP.join(f"{b['reference']} on {b['on'].isoformat()}" for b in value)
    elif column in EVENT_FIELDS[section]:
        text = _LIST_SEP.join(
            _escape_item(" ".join(str(e[k]) for k in ("on", "event", "value") if k in e)) for e in value
        )
    elif column in SAID_FIELDS[section]:
        text = _LIST_SEP.join(
            _escape_item(f"{s['text']} (on {s['on'].isoformat()})" if isinstance(s, dict) else s) for s in value
        )
    elif isinstance(value, list):
        text = _LIST_SEP.join(_escape_item(str(v)) for v in value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return defuse(text)


def defuse(cell: str) -> str:
    """Prefix ``'`` so that a spreadsheet shows the cell as text instead of running it."""
    if cell.startswith(_FORMULA_START) or (cell.startswith(_QUOTE) and cell[1:2].startswith((*_FORMULA_START, _QUOTE))):
        return _QUOTE + cell
    return cell


def restore(cell: str) -> str:
    """Undo ``defuse``: drop the ``'`` it added, and only that."""
    if cell.startswith(_QUOTE) and cell[1:2].startswith((*_FORMULA_START, _QUOTE)):
        return cell[1:]
    return cell


def _escape_item(item: str) -> str:
    return item.replace("\\", "\\\\").replace(";", "\\;")


def said_item(item: str) -> str | dict[str, str]:
    """A CSV list item of ``criticism``/``leads``: ``text (on YYYY-MM-DD)`` is ``{text, on}``, else the text."""
    found = _SAID_DAY.match(item)
    return {"text": found["text"], "on": found["on"]} if found else item


def split_list(cell: str) -> list[str]:
    """Items of a list cell: split on ``;`` not escaped by ``\\``, each stripped, empty ones dropped."""
    items: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            current.append(nxt if nxt in ("\\", ";") else c + nxt)
        elif c == ";":
            items.append("".join(current))
            current = []
        else:
            current.append(c)
    items.append("".join(current))
    return [i.strip() for i in items if i.strip()]


def guess_format(path: Path, *, default: str | None = None) -> str:
    """The format a path's name (or being a folder) implies."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix == ".csv" or path.is_dir():
        return "csv"
    if default is not None:
        return default
    raise ValidationError(f"cannot tell the format of {str(path)!r} from its name; pass --format yaml, json or csv.")


def check_target(fmt: str, target: Path, *, force: bool, protected: Sequence[Path] = ()) -> None:
    """Refuse, before anything is unlocked, each file the export would write that is one of ``protected``
    (the registry's own files, even with ``force``), not a regular file, or there already without ``force``."""
    if fmt == "csv" and target.exists() and not target.is_dir():
        raise RefauditError(f"{str(target)!r} is a file; a CSV export writes three files, so name a folder with -o.")
    for path in export_paths(fmt, target):
        filecheck.require_new_target(path, "an export", force=force, protected=protected)


def export_paths(fmt: str, target: Path) -> list[Path]:
    """The files an export to ``target`` writes: ``target``, or the three CSV files and ``meta.csv`` in it."""
    return [target / n for n in (*CSV_NAMES.values(), META_CSV)] if fmt == "csv" else [target]


def export(registry: Registry, fmt: str, target: Path, *, force: bool, protected: Sequence[Path] = ()) -> list[Path]:
    """Write the plaintext copy; returns the files written (``0600``)."""
    check_target(fmt, target, force=force, protected=protected)
    if fmt != "csv":
        text = to_yaml(registry) if fmt == "yaml" else to_json(registry)
        write_private(target, text.encode("utf-8"), force=force)
        return [target]
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise RefauditError(f"cannot create the folder {str(target)!r}: {exc.strerror or exc}.") from None
    written = []
    # The BOM makes spreadsheet programs read the file as UTF-8 instead of the local code page.
    for name, text in to_csv(registry).items():
        write_private(target / name, ("\ufeff" + text).encode("utf-8"), force=force)
        written.append(target / name)
    return written


def write_private(path: Path, data: bytes, *, force: bool) -> None:
    """Create ``path`` as ``0600``; an existing file is refused, or atomically replaced with ``force``."""
    if path.is_dir():
        raise RefauditError(f"{str(path)!r} is a folder; give a file name with -o.")
    if not force and (path.exists() or path.is_symlink()):
        raise RefauditError(f"{str(path)!r} already exists; refusing to overwrite it (use --force).")
    try:
        if force:
            fileio.replace_private(path, data)
        else:
            fileio.create_private(path, data)
    except FileExistsError:
        raise RefauditError(f"{str(path)!r} already exists; refusing to overwrite it (use --force).") from None
    except OSError as exc:
        raise RefauditError(f"cannot write {str(path)!r}: {exc.strerror or exc}.") from None
