"""Printing what came from data without letting it drive the terminal (``refaudit.printable``), and JSON output.

The command line's name for it; the core (import messages, for one) uses the same function.
"""

from __future__ import annotations

from typing import Any

import click

from refaudit.printable import has_undecodable, safe


def echo_json(data: Any) -> None:
    """``data`` as indented JSON on standard output (``refaudit.jsonio``: dates as ISO text)."""
    from refaudit import jsonio

    click.echo(jsonio.dumps(data, indent=2))


__all__ = ["echo_json", "has_undecodable", "safe"]
