"""What the report's PDF tags say beyond what WeasyPrint writes: the scope of each table header.

WeasyPrint 70 tags a ``<th>`` as ``/TH`` and links data cells to it with ``/Headers`` and
``/IDs``, but writes no ``/Scope``; checkers (and some screen readers) look for it on the
header cell. ``scope_headers`` is WeasyPrint's ``finisher``: it runs on the PDF's objects
before they are written and gives every ``/TH`` a ``/Scope`` — ``/Row`` when its row holds
data cells (a header at the start of a row), else ``/Column``. Pure: objects in, objects
changed; nothing here imports WeasyPrint.
"""

from __future__ import annotations

from typing import Any


def scope_headers(_document: Any, pdf: Any) -> None:
    """Add ``/Scope`` to every ``/TH`` structure element of ``pdf`` (a ``pydyf.PDF``)."""
    objects: dict[int, Any] = {}
    for obj in pdf.objects:
        number = getattr(obj, "number", None)
        if isinstance(obj, dict) and number:
            objects[number] = obj
    for obj in objects.values():
        if obj.get("Type") != "/StructElem" or obj.get("S") != "/TH":
            continue
        row = objects.get(_number(obj.get("P")))
        cells = [objects.get(_number(kid)) for kid in (row.get("K", ()) if row is not None else ())]
        in_data_row = any(cell is not None and cell.get("S") == "/TD" for cell in cells)
        attributes = obj.setdefault("A", {"O": "/Table"})
        attributes["Scope"] = "/Row" if in_data_row else "/Column"


def _number(reference: Any) -> int:
    """``12`` for the reference ``b"12 0 R"`` (pydyf writes references as bytes); 0 (no object) otherwise."""
    if isinstance(reference, bytes | str) and reference.split():
        try:
            return int(reference.split()[0])
        except ValueError:
            return 0
    return 0
