"""A bug in a library beneath the renderer, set right where refaudit uses it.

tinyhtml5 (WeasyPrint's HTML parser, 2.1.0 and its main branch in December 2026) caches
the regular expression ``chars_until`` builds for each set of characters, but the cache
never hits. Its line::

    characters = characters_until_regex[(characters, opposite)] = regex

assigns left to right: ``characters`` becomes the compiled pattern first, so the entry is
stored under ``(pattern, opposite)`` and every later call misses, builds the pattern's
text again and adds one more entry to a dict that only grows. html5lib, which tinyhtml5
was ported from, assigned to a separate name (``chars = charsUntilRegEx[...] = ...``)
and did not have the bug.

While the report is parsed, ``tinyhtml5_cache`` puts a dict in the cache's place that
builds a missing entry itself, exactly as ``chars_until`` would, under the right key.
``chars_until`` then finds it on every call after the first and never reaches its own
(misfiling) branch. tinyhtml5's own dict is put back afterwards, so that anything else in
the process (the benchmark's "WeasyPrint alone" among them) parses as it always did. On the
demo report that is about 3 % of the whole command's instructions (callgrind). A key of
another shape (a changed tinyhtml5) is left to tinyhtml5's own code. Drop this module
when tinyhtml5's cache hits on its own (``tests/test_render.py`` tells).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any


class _CharactersUntil(dict[Any, "re.Pattern[str]"]):
    """tinyhtml5's ``characters_until_regex``, filling itself under the key it is asked for."""

    def __missing__(self, key: Any) -> re.Pattern[str]:
        if not (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], tuple | frozenset | str)):
            raise KeyError(key)
        characters, opposite = key
        regex = "".join([f"\\x{ord(character):02x}" for character in characters])  # as chars_until builds it
        if not opposite:
            regex = f"^{regex}"
        pattern = self[key] = re.compile(f"[{regex}]+")
        return pattern


_CACHE = _CharactersUntil()  # kept for the process: the character sets are the tokenizer's constants


@contextlib.contextmanager
def tinyhtml5_cache() -> Iterator[None]:
    """tinyhtml5's ``chars_until`` cache hitting while this holds (see the module's note)."""
    from tinyhtml5 import inputstream

    own = getattr(inputstream, "characters_until_regex", None)
    if not isinstance(own, dict):  # a tinyhtml5 without that cache: nothing to set right
        yield
        return
    inputstream.characters_until_regex = _CACHE
    try:
        yield
    finally:
        inputstream.characters_until_regex = own
