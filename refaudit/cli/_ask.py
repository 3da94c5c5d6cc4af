"""Asking the person at the terminal: whether there is one, and confirming what cannot be undone."""

from __future__ import annotations

import sys
from typing import Any

import click

from refaudit.errors import RefauditError


def stdin_is_terminal() -> bool:
    return is_terminal(sys.stdin)


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal; a closed or replaced stream is not."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def confirm_or_yes(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, ``--yes`` is required (no silent destruction)."""
    if yes:
        return
    if not stdin_is_terminal():
        raise RefauditError(f"{question} Refusing without confirmation: pass --yes.")
    if not click.confirm(question, default=False, err=True):
        raise RefauditError("nothing was changed.")
