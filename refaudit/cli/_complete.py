"""Shell completion callbacks for REF and APP arguments (``shell_complete=``).

They offer ids only while a session (``REFAUDIT_SESSION``) is live and never prompt:
tab completion must not stop to ask for a passphrase.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

from refaudit.cli._app import Invocation
from refaudit.cli._params import default_registry_path
from refaudit.errors import RefauditError

if TYPE_CHECKING:
    from refaudit.model import Registry


def _session_registry(ctx: click.Context) -> Registry | None:
    """The registry, when a live session opens it; None otherwise. Never prompts, never raises."""
    if not os.environ.get("REFAUDIT_SESSION"):
        return None
    from pathlib import Path

    from refaudit import service

    given = ctx.find_root().params.get("registry") or os.environ.get("REFAUDIT_REGISTRY")
    app = Invocation(Path(given) if given else default_registry_path(), None, None, debug=False)
    try:
        return service.read(app.access(unlock=app.secrets.unlock_with_session, warn=False))
    except (RefauditError, OSError, ValueError):
        return None


def _matches(incomplete: str, pairs: list[tuple[str, str]]) -> list[CompletionItem]:
    from refaudit.text import fold

    query = fold(incomplete)
    return [
        CompletionItem(rid, help=label)
        for rid, label in pairs
        if rid.startswith(incomplete) or fold(label).startswith(query)
    ]


def complete_ref(ctx: click.Context, param: click.Parameter | None, incomplete: str) -> list[CompletionItem]:
    """Reference ids (with names as help) matching what was typed, while a session is live."""
    reg = _session_registry(ctx)
    return [] if reg is None else _matches(incomplete, [(r.id, r.name) for r in reg.references])


def complete_app(ctx: click.Context, param: click.Parameter | None, incomplete: str) -> list[CompletionItem]:
    """Application ids (with company and role as help) matching what was typed, while a session is live."""
    reg = _session_registry(ctx)
    if reg is None:
        return []
    return _matches(incomplete, [(a.id, f"{a.company} — {a.role}") for a in reg.applications])
