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
from refaudit.errors import ValidationError
from refaudit.interop import csvfile, source
from refaudit.interop.exporting import (
    BRIEFING_FIELDS,
    CSV_NAMES,
    EVENT_FIELDS,
    LIST_FIELDS,
    SAID_FIELDS,
    restore,
    said_item,
    split_list,
)
from refaudit.interop.records import (
    RECORDS,
    ROW,
    SECTIONS,
    Incoming,
    Item,
    check_rows,
    item,
    typed_registry,
    version,
)
from refaudit.model import MAX_NAME, SCHEMA_VERSION, SENTIMENTS, check_text

READABLE_VERSIONS = tuple(range(1, max(SCHEMA_VERSION, 2) + 1))  # 1 is read with its old meanings (model.py)
REQUIRED_COLUMNS = {
    "references": ("name",),
    "applications": ("company", "role", "applied_on"),
    "feedback": ("reference", "reported_on", "sentiment"),
}
# What people write in a hand-made header, mapped to the registry's field names.
ALIASES = {"organisation": "organization", "org": "organization", "note": "notes", "tag": "tags"}
_BRIEFED_RE = re.compile(r"^(\S+?)(?:\s+on\s+|\s+|:)(\S+)$")


# --- YAML and JSON ----------------------------------------------------------------------------


def from_yaml(text: source.Text) -> Incoming:
    return from_plain(yamlio.load_text(text.text, repr(text.name)), text.name)


def from_json(text: source.Text) -> Incoming:
    return from_plain(load_json(text.text, text.name), text.name)


def load_json(text: str, name: str) -> Any:
    return jsonio.loads(text, repr(name))


def from_plain(data: Any, name: str) -> Incoming:
    allowed = ("refaudit", "owner", *SECTIONS)
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
    for section in SECTIONS:
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
    return stem if stem in SECTIONS else "references"


def read_folder(path: Path, mapping: Mapping[str, str], ignore_unknown: bool) -> Incoming:
    found = {s: path / n for s, n in CSV_NAMES.items() if (path / n).is_file()}  # fixed, printable names
    if not found:
        raise ValidationError(f"{str(path)!r} holds none of {', '.join(CSV_NAMES.values())}; nothing to import.")
    incoming = Incoming()
    for section, file in found.items():
        table = csvfile.parse(source.read_path(file).text, file.name)
        from_table(table, section, mapping, ignore_unknown, into=incoming)
    check_rows(str(path), incoming.count)
    check_unique(incoming)
    return incoming


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
    for section in SECTIONS:
        seen: dict[str, str] = {}
        for entry in getattr(incoming, section):
            if entry.new_id:
                continue
            rid = entry.record.id
            if rid in seen:
                raise ValidationError(f"in {entry.where}: the id {rid!r} is used twice (also at {seen[rid]}).")
            seen[rid] = entry.where
