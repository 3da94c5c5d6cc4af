"""The user's own config file, and the layers of settings it sits in.

Four layers, each laid over the one below key by key (``settings.load_layers``):

1. ``config/default.yaml``, shipped;
2. the user's file, ``config.yaml`` in the platform's user config folder (platformdirs:
   ``~/.config/refaudit/config.yaml`` on Linux, or under ``$XDG_CONFIG_HOME``), when it exists;
3. the file ``REFAUDIT_CONFIG`` names;
4. the file ``--config`` names.

``get`` says which layer a key's effective value came from; ``set_value`` and ``unset``
change the user's file, validated as ``--config`` is before anything is written (a bad
value names the key and leaves the file as it was). A relative path in a value is read from
the folder of the file that set it (``origin``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refaudit import assets, fileio, yamlio
from refaudit import settings as settings_mod
from refaudit.errors import RefauditError, ValidationError

ENV = "REFAUDIT_CONFIG"
HEADER = "# refaudit settings: only the keys you change (see 'refaudit config get KEY' for the effective value).\n"


@dataclass(frozen=True)
class Layer:
    """One config file laid over the defaults: where it is, what set it, what it holds."""

    path: Path
    what: str  # "your config file", "REFAUDIT_CONFIG", "--config", "the shipped defaults"
    data: dict[str, Any]


def user_file() -> Path:
    """The user's config file (it may not exist yet)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("refaudit", appauthor=False)) / "config.yaml"


def defaults_file() -> Path:
    return assets.config_dir() / "default.yaml"


def layers(explicit: str | None, env: str | None = None) -> list[Layer]:
    """The config files in force, lowest first (the shipped defaults not included); ``env`` defaults to the variable."""
    if env is None:
        env = os.environ.get(ENV) or None
    found = []
    mine = user_file()
    if mine.exists():
        found.append(Layer(mine, "your config file", _data(mine)))
    for raw, what in ((env, ENV), (explicit, "--config")):
        if raw:
            path = Path(raw).expanduser()
            found.append(Layer(path, what, _data(path)))
    return found


def load(found: Sequence[Layer]) -> settings_mod.Settings:
    """The settings the layers make, each checked as ``--config`` is."""
    return settings_mod.load_layers([layer.data for layer in found])


def _data(path: Path) -> dict[str, Any]:
    data = settings_mod.read_file(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationError(f"config file {str(path)!r} must be a mapping of keys, like config/default.yaml.")
    return data


def _parts(key: str) -> list[str]:
    parts = key.split(".")
    if not key or any(not p for p in parts):
        raise ValidationError(f"{key!r} is not a setting; name one as SECTION.KEY, e.g. dates.order.")
    return parts


def _lookup(data: Any, parts: Sequence[str]) -> tuple[bool, Any]:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def _known(key: str) -> list[str]:
    """``key`` split, refused (exit 1) unless the shipped defaults have it."""
    parts = _parts(key)
    defaults = settings_mod.read_file(defaults_file())
    found, _ = _lookup(defaults, parts)
    if not found:
        here, _ = _lookup(defaults, parts[:-1])
        section: Any = _lookup(defaults, parts[:-1])[1] if here else defaults
        known = ", ".join(sorted(map(str, section))) if isinstance(section, dict) else "none"
        where = ".".join(parts[:-1]) if here and parts[:-1] else "the top level"
        raise ValidationError(f"unknown setting {key!r}; known at {where}: {known}.")
    return parts


def origin(found: Sequence[Layer], key: str) -> Path:
    """The file whose value of ``key`` is in force: the highest layer that sets it, else the defaults."""
    parts = _parts(key)
    for layer in reversed(found):
        if _lookup(layer.data, parts)[0]:
            return layer.path
    return defaults_file()


def get(found: Sequence[Layer], key: str) -> tuple[Any, Layer]:
    """The effective value of ``key`` and the layer it came from."""
    parts = _known(key)
    data = settings_mod.read_file(defaults_file())
    for layer in found:
        settings_mod.overlay(data, layer.data)
    value = _lookup(data, parts)[1]
    source = next((layer for layer in reversed(found) if _lookup(layer.data, parts)[0]), None)
    return value, source or Layer(defaults_file(), "the shipped defaults", {})


def flow(value: Any) -> str:
    """A value as one line of YAML flow style, as ``config set`` reads it."""
    import yaml

    text: str = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip()
    return text.removesuffix("...").strip()  # a plain scalar ends its document with "..."


def set_value(key: str, text: str, path: Path | None = None) -> Path:
    """Set ``key`` to ``text`` (one YAML flow value) in the user's file; checked before it is written."""
    parts = _known(key)
    value = yamlio.load_untrusted(text, f"the value of {key}") if text.strip() else ""
    if isinstance(value, dict | list) and not text.strip().startswith(("{", "[")):
        raise ValidationError(f"{key}: give one value on one line, e.g. [manager, mentor]; not {text!r}.")
    path = path or user_file()
    data = _data(path) if path.exists() else {}
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value
    _check(data, path)
    _write(path, data)
    return path


def unset(key: str, path: Path | None = None) -> bool:
    """Remove ``key`` from the user's file (and sections left empty); whether it was there."""
    parts = _parts(key)
    path = path or user_file()
    if not path.exists():
        return False
    data = _data(path)
    trail = [data]
    for part in parts[:-1]:
        child = trail[-1].get(part)
        if not isinstance(child, dict):
            return False
        trail.append(child)
    if parts[-1] not in trail[-1]:
        return False
    del trail[-1][parts[-1]]
    for node, part in zip(reversed(trail[:-1]), reversed(parts[:-1]), strict=True):
        if node[part] == {}:
            del node[part]
    _write(path, data)
    return True


def check_text(text: str, path: Path) -> dict[str, Any]:
    """The data of a config file's ``text``, refused (naming the key) unless ``--config`` would accept it."""
    data = yamlio.load_untrusted(text, f"config file {str(path)!r}") if text.strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(f"config file {str(path)!r} must be a mapping of keys, like config/default.yaml.")
    _check(data, path)
    return data


def write_text(path: Path, text: str) -> None:
    """Replace the user's file with ``text`` (already checked), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fileio.replace_private(path, text.encode("utf-8"))


def _check(data: dict[str, Any], path: Path) -> None:
    settings = settings_mod.load_layers([data])
    settings.dates.order  # noqa: B018 -- checked when first read: a bad order is refused here, naming it
    raw = settings.messages.dir
    if raw:
        folder = Path(raw).expanduser()
        folder = folder if folder.is_absolute() else path.parent / folder
        if not folder.is_dir():
            raise ValidationError(f"config: messages.dir {raw!r} is not a folder (read from {str(path.parent)!r}).")


def _write(path: Path, data: dict[str, Any]) -> None:
    try:
        write_text(path, HEADER + (yamlio.dump(data) if data else ""))
    except OSError as exc:
        raise RefauditError(f"cannot write {str(path)!r}: {exc.strerror or exc}.") from None
