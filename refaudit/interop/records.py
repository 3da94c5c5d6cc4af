"""What every importer produces: validated records, where each came from, which fields it gave.

Files a person wrote are read as text (``yamlio.load_text``); ``typed`` then turns the
text into dates and numbers only where the model's field is a date or a number, so a
phone ``01234567`` or an organisation ``NO`` arrives exactly as typed.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from refaudit import model
from refaudit.errors import ValidationError
from refaudit.model import RECORD_LISTS, Application, Feedback, Reference

RECORDS: dict[str, Any] = {"references": Reference, "applications": Application, "feedback": Feedback}
RECORD_KINDS = {"references": "reference", "applications": "application", "feedback": "feedback"}
# Far above anyone's contacts or applications; it bounds how long an import holds the lock.
MAX_IMPORT_ROWS = 50_000
ROW = "\x00row\x00"  # stands for "file, row N" inside the model's messages; replaced before showing them

# A YAML 1.1 timestamp with a time part (``2001-12-14 21:59:43``, ``2001-12-14T21:59:43.10-05:00``).
_TIMESTAMP_RE = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?"
)
_INT_RE = re.compile(r"[0-9]{1,9}")

T = TypeVar("T", Reference, Application, Feedback)


@dataclass
class Item(Generic[T]):
    """One incoming record, where it came from, whether import must choose its id, what it gave."""

    record: T
    where: str
    new_id: bool = False
    given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Skip:
    """A row left out (a contact without a name): shown among the others, before record ``position``."""

    section: str
    position: int
    where: str
    why: str


@dataclass
class Incoming:
    owner: str | None = None
    references: list[Item[Reference]] = field(default_factory=list)
    applications: list[Item[Application]] = field(default_factory=list)
    feedback: list[Item[Feedback]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns left out under --ignore-unknown
    skipped: list[Skip] = field(default_factory=list)  # rows a source does not import, and why
    # What the summary says was read: the encoding, the columns (vCard properties) used, and those
    # holding values that nothing imports. Columns empty in every row are in neither list.
    encoding: str | None = None
    used: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.references) + len(self.applications) + len(self.feedback)


def item(section: str, row: Any, where: str, label: str | None = None) -> Item[Any]:
    """Validate one record; a missing id is left for import to choose.

    ``where`` is the model's name for the record; CSV rows pass ``ROW`` so that the
    message can say "references.csv, row 3, column email" (``label``) instead.
    """
    label = label or where
    new_id = isinstance(row, dict) and row.get("id") in (None, "")
    data = {**row, "id": "0"} if new_id else row
    try:
        record = RECORDS[section].from_plain(typed(section, data), where)
    except ValidationError as exc:
        message = str(exc).replace(ROW + ".", label + ", column ").replace(ROW, label)
        raise ValidationError("in " + message) from None
    given = (
        frozenset(k for k, v in data.items() if k != "id" and v not in (None, "", []))
        if isinstance(data, dict)
        else frozenset()
    )
    return Item(record, label, new_id, given)


def account(header: list[str], rows: list[tuple[int, list[str]]], reads: Callable[[str], bool], into: Incoming) -> None:
    """Sort a table's columns that hold a value into ``into.used`` and ``into.left_out``.

    ``reads(column)`` says whether the source imports that column (by its header text).
    """
    for index, column in enumerate(header):
        label = column.strip()
        if not label or not any(index < len(cells) and cells[index].strip() for _n, cells in rows):
            continue
        (into.used if reads(label) else into.left_out).append(label)


def check_rows(name: str, count: int) -> None:
    if count > MAX_IMPORT_ROWS:
        raise ValidationError(
            f"{name!r} holds {count:,} records; at most {MAX_IMPORT_ROWS:,} are imported at once "
            "(split the file; nothing was imported)."
        )


# --- text to typed values, by field ------------------------------------------------------


def _kinds(cls: Any) -> dict[str, Any]:
    """``{field: "date" | "int" | record class (a list of those)}`` for the fields that are not text."""
    hints = typing.get_type_hints(cls, vars(model))
    kinds: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        base = args[0] if isinstance(hint, types.UnionType) and len(args) == 1 else hint
        if base is date:
            kinds[f.name] = "date"
        elif base is int:
            kinds[f.name] = "int"
        elif typing.get_origin(base) is list:
            inner = typing.get_args(base)[0]
            if dataclasses.is_dataclass(inner):
                kinds[f.name] = inner
    return kinds


_KIND_CACHE: dict[Any, dict[str, Any]] = {}


def typed(section: str, data: Any) -> Any:
    """``data`` with the text of date and number fields converted; anything else untouched."""
    return _typed(RECORDS[section], data)


def _typed(cls: Any, data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    kinds = _KIND_CACHE.get(cls)
    if kinds is None:
        kinds = _KIND_CACHE[cls] = _kinds(cls)
    out = dict(data)
    for key, kind in kinds.items():
        value = out.get(key)
        if not isinstance(value, str) and not isinstance(value, list):
            continue
        if kind == "date" and isinstance(value, str):
            out[key] = date_text(value)
        elif kind == "int" and isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
            out[key] = int(value)
        elif dataclasses.is_dataclass(kind) and isinstance(value, list):
            out[key] = [_typed(kind, v) for v in value]
    return out


def date_text(value: str) -> str:
    """A YAML timestamp in a date field gives its date; other text is left for the model to judge."""
    match = _TIMESTAMP_RE.fullmatch(value.strip())
    if match:
        year, month, day = match.group(1).split("-")
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return value


def version(value: Any, name: str, readable: tuple[int, ...]) -> int:
    """The ``refaudit:`` schema version a file declares (text or a number)."""
    number = int(value) if isinstance(value, str) and _INT_RE.fullmatch(value.strip()) else value
    if isinstance(number, bool) or number not in readable:
        accepted = " or ".join(str(v) for v in readable)
        raise ValidationError(
            f"in {name}: refaudit {value!r} is not a schema version this refaudit reads ({accepted})."
        )
    return int(number)


def typed_registry(data: Any) -> Any:
    """A whole registry read as text (``edit``, a YAML import): each section typed by field."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    if isinstance(out.get("refaudit"), str) and _INT_RE.fullmatch(out["refaudit"].strip()):
        out["refaudit"] = int(out["refaudit"])
    for section in RECORD_LISTS:
        rows = out.get(section)
        if isinstance(rows, list):
            out[section] = [typed(section, row) for row in rows]
    return out
