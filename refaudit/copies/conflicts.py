"""Sync-conflict copies beside the registry, which every command that opens it points out.

A file sync that saw the registry change on two machines at once keeps both: Syncthing as
``registry.sync-conflict-20260301-101010-ABCDEF.refaudit``, Dropbox as ``registry (Jane's
conflicted copy 2026-03-01).refaudit``, git (and other merge tools) as ``registry.refaudit.orig``.
A copy is a file whose name starts with the registry's stem and contains
``.sync-conflict-`` or ``conflicted copy``, or ends with ``.orig``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

MARKERS = (".sync-conflict-", "conflicted copy")


def beside(registry: Path) -> list[Path]:
    """The conflict copies in the registry's folder, by name."""
    try:
        names = [p.name for p in registry.parent.iterdir()]
    except OSError:
        return []
    stem = registry.stem
    return [
        registry.parent / n
        for n in sorted(names)
        if n != registry.name and n.startswith(stem) and (any(m in n for m in MARKERS) or n.endswith(".orig"))
    ]


def notes(registry: Path) -> list[str]:
    """One sentence per conflict copy, saying how to merge it."""
    return [
        f"{str(path)!r} looks like a conflicting copy of your registry; merge it with: "
        f"refaudit merge {shlex.quote(str(path))}"
        for path in beside(registry)
    ]
