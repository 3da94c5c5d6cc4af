"""Where the shipped config/ and templates/ live: inside an installed wheel, or the repo."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _PACKAGE.parent


def config_dir() -> Path:
    return _root() / "config"


def templates_dir() -> Path:
    return _root() / "templates"
