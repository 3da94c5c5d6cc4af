"""The files a command touches besides its output on screen: the registry's store, and plaintext outputs.

An output path is checked before anything is unlocked (never the registry, its backup or its
lock; an existing file only with ``--force``), written ``0600``, and named as plaintext on stderr.
Temp files that killed runs left beside it (``sweep``) are removed first, with a warning.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from refaudit.cli._output import safe
from refaudit.cli._params import lock_timeout

if TYPE_CHECKING:
    from pathlib import Path

    from refaudit import store

_PLAINTEXT = (
    "Warning: {path} is NOT encrypted: it names your references in plain text. "
    "Keep it private and delete it when you are done."
)


def open_store(registry_path: Path) -> store.Store:
    """The registry's store at ``registry_path``, waiting ``REFAUDIT_LOCK_TIMEOUT`` seconds for its lock."""
    from refaudit import store

    return store.Store(registry_path, lock_timeout=lock_timeout(os.environ.get("REFAUDIT_LOCK_TIMEOUT", "")))


def check_output(st: store.Store, path: Path, what: str, *, force: bool) -> None:
    """Refuse an output path before anything is unlocked (``filecheck.require_new_target``);
    remove what killed runs left beside it."""
    from refaudit import filecheck

    filecheck.require_new_target(path, what, force=force, protected=(st.path, st.backup_path, st.lock_path))
    sweep_leftovers(path)


def sweep_leftovers(*targets: Path) -> None:
    """Remove the temp files killed refaudit runs left beside ``targets``, each with a warning."""
    from refaudit import sweep

    for left in sweep.remove(sweep.temps_beside(targets)):
        click.echo(f"Warning: {safe(sweep.notice(left))}.", err=True)


def write_output(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path``, created ``0600``, and warn that it is plaintext."""
    from refaudit.interop import write_private

    write_private(path, data, force=force)
    click.echo(_PLAINTEXT.format(path=safe(path)), err=True)
