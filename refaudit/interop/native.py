"""refaudit's own files: its YAML and JSON exports, its three CSVs, and spreadsheets people made.

Import validates everything — every row, every cross-reference, every id clash —
before the registry is touched; errors name the file, the row and the field.
A spreadsheet's columns are the registry's field names (a few spellings people use
are understood); ``--map COLUMN=FIELD`` names the others, ``--ignore-unknown``
leaves them out and says which.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refaudit import jsonio, yamlio
from refaudit.checks import MAX_NAME, check_text
from refaudit.errors import ValidationError
from refaudit.interop import csvfile, source
from refaudit.interop.exporting import (
    BRIEFING_FIELDS,
    CSV_NAMES,
    EVENT_FIELDS,
    LIST_FIELDS,
    META_COLUMNS,
    META_CSV,
    SAID_FIELDS,
    restore,
    said_item,
    split_list,
)
from refaudit.interop.records import (
    RECORDS,
    ROW,
    Incoming,
    Item,
    account,
    check_rows,
    item,
    typed_registry,
    version,
)
from refaudit.interop.sources import ImportSource, Options
from refaudit.model import RECORD_LISTS, SCHEMA_VERSION, SENTIMENTS

READABLE_VERSIONS = tuple(range(1, max(SCHEMA_VERSION, 2) + 1))  # 1 is read with its old meanings (model.py)
REQUIRED_COLUMNS = {
    "references": ("name",),
    "applications": ("company", "role", "applied_on"),
    "feedback": ("reference", "reported_on", "sentiment"),
}
# What people write in a hand-made header, mapped to the registry's field names.
ALIASES = {"organisation": "organization", "org": "organization", "note": "notes", "tag": "tags"}
_BRIEFED_RE = re.compile(r"^(\S+?)(?:\s+on\s+|\s+|:)(\S+)$")


# --- the source: refaudit's own files, and the fallback for any CSV no other source claims ---------


def recognises(text: source.Text) -> bool:
    """A YAML or JSON export by its name or its first characters."""
    if text.suffix in (".yaml", ".yml", ".json"):
        return True
    first = next((line for line in text.text.splitlines() if line.strip()), "")
    return first.startswith(("refaudit:", "{", "["))


def read(text: source.Text, options: Options) -> Incoming:
    fmt = options.fmt or format_of(text)
    if fmt == "csv":
        return from_csv(text, options.mapping, options.ignore_unknown)
    if options.mapping or options.ignore_unknown:
        raise ValidationError("--map and --ignore-unknown are for spreadsheets (CSV); this is a YAML or JSON file.")
    if text.not_utf8:  # refaudit writes UTF-8: another encoding is a damaged file or another program's
        raise ValidationError(f"{text.name!r} is not UTF-8 text ({text.not_utf8}); save it as UTF-8.")
    return from_json(text) if fmt == "json" else from_yaml(text)


def format_of(text: source.Text) -> str:
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


SOURCE = ImportSource("refaudit", "registry", "refaudit", recognises, read)


# --- YAML and JSON ----------------------------------------------------------------------------


def from_yaml(text: source.Text) -> Incoming:
    return from_plain(yamlio.load_text(text.text, repr(text.name)), text.name)


def from_json(text: source.Text) -> Incoming:
    return from_plain(load_json(text.text, text.name), text.name)


def load_json(text: str, name: str) -> Any:
    return jsonio.loads(text, repr(name))


def from_plain(data: Any, name: str) -> Incoming:
    allowed = ("refaudit", "owner", *RECORD_LISTS)
    if not isinstance(data, dict):
        raise ValidationError(f"{name!r} must hold a mapping with references, applications and feedback.")
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        hint = " (history is kept by refaudit itself)" if "history" in unknown else ""
        raise ValidationError(
            f"{name!r} has unknown field(s): {', '.join(unknown)}{hint}; accepted: {', '.join(allowed)}."
        )
    data = typed_registry(data)
    declared = version(data.get("refaudit", SCHEMA_VERSION), name, READABLE_VERSIONS)
    incoming = Incoming()
    try:
        incoming.owner = check_text("owner", data.get("owner"), max_len=MAX_NAME)
    except ValidationError as exc:
        raise ValidationError(f"in {name}: {exc}") from None
    sections = {}
    for section in RECORD_LISTS:
        rows = data.get(section) or []
        if not isinstance(rows, list):
            raise ValidationError(f"in {name}: {section} must be a list.")
        sections[section] = rows
    check_rows(name, sum(len(rows) for rows in sections.values()))
    sections["feedback"] = [_old_meanings(row, declared) for row in sections["feedback"]]
    for section, rows in sections.items():
        for i, row in enumerate(rows):
            where = f"{name}: {section}[{i}]"
            getattr(incoming, section).append(item(section, row, where))
    check_unique(incoming)
    return incoming


def _old_meanings(row: Any, declared: int) -> Any:
    """docs/SPEC.md: before schema 2, ``neutral`` meant what ``lukewarm`` means now (once the model knows it).

    Registry.from_plain reads a version 1 registry the same way; import reads records one by one.
    """
    if declared == 1 and "lukewarm" in SENTIMENTS and isinstance(row, dict) and row.get("sentiment") == "neutral":
        return {**row, "sentiment": "lukewarm"}
    return row


# --- CSV: refaudit's own, and spreadsheets people made -------------------------------------------


@dataclass(frozen=True)
class Columns:
    """What each column of a table holds: a field name, or None (blank or ignored)."""

    fields: list[str | None]
    ignored: list[str]


def section_of(name: str) -> str:
    """``applications.csv`` holds applications, ``feedback.csv`` feedback, anything else references."""
    stem = Path(name).stem.lower()
    return stem if stem in RECORD_LISTS else "references"


def read_folder(path: Path, mapping: Mapping[str, str], ignore_unknown: bool, encoding: str | None = None) -> Incoming:
    found = {s: path / n for s, n in CSV_NAMES.items() if (path / n).is_file()}  # fixed, printable names
    if not found:
        raise ValidationError(f"{str(path)!r} holds none of {', '.join(CSV_NAMES.values())}; nothing to import.")
    incoming = Incoming()
    if (path / META_CSV).is_file():
        incoming.owner = _owner(csvfile.parse(source.read_path(path / META_CSV, encoding).text, META_CSV))
    for section, file in found.items():
        text = source.read_path(file, encoding)
        incoming.encoding = text.encoding if incoming.encoding in (None, text.encoding) else "mixed encodings"
        table = csvfile.parse(text.text, file.name)
        from_table(table, section, mapping, ignore_unknown, into=incoming)
    check_rows(str(path), incoming.count)
    check_unique(incoming)
    return incoming


def _owner(table: csvfile.Table) -> str | None:
    """The owner ``meta.csv`` names (its schema version must be one this refaudit reads)."""
    header = [restore(h).strip() for h in table.header]
    unknown = [h for h in header if h not in META_COLUMNS]
    if unknown or not table.rows:
        raise ValidationError(
            f"{META_CSV!r} must hold the columns {', '.join(META_COLUMNS)} and one row"
            + (f"; it has the unknown column {unknown[0]!r}." if unknown else ".")
        )
    number, cells = table.rows[0]
    row = {h: restore(c) for h, c in zip(header, cells, strict=False)}
    version(row.get("refaudit", str(SCHEMA_VERSION)), f"{META_CSV}, row {number}", READABLE_VERSIONS)
    try:
        return check_text("owner", row.get("owner") or None, max_len=MAX_NAME)
    except ValidationError as exc:
        raise ValidationError(f"in {META_CSV}, row {number}: {exc}") from None


def from_csv(text: source.Text, mapping: Mapping[str, str], ignore_unknown: bool) -> Incoming:
    incoming = Incoming()
    table = csvfile.parse(text.text, text.name)
    from_table(table, section_of(text.name), mapping, ignore_unknown, into=incoming)
    check_unique(incoming)
    return incoming


def from_table(
    table: csvfile.Table, section: str, mapping: Mapping[str, str], ignore_unknown: bool, *, into: Incoming
) -> None:
    columns = map_columns(table, section, mapping, ignore_unknown)
    into.ignored.extend(columns.ignored)
    named = {h.strip() for f, h in zip(columns.fields, table.header, strict=False) if f is not None}
    account(table.header, table.rows, lambda column: column in named, into)
    rows: list[Item[Any]] = getattr(into, section)
    for number, cells in table.rows:
        where = f"{table.name}, row {number}"
        rows.append(item(section, row_dict(section, columns, cells, where), ROW, where))


def map_columns(
    table: csvfile.Table,
    section: str,
    mapping: Mapping[str, str],
    ignore_unknown: bool,
    *,
    aliases: Mapping[str, str] = ALIASES,
    extra: Sequence[str] = (),
) -> Columns:
    """The header's field names, checked: known, mapped, or (with ``ignore_unknown``) left out.

    ``extra`` names columns a source turns into fields itself (a tracker's ``status``).
    """
    allowed = (*RECORDS[section].FIELDS, *extra)
    for column, target in mapping.items():
        if target not in allowed:
            raise ValidationError(
                f"--map {column + '=' + target!r}: {target!r} is not a field of {section}; "
                f"accepted: {', '.join(allowed)}."
            )
    wanted = {key.strip().casefold(): value for key, value in mapping.items()}
    fields: list[str | None] = []
    ignored: list[str] = []
    for index, raw in enumerate(table.header):
        shown = restore(raw).strip()
        if shown.casefold() in wanted:
            label = wanted.pop(shown.casefold())
        else:
            label = shown.lower().replace(" ", "_").replace("-", "_")
            label = aliases.get(label, label)
        if not label:
            if any(index < len(cells) and cells[index].strip() for _n, cells in table.rows):
                raise ValidationError(f"in {table.name}: column {index + 1} has values but no name in the header.")
            fields.append(None)
            continue
        if label not in allowed:
            if ignore_unknown:
                ignored.append(shown)
                fields.append(None)
                continue
            raise ValidationError(
                f"{table.name!r} has an unknown column {shown!r}; accepted: {', '.join(allowed)} "
                "(or --map COLUMN=FIELD, or --ignore-unknown)."
            )
        if label in fields:
            raise ValidationError(f"{table.name!r} has the column {label!r} twice.")
        fields.append(label)
    if wanted:
        raise ValidationError(
            f"--map names {', '.join(repr(k) for k in mapping if k.strip().casefold() in wanted)}, "
            f"but {table.name!r} has no such column; its columns: {', '.join(repr(h.strip()) for h in table.header)}."
        )
    missing = [c for c in REQUIRED_COLUMNS[section] if c not in fields]
    if missing and table.rows:
        raise ValidationError(
            f"{table.name!r} has no {', '.join(repr(m) for m in missing)} column; it is required "
            "(name the column that holds it with --map COLUMN=FIELD)."
        )
    return Columns(fields, ignored)


def row_dict(section: str, columns: Columns, cells: list[str], where: str) -> dict[str, Any]:
    extra = [c for c in cells[len(columns.fields) :] if c.strip()]
    if extra:
        raise ValidationError(f"in {where}: {len(cells)} cells, but the header names {len(columns.fields)} columns.")
    row: dict[str, Any] = {}
    for column, raw in zip(columns.fields, cells, strict=False):
        if column is None:
            continue
        cell = restore(raw)
        if column in BRIEFING_FIELDS[section]:
            row[column] = [_briefing(entry, f"{where}, column {column}") for entry in split_list(cell)]
        elif column in EVENT_FIELDS[section]:
            row[column] = [_event(entry) for entry in split_list(cell)]
        elif column in SAID_FIELDS[section]:
            row[column] = [said_item(entry) for entry in split_list(cell)]
        elif column in LIST_FIELDS[section]:
            row[column] = split_list(cell)
        elif cell.strip():
            row[column] = cell
    return row


def _event(entry: str) -> dict[str, str]:
    """``2026-10-15 stage reference-check`` -> ``{on, event, value}`` (the model checks each part)."""
    on, _, rest = entry.partition(" ")
    event, _, value = rest.partition(" ")
    return {"on": on, "event": event, **({"value": value} if value else {})}


def _briefing(entry: str, where: str) -> dict[str, str]:
    match = _BRIEFED_RE.match(entry)
    if not match:
        raise ValidationError(f"in {where}: {entry!r} is not 'reference-id on YYYY-MM-DD'.")
    return {"reference": match.group(1), "on": match.group(2)}


def check_unique(incoming: Incoming) -> None:
    for section in RECORD_LISTS:
        seen: dict[str, str] = {}
        for entry in getattr(incoming, section):
            if entry.new_id:
                continue
            rid = entry.record.id
            if rid in seen:
                raise ValidationError(f"in {entry.where}: the id {rid!r} is used twice (also at {seen[rid]}).")
            seen[rid] = entry.where
