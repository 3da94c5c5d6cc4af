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

import dataclasses
from datetime import date, datetime
from typing import Any

from refaudit.copies import forms, uids
from refaudit.copies.clock import Clock, device_id
from refaudit.model import RECORD_LISTS, Registry

REGISTRY = "registry"  # the stamps of the registry's own fields (owner, key slots)


class Snapshot:
    """The registry's records as they were, cheap to take: each record's fields frozen, by kind.

    Frozen means copied deeply enough that a change made in place afterwards does not reach
    it; ``plain`` rebuilds a record as it was, for the few records a change touched.
    """

    def __init__(self, reg: Registry | None = None) -> None:
        self.owner = reg.owner if reg else None
        self.records: dict[str, dict[str, tuple[type, str, Any]]] = {kind: {} for kind in RECORD_LISTS}
        for kind in RECORD_LISTS:
            for record in getattr(reg, kind) if reg else []:
                self.records[kind][record.uid or f"new:{id(record)}"] = (type(record), record.id, _freeze(record))

    def ids(self, kind: str) -> dict[str, str]:
        return {rid: uid for uid, (_, rid, _) in self.records[kind].items()}

    def plain(self, kind: str, uid: str) -> dict[str, Any]:
        """The record ``uid`` as ``to_plain`` gave it then."""
        plain: dict[str, Any] = _thaw(self.records[kind][uid][2]).to_plain()
        return plain


_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset((str, type(None), int, bool, float, date))


def _names(cls: type) -> tuple[str, ...]:
    """A dataclass's fields (not its class variables), looked up once per class."""
    if cls not in _NAMES:
        _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return _NAMES[cls]


def _freeze(value: Any) -> Any:
    """A dataclass as ``("O", class, field values)``, a list as ``("L", elements)``, the rest as it is."""
    if value.__class__ is list:
        if not value or value[0].__class__ is str:
            return ("L", tuple(value))
        return ("L", tuple(_freeze(v) for v in value))
    if hasattr(value, "__dataclass_fields__"):
        cls = value.__class__
        out = []
        for name in _names(cls):
            v = getattr(value, name)
            out.append(v if v.__class__ in _SCALARS else _freeze(v))
        return ("O", cls, tuple(out))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "L":
        return [_thaw(v) for v in value[1]]
    if isinstance(value, tuple) and value and value[0] == "O":
        cls = value[1]
        return cls(**{f: _thaw(v) for f, v in zip(_names(cls), value[2], strict=True)})
    return value


def snapshot(reg: Registry) -> Snapshot:
    """What ``stamp`` compares against: the records and the owner before a change."""
    return Snapshot(reg)


def inherit_uids(current: Registry, new: Registry) -> None:
    """Records of ``new`` without a uid take the uid of ``current``'s record of the same kind and id."""
    assign_uids(Snapshot(current), new)


def assign_uids(before: Snapshot, reg: Registry) -> None:
    """A record without a uid inherits the uid of the record it replaced (same kind and id), else a new one."""
    for kind in RECORD_LISTS:
        records = getattr(reg, kind)
        used = {r.uid for r in records if r.uid}
        former = before.ids(kind)
        for record in records:
            if record.uid is None:
                inherited = former.get(record.id)
                record.uid = inherited if inherited and inherited not in used else uids.new_uid()
                used.add(record.uid)


def stamp(before: Snapshot, reg: Registry, now: datetime, device: str | None = None) -> list[str]:
    """Stamp every change from ``before`` to ``reg`` (in place); returns the uids touched, sorted."""
    assign_uids(before, reg)
    after = Snapshot(reg)
    copies = reg.copies
    stamps: dict[str, Any] = copies.setdefault("stamps", {})
    clock = Clock(now, device or device_id(), copies.get("clock"))
    ticked = False

    def tick() -> str:
        nonlocal ticked
        ticked = True
        return clock.tick()

    maps_before = {kind: before.ids(kind) for kind in RECORD_LISTS}
    maps_after = {kind: after.ids(kind) for kind in RECORD_LISTS}
    touched: set[str] = set()
    gone: set[str] = set()
    for kind in RECORD_LISTS:
        old, new = before.records[kind], after.records[kind]
        gone |= old.keys() - new.keys()
        for uid, frozen in new.items():
            if uid not in old:
                stamps[uid] = {"": tick()}
                touched.add(uid)
            elif frozen != old[uid]:
                b = forms.translate(kind, before.plain(kind, uid), maps_before)
                a = forms.translate(kind, after.plain(kind, uid), maps_after)
                if a != b:
                    _stamp_fields(stamps.setdefault(uid, {}), b, a, tick)
                    touched.add(uid)
    if gone:
        _bury(copies, stamps, gone)
        touched |= gone
    if before.owner != after.owner:
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
