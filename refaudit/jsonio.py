"""Strict JSON, beside ``yamlio``: dates written as ISO 8601; duplicate keys and NaN refused on reading.

The registry's body, ``export --format json``, ``--json`` output and JSON imports all go
through here, so that they agree on what JSON refaudit writes and accepts.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from refaudit.errors import ValidationError

MAX_DIGITS = 30  # far beyond any count or year; phone numbers belong in quotes


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(data: Any, *, indent: int | None = None) -> str:
    """``data`` as JSON text, non-ASCII kept as it is and dates as ``YYYY-MM-DD``."""
    return json.dumps(data, indent=indent, ensure_ascii=False, default=_default)


def loads(text: str | bytes, label: str) -> Any:
    """Parse ``text``; ``ValidationError`` naming ``label`` (e.g. ``'bad.json'``) on any problem.

    Refused: a key twice in one object (JSON lets the last win silently), ``NaN`` and
    ``Infinity`` (not JSON), and nesting deep enough to exhaust the stack.
    """

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)  # in C: a registry's body holds one object per record and per date
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise ValidationError(f"{label} is not valid: the key {key!r} appears twice in one object.")
                seen.add(key)
        return result

    def no_constants(token: str) -> Any:
        raise ValidationError(f"{label} is not valid JSON: {token} is not a value refaudit accepts.")

    def short_int(digits: str) -> int:
        # Python refuses to convert more than 4,300 digits with a ValueError of its own.
        if len(digits.lstrip("-")) > MAX_DIGITS:
            where = ""
            if isinstance(text, str):
                where = f", line {text.count(chr(10), 0, max(text.find(digits), 0)) + 1}"
            raise ValidationError(
                f"{label}{where}: a number {len(digits):,} digits long is not a value refaudit accepts "
                "(write phone numbers as text, in quotes)."
            )
        return int(digits)

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants, parse_int=short_int)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{label} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(f"{label} is not valid JSON: it is not UTF-8 text.") from None
    except RecursionError:
        raise ValidationError(f"{label} is nested too deeply to be a refaudit export.") from None


__all__ = ["dumps", "loads"]
