"""One resolver for what the user types as REF or APP.

Exact id first, then an unambiguous case- and accent-insensitive name, then a unique
prefix of either. Ambiguous: an error listing the candidates with their ids.
Unknown: an error with up to three "did you mean" suggestions.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from refaudit.errors import NotFoundError
from refaudit.model import Application, Reference, Registry, fold


def _norm(text: str) -> str:
    """Folded, with runs of whitespace made one space: ``"  JOSÉ   Núñez "`` -> ``"jose nunez"``."""
    return " ".join(fold(text).split())


def _similarity(q: str, cid: str, label: str) -> float:
    """How close ``q`` is to a candidate: its id, its name, a word of it, or its start."""
    name = _norm(label)
    forms = {cid, name, name[: len(q)], cid[: len(q)], *name.split(), *cid.split("-")}
    return max(difflib.SequenceMatcher(None, q, f).ratio() for f in forms if f)


def _pick(kind: str, query: str, candidates: Iterable[tuple[str, str]]) -> str:
    pairs = list(candidates)
    for cid, _ in pairs:
        if cid == query:
            return cid
    q = _norm(query)
    if not q:
        raise NotFoundError(f"no {kind} given; type its id or name.")
    by_name = [(cid, label) for cid, label in pairs if _norm(label) == q or cid == q]
    if len(by_name) == 1:
        return by_name[0][0]
    if not by_name:
        by_name = [(cid, label) for cid, label in pairs if _norm(label).startswith(q) or cid.startswith(q)]
        if len(by_name) == 1:
            return by_name[0][0]
    if by_name:
        listing = ", ".join(f"{cid} ({label})" for cid, label in by_name[:10])
        more = f" and {len(by_name) - 10} more" if len(by_name) > 10 else ""
        raise NotFoundError(f"{kind} {query!r} is ambiguous: it matches {listing}{more}. Use the id.")
    scored = sorted(((_similarity(q, cid, label), cid, label) for cid, label in pairs), key=lambda s: -s[0])
    close = [f"{cid} ({label})" for score, cid, label in scored if score >= 0.7][:3]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    plural = "references" if kind == "reference" else "applications"
    raise NotFoundError(f"no {kind} matches {query!r}.{hint} ('refaudit {kind[:3]} list' shows your {plural}.)")


def reference(registry: Registry, query: str) -> Reference:
    ref_id = _pick("reference", query, ((r.id, r.name) for r in registry.references))
    return registry.reference(ref_id)


def application(registry: Registry, query: str) -> Application:
    app_id = _pick("application", query, ((a.id, a.company) for a in registry.applications))
    return registry.application(app_id)
