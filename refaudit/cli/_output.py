"""Printing what came from data without letting it drive the terminal: ``refaudit.printable``.

The command line's name for it; the core (import messages, for one) uses the same function.
"""

from __future__ import annotations

from refaudit.printable import has_undecodable, safe

__all__ = ["has_undecodable", "safe"]
