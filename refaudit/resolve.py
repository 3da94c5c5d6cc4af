"""One resolver for what the user types as REF or APP.

In this order, the first step that finds anything decides:
1. the exact id;
2. the full name (company for APP), case- and accent-insensitive, as written;
3. a unique prefix of the id or of the name as written;
4. the full name spelt another way: without an honorific (``Ingrid Olsen`` finds
   ``Dr. Ingrid Olsen``) or transliterated (``li na`` finds ``李娜``);
5. a unique prefix of one of those spellings;
6. a unique whole word of the name: a first name or a surname (``olsen``).

Steps 4 to 6 come after the ones refaudit always had, so a query that resolved before
keeps resolving to the same record. A step that finds several: an error listing the
candidates with their ids. Nothing at all: an error with up to three "did you mean"
suggestions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from refaudit.errors import NotFoundError
from refaudit.model import Application, Reference, Registry
from refaudit.text import fold, transliterate, without_honorifics


def _norm(text: str) -> str:
    """Folded, with runs of whitespace made one space: ``"  JOSÉ   Núñez "`` -> ``"jose nunez"``."""
    return " ".join(fold(text).split())


def _ascii_words(text: str) -> str:
    """The transliteration as lowercase words: ``李娜`` -> ``li na``, ``O'Brien`` -> ``o brien``."""
    return " ".join(re.findall(r"[a-z0-9]+", transliterate(text).lower()))


def _forms(label: str) -> set[str]:
    """Every way the name may be typed in full."""
    bare = without_honorifics(label)
    return {f for f in (_norm(label), _norm(bare), _ascii_words(label), _ascii_words(bare)) if f}


def _similarity(q: str, cid: str, label: str) -> float:
    """How close ``q`` is to a candidate: its id, its name, a word of it, or its start."""
    forms = {cid, cid[: len(q)], *cid.split("-")}
    for name in _forms(label):
        forms.update((name, name[: len(q)], *name.split()))
    return max(difflib.SequenceMatcher(None, q, f).ratio() for f in forms if f)


def _pick(kind: str, query: str, candidates: Iterable[tuple[str, str]]) -> str:
    pairs = list(candidates)
    for cid, _ in pairs:
        if cid == query:
            return cid
    queries = {q for q in (_norm(query), _ascii_words(query)) if q}
    if not queries:
        raise NotFoundError(f"no {kind} given; type its id or name.")
    typed = _norm(query)
    names = {cid: _norm(label) for cid, label in pairs}
    forms = {cid: _forms(label) for cid, label in pairs}

    # The name as written first, so that a query that resolved before other spellings
    # (no title, transliterated) were known still finds the same record.
    def whole(cid: str) -> bool:
        return cid == typed or names[cid] == typed

    def prefix(cid: str) -> bool:
        return cid.startswith(typed) or names[cid].startswith(typed)

    def whole_spelt(cid: str) -> bool:
        return cid in queries or bool(forms[cid] & queries)

    def prefix_spelt(cid: str) -> bool:
        return any(f.startswith(q) for f in forms[cid] for q in queries)

    def word(cid: str) -> bool:
        return any(q in f.split() for f in forms[cid] for q in queries)

    steps: tuple[Callable[[str], bool], ...] = (whole, prefix, whole_spelt, prefix_spelt, word)
    for matches in steps:
        found = [(cid, label) for cid, label in pairs if matches(cid)]
        if len(found) == 1:
            return found[0][0]
        if found:
            listing = ", ".join(f"{cid} ({label})" for cid, label in found[:10])
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            raise NotFoundError(f"{kind} {query!r} is ambiguous: it matches {listing}{more}. Use the id.")
    q = _norm(query)
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
