"""Printing what came from data (file names, paths, keys, ids) without letting it drive the terminal.

A file name may hold an escape sequence (``\\x1b]0;…``), a carriage return that hides
what came before it, a bidi override that shows ``gpj.exe`` as ``exe.jpg``, or, on
Linux, bytes that are not UTF-8 at all (Python keeps them as lone surrogates, which a
UTF-8 terminal stream refuses with a traceback). ``safe`` shows each of these as a
visible escape, the way ``repr`` would, and leaves every other character alone.
"""

from __future__ import annotations

import os
import re

# C0 controls and DEL, C1 controls, the bidi embeddings, overrides and isolates
# (U+202A-202E, U+2066-2069) and the Arabic letter mark, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
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
        return "\n".join(_UNSAFE.sub(_escape, line) for line in text.split("\n"))
    return _UNSAFE.sub(_escape, text)


def has_undecodable(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (kept as lone surrogates)."""
    return any("\ud800" <= c <= "\udfff" for c in text)
