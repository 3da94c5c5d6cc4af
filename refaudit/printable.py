"""Printing what came from data (file names, paths, keys, ids) without letting it drive the terminal.

A file name may hold an escape sequence (``\\x1b]0;…``), a carriage return that hides
what came before it, a bidi override that shows ``gpj.exe`` as ``exe.jpg``, or, on
Linux, bytes that are not UTF-8 at all (Python keeps them as lone surrogates, which a
UTF-8 terminal stream refuses with a traceback). ``safe`` shows each of these as a
visible escape, the way ``repr`` would, and leaves every other character alone.
Which characters: ``refaudit.text.DANGEROUS``, the same list input validation refuses.
"""

from __future__ import annotations

import os
import re

from refaudit.text import DANGEROUS_RE  # the one list: what output escapes here, input refuses

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(value: str | os.PathLike[str], *, keep_newlines: bool = False) -> str:
    """``value`` with every control, bidi and undecodable character shown as an escape.

    ``keep_newlines`` leaves line breaks alone, for messages of two lines.
    """
    text = os.fspath(value)
    if keep_newlines:
        return "\n".join(DANGEROUS_RE.sub(_escape, line) for line in text.split("\n"))
    return DANGEROUS_RE.sub(_escape, text)


def has_undecodable(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (kept as lone surrogates)."""
    return any("\ud800" <= c <= "\udfff" for c in text)
