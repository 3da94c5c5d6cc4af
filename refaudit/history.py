"""The registry's change log, hash-chained so that rewriting or removing an entry shows.

Each entry's ``hash`` covers the previous entry's hash, its time, its command and the
SHA-256 of its summary (``summary_digest``), not the summary itself. That lets the
right to erasure blank a summary that named a removed person (``[erased]``) while the
chain still verifies.

An erased entry must not keep the SHA-256 of its old summary either: anyone who can
read the registry could hash a guess ("removed reference jane-doe") and confirm it. So
erasing gives the entry a random digest instead and re-links the chain from there on:
every entry still chains to the one before, and nothing left can confirm a guess.

Since two copies can be merged (``refaudit.copies``), the history is a DAG: an entry's
``parents`` (when given) name the entries it follows instead of the one before it; a merge
entry has two. The link then covers the parents' hashes joined by commas (one parent: its
hash, as before), and ``problems`` checks that every parent is an earlier entry.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from refaudit.model import Registry
from refaudit.parts import HistoryEntry

GENESIS = "0" * 64
ERASED = "[erased]"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _link(prev: str, at: str, command: str, summary_digest: str) -> str:
    return _digest("\n".join((prev, at, command, summary_digest)))


def append(
    registry: Registry, at: datetime, command: str, summary: str, parents: list[str] | None = None
) -> HistoryEntry:
    prev = ",".join(parents) if parents else registry.history[-1].hash if registry.history else GENESIS
    stamp = at.isoformat(timespec="seconds")
    digest = _digest(summary)
    entry = HistoryEntry(
        at=stamp, command=command, summary=summary, summary_digest=digest, hash=_link(prev, stamp, command, digest)
    )
    entry.parents = list(parents) if parents else None
    registry.history.append(entry)
    return entry


def link_of(parents: list[str], entry: HistoryEntry) -> str:
    """The hash ``entry`` must have after ``parents``."""
    return _link(",".join(parents), entry.at, entry.command, entry.summary_digest)


def problems(entries: list[HistoryEntry]) -> list[str]:
    """What is wrong with the chain (or, after a merge, the DAG), as sentences; empty when it is intact."""
    found = []
    prev = GENESIS
    seen = {GENESIS}
    for i, e in enumerate(entries, start=1):
        if e.summary != ERASED and _digest(e.summary) != e.summary_digest:
            found.append(f"history entry {i} ({e.at}) was altered: its summary does not match its digest.")
        parents = e.parents if e.parents is not None else [prev]
        if not parents or not set(parents) <= seen or link_of(parents, e) != e.hash:
            found.append(
                f"history entry {i} ({e.at}) does not chain to the one before: an entry was altered or removed."
            )
        prev = e.hash
        seen.add(e.hash)
    return found


def erase_mentions(registry: Registry, needles: list[str]) -> int:
    """Blank every summary that mentions one of ``needles`` (case-insensitive); returns how many.

    Every erased entry (this time's and earlier ones') gets a random digest, and the
    chain is re-linked from the first of them.
    """
    patterns = [re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])", re.IGNORECASE) for n in needles if n]
    count = 0
    for entry in registry.history:
        if entry.summary != ERASED and any(p.search(entry.summary) for p in patterns):
            entry.summary = ERASED
            count += 1
    _forget_erased(registry.history)
    return count


def _forget_erased(entries: list[HistoryEntry]) -> None:
    relink(entries, {i for i, e in enumerate(entries) if e.summary == ERASED})


def relink(entries: list[HistoryEntry], forget: set[int]) -> dict[str, str]:
    """Give the entries at ``forget`` a random digest, re-link what follows; returns old hash -> new hash."""
    renamed: dict[str, str] = {}
    if not forget:
        return renamed
    first = min(forget)
    old_prev = entries[first - 1].hash if first else GENESIS
    for i, entry in enumerate(entries[first:], start=first):
        old_parents = entry.parents if entry.parents is not None else [old_prev]
        # A link that was already broken stays broken: erasure must not launder tampering.
        intact = link_of(old_parents, entry) == entry.hash
        old_prev = old_hash = entry.hash
        if entry.parents is not None:
            entry.parents = [renamed.get(p, p) for p in entry.parents]
        if i in forget:
            entry.summary_digest = secrets.token_hex(32)
        if intact:
            new_parents = entry.parents if entry.parents is not None else [renamed.get(p, p) for p in old_parents]
            entry.hash = link_of(new_parents, entry)
        renamed[old_hash] = entry.hash
    return renamed
