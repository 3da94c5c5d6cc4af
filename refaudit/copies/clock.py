"""Stamps: a hybrid logical clock plus this machine's device id.

A stamp is text that sorts in time order: 16 hex digits of the clock (milliseconds since
1970 shifted left 16 bits, plus a counter in the low 16 bits), then the device id (16 hex
digits). ``ZERO`` (16 zeros) is the stamp of every field written before stamps existed; it
sorts before every other stamp.

The clock never goes back: each new stamp is later than the wall clock, than the last stamp
this registry gave, and than every stamp it learned from a merge (the registry keeps the
latest as ``clock``). The device id lives in the platform's user state folder
(``platformdirs.user_state_dir``: ``~/.local/state/refaudit/device-id`` on Linux), never
beside the registry, so that two machines syncing one folder stay two devices.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path

ZERO = "0" * 16
_DEVICE_FILE = "device-id"


def state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("refaudit", appauthor=False))


def device_id() -> str:
    """This machine's id: made once (64 random bits), then read back."""
    path = state_dir() / _DEVICE_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) == 16 and all(c in "0123456789abcdef" for c in text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    text = secrets.token_hex(8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{_DEVICE_FILE}.{os.getpid()}.tmp")
        tmp.write_text(text + "\n", encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: this run's stamps still carry a random device id
    return text


def hlc_of(stamp: str) -> int:
    return int(stamp[:16], 16)


class Clock:
    """Hands out increasing stamps for one save."""

    def __init__(self, now: datetime, device: str, last: str | None) -> None:
        wall = int(now.timestamp() * 1000) << 16
        self._next = max(wall, (int(last, 16) + 1) if last else 0)
        self.device = device

    def tick(self) -> str:
        stamp = f"{self._next:016x}{self.device}"
        self._next += 1
        return stamp

    @property
    def last(self) -> str:
        """The latest clock value handed out (for the registry's ``clock``)."""
        return f"{self._next - 1:016x}"
