"""What a change to the registry returns: the history line, a typed result, and how to save it.

The domain modules (``references``, ``applications``, ``feedback``, ``interop``, ``editing``)
build a ``Change``; ``service.update`` records it in the history and saves. It lives below
the service so that the domain never imports the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from refaudit.model import Registry

T = TypeVar("T")


@dataclass(frozen=True)
class Change(Generic[T]):
    """What a use case did, for ``service.update``.

    ``summary`` is the history line (ids and counts, never personal data); ``None`` says
    nothing changed, and nothing is written. ``result`` goes back to the caller.
    ``registry`` is a whole new registry to save (``edit``) instead of the one the change
    was handed and changed in place. ``erase_backup`` writes the new contents over the
    backup too (erasure: what was removed must not survive there).
    """

    summary: str | None
    result: T = None  # type: ignore[assignment]  # a change with nothing to return is Change[None]
    registry: Registry | None = None
    erase_backup: bool = False


__all__ = ["Change"]
