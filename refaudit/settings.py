"""Settings: the shipped ``config/default.yaml`` with the user's overrides laid over it.

An override may only name keys the defaults have, with a value of the same type
(an int is accepted where a float is expected). Anything else is refused, naming the key.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from refaudit import assets, yamlio
from refaudit.errors import ValidationError

Settings = dict[str, Any]


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"config file {str(path)!r} does not exist.") from None
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
            base[key] = float(value)
        elif type(current) is not type(value):
            raise ValidationError(f"config: {name} must be {_kind(current)}, not {value!r}.")
        else:
            base[key] = value


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
