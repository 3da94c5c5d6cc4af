"""The save-time diff: every field that changed gets a new stamp, whatever command changed it.

``service.update`` takes a ``snapshot`` of the registry before the change and calls ``stamp``
after it. Records are matched by uid and compared field by field in uid form (``forms``),
so a command never stamps anything itself, and a field added to a record later is stamped
like the others. The bookkeeping lives in ``Registry.copies``:

- ``stamps``: ``{uid: {"": creation stamp, FIELD: stamp, "FIELD[]": {element: stamp added},
  "FIELD[-]": {element: stamp removed}}}`` and ``{"registry": {"owner": …, "keys": …}}``;
  a field or element without a stamp of its own carries the record's creation stamp, and a
  record without an entry (written before stamps existed) carries ``ZERO`` throughout;
- ``tombstones``: sorted keyed digests of the uids of removed records;
- ``merge_key``: the key of those digests (random, made at the first save that needs it);
- ``clock``: the latest stamp's clock value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from refaudit.copies import forms, uids
from refaudit.copies.clock import Clock, device_id
from refaudit.model import Registry

REGISTRY = "registry"  # the stamps of the registry's own fields (owner, key slots)


def snapshot(reg: Registry) -> dict[str, Any]:
    """What ``stamp`` compares against: the records (canonical plain data) and the owner."""
    before: dict[str, Any] = forms.canonical(_records(reg))
    return before


def _records(reg: Registry) -> dict[str, Any]:
    return {
        "owner": reg.owner,
        "references": [r.to_plain() for r in reg.references],
        "applications": [a.to_plain() for a in reg.applications],
        "feedback": [f.to_plain() for f in reg.feedback],
    }


def inherit_uids(current: Registry, new: Registry) -> None:
    """Records of ``new`` without a uid take the uid of ``current``'s record of the same kind and id."""
    assign_uids({kind: [{"id": r.id, "uid": r.uid} for r in getattr(current, kind)] for kind in forms.KINDS}, new)


def assign_uids(before: dict[str, Any], reg: Registry) -> None:
    """A record without a uid inherits the uid of the record it replaced (same kind and id), else a new one."""
    for kind in forms.KINDS:
        records = getattr(reg, kind)
        used = {r.uid for r in records if r.uid}
        former = {r["id"]: r.get("uid") for r in before.get(kind) or []}
        for record in records:
            if record.uid is None:
                inherited = former.get(record.id)
                record.uid = inherited if inherited and inherited not in used else uids.new_uid()
                used.add(record.uid)


def stamp(before: dict[str, Any], reg: Registry, now: datetime, device: str | None = None) -> list[str]:
    """Stamp every change from ``before`` to ``reg`` (in place); returns the uids touched, sorted."""
    assign_uids(before, reg)
    after = forms.canonical(_records(reg))
    copies = reg.copies
    stamps: dict[str, Any] = copies.setdefault("stamps", {})
    clock = Clock(now, device or device_id(), copies.get("clock"))
    ticked = False

    def tick() -> str:
        nonlocal ticked
        ticked = True
        return clock.tick()

    maps_before, maps_after = forms.id_maps(before), forms.id_maps(after)
    touched: set[str] = set()
    gone: set[str] = set()
    for kind in forms.KINDS:
        old = {r["uid"]: r for r in before.get(kind) or []}
        new = {r["uid"]: r for r in after.get(kind) or []}
        gone |= old.keys() - new.keys()
        for uid, record in new.items():
            if uid not in old:
                stamps[uid] = {"": tick()}
                touched.add(uid)
            elif record != old[uid]:
                b, a = forms.translate(kind, old[uid], maps_before), forms.translate(kind, record, maps_after)
                if a != b:
                    _stamp_fields(stamps.setdefault(uid, {}), b, a, tick)
                    touched.add(uid)
    if gone:
        _bury(copies, stamps, gone)
        touched |= gone
    if before.get("owner") != after.get("owner"):
        stamps.setdefault(REGISTRY, {})["owner"] = tick()
    if ticked:
        copies["clock"] = clock.last
    return sorted(touched)


def stamp_keys(reg: Registry, now: datetime, device: str | None = None) -> None:
    """The key slots and KDF parameters changed (passwd, recover): one stamped field."""
    clock = Clock(now, device or device_id(), reg.copies.get("clock"))
    reg.copies.setdefault("stamps", {}).setdefault(REGISTRY, {})["keys"] = clock.tick()
    reg.copies["clock"] = clock.last


def _stamp_fields(entry: dict[str, Any], before: dict[str, Any], after: dict[str, Any], tick: Any) -> None:
    for name in sorted((before.keys() | after.keys()) - {"uid"}):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, list) or isinstance(new, list):
            old_keys, new_keys = forms.element_keys(old or []), forms.element_keys(new or [])
            added = [k for k in new_keys if k not in set(old_keys)]
            removed = [k for k in old_keys if k not in set(new_keys)]
            if not added and not removed:
                continue  # the same elements in another order
            adds: dict[str, str] = entry.setdefault(f"{name}[]", {})
            removes: dict[str, str] = entry.setdefault(f"{name}[-]", {})
            for k in added:
                removes.pop(k, None)
                adds[k] = tick()
            for k in removed:
                adds.pop(k, None)
                removes[k] = tick()
            for key in (f"{name}[]", f"{name}[-]"):
                if not entry[key]:
                    del entry[key]
        else:
            entry[name] = tick()
            if name == "id":
                entry.pop("#id", None)  # chosen by hand: no longer the merge's renumbering


def _bury(copies: dict[str, Any], stamps: dict[str, Any], gone: set[str]) -> None:
    """Tombstones for removed records; their stamps go, and so does every list stamp naming them."""
    key = copies.get("merge_key") or uids.new_merge_key()
    copies["merge_key"] = key
    copies["tombstones"] = sorted({*copies.get("tombstones", []), *(uids.tombstone(key, u) for u in gone)})
    for uid in gone:
        stamps.pop(uid, None)
    for uid, entry in stamps.items():
        if uid == REGISTRY:
            continue
        for name in [n for n in entry if n.endswith("[]") or n.endswith("[-]")]:
            kept = {k: s for k, s in entry[name].items() if not any(g in k for g in gone)}
            if kept:
                entry[name] = kept
            else:
                del entry[name]
