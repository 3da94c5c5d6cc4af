"""Two copies opened and combined: what ``merge OTHER`` (``service.merge_copy``) and git's driver share.

OTHER opens with this registry's data key when it is a copy of this registry, else with its
own passphrase. The merged registry is sealed under this registry's header, unless OTHER is
the same registry and its key slots are newer (a ``passwd`` or ``recover`` there): then under
OTHER's, so that the newest passphrase opens the result (``Merged.keyring``).

The git driver does the same without a lock, a backup or a prompt, with the key from a
session ``sync`` made for it, writing the merged file over git's ``%A``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from refaudit import erasure, filecheck, history, store, vault
from refaudit.copies import forms, merging
from refaudit.errors import AuthError, RefauditError
from refaudit.model import RECORD_LISTS, SCHEMA_VERSION, Reference, Registry
from refaudit.text import as_stored

_FREE_TEXT_SKIP = {"id", "uid", "reference", "application", "references", "told"}


@dataclass
class Merged:
    """What ``merge`` did or, with ``--dry-run``, would do."""

    outcome: merging.Outcome
    written: bool = False
    mentions: list[str] = field(default_factory=list)  # free text naming someone erased here

    @property
    def renamings(self) -> list[merging.Decision]:
        return [d for d in self.outcome.decisions if d.action == "renumbered"]


def body_of(reg: Registry) -> dict[str, Any]:
    """The registry as the merge reads it: canonical plain data, without the history."""
    body: dict[str, Any] = forms.canonical(reg.to_plain())
    body.pop("history", None)
    body.pop("refaudit", None)
    return body


def opened(blob: bytes, keyring: vault.Keyring) -> tuple[Registry, dict[str, Any]]:
    """The registry in ``blob`` and its body as the merge reads it, parsed once when it is this version's JSON."""
    from refaudit import jsonio
    from refaudit.copies import uids
    from refaudit.errors import DamagedError, ValidationError

    text = vault.open_body(blob, keyring)
    if text[:1] != b"{":  # block YAML (written by hand or long ago): read as the store reads it
        reg = store.decode(text, keyring.data_key)
        return reg, body_of(reg)
    try:
        plain = jsonio.loads(text, "the body")
        if not isinstance(plain, dict) or plain.get("refaudit") != SCHEMA_VERSION:
            reg = store.decode(text, keyring.data_key)  # an older body, as this version reads it (v1's neutral…)
            return reg, body_of(reg)
        uids.fill_plain(plain, keyring.data_key)
        with as_stored():  # a copy's text by the rule it was written under, as the store reads it
            reg = Registry.from_plain(plain)  # shares nothing the merge changes: it never changes its inputs
    except ValidationError as exc:
        raise DamagedError(f"the registry's contents are invalid: {exc}") from None
    plain.pop("history", None)
    plain.pop("refaudit", None)
    return reg, plain


def read_other(path: Path) -> bytes:
    """OTHER's bytes; a missing or unreadable file is exit 1, anything not a registry exit 4 (later)."""
    try:
        return filecheck.read_regular(path, "the other copy", store.MAX_FILE_SIZE)
    except FileNotFoundError:
        raise RefauditError(f"no file at {str(path)!r} to merge.") from None
    except IsADirectoryError:
        raise RefauditError(f"{str(path)!r} is a folder; give the other copy's file.") from None
    except OSError as exc:
        raise RefauditError(f"cannot read {str(path)!r}: {exc.strerror or exc}.") from None


def other_keyring(blob: bytes, local: vault.Keyring, unlock_other: Callable[[bytes], vault.Keyring]) -> vault.Keyring:
    """OTHER's keyring: this registry's data key opens a copy of it, else OTHER's own passphrase does."""
    if vault.inspect(blob)["file_id"] == local.file_id.hex():  # DamagedError (exit 4) for anything else
        try:
            return vault.unlock_key(blob, local.file_id, local.data_key)
        except AuthError:
            pass
    return unlock_other(blob)


