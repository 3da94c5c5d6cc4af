"""Export and import: the registry as YAML, JSON or three CSV files, and back.

Export is the registry exactly as SPEC shows it (no history, no counters). Files are
created ``0600`` and never overwrite without ``force``. CSV cells that a spreadsheet
would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or CR) are prefixed
with ``'``, as OWASP advises; so is a cell that already starts with ``'`` followed by
one of those, so import can undo exactly what export did. List cells join their
items with ``; `` (``\\;`` and ``\\\\`` escape a literal ``;`` and ``\\``).

Import validates everything — every row, every cross-reference, every id clash —
before the registry is touched; errors name the file, the row and the field.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from refaudit import fileio, jsonio, yamlio
from refaudit.change import Change
from refaudit.errors import RefauditError, ValidationError
from refaudit.model import (
    MAX_NAME,
    SCHEMA_VERSION,
    Application,
    Feedback,
    Reference,
    Registry,
    check_text,
    feedback_number,
    future_fields,
    slugify,
    unique_id,
)

FORMATS = ("yaml", "json", "csv")
CONFLICT_POLICIES = ("fail", "skip", "replace")
MAX_IMPORT_SIZE = 20 * 1024 * 1024  # far above any real registry; refuses a mistaken path quickly

SECTIONS = ("references", "applications", "feedback")
CSV_NAMES = {section: f"{section}.csv" for section in SECTIONS}
_RECORDS: dict[str, Any] = {"references": Reference, "applications": Application, "feedback": Feedback}


def _fields_typed(section: str, prefix: str) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(_RECORDS[section]) if str(f.type).startswith(prefix))


# Read from the model, so that a new list field exports and imports without a change here.
_LIST_FIELDS = {section: _fields_typed(section, "list[") for section in SECTIONS}
# Lists of {reference, on}: ``briefed``, ``thanked``; a CSV cell reads "jane-doe on 2026-10-10; …".
_BRIEFING_FIELDS = {section: _fields_typed(section, "list[Briefing]") for section in SECTIONS}
_REQUIRED_COLUMNS = {
    "references": ("name",),
    "applications": ("company", "role", "applied_on"),
    "feedback": ("reference", "reported_on", "sentiment"),
}
# What people write in a hand-made header, mapped to the registry's field names.
_COLUMN_ALIASES = {"organisation": "organization", "org": "organization", "note": "notes", "tag": "tags"}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
_LIST_SEP = "; "
_BRIEFED_RE = re.compile(r"^(\S+?)(?:\s+on\s+|\s+|:)(\S+)$")
_ROW = "\x00row\x00"  # stands for "file, row N" inside the model's messages; replaced before showing them


# --- export -----------------------------------------------------------------------------


def plain(registry: Registry) -> dict[str, Any]:
    """The registry as SPEC shows it: no history, no feedback counter."""
    return registry.to_plain(with_history=False)


def to_yaml(registry: Registry) -> str:
    return yamlio.dump(plain(registry))


def to_json(registry: Registry) -> str:
    return jsonio.dumps(plain(registry), indent=2) + "\n"


def to_csv(registry: Registry) -> dict[str, str]:
    """``{file name: CSV text}`` for the three record types, every field a column."""
    data = plain(registry)
    files = {}
    for section in SECTIONS:
        columns = _RECORDS[section].FIELDS
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for record in data[section]:
            writer.writerow([_csv_cell(section, col, record.get(col)) for col in columns])
        files[CSV_NAMES[section]] = out.getvalue()
    return files


def _csv_cell(section: str, column: str, value: Any) -> str:
    if value is None:
        text = ""
    elif column in _BRIEFING_FIELDS[section]:
        text = _LIST_SEP.join(f"{b['reference']} on {b['on'].isoformat()}" for b in value)
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
    """Refuse a target that would overwrite without ``force``, or clobber the registry at all."""
    paths = [target / n for n in CSV_NAMES.values()] if fmt == "csv" else [target]
    for p in protected:
        if any(_same_file(path, p) for path in paths):
            raise RefauditError(f"refusing to write a plaintext export over {str(p)!r}.")
    if fmt == "csv" and target.exists() and not target.is_dir():
        raise RefauditError(f"{str(target)!r} is a file; a CSV export writes three files, so name a folder with -o.")
    if fmt != "csv" and target.is_dir():
        raise RefauditError(f"{str(target)!r} is a folder; name a file with -o.")
    if not force:
        existing = [repr(str(p)) for p in paths if p.exists() or p.is_symlink()]
        if existing:
            verb = "exists" if len(existing) == 1 else "exist"
            raise RefauditError(f"{', '.join(existing)} already {verb}; refusing to overwrite (use --force).")


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


def _same_file(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


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


# --- import: reading ------------------------------------------------------------------------

T = TypeVar("T", Reference, Application, Feedback)


@dataclass
class Item(Generic[T]):
    """One incoming record, where it came from, and whether import must choose its id."""

    record: T
    where: str
    new_id: bool = False


@dataclass
class Incoming:
    owner: str | None = None
    references: list[Item[Reference]] = field(default_factory=list)
    applications: list[Item[Application]] = field(default_factory=list)
    feedback: list[Item[Feedback]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.references) + len(self.applications) + len(self.feedback)


def read(path: Path, fmt: str | None = None) -> Incoming:
    """Parse and validate an import source: a YAML or JSON file, a CSV file, or a folder of CSVs."""
    if not path.exists():
        raise RefauditError(f"no such file or folder: {str(path)!r}.")
    fmt = fmt or guess_format(path)
    if fmt == "csv":
        return _read_csv(path)
    if path.is_dir():
        raise ValidationError(f"{str(path)!r} is a folder; only a CSV import reads a folder.")
    text = _read_text(path)
    data = _load_json(text, path.name) if fmt == "json" else yamlio.load_untrusted(text, repr(path.name))
    incoming = _from_plain(data, path.name)
    _check_unique(incoming)
    return incoming


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_IMPORT_SIZE + 1)
    except OSError as exc:
        raise RefauditError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_IMPORT_SIZE:
        raise ValidationError(
            f"{path.name!r} is larger than {MAX_IMPORT_SIZE // (1024 * 1024)} MB; "
            "that is not a refaudit export (nothing was imported)."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name!r} is not UTF-8 text (byte {exc.start:,} is 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 (in a spreadsheet program: 'CSV UTF-8')."
        ) from None


def _load_json(text: str, name: str) -> Any:
    return jsonio.loads(text, repr(name))


def _from_plain(data: Any, name: str) -> Incoming:
    allowed = ("refaudit", "owner", *SECTIONS)
    if not isinstance(data, dict):
        raise ValidationError(f"{name!r} must hold a mapping with references, applications and feedback.")
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        hint = " (history is kept by refaudit itself)" if "history" in unknown else ""
        raise ValidationError(
            f"{name!r} has unknown field(s): {', '.join(unknown)}{hint}; accepted: {', '.join(allowed)}."
        )
    version = data.get("refaudit", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ValidationError(
            f"in {name}: refaudit {version!r} is not a schema version this refaudit reads ({SCHEMA_VERSION})."
        )
    incoming = Incoming()
    try:
        incoming.owner = check_text("owner", data.get("owner"), max_len=MAX_NAME)
    except ValidationError as exc:
        raise ValidationError(f"in {name}: {exc}") from None
    for section in SECTIONS:
        rows = data.get(section) or []
        if not isinstance(rows, list):
            raise ValidationError(f"in {name}: {section} must be a list.")
        for i, row in enumerate(rows):
            where = f"{name}: {section}[{i}]"
            getattr(incoming, section).append(_record(section, row, where, where))
    return incoming


def _record(section: str, row: Any, where: str, label: str) -> Item[Any]:
    """Validate one record; a missing id is left for import to choose.

    ``where`` is the model's name for the record; CSV rows pass ``_ROW`` so that the
    message can say "references.csv, row 3, column email" (``label``) instead.
    """
    new_id = isinstance(row, dict) and row.get("id") in (None, "")
    data = {**row, "id": "0"} if new_id else row
    try:
        record = _RECORDS[section].from_plain(data, where)
    except ValidationError as exc:
        message = str(exc).replace(_ROW + ".", label + ", column ").replace(_ROW, label)
        raise ValidationError("in " + message) from None
    return Item(record, label, new_id)


def _read_csv(path: Path) -> Incoming:
    if path.is_dir():
        found = {s: path / n for s, n in CSV_NAMES.items() if (path / n).is_file()}
        if not found:
            raise ValidationError(f"{str(path)!r} holds none of {', '.join(CSV_NAMES.values())}; nothing to import.")
    else:
        section = path.stem.lower() if path.stem.lower() in SECTIONS else "references"
        found = {section: path}
    incoming = Incoming()
    for section, file in found.items():
        getattr(incoming, section).extend(_read_csv_file(section, file))
    _check_unique(incoming)
    return incoming


def _read_csv_file(section: str, path: Path) -> list[Item[Any]]:
    name = path.name
    text = _read_text(path)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_IMPORT_SIZE)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ValidationError(f"{name!r} is not valid CSV: {exc}.") from None
    finally:
        csv.field_size_limit(old_limit)
    if not rows:
        return []
    columns = _columns(section, name, rows)
    items = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"{name}, row {number}"
        extra = [c for c in cells[len(columns) :] if c.strip()]
        if extra:
            raise ValidationError(f"in {where}: {len(cells)} cells, but the header names {len(columns)} columns.")
        items.append(_record(section, _csv_row(section, columns, cells, where), _ROW, where))
    return items


def _columns(section: str, name: str, rows: list[list[str]]) -> list[str | None]:
    """The header's field names (``None`` for a blank, empty column), checked."""
    allowed = _RECORDS[section].FIELDS
    columns: list[str | None] = []
    for index, raw in enumerate(rows[0]):
        label = restore(raw).strip().lower().replace(" ", "_").replace("-", "_")
        label = _COLUMN_ALIASES.get(label, label)
        if not label:
            if any(index < len(r) and r[index].strip() for r in rows[1:]):
                raise ValidationError(f"in {name}: column {index + 1} has values but no name in the header.")
            columns.append(None)
            continue
        if label not in allowed:
            raise ValidationError(f"{name!r} has an unknown column {raw.strip()!r}; accepted: {', '.join(allowed)}.")
        if label in columns:
            raise ValidationError(f"{name!r} has the column {label!r} twice.")
        columns.append(label)
    missing = [c for c in _REQUIRED_COLUMNS[section] if c not in columns]
    if missing:
        raise ValidationError(f"{name!r} has no {', '.join(repr(m) for m in missing)} column; it is required.")
    return columns


