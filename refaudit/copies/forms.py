"""Records keyed by uid, their cross-references written as uids: the form stamps and merges compare.

Readable ids are what users type and can change (``ref edit --id``, a renumbering after a
merge); uids never change. So before comparing two versions of a record, every readable id
it names (a report's reference and application, an application's references, briefings,
thanks, withdrawals and reference events on its timeline) is replaced with that record's
uid, and lists are compared element by element through ``element_keys``.

Fields are found generically: any field a record holds is compared, stamped and merged,
so fields added later need nothing here unless they name other records.
"""

from __future__ import annotations

import json
from typing import Any

from refaudit import jsonio
from refaudit.model import RECORD_LISTS, REFERENCE_EVENTS  # timeline events whose value is a reference id

# Fields naming another record by its readable id: (kind of record, field) -> kind named.
SCALAR_LINKS = {("feedback", "reference"): "references", ("feedback", "application"): "applications"}
# List fields of applications whose text elements are reference ids.
REFERENCE_LISTS = ("references", "told")

Record = dict[str, Any]
Maps = dict[str, dict[str, str]]  # kind -> {readable id: uid} (or the reverse)


def canonical(plain: Any) -> Any:
    """Plain data as JSON reads it back: dates as ``YYYY-MM-DD`` text, nothing else changed."""
    return json.loads(jsonio.dumps(plain))


def id_maps(body: dict[str, Any]) -> Maps:
    return {kind: {r["id"]: r["uid"] for r in body.get(kind) or []} for kind in RECORD_LISTS}


def reverse(maps: Maps) -> Maps:
    return {kind: {u: i for i, u in m.items()} for kind, m in maps.items()}


def translate(kind: str, record: Record, maps: Maps) -> Record:
    """``record`` with the readable ids it names replaced through ``maps`` (ids left as they are when unknown).

    A new dict only where something names another record; the rest is shared with ``record``.
    """
    if kind == "feedback":
        out = dict(record)
        for (_, name), target in SCALAR_LINKS.items():
            if isinstance(out.get(name), str):
                out[name] = maps[target].get(out[name], out[name])
        return out
    if kind != "applications":
        return record
    refs = maps["references"]
    out = dict(record)
    for name in REFERENCE_LISTS:
        if isinstance(out.get(name), list):
            out[name] = [refs.get(v, v) if isinstance(v, str) else v for v in out[name]]
    for name, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out[name] = [_translate_element(e, refs) for e in value]
    return out


def _translate_element(element: Any, refs: dict[str, str]) -> Any:
    if not isinstance(element, dict):
        return element
    named = isinstance(element.get("reference"), str)
    event = element.get("event") in REFERENCE_EVENTS and isinstance(element.get("value"), str)
    if not (named or event):
        return element
    e = dict(element)
    if named:
        e["reference"] = refs.get(e["reference"], e["reference"])
    if event:
        e["value"] = refs.get(e["value"], e["value"])
    return e


def names(kind: str, field: str, element: Any) -> set[str]:
    """The uids a list element (in uid form) names: for dropping an erased record's place."""
    if isinstance(element, str):
        return {element} if kind == "applications" and field in REFERENCE_LISTS else set()
    if isinstance(element, dict):
        found = set()
        if isinstance(element.get("reference"), str):
            found.add(element["reference"])
        if element.get("event") in REFERENCE_EVENTS and isinstance(element.get("value"), str):
            found.add(element["value"])
        return found
    return set()


def element_key(element: Any) -> str:
    """An element's identity in a list: its text, or its fields as sorted JSON."""
    if isinstance(element, str):
        return element
    return json.dumps(element, sort_keys=True, ensure_ascii=False, default=str)  # a date as YYYY-MM-DD


def element_keys(elements: list[Any]) -> list[str]:
    """Keys of a list's elements; a repeated element is ``key#2``, ``key#3``: lists are multisets."""
    seen: dict[str, int] = {}
    keys = []
    for element in elements:
        key = element_key(element)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


def by_uid(body: dict[str, Any]) -> dict[str, dict[str, Record]]:
    """Each kind's records, keyed by uid, in uid form."""
    maps = id_maps(body)
    return {kind: {r["uid"]: translate(kind, r, maps) for r in body.get(kind) or []} for kind in RECORD_LISTS}