def combine(
    local: Registry,
    other: Registry,
    now: datetime,
    bodies: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> tuple[Registry | None, merging.Outcome]:
    """The merged registry (None when the merge changes no record) and what the merge decided.

    ``bodies`` are the two registries as ``body_of`` gives them, when already at hand (``opened``).
    """
    mine, theirs = bodies or (body_of(local), body_of(other))
    outcome = merging.merge(mine, theirs)
    if not outcome.changed:
        return None, outcome
    merged_uids = {r["uid"] for kind in RECORD_LISTS for r in outcome.body[kind]}
    erased_now = {r["uid"] for kind in RECORD_LISTS for r in mine.get(kind) or []} - merged_uids
    with as_stored():  # validated by reading's rule: never save what reading refuses
        new = Registry.from_plain({"refaudit": SCHEMA_VERSION, **outcome.body})
    ahead = {e.hash for e in other.history}
    if (
        local.history
        and local.history[-1].hash in ahead
        and merging.records_of(outcome.body) == (merging.records_of(theirs))
    ):
        # OTHER continues this copy and holds all of it: take its history as it is (a fast-forward).
        new.history = [dataclasses.replace(e) for e in other.history]
        return new, outcome
    entries, head = merging.merge_history(local.history, other.history, outcome.dead, erased_now)
    new.history = entries
    local_head = entries[len(local.history) - 1].hash if local.history else history.GENESIS
    entry = history.append(new, now, "merge", _summary(outcome), parents=[local_head, head] if head else None)
    entry.uids = sorted(_touched(mine, outcome.body) | erased_now)
    return new, outcome


def merge_driver(registry_path: Path, ours: Path, theirs: Path, token: str, now: datetime) -> bool:
    """git's ``%A`` and ``%B`` merged into ``%A`` with the session's key; False when ``%A`` already holds it all."""
    from refaudit import session

    file_id, data_key, _slots = session.resolve(token, registry_path)  # one-use, made by sync under the lock
    sides = []
    for path in (ours, theirs):
        blob = read_other(path)
        keyring = vault.unlock_key(blob, file_id, data_key)
        sides.append((*opened(blob, keyring), keyring))
    (mine, mine_body, mine_keyring), (other, other_body, other_keyring) = sides
    new, outcome = combine(mine, other, now, (mine_body, other_body))
    if new is None:
        return False
    keyring = other_keyring if outcome.keys_from_other else mine_keyring
    data = vault.seal(keyring, store.encode(new))
    vault.open_body(data, keyring)
    try:
        ours.write_bytes(data)
    except OSError as exc:
        raise RefauditError(f"cannot write the merged registry to {str(ours)!r}: {exc.strerror or exc}.") from None
    return True


def _summary(outcome: merging.Outcome) -> str:
    """The merge's history line: counts, each renumbering, and the values that lost (kept here)."""
    counts: dict[str, int] = {}
    for d in outcome.decisions:
        counts[d.action] = counts.get(d.action, 0) + 1
    text = "merged another copy: " + ", ".join(
        f"{counts.get(a, 0)} {a}" for a in ("added", "updated", "renumbered", "erased")
    )
    renamed = [f"{d.kind} {d.id} to {d.new_id}" for d in outcome.decisions if d.action == "renumbered"]
    if renamed:
        text += "; renumbered " + ", ".join(renamed)
    if outcome.overwritten:
        text += "; replaced values: " + "; ".join(outcome.overwritten)
    return text


def _touched(mine: dict[str, Any], merged: dict[str, Any]) -> set[str]:
    before = {r["uid"]: r for kind in RECORD_LISTS for r in mine.get(kind) or []}
    return {r["uid"] for kind in RECORD_LISTS for r in merged[kind] if before.get(r["uid"]) != r}


def mentions(outcome: merging.Outcome, other: Registry) -> list[str]:
    """Free text in the merged records that names someone erased here (typed on the other machine)."""
    erased = [r for r in other.references if r.uid in outcome.erased_here]
    if not erased:
        return []
    found = []
    for person in erased:
        mask = erasure.masker(Reference.from_plain(person.to_plain()))
        for kind in RECORD_LISTS:
            for record in outcome.body[kind]:
                for name, value in record.items():
                    if name in _FREE_TEXT_SKIP:
                        continue
                    if any(mask(t) != t for t in _texts(value)):
                        found.append(f"{merging.SINGULAR[kind]} {record['id']} {name}")
    return sorted(set(found))


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in _FREE_TEXT_SKIP for t in _texts(v)]
    return []


__all__ = ["Merged", "body_of", "combine", "mentions", "merge_driver", "opened", "other_keyring", "read_other"]