def _csv_row(section: str, columns: list[str | None], cells: list[str], where: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column, raw in zip(columns, cells, strict=False):
        if column is None:
            continue
        cell = restore(raw)
        if column in _BRIEFING_FIELDS[section]:
            row[column] = [_briefing(item, f"{where}, column {column}") for item in split_list(cell)]
        elif column in _LIST_FIELDS[section]:
            row[column] = split_list(cell)
        elif cell.strip():
            row[column] = cell
    return row


def _briefing(item: str, where: str) -> dict[str, str]:
    match = _BRIEFED_RE.match(item)
    if not match:
        raise ValidationError(f"in {where}: {item!r} is not 'reference-id on YYYY-MM-DD'.")
    return {"reference": match.group(1), "on": match.group(2)}


def _check_unique(incoming: Incoming) -> None:
    for section in SECTIONS:
        seen: dict[str, str] = {}
        for item in getattr(incoming, section):
            if item.new_id:
                continue
            rid = item.record.id
            if rid in seen:
                raise ValidationError(f"in {item.where}: the id {rid!r} is used twice (also at {seen[rid]}).")
            seen[rid] = item.where


# --- import: merging --------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    verb: str  # add | replace | skip | set
    kind: str  # reference | application | feedback | owner
    id: str
    label: str


@dataclass
class Outcome:
    actions: list[Action] = field(default_factory=list)

    def count(self, verb: str) -> int:
        return sum(1 for a in self.actions if a.verb == verb)

    def summary(self) -> str:
        return f"imported {self.count('add')} record(s), replaced {self.count('replace')}, skipped {self.count('skip')}"


_KINDS = {"references": "reference", "applications": "application", "feedback": "feedback"}


def merge(registry: Registry, incoming: Incoming, on_conflict: str, today: date) -> Change[Outcome]:
    """Add ``incoming`` to ``registry`` in memory; all or nothing (raises before any change shows).

    The caller passes a registry it may throw away on error (``service.update`` does).
    """
    if on_conflict not in CONFLICT_POLICIES:
        raise ValidationError(f"--on-conflict {on_conflict!r} is not one of: {', '.join(CONFLICT_POLICIES)}.")
    for section in SECTIONS:
        for item in getattr(incoming, section):
            future = future_fields(item.record, today)
            if future:
                raise ValidationError(
                    f"{item.where}: {future[0]} is in the future (today is {today.isoformat()}); nothing was imported."
                )
    clashes = _clashes(registry, incoming)
    if clashes and on_conflict == "fail":
        shown = ", ".join(clashes[:10]) + (f" and {len(clashes) - 10} more" if len(clashes) > 10 else "")
        raise ValidationError(
            f"{len(clashes)} record(s) already exist in the registry: {shown}. Nothing was imported; "
            "use --on-conflict skip or --on-conflict replace."
        )
    outcome = Outcome()
    if incoming.owner is not None and incoming.owner != registry.owner:
        if registry.owner is None or on_conflict == "replace":
            registry.owner = incoming.owner
            outcome.actions.append(Action("set", "owner", "owner", incoming.owner))
        else:
            outcome.actions.append(Action("skip", "owner", "owner", incoming.owner))
    _merge_section(registry, "references", incoming.references, on_conflict, outcome, today)
    _merge_section(registry, "applications", incoming.applications, on_conflict, outcome, today)
    _merge_section(registry, "feedback", incoming.feedback, on_conflict, outcome, today)
    _check_links(registry, incoming)
    registry.check_integrity()
    registry.feedback_seq = max([registry.feedback_seq, *(_feedback_number(f.id) for f in registry.feedback)])
    return Change(outcome.summary(), outcome)


def _clashes(registry: Registry, incoming: Incoming) -> list[str]:
    found = []
    if incoming.owner is not None and registry.owner is not None and incoming.owner != registry.owner:
        found.append("owner")
    for section in SECTIONS:
        existing = {r.id for r in getattr(registry, section)}
        found.extend(
            f"{_KINDS[section]} {item.record.id} ({item.where})"
            for item in getattr(incoming, section)
            if not item.new_id and item.record.id in existing
        )
    return found


def _merge_section(
    registry: Registry, section: str, items: list[Item[Any]], on_conflict: str, outcome: Outcome, today: date
) -> None:
    records: list[Any] = getattr(registry, section)
    position = {r.id: i for i, r in enumerate(records)}
    kind = _KINDS[section]
    for item in items:
        record = item.record
        if item.new_id:
            record.id = _new_id(registry, section, record)
        if section == "references" and record.added_on is None:
            old = records[position[record.id]] if record.id in position else None
            record.added_on = old.added_on if old is not None and old.added_on else today
        label = _label(record)
        if record.id in position:
            if on_conflict == "replace":
                records[position[record.id]] = record
                outcome.actions.append(Action("replace", kind, record.id, label))
            else:
                outcome.actions.append(Action("skip", kind, record.id, label))
            continue
        position[record.id] = len(records)
        records.append(record)
        outcome.actions.append(Action("add", kind, record.id, label))


def _new_id(registry: Registry, section: str, record: Any) -> str:
    if section == "feedback":
        return registry.new_feedback_id()
    taken = {r.id for r in getattr(registry, section)}
    if section == "references":
        return unique_id(slugify(record.name), taken, fallback=f"ref-{len(taken) + 1}")
    return unique_id(slugify(f"{record.company} {record.role}"), taken, fallback=f"app-{len(taken) + 1}")


def _label(record: Any) -> str:
    if isinstance(record, Reference):
        return record.name
    if isinstance(record, Application):
        return f"{record.company} — {record.role}"
    return f"about {record.reference}, {record.reported_on.isoformat()}"


def _check_links(registry: Registry, incoming: Incoming) -> None:
    """Every incoming cross-reference points at a record in the import or the registry."""
    refs = {r.id for r in registry.references}
    apps = {a.id for a in registry.applications}
    checks: list[tuple[str, Callable[[Any], list[tuple[str, str, set[str]]]]]] = [
        ("applications", lambda a: [("references", r, refs) for r in a.references]
            + [(name, b.reference, refs) for name in _BRIEFING_FIELDS["applications"] for b in getattr(a, name)]),
        ("feedback", lambda f: [("reference", f.reference, refs)]
            + ([("application", f.application, apps)] if f.application else [])),
    ]  # fmt: skip
    for section, links in checks:
        for item in getattr(incoming, section):
            for column, target, known in links(item.record):
                if target not in known:
                    what = "reference" if known is refs else "application"
                    raise ValidationError(
                        f"in {item.where}, column {column}: no {what} {target!r} in the import or the registry."
                    )


def _feedback_number(feedback_id: str) -> int:
    return feedback_number(feedback_id) or 0
