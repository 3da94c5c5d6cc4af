"""Record identity across copies: random uids, deterministic ones for older registries, tombstones.

A record made by this version gets 128 random bits. A record of an older registry (no
``uid`` yet) gets ``HMAC-SHA256(data key, "refaudit uid v1" ‖ kind ‖ 0 ‖ readable id)[:16]``,
so every copy of that registry gives it the same uid without talking to the others.

A tombstone is ``HMAC-SHA256(merge_key, uid)``: it says "this record was erased" to a
copy that knows the uid, and nothing to anyone else (no personal data, no uid).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from refaudit.model import RECORD_LISTS

_LABEL = b"refaudit uid v1"


def new_uid() -> str:
    return secrets.token_hex(16)


def derived_uid(data_key: bytes, kind: str, record_id: str) -> str:
    """The uid every copy of an older registry agrees on for the record ``kind``/``record_id``."""
    message = _LABEL + kind.encode("utf-8") + b"\x00" + record_id.encode("utf-8")
    return hmac.new(data_key, message, hashlib.sha256).hexdigest()[:32]


def fill_plain(plain: Any, data_key: bytes) -> None:
    """Give each record of a body (plain data) that has no uid its derived one, in place."""
    if not isinstance(plain, dict):
        return
    for kind in RECORD_LISTS:
        records = plain.get(kind)
        if not isinstance(records, list):
            continue
        for record in records:
            if isinstance(record, dict) and record.get("uid") is None and isinstance(record.get("id"), str):
                record["uid"] = derived_uid(data_key, kind, record["id"])


def new_merge_key() -> str:
    return secrets.token_hex(32)


def tombstone(merge_key: str, uid: str) -> str:
    return hmac.new(bytes.fromhex(merge_key), uid.encode("ascii"), hashlib.sha256).hexdigest()


def dead(merge_key: str | None, tombstones: Iterable[str], uids: Iterable[str]) -> set[str]:
    """Which of ``uids`` the tombstones (made under ``merge_key``) name."""
    stones = set(tombstones)
    if merge_key is None or not stones:
        return set()
    return {u for u in uids if tombstone(merge_key, u) in stones}
