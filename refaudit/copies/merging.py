"""The merge of two copies of a registry: pure, record by record (by uid), field by field (by stamp).

- A field takes the value with the newer stamp; the other value is kept in ``overwritten``
  for the history. Equal stamps with different values (a renumbering, see below) take the
  smaller value, which is the original id.
- Lists are observed-remove sets: an element is present when its latest addition on any
  side is newer than its latest removal on any side (``stamping`` records both).
- Tombstones win over any edit: a record whose uid a tombstone names is gone, with the
  reports about a gone reference and its place on applications.
- Readable ids that collide are renumbered: the record created first (creation stamp, then
  uid) keeps the id, the others get ``-2``, ``-3``. A renumbering is not stamped, so every
  order of merging computes the same one.

On the records, owner and tombstones the merge is commutative, associative and idempotent
(``tests/test_merge_properties.py``); the history is merged by ``merge_history``, outside
those laws. Bodies here are canonical plain data (``forms.canonical``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from refaudit import history
from refaudit.copies import forms, uids
from refaudit.copies.clock import ZERO
from refaudit.copies.stamping import REGISTRY
from refaudit.model import RECORD_LISTS, unique_id
from refaudit.parts import HistoryEntry

# In a record's stamps: the id it was typed with, when a merge renumbered it (a renumbering is not a
# change anyone made: every later merge starts again from the typed ids, so any order agrees).
RENUMBERED = "#id"
SINGULAR = {"references": "reference", "applications": "application", "feedback": "report"}
Body = dict[str, Any]


@dataclass(frozen=True)
class Decision:
    """One thing the merge does to the local copy."""

    action: str  # added, updated, kept, renumbered, erased
    kind: str  # reference, application, report, registry
    id: str | None  # the record's id here (None: a record erased here, not named)
    field: str | None = None
    new_id: str | None = None

    def line(self) -> str:
        if self.action == "renumbered":
            return f"renumbered {self.kind} {self.id}→{self.new_id}"
        if self.id is None:
            return f"{self.action} {self.kind} (erased on this copy: not brought back)"
        return " ".join(p for p in (self.action, self.kind, self.id, self.field) if p)

    def to_json(self) -> dict[str, Any]:
        return {"decision": self.action, "kind": self.kind, "id": self.id, "field": self.field, "new_id": self.new_id}


@dataclass
class Outcome:
    body: Body  # the merged records, owner, counters and bookkeeping (no history)
    decisions: list[Decision] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)  # values that lost, for the history
    changed: bool = False  # whether any record, the owner or a tombstone differs from the local copy
    keys_from_other: bool = False  # the other copy's key slots are newer (same file only)
    dead: set[str] = field(default_factory=set)  # every uid a tombstone names
    erased_here: set[str] = field(default_factory=set)  # uids erased on this copy that the other still holds


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def merge(local: Body, other: Body) -> Outcome:
    """Merge ``other`` into ``local`` (both canonical bodies); neither is changed."""
    recs_l, recs_o = forms.by_uid(local), forms.by_uid(other)
    stamps_l: dict[str, Any] = local.get("stamps") or {}
    stamps_o: dict[str, Any] = other.get("stamps") or {}
    merging_l, merging_o = _as_typed(recs_l, stamps_l), _as_typed(recs_o, stamps_o)
    known = {u for kind in RECORD_LISTS for u in (*recs_l[kind], *recs_o[kind])}
    merge_key, stones = _tombstones(local, other, known)
    dead = uids.dead(merge_key, stones, known)
    dead_here = uids.dead(local.get("merge_key"), local.get("tombstones") or [], known)

    merged: dict[str, dict[str, Any]] = {kind: {} for kind in RECORD_LISTS}
    stamps: dict[str, Any] = {}
    overwritten: list[tuple[str, str, str, Any, str]] = []  # kind, uid, field, value, the copy it came from
    for kind in RECORD_LISTS:
        for uid in sorted(recs_l[kind].keys() | recs_o[kind].keys()):
            if uid in dead:
                continue
            a, b = merging_l[kind].get(uid), merging_o[kind].get(uid)
            if a is None or b is None:
                merged[kind][uid] = a if a is not None else b
                entry = {
                    k: v
                    for k, v in ((stamps_l if a is not None else stamps_o).get(uid) or {}).items()
                    if k != RENUMBERED
                }
                if entry:
                    stamps[uid] = entry
                continue
            record, entry, lost = _merge_record(a, b, stamps_l.get(uid) or {}, stamps_o.get(uid) or {})
            merged[kind][uid] = record
            if entry:
                stamps[uid] = entry
            overwritten += [(kind, uid, name, value, side) for name, value, side in lost]
    _drop_dangling(merged, stamps)
    _forget_elements(stamps, dead)
    _renumber(merged, stamps)

    body: Body = {}
    owner, registry_stamps, keys_from_other = _registry_fields(local, other, stamps_l, stamps_o)
    if owner is not None:
        body["owner"] = owner
    back = forms.reverse({kind: {r["id"]: u for u, r in merged[kind].items()} for kind in RECORD_LISTS})
    order = {kind: [r["uid"] for r in local.get(kind) or []] for kind in RECORD_LISTS}
    for kind in RECORD_LISTS:
        body[kind] = [forms.translate(kind, merged[kind][u], back) for u in _order(order[kind], merged[kind], stamps)]
    body["feedback_seq"] = max(int(local.get("feedback_seq") or 0), int(other.get("feedback_seq") or 0))
    if registry_stamps:
        stamps[REGISTRY] = registry_stamps
    if merge_key is not None:
        body["merge_key"] = merge_key
    clocks = [c for c in (local.get("clock"), other.get("clock")) if c]
    if clocks:
        body["clock"] = max(clocks)
    body["stamps"] = stamps
    body["tombstones"] = sorted(stones)

    outcome = Outcome(body=body, keys_from_other=keys_from_other, dead=dead)
    outcome.erased_here = {u for u in dead_here if any(u in recs_o[k] for k in RECORD_LISTS)}
    kept = {(kind, uid, name) for kind, uid, name, _, side in overwritten if side == "other"}
    _decide(outcome, local, other, recs_l, merged, kept)
    ids_l = {kind: {r["uid"]: r["id"] for r in local.get(kind) or []} for kind in RECORD_LISTS}
    ids_o = {kind: {r["uid"]: r["id"] for r in other.get(kind) or []} for kind in RECORD_LISTS}
    for kind, uid, name, value, side in overwritten:
        rid = back[kind].get(uid) or ids_l[kind].get(uid) or ids_o[kind].get(uid)
        shown = value if isinstance(value, str) else _json(value)
        outcome.overwritten.append(
            f"{SINGULAR[kind]} {rid} {name} ({'the other copy' if side == 'other' else 'here'}): {shown}"
        )
    return outcome


def records_of(body: Body) -> dict[str, Any]:
    """What the merge laws speak of: records by uid, owner, tombstones (and the records' stamps)."""
    return {
        "owner": body.get("owner"),
        "tombstones": sorted(body.get("tombstones") or []),
        **{kind: {r["uid"]: r for r in body.get(kind) or []} for kind in RECORD_LISTS},
        "stamps": {u: e for u, e in (body.get("stamps") or {}).items() if u != REGISTRY},
    }


# --- records ----------------------------------------------------------------------------------


def _merge_record(
    a: dict[str, Any], b: dict[str, Any], sa: dict[str, Any], sb: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, Any, str]]]:
    if a == b and sa == sb and RENUMBERED not in sa:
        return a, sa, []  # the same on both copies: most records, most of the time
    base_a, base_b = sa.get("", ZERO), sb.get("", ZERO)
    base = min(base_a, base_b)
    entry: dict[str, Any] = {"": base} if base != ZERO else {}
    record: dict[str, Any] = {"uid": a["uid"]}
    lost: list[tuple[str, Any, str]] = []  # field, value, the copy it came from
    names = set(a) | set(b)
    for n in (*sa, *sb):
        if n == RENUMBERED:
            continue
        names.add(n[:-3] if n.endswith("[-]") else n[:-2] if n.endswith("[]") else n)
    for name in sorted(names - {"uid", ""}):
        va, vb = a.get(name), b.get(name)
        listy = (
            isinstance(va, list)
            or isinstance(vb, list)
            or any(f"{name}{s}" in st for s in ("[]", "[-]") for st in (sa, sb))
        )
        value: Any
        if listy:
            value, adds, removes, dropped = _merge_list(name, va or [], vb or [], sa, sb, base_a, base_b, base)
            if adds:
                entry[f"{name}[]"] = adds
            if removes:
                entry[f"{name}[-]"] = removes
            lost += [(name, e, "other" if e in vb_list else "local") for e in dropped for vb_list in [vb or []]]
        else:
            ta, tb = sa.get(name, base_a), sb.get(name, base_b)
            value = _newer(va, vb, ta, tb)
            loser, side = (vb, "other") if value == va else (va, "local")
            if loser is not None and loser != value:
                lost.append((name, loser, side))
            if max(ta, tb) > base:
                entry[name] = max(ta, tb)
        if value is not None and value != []:
            record[name] = value
    return record, entry, lost


