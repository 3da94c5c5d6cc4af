"""One value checked: the field validators the records and the commands share.

Each ``check_*`` takes the field's name (``references[3].email``, ``--email``) and a value as
YAML, JSON or a command line gave it, and returns it cleaned or raises ``ValidationError`` naming
the field, the value and what is accepted. The lengths a person could plausibly type live here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from refaudit.errors import ValidationError
from refaudit.text import refuse_hidden, unify_line_breaks

MAX_ATTEMPTS = 99

# Lengths a person could plausibly type; anything longer is a paste gone wrong.
MAX_NAME = 200
MAX_SHORT = 300
MAX_TEXT = 5000
MAX_LIST = 100
MAX_AFFIX = 40  # an honorific or a suffix: "Prof. Dr.", "Jr.", "PhD"

_UID_RE = re.compile(r"^[0-9a-f]{32}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_EMAIL_RE = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$")
# As people write them: (555) 010-0200, +44 (0)20 7946 0958, 0049 30 1234567, 555.010.0200 x12.
_LINK_RE = re.compile(r"https?://[^\s/?#<>\"]+\.[^\s/?#<>\"]+(?:[/?#][^\s<>\"]*)?", re.IGNORECASE)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")  # date.fromisoformat also takes 20260301 and 2026-W09
_PHONE_RE = re.compile(r"^(?P<main>\+?[0-9(][0-9 ().\-/]{2,40})(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$")
# What the first round accepted: registries holding such a number must keep opening (docs/SPEC.md).
_PHONE_BEFORE_RE = re.compile(r"^\+?[0-9][0-9 ().\-/]{3,30}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$")


def check_text(
    name: str, value: Any, *, max_len: int = MAX_SHORT, multiline: bool = False, required: bool = False
) -> str | None:
    """Return ``value`` stripped, or None when empty and not required."""
    if value is None:
        if required:
            raise ValidationError(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text, not {type(value).__name__}.")
    text = value.strip()
    if multiline:
        text = unify_line_breaks(text)
    if not text:
        if required:
            raise ValidationError(f"{name} must not be empty.")
        return None
    if len(text) > max_len:
        raise ValidationError(f"{name} is {len(text):,} characters long; at most {max_len:,} are accepted.")
    return refuse_hidden(name, text, multiline=multiline)


def require_text(name: str, value: Any, *, max_len: int = MAX_SHORT, multiline: bool = False) -> str:
    text = check_text(name, value, max_len=max_len, multiline=multiline, required=True)
    assert text is not None
    return text


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    options = tuple(choices)
    if value not in options:
        raise ValidationError(f"{name} {value!r} is not one of: {', '.join(options)}.")
    return str(value)


def check_id(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise ValidationError(
            f"{name} {value!r} is not a valid id: use 1-64 lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return value


def check_uid(name: str, value: Any) -> str | None:
    """A record's ``uid``: 32 lowercase hex digits (128 bits), or None until it is given one."""
    if value is None:
        return None
    if not isinstance(value, str) or not _UID_RE.match(value):
        raise ValidationError(f"{name} {value!r} is not a uid: 32 lowercase hexadecimal digits.")
    return value


def check_email(name: str, value: Any) -> str | None:
    text = check_text(name, value)
    if text is not None and not _EMAIL_RE.match(text):
        raise ValidationError(f"{name} {text!r} is not an email address like jane@example.com.")
    return text


def check_phone(name: str, value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = check_text(name, value)
    if text is not None and not _plausible_phone(text):
        raise ValidationError(
            f"{name} {text!r} is not a phone number: 4 to 17 digits with optional +, spaces, dashes, "
            "dots, slashes or brackets, e.g. '+1 555 0100' or '(555) 010-0200'."
        )
    return text


def _plausible_phone(text: str) -> bool:
    """Kept exactly as typed; only its shape is checked: digit count, and brackets that pair up."""
    if _PHONE_BEFORE_RE.match(text):
        return True
    match = _PHONE_RE.match(text)
    if not match:
        return False
    main = match.group("main")
    if not 4 <= sum(c.isdigit() for c in main) <= 17:
        return False
    depth = 0
    for c in main:
        depth += (c == "(") - (c == ")")
        if depth not in (0, 1):
            return False
    return depth == 0


def parse_date(name: str, value: Any, *, today: date | None = None) -> date | None:
    """Accept a ``date`` or ``YYYY-MM-DD`` text; refuse dates after ``today`` when given."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        result = value
    elif isinstance(value, str):
        try:
            result = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"{name} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-01.") from None
        if not _DATE_RE.fullmatch(value.strip()):
            raise ValidationError(f"{name} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-01.")
    else:
        raise ValidationError(f"{name} {value!r} is not a date; use YYYY-MM-DD.")
    if today is not None and result > today:
        raise ValidationError(f"{name} {result.isoformat()} is in the future; today is {today.isoformat()}.")
    return result


def require_date(name: str, value: Any) -> date:
    """``parse_date`` for a date a record cannot do without."""
    result = parse_date(name, value)
    if result is None:
        raise ValidationError(f"{name} is required.")
    return result


def check_attempts(name: str, value: Any, sentiment: str) -> int | None:
    """How many times an employer tried to reach a reference: 1 to 99, only with ``no-response``."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        value = int(value)  # a spreadsheet cell
    if type(value) is not int or not 1 <= value <= MAX_ATTEMPTS:
        raise ValidationError(f"{name} {value!r} is not a number of attempts; use a whole number from 1 to 99.")
    if sentiment != "no-response":
        raise ValidationError(f"{name} is only for reports with sentiment no-response, not {sentiment}.")
    return value


def check_fatigue(name: str, value: Any) -> bool | None:
    """A report's fatigue mark: true, or absent (false reads as absent); a spreadsheet's "true" too."""
    if isinstance(value, str) and value.strip().casefold() in ("true", "false", ""):
        value = value.strip().casefold() == "true"
    if value is None or value is False:
        return None
    if value is not True:
        raise ValidationError(f"{name} {value!r} is not true or false.")
    return True


def check_list(name: str, value: Any, *, max_len: int = MAX_SHORT) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(f"{name} must be a list.")
    if len(value) > MAX_LIST:
        raise ValidationError(f"{name} has {len(value)} entries; at most {MAX_LIST} are accepted.")
    items = [check_text(f"{name}[{i}]", v, max_len=max_len) for i, v in enumerate(value)]
    return [i for i in items if i is not None]


def check_link(name: str, value: Any) -> str | None:
    """A web address a person could open: ``https://www.linkedin.com/in/jane-doe``."""
    text = check_text(name, value, max_len=MAX_SHORT)
    if text is not None and not _LINK_RE.fullmatch(text):
        raise ValidationError(f"{name} {text!r} is not a web address like https://www.linkedin.com/in/jane-doe.")
    return text


def check_several(name: str, value: Any, check: Callable[[str, Any], str | None]) -> list[str]:
    """A list of emails, phones or links, each checked by ``check``; empty ones and repeats left out."""
    items = [check(f"{name}[{i}]", v) for i, v in enumerate(check_list(name, value))]
    return list(dict.fromkeys(i for i in items if i is not None))


def check_tag(name: str, value: Any) -> str:
    text = require_text(name, value, max_len=40)
    return text


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {}}


def only_keys(where: str, data: Any, allowed: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where} must be a mapping of fields.")
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"{where} has unknown field(s): {', '.join(sorted(map(str, unknown)))}.")
    return data
