"""Where ``report -o`` may write: over its own earlier reports freely, over anything else only with ``--force``,
and never over a registry (this one, its backup or another).

"refaudit wrote it as a report" (docs/SPEC.md, third round): a PDF whose ``/Producer`` or ``/Creator``
says refaudit, or an HTML file whose ``<meta name="generator">`` does. WeasyPrint keeps the
document information in a compressed object stream, so the PDF's Flate streams are inflated
(with a cap on each) to find it; no PDF library is needed at run time.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from refaudit import filecheck
from refaudit.errors import RefauditError

SEALED = b"REFAUDIT"  # vault.MAGIC: every registry starts with it
# A report is a few MB; anything far larger is not one of ours (and is not read whole).
_READ_LIMIT = 256 * 1024 * 1024
_INFLATE_LIMIT = 1 << 20  # per stream: the document information dictionary is small
_STREAM = re.compile(rb"stream\r?\n")
_PDF_MARK = re.compile(rb"/(?:Producer|Creator)\s*\(refaudit\b")
# The same in a UTF-16BE hex string: <FEFF 0072 0065 0066 0061 0075 0064 0069 0074 …>
_PDF_HEX_MARK = re.compile(rb"/(?:Producer|Creator)\s*<FEFF0072006500660061007500640069007400", re.IGNORECASE)
_HTML_MARK = re.compile(rb"<meta\s+name=[\"']?generator[\"']?\s+content=[\"']?refaudit[\s\"'>]", re.IGNORECASE)


def written_as_report(data: bytes) -> bool:
    """Whether ``data`` is a PDF or HTML file refaudit wrote as a report."""
    if data.startswith(b"%PDF-"):
        if _PDF_MARK.search(data) or _PDF_HEX_MARK.search(data):
            return True
        return any(_pdf_mark(_inflate(data, m.end())) for m in _STREAM.finditer(data))
    return bool(_HTML_MARK.search(data[:65536]))


def _pdf_mark(text: bytes) -> bool:
    return bool(_PDF_MARK.search(text) or _PDF_HEX_MARK.search(text))


def _inflate(data: bytes, start: int) -> bytes:
    try:
        return zlib.decompressobj().decompress(data[start : start + _INFLATE_LIMIT * 4], _INFLATE_LIMIT)
    except zlib.error:
        return b""


def require_report_target(path: Path, *, force: bool, protected: Iterable[Path]) -> None:
    """Refuse, before anything is unlocked: the registry's own files or another registry (even with
    ``force``), anything but a regular file, and an existing file refaudit did not write as a report
    (unless ``force``)."""
    filecheck.require_new_target(path, "a report", force=True, protected=protected)
    if not (path.exists() or path.is_symlink()):
        return
    try:
        data = filecheck.read_regular(path, "the report target", _READ_LIMIT)
    except RefauditError:
        data = b""  # too large or unreadable: not one of ours
    except OSError as exc:
        raise RefauditError(f"cannot use {str(path)!r} as a report: {exc.strerror or exc}.") from None
    if data.startswith(SEALED):
        raise RefauditError(
            f"{str(path)!r} is a refaudit registry; refusing to write a report over it, even with --force."
        )
    if not force and not written_as_report(data):
        raise RefauditError(
            f"{str(path)!r} already exists and is not a report refaudit wrote; refusing to overwrite it (use --force)."
        )