def _as_typed(recs: dict[str, dict[str, Any]], stamps: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The records with the ids they were typed with (before any renumbering)."""
    out: dict[str, dict[str, Any]] = {}
    for kind, records in recs.items():
        out[kind] = {}
        for uid, record in records.items():
            typed = (stamps.get(uid) or {}).get(RENUMBERED)
            out[kind][uid] = {**record, "id": typed} if typed else record
    return out


def _newer(va: Any, vb: Any, ta: str, tb: str) -> Any:
    """The value with the newer stamp; between equal stamps, the smaller value (the original id)."""
    if ta != tb:
        return va if ta > tb else vb
    return va if va == vb else min(va, vb, key=_json)


def _merge_list(
    name: str, va: list[Any], vb: list[Any], sa: dict[str, Any], sb: dict[str, Any], base_a: str, base_b: str, base: str
) -> tuple[list[Any], dict[str, str], dict[str, str], list[Any]]:
    ka, kb = forms.element_keys(va), forms.element_keys(vb)
    elements = {**dict(zip(kb, vb, strict=True)), **dict(zip(ka, va, strict=True))}
    added: dict[str, str] = {}
    for keys, adds, default in ((ka, sa.get(f"{name}[]") or {}, base_a), (kb, sb.get(f"{name}[]") or {}, base_b)):
        for k in keys:
            added[k] = max(added.get(k, ""), adds.get(k, default))
    removed: dict[str, str] = {}
    for removes in (sa.get(f"{name}[-]") or {}, sb.get(f"{name}[-]") or {}):
        for k, s in removes.items():
            removed[k] = max(removed.get(k, ""), s)
    present = {k for k, s in added.items() if k not in removed or s > removed[k]}
    if ka == kb:
        value = list(va)
    else:

        def order(k: str) -> tuple[str, str, str]:
            e = elements[k]
            return (str(e.get("on", "")) if isinstance(e, dict) else "", added[k], k)

        value = [elements[k] for k in sorted(present, key=order)]
    adds = {k: added[k] for k in sorted(present) if added[k] > base}
    removes = {k: s for k, s in sorted(removed.items()) if k not in present}
    dropped = [elements[k] for k in sorted(elements.keys() - present)]
    return value, adds, removes, dropped


def _drop_dangling(merged: dict[str, dict[str, Any]], stamps: dict[str, Any]) -> None:
    """Reports about a gone reference go; a gone application or reference leaves no trace on the others."""
    refs, apps = merged["references"], merged["applications"]
    for uid, entry in list(merged["feedback"].items()):
        if entry.get("reference") not in refs:
            del merged["feedback"][uid]
            stamps.pop(uid, None)
        elif "application" in entry and entry["application"] not in apps:
            merged["feedback"][uid] = {k: v for k, v in entry.items() if k != "application"}
    for app in apps.values():
        for name, value in list(app.items()):
            if isinstance(value, list):
                kept = [e for e in value if forms.names("applications", name, e) <= refs.keys()]
                if len(kept) != len(value):
                    if kept:
                        app[name] = kept
                    else:
                        del app[name]


def _forget_elements(stamps: dict[str, Any], dead: set[str]) -> None:
    """List stamps naming an erased record go too: a tombstone leaves no uid behind but its own."""
    if not dead:
        return
    for uid, entry in list(stamps.items()):
        names = [n for n in entry if n.endswith("[]") or n.endswith("[-]")]
        if not names:
            continue
        entry = stamps[uid] = dict(entry)
        for name in names:
            kept = {k: v for k, v in entry[name].items() if not any(d in k for d in dead)}
            if kept:
                entry[name] = kept
            else:
                del entry[name]


def _renumber(merged: dict[str, dict[str, Any]], stamps: dict[str, Any]) -> None:
    for kind in RECORD_LISTS:
        records = merged[kind]
        groups: dict[str, list[str]] = {}
        for uid, record in records.items():
            groups.setdefault(record["id"], []).append(uid)
        taken = set(groups)
        for rid in sorted(groups):
            members = sorted(groups[rid], key=lambda u: ((stamps.get(u) or {}).get("", ZERO), u))
            for uid in members[1:]:
                new = unique_id(rid, taken, rid)
                taken.add(new)
                records[uid] = {**records[uid], "id": new}
                stamps[uid] = {**(stamps.get(uid) or {}), RENUMBERED: rid}  # a new dict: the inputs stay as they are


def _order(local_order: list[str], records: dict[str, Any], stamps: dict[str, Any]) -> list[str]:
    """The local copy's order, then the records new to it by creation stamp and id."""
    kept = [u for u in local_order if u in records]
    seen = set(kept)
    new = sorted(
        (u for u in records if u not in seen), key=lambda u: ((stamps.get(u) or {}).get("", ZERO), records[u]["id"], u)
    )
    return kept + new


def _registry_fields(
    local: Body, other: Body, stamps_l: dict[str, Any], stamps_o: dict[str, Any]
) -> tuple[str | None, dict[str, str], bool]:
    rl, ro = stamps_l.get(REGISTRY) or {}, stamps_o.get(REGISTRY) or {}
    ta, tb = rl.get("owner", ZERO), ro.get("owner", ZERO)
    oa, ob = local.get("owner"), other.get("owner")
    owner = _newer(oa, ob, ta, tb)
    merged = {k: max(rl.get(k, ZERO), ro.get(k, ZERO)) for k in rl.keys() | ro.keys()}
    return owner, merged, ro.get("keys", ZERO) > rl.get("keys", ZERO)


def _tombstones(local: Body, other: Body, known: set[str]) -> tuple[str | None, set[str]]:
    """The merged key (the smaller one when both copies have one) and the tombstones under it."""
    kl, ko = local.get("merge_key"), other.get("merge_key")
    sl, so = set(local.get("tombstones") or []), set(other.get("tombstones") or [])
    if kl is None or ko is None or kl == ko:
        return (kl or ko), sl | so
    key, (kept, key_other, other_stones) = (kl, (sl, ko, so)) if kl < ko else (ko, (so, kl, sl))
    # Stones under the other key can be re-made only for uids one of the copies knows.
    return key, kept | {uids.tombstone(key, u) for u in uids.dead(key_other, other_stones, known)}


# --- what it does to the local copy ------------------------------------------------------------


def _decide(
    outcome: Outcome,
    local: Body,
    other: Body,
    recs_l: dict[str, dict[str, Any]],
    merged: dict[str, dict[str, Any]],
    kept: set[tuple[str, str, str]],
) -> None:
    decisions = outcome.decisions
    changed = False
    for kind in RECORD_LISTS:
        what = SINGULAR[kind]
        ids_l = {r["uid"]: r["id"] for r in local.get(kind) or []}
        ids_o = {r["uid"]: r["id"] for r in other.get(kind) or []}
        for uid, record in sorted(merged[kind].items(), key=lambda item: (item[1]["id"], item[0])):
            rid = record["id"]
            before = recs_l[kind].get(uid)
            old_id = ids_l.get(uid) or ids_o.get(uid)
            if old_id is not None and old_id != rid and (uid in ids_l or ids_o.get(uid) != rid):
                decisions.append(Decision("renumbered", what, old_id, new_id=rid))
            if before is None:
                decisions.append(Decision("added", what, rid))
                changed = True
                continue
            for name in sorted((record.keys() | before.keys()) - {"uid"}):
                if record.get(name) != before.get(name):
                    changed = True
                    if name != "id":
                        decisions.append(Decision("updated", what, rid, name))
                elif (kind, uid, name) in kept and name != "id":
                    decisions.append(Decision("kept", what, rid, name))
        for uid in ids_l.keys() - merged[kind].keys():
            decisions.append(Decision("erased", what, ids_l[uid]))
            changed = True
        decisions += [Decision("erased", what, None) for u in ids_o.keys() - merged[kind].keys() if u not in ids_l]
    if outcome.body.get("owner") != local.get("owner"):
        decisions.append(Decision("updated", "registry", "owner"))
        changed = True
    if set(outcome.body["tombstones"]) != set(local.get("tombstones") or []):
        changed = True
    if outcome.body["stamps"] != (local.get("stamps") or {}):
        changed = True  # the same values, newer stamps (both made one change): later merges need them
    outcome.changed = changed or outcome.keys_from_other


# --- the history: a DAG, outside the laws -------------------------------------------------------


def merge_history(
    local: list[HistoryEntry], other: list[HistoryEntry], blank_other: set[str], blank_local: set[str]
) -> tuple[list[HistoryEntry], str | None]:
    """Both chains, the local one first; returns them and the other's head (None: nothing new there).

    An entry of the other copy is the same as a local one when its hash, or its time, command
    and summary digest, are the same (an erasure re-links the hashes after it). Entries of the
    other copy about records erased here (``blank_other``), and local entries about records the
    merge erases (``blank_local``), have their summary blanked.
    """
    import dataclasses
    import secrets

    entries = [dataclasses.replace(e, parents=None if e.parents is None else list(e.parents)) for e in local]
    forget = {i for i, e in enumerate(entries) if set(e.uids) & blank_local and e.summary != history.ERASED}
    for i in forget:
        entries[i].summary = history.ERASED
    history.relink(entries, forget)
    same = {e.hash: e.hash for e in entries}
    same.update({_identity(e): e.hash for e in entries if e.summary != history.ERASED})
    mapped: dict[str, str] = {history.GENESIS: history.GENESIS}
    prev = history.GENESIS
    new = False
    for e in other:
        parents = list(e.parents) if e.parents is not None else [prev]
        prev = e.hash
        found = same.get(e.hash) or (same.get(_identity(e)) if e.summary != history.ERASED else None)
        if found is not None:
            mapped[e.hash] = found
            continue
        intact = history.link_of(parents, e) == e.hash
        copy = dataclasses.replace(e, parents=[mapped.get(p, p) for p in parents], uids=list(e.uids))
        if set(e.uids) & blank_other and copy.summary != history.ERASED:
            copy.summary, copy.summary_digest = history.ERASED, secrets.token_hex(32)
        if intact:  # a broken link stays broken: merging must not launder tampering
            copy.hash = history.link_of(copy.parents or [], copy)
        mapped[e.hash] = copy.hash
        entries.append(copy)
        new = True
    return entries, (mapped[other[-1].hash] if new and other else None)


def _identity(entry: HistoryEntry) -> str:
    return "\n".join((entry.at, entry.command, entry.summary_digest))
