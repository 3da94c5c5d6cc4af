"""The last step before the report's PDF is written: WeasyPrint's ``finisher``.

``finish`` gives table headers their scope (``report.pdftags``), then makes each object
serialise once. pydyf serialises every object as it writes it and, when the PDF has an
identifier (the report's always has one: a digest of its HTML), serialises every object a
second time to hash them all; serialising a stream compresses it again (zlib, level 9). On
the demo report that second pass was about 6 % of the whole command. When the finisher
runs, no object changes any more, so ``serialise_once`` gives each a subclass of its own
class whose ``data`` is computed on first use and kept. The bytes written are the same
(``tests/test_render.py`` compares them).

``default_compression`` makes pydyf compress at zlib's default level (6) instead of 9
while the PDF is written: its page streams and the object streams that hold the tags.
On the demo report level 9 took about four times as long (88 ms against 22 ms; 3.4 % of
the whole report's instructions) for a file 3 % smaller. pydyf calls ``zlib.compressobj(level=9)`` through its
module's ``zlib`` name; for the duration of the write that name is a stand-in whose
``compressobj`` asks for the default level, and it is put back afterwards, also on error.
Nothing else changes: the same objects, the same content, Deflate as before.
"""

from __future__ import annotations

import contextlib
import types
import zlib
from collections.abc import Iterator
from typing import Any

from refaudit.report import pdftags

_KEPT = "_refaudit_serialised"
_ONCE: dict[type, type] = {}


def finish(document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher for the report: header scopes, then every object serialised once."""
    pdftags.scope_headers(document, pdf)
    serialise_once(pdf)


def serialise_once(pdf: Any) -> None:
    """Make every object of ``pdf`` (a ``pydyf.PDF``) compute its bytes once and keep them."""
    made = set(_ONCE.values())
    for obj in pdf.objects:
        cls = type(obj)
        if cls in made or getattr(obj, "free", "n") == "f" or not isinstance(getattr(cls, "data", None), property):
            continue
        obj.__class__ = _once(cls)


def _once(cls: type) -> type:
    once = _ONCE.get(cls)
    if once is None:
        compute = cls.data.fget  # type: ignore[attr-defined]  # checked to be a property by the caller

        def data(self: Any) -> bytes:
            kept: bytes | None = self.__dict__.get(_KEPT)
            if kept is None:
                kept = self.__dict__[_KEPT] = compute(self)
            return kept

        once = _ONCE[cls] = type(cls.__name__, (cls,), {"data": property(data), "__module__": cls.__module__})
    return once


LEVEL = zlib.Z_DEFAULT_COMPRESSION  # 6; pydyf asks for 9


def _compressobj(level: int = LEVEL, *args: Any, **kwargs: Any) -> Any:
    """``zlib.compressobj`` at ``LEVEL``, whatever level the caller asks for."""
    return zlib.compressobj(LEVEL, *args, **kwargs)


@contextlib.contextmanager
def default_compression() -> Iterator[None]:
    """pydyf compresses at zlib's default level while this holds (see the module's note)."""
    import pydyf  # WeasyPrint's own dependency

    module = vars(pydyf)
    if module.get("zlib") is not zlib:  # a pydyf that compresses otherwise: leave it alone
        yield
        return
    module["zlib"] = types.SimpleNamespace(compressobj=_compressobj)
    try:
        yield
    finally:
        module["zlib"] = zlib
