"""Settings: the shipped ``config/default.yaml`` with the user's overrides laid over it.

An override may only name keys the defaults have, with a value of the same type
(an int is accepted where a float is expected). Anything else is refused, naming the key.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

from refaudit import assets, filecheck, yamlio
from refaudit.errors import RefauditError, ValidationError

MAX_CONFIG_SIZE = 1024 * 1024  # a settings file is a few KB; /dev/zero is not one

Settings = dict[str, Any]


def _read(path: Path) -> Any:
    try:
        text = filecheck.read_regular(path, "config file", MAX_CONFIG_SIZE).decode("utf-8")
    except FileNotFoundError:
        raise ValidationError(f"config file {str(path)!r} does not exist.") from None
    except RefauditError as exc:
        raise ValidationError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"config file {str(path)!r} cannot be read: {exc}.") from None
    return yamlio.load_untrusted(text, f"config file {str(path)!r}")


def defaults() -> Settings:
    data = _read(assets.config_dir() / "default.yaml")
    assert isinstance(data, dict)
    return data


def _merge(base: dict[str, Any], override: Any, where: str) -> None:
    if not isinstance(override, dict):
        raise ValidationError(f"config: {where or 'the file'} must be a mapping of keys.")
    for key, value in override.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in base:
            known = ", ".join(sorted(map(str, base))) or "none"
            raise ValidationError(f"config: unknown key {name!r}; known keys here: {known}.")
        current = base[key]
        if isinstance(current, dict):
            _merge(current, value, name)
        elif isinstance(current, bool) or isinstance(value, bool):
            if type(current) is not type(value):
                raise ValidationError(f"config: {name} must be {_kind(current)}, not {value!r}.")
            base[key] = value
        elif isinstance(current, float) and isinstance(value, int | float):
            base[key] = _bounded(name, float(value) if abs(value) < _MAX_NUMBER else value)
        elif type(current) is not type(value):
            raise ValidationError(f"config: {name} must be {_kind(current)}, not {value!r}.")
        else:
            base[key] = _bounded(name, value)


# Day counts beyond a century only overflow date arithmetic; other numbers beyond a billion are typos.
_MAX_DAYS = 36500
_MAX_NUMBER = 10**9


def _bounded(name: str, value: Any) -> Any:
    """``value`` when it is a finite number in range (or not a number at all); else the refusal."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(f"config: {name} must be a finite number, not {value!r}.")
    if name.endswith("_days") and not 0 <= value <= _MAX_DAYS:
        raise ValidationError(f"config: {name} must be from 0 to {_MAX_DAYS} days, not {_short(value)}.")
    if abs(value) > _MAX_NUMBER:
        raise ValidationError(
            f"config: {name} must be between -{_MAX_NUMBER:,} and {_MAX_NUMBER:,}, not {_short(value)}."
        )
    return value


def _short(value: float) -> str:
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a number of {len(str(value)) if value.bit_length() < 10_000 else 'thousands of'} digits"
    return repr(value)


def _kind(value: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list"}.get(
        type(value), type(value).__name__
    )


def load(path: str | Path | None) -> Settings:
    """The defaults, overridden by the YAML file at ``path`` when given."""
    settings = copy.deepcopy(defaults())
    if path:
        override = _read(Path(path))
        if override is not None:
            _merge(settings, override, "")
    return settings
