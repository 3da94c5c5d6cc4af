"""The registry file format: header, key slots, KDF and AEAD — bytes in, bytes out.

No paths and no file I/O live here; `store` reads and writes the bytes. This is the
only module that imports `cryptography`. docs/FORMAT.md documents the byte layout.

Every failure to read a file surfaces as `DamagedError` (exit 4) or, when the
header is sound but the secret does not open it, `AuthError` (exit 3) — never a
`struct.error`, `ValueError` or `InvalidTag`.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import os
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from refaudit.errors import AuthError, DamagedError, ValidationError

MAGIC = b"REFAUDIT"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class KdfParams:
    """Argon2id work factor, stored in the header so it can change between saves."""

    memory_kib: int
    passes: int
    lanes: int = 4


DEFAULT_KDF = KdfParams(65536, 3, 4)
# OWASP's Argon2id floor (19 MiB, 2 passes, 1 lane); `init` and `passwd` refuse less.
MIN_KDF = KdfParams(19456, 2, 1)

# What `init` accepts and a reader accepts before deriving anything (docs/SPEC.md, "The registry and its keys"):
# a crafted header must cost seconds and at most 1 GiB per attempt, never minutes
# (age caps its scrypt work factor the same way).
MAX_MEMORY_KIB = 1024 * 1024
MAX_PASSES = 10
MAX_LANES = 8

_KEY_SIZE = 32
_NONCE_SIZE = 12
_TAG_SIZE = 16
_SALT_SIZE = 16
_FILE_ID_SIZE = 16
_KEY_CHECK_SIZE = 16
_CHECKSUM_SIZE = 32

# magic, version, memory KiB, passes, lanes, salt, file id, key check, body length, slot count
_FIXED = struct.Struct(">8sHIII16s16s16sQB")
# kind, nonce, data key wrapped under the slot's KEK (ciphertext + tag)
_SLOT = struct.Struct(">B12s48s")

_PASSPHRASE = 1
_RECOVERY = 2
_SLOT_NAMES = {_PASSPHRASE: "passphrase", _RECOVERY: "recovery"}

_RECOVERY_INFO = b"refaudit recovery slot v1"
_KEY_CHECK_LABEL = b"refaudit key check v1"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_VALUE = {c: i for i, c in enumerate(_CROCKFORD)}
_CROCKFORD_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_RECOVERY_CRC_SIZE = 2
# 32 key bytes + a 2-byte CRC are 272 bits: 55 characters of 5 bits (3 zero pad bits),
# which print as exactly 11 groups of 5.
_RECOVERY_CHARS = -(-(_KEY_SIZE + _RECOVERY_CRC_SIZE) * 8 // 5)
_RECOVERY_GROUP = 5


@dataclass(frozen=True)
class _Slot:
    kind: int
    nonce: bytes
    wrapped: bytes


@dataclass(frozen=True)
class Keyring:
    """The unwrapped data key plus the header material needed to seal the file again."""

    file_id: bytes
    data_key: bytes = field(repr=False)
    kdf: KdfParams
    salt: bytes = field(repr=False)
    slots: tuple[_Slot, ...] = field(repr=False)


class HeaderInfo(TypedDict):
    """What `inspect` tells about a file without any secret."""

    format_version: int
    kdf: str
    kdf_memory_kib: int
    kdf_passes: int
    kdf_lanes: int
    slots: list[str]
    body_size: int
    file_id: str


@dataclass(frozen=True)
class _Header:
    version: int
    kdf: KdfParams
    salt: bytes
    file_id: bytes
    key_check: bytes
    body_size: int
    slots: tuple[_Slot, ...]
    raw: bytes  # the header bytes the checksum and the body's AAD cover

    def slot(self, kind: int) -> _Slot | None:
        return next((s for s in self.slots if s.kind == kind), None)


# ---------------------------------------------------------------- KDF parameters


def _kdf_problem(params: KdfParams) -> str | None:
    """Say what is out of range in `params`, or None when a reader would accept them."""
    if not 1 <= params.lanes <= MAX_LANES:
        return f"Argon2id lanes is {params.lanes}; it must be 1 to {MAX_LANES}"
    if not 1 <= params.passes <= MAX_PASSES:
        return f"Argon2id passes is {params.passes}; it must be 1 to {MAX_PASSES}"
    if params.memory_kib > MAX_MEMORY_KIB:
        return f"Argon2id memory is {params.memory_kib} KiB, above the limit of {MAX_MEMORY_KIB} KiB (1 GiB)"
    if params.memory_kib < 8 * params.lanes:
        return (
            f"Argon2id memory is {params.memory_kib} KiB, below 8 KiB per lane "
            f"({8 * params.lanes} KiB for {params.lanes} lanes)"
        )
    return None


def _require_writable(params: KdfParams) -> None:
    problem = _kdf_problem(params)
    if problem is not None:
        raise ValidationError(problem)


def check_kdf_floor(params: KdfParams) -> None:
    """Refuse parameters weaker than MIN_KDF or beyond what a reader accepts."""
    _require_writable(params)
    if params.memory_kib < MIN_KDF.memory_kib:
        raise ValidationError(
            f"Argon2id memory {params.memory_kib} KiB ({params.memory_kib // 1024} MiB) is below "
            f"the minimum of {MIN_KDF.memory_kib} KiB ({MIN_KDF.memory_kib // 1024} MiB)"
        )
    if params.passes < MIN_KDF.passes:
        raise ValidationError(f"Argon2id passes {params.passes} is below the minimum of {MIN_KDF.passes}")


# ---------------------------------------------------------------- key derivation


def _passphrase_kek(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    # NFC so that "é" typed as one code point or as e + combining accent is one passphrase.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    argon = Argon2id(
        salt=salt,
        length=_KEY_SIZE,
        iterations=kdf.passes,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_kib,
    )
    return argon.derive(secret)


def _recovery_kek(recovery_key: bytes, file_id: bytes) -> bytes:
    # The recovery key is 256 random bits, so a fast KDF is enough; no Argon2 needed.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=_KEY_SIZE, salt=file_id, info=_RECOVERY_INFO)
    return hkdf.derive(recovery_key)


def _key_check(data_key: bytes, file_id: bytes) -> bytes:
    digest = hmac.new(data_key, _KEY_CHECK_LABEL + file_id, hashlib.sha256).digest()
    return digest[:_KEY_CHECK_SIZE]


def _slot_aad(kind: int, file_id: bytes, kdf: KdfParams, salt: bytes) -> bytes:
    aad = MAGIC + struct.pack(">H", FORMAT_VERSION) + file_id + bytes([kind])
    if kind == _PASSPHRASE:
        # The recovery slot cannot bind these: `passwd` changes them without the recovery key.
        aad += struct.pack(">III", kdf.memory_kib, kdf.passes, kdf.lanes) + salt
    return aad


def _wrap(kind: int, kek: bytes, data_key: bytes, file_id: bytes, kdf: KdfParams, salt: bytes) -> _Slot:
    nonce = os.urandom(_NONCE_SIZE)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _slot_aad(kind, file_id, kdf, salt))
    return _Slot(kind, nonce, wrapped)


def _unwrap(slot: _Slot, kek: bytes, header: _Header) -> bytes | None:
    aad = _slot_aad(slot.kind, header.file_id, header.kdf, header.salt)
    try:
        return AESGCM(kek).decrypt(slot.nonce, slot.wrapped, aad)
    except InvalidTag:
        return None


# ---------------------------------------------------------------- recovery key text


def _format_recovery_key(key: bytes) -> str:
    crc = binascii.crc_hqx(key, 0).to_bytes(_RECOVERY_CRC_SIZE, "big")
    bits = int.from_bytes(key + crc, "big") << (_RECOVERY_CHARS * 5 - len(key + crc) * 8)
    chars = [_CROCKFORD[(bits >> (5 * (_RECOVERY_CHARS - 1 - i))) & 31] for i in range(_RECOVERY_CHARS)]
    text = "".join(chars)
    return "-".join(text[i : i + _RECOVERY_GROUP] for i in range(0, _RECOVERY_CHARS, _RECOVERY_GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Read a recovery key as printed by `init`, forgiving case, spaces, hyphens, I/L/O.

    Raises AuthError saying what is wrong with the text (length, a character, the
    checksum), so a typo never reaches the cryptography as a "wrong key".
    """
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CROCKFORD_ALIASES)
    if len(cleaned) != _RECOVERY_CHARS:
        raise AuthError(
            f"the recovery key has {len(cleaned)} characters; it should have "
            f"{_RECOVERY_CHARS} ({_RECOVERY_CHARS // _RECOVERY_GROUP} groups of {_RECOVERY_GROUP})"
        )
    bits = 0
    for position, char in enumerate(cleaned, start=1):
        value = _CROCKFORD_VALUE.get(char)
        if value is None:
            raise AuthError(
                f"character {position} of the recovery key is {char!r}, which never appears in a recovery key"
            )
        bits = (bits << 5) | value
    pad = _RECOVERY_CHARS * 5 - (_KEY_SIZE + _RECOVERY_CRC_SIZE) * 8
    raw = (bits >> pad).to_bytes(_KEY_SIZE + _RECOVERY_CRC_SIZE, "big")
    key, crc = raw[:_KEY_SIZE], raw[_KEY_SIZE:]
    # A CRC-16 catches every single mistyped character and every swap of two
    # neighbours (both are bursts of at most 10 bits); a hash prefix would not promise that.
    if bits & ((1 << pad) - 1) or binascii.crc_hqx(key, 0).to_bytes(2, "big") != crc:
        raise AuthError("the recovery key's checksum does not match — check for a mistyped character")
    return key


# ---------------------------------------------------------------- reading the header


def _damaged(detail: str) -> DamagedError:
    return DamagedError(f"the registry is damaged or was tampered with ({detail})")


def _truncated(have: int, need: int) -> DamagedError:
    return _damaged(f"it is truncated: {have} bytes where at least {need} are needed")


def _parse(blob: bytes) -> _Header:
    """Check everything about the file that needs no secret, cheapest checks first."""
    if not blob:
        raise DamagedError("this is not a refaudit registry (the file is empty)")
    if blob[: len(MAGIC)] != MAGIC:
        if MAGIC.startswith(blob):
            raise _truncated(len(blob), _FIXED.size)
        raise DamagedError("this is not a refaudit registry (it does not start with the REFAUDIT signature)")
    if len(blob) < len(MAGIC) + 2:
        raise _truncated(len(blob), _FIXED.size)
    (version,) = struct.unpack_from(">H", blob, len(MAGIC))
    if version > FORMAT_VERSION:
        raise DamagedError(
            f"registry format version {version} is not supported by this refaudit "
            f"(it reads version {FORMAT_VERSION}); upgrade refaudit"
        )
    if version != FORMAT_VERSION:
        raise _damaged(f"format version {version} does not exist")
    if len(blob) < _FIXED.size:
        raise _truncated(len(blob), _FIXED.size)
    (_, _, memory, passes, lanes, salt, file_id, key_check, body_size, count) = _FIXED.unpack_from(blob)
    if count not in (1, 2):
        raise _damaged(f"it declares {count} key slots where a registry has 1 or 2")
    header_size = _FIXED.size + count * _SLOT.size
    if len(blob) < header_size + _CHECKSUM_SIZE:
        raise _truncated(len(blob), header_size + _CHECKSUM_SIZE)
    raw = blob[:header_size]
    stored = blob[header_size : header_size + _CHECKSUM_SIZE]
    # Random damage in the header is reported here, before any key derivation.
    if not hmac.compare_digest(hashlib.sha256(raw).digest(), stored):
        raise _damaged("the header checksum does not match")
    kdf = KdfParams(memory, passes, lanes)
    problem = _kdf_problem(kdf)
    if problem is not None:
        if memory > MAX_MEMORY_KIB or passes > MAX_PASSES or lanes > MAX_LANES:
            raise _beyond_limits(problem)
        raise _damaged(problem)
    slots = tuple(_Slot(*_SLOT.unpack_from(blob, _FIXED.size + i * _SLOT.size)) for i in range(count))
    if tuple(s.kind for s in slots) != (_PASSPHRASE, _RECOVERY)[:count]:
        raise _damaged("its key slots are not a passphrase slot optionally followed by a recovery slot")
    body_start = header_size + _CHECKSUM_SIZE + _NONCE_SIZE
    if body_size < _TAG_SIZE:
        raise _damaged(f"its header gives a body of {body_size} bytes, too short to hold a tag")
    expected = body_start + body_size
    if len(blob) < expected:
        raise _truncated(len(blob), expected)
    if len(blob) > expected:
        extra = len(blob) - expected
        raise _damaged(f"it has {extra} unexpected byte{'s' if extra != 1 else ''} after its end")
    return _Header(version, kdf, salt, file_id, key_check, body_size, slots, raw)


def _beyond_limits(problem: str) -> DamagedError:
    # A crafted header, or a file made before the limits were lowered: either way nothing is
    # derived. The way out for a genuine file is to move its contents to a new registry.
    return DamagedError(
        f"this registry's key derivation is beyond what refaudit accepts ({problem}).\n"
        "To rekey it: with the refaudit that made it, 'refaudit export -o all.yaml'; then with this one, "
        "'refaudit --registry NEW init' and 'refaudit --registry NEW import all.yaml'; then delete all.yaml."
    )


def _keyring(header: _Header, data_key: bytes) -> Keyring:
    if not hmac.compare_digest(_key_check(data_key, header.file_id), header.key_check):
        raise _damaged("the key check does not match the unwrapped data key")
    return Keyring(header.file_id, data_key, header.kdf, header.salt, header.slots)


# ---------------------------------------------------------------- public operations


def create(passphrase: str, kdf: KdfParams = DEFAULT_KDF, *, recovery: bool = True) -> tuple[Keyring, str | None]:
    """Make a new data key and file id, wrapped for the passphrase and, optionally, a recovery key.

    Returns the keyring and the recovery key text to show the user once (None without one).
    The KDF floor is the caller's to enforce with `check_kdf_floor`; tests use cheaper params.
    """
    if not passphrase:
        raise ValidationError("an empty passphrase is not accepted")
    _require_writable(kdf)
    data_key = AESGCM.generate_key(bit_length=_KEY_SIZE * 8)
    file_id = os.urandom(_FILE_ID_SIZE)
    salt = os.urandom(_SALT_SIZE)
    kek = _passphrase_kek(passphrase, salt, kdf)
    slots = [_wrap(_PASSPHRASE, kek, data_key, file_id, kdf, salt)]
    recovery_text = None
    if recovery:
        recovery_key = os.urandom(_KEY_SIZE)
        recovery_kek = _recovery_kek(recovery_key, file_id)
        slots.append(_wrap(_RECOVERY, recovery_kek, data_key, file_id, kdf, salt))
        recovery_text = _format_recovery_key(recovery_key)
    return Keyring(file_id, data_key, kdf, salt, tuple(slots)), recovery_text


def seal(keyring: Keyring, plaintext: bytes) -> bytes:
    """Return the whole file: header, its checksum, a fresh nonce and the encrypted body."""
    k = keyring.kdf
    raw = _FIXED.pack(
        MAGIC,
        FORMAT_VERSION,
        k.memory_kib,
        k.passes,
        k.lanes,
        keyring.salt,
        keyring.file_id,
        _key_check(keyring.data_key, keyring.file_id),
        len(plaintext) + _TAG_SIZE,
        len(keyring.slots),
    ) + b"".join(_SLOT.pack(s.kind, s.nonce, s.wrapped) for s in keyring.slots)
    nonce = os.urandom(_NONCE_SIZE)
    body = AESGCM(keyring.data_key).encrypt(nonce, plaintext, raw)
    return raw + hashlib.sha256(raw).digest() + nonce + body


def unlock_passphrase(blob: bytes, passphrase: str) -> Keyring:
    """Open the passphrase slot; AuthError when the passphrase is wrong."""
    header = _parse(blob)
    slot = header.slot(_PASSPHRASE)
    assert slot is not None  # _parse guarantees the passphrase slot
    data_key = _unwrap(slot, _passphrase_kek(passphrase, header.salt, header.kdf), header)
    if data_key is None:
        raise AuthError("wrong passphrase for this registry")
    return _keyring(header, data_key)


def unlock_recovery(blob: bytes, recovery_key: str) -> Keyring:
    """Open the recovery slot with the key text `init` printed."""
    header = _parse(blob)
    slot = header.slot(_RECOVERY)
    if slot is None:
        raise AuthError("this registry has no recovery key (it was created without one)")
    key = parse_recovery_key(recovery_key)
    data_key = _unwrap(slot, _recovery_kek(key, header.file_id), header)
    if data_key is None:
        raise AuthError("this recovery key does not open this registry")
    return _keyring(header, data_key)


def unlock_key(blob: bytes, file_id: bytes, data_key: bytes) -> Keyring:
    """Rebuild a keyring from a session's saved file id and data key, without any KDF."""
    header = _parse(blob)
    if not hmac.compare_digest(file_id, header.file_id):
        raise AuthError("the session belongs to a different registry")
    if len(data_key) != _KEY_SIZE or not hmac.compare_digest(_key_check(data_key, header.file_id), header.key_check):
        raise AuthError("the session key does not open this registry")
    return Keyring(header.file_id, data_key, header.kdf, header.salt, header.slots)


def open_body(blob: bytes, keyring: Keyring) -> bytes:
    """Authenticate the header and body together, then return the plaintext."""
    header = _parse(blob)
    if header.file_id != keyring.file_id:
        raise _damaged("it is not the registry this key was unlocked from")
    body_start = len(header.raw) + _CHECKSUM_SIZE
    nonce = blob[body_start : body_start + _NONCE_SIZE]
    try:
        return AESGCM(keyring.data_key).decrypt(nonce, blob[body_start + _NONCE_SIZE :], header.raw)
    except InvalidTag:
        raise _damaged("the body does not authenticate") from None


def rewrap_passphrase(keyring: Keyring, new_passphrase: str, kdf: KdfParams | None = None) -> Keyring:
    """Wrap the same data key under a new passphrase and salt; the recovery slot is kept."""
    if not new_passphrase:
        raise ValidationError("an empty passphrase is not accepted")
    params = kdf if kdf is not None else keyring.kdf
    _require_writable(params)
    salt = os.urandom(_SALT_SIZE)
    kek = _passphrase_kek(new_passphrase, salt, params)
    slot = _wrap(_PASSPHRASE, kek, keyring.data_key, keyring.file_id, params, salt)
    others = tuple(s for s in keyring.slots if s.kind != _PASSPHRASE)
    return Keyring(keyring.file_id, keyring.data_key, params, salt, (slot, *others))


def slots_digest(keyring: Keyring) -> bytes:
    """SHA-256 of the key slots and what they are bound to (KDF, salt): changes with every ``passwd``/``recover``.

    A session records it, so a session made from a header that was replaced since (even
    concurrently, by a ``passwd`` that ran between the read and the session's creation) opens nothing.
    """
    k = keyring.kdf
    packed = struct.pack(">III", k.memory_kib, k.passes, k.lanes) + keyring.salt + keyring.file_id
    packed += b"".join(_SLOT.pack(s.kind, s.nonce, s.wrapped) for s in keyring.slots)
    return hashlib.sha256(b"refaudit key slots v1\x00" + packed).digest()


def has_recovery(keyring: Keyring) -> bool:
    """Whether the registry has a recovery-key slot."""
    return any(s.kind == _RECOVERY for s in keyring.slots)


def inspect(blob: bytes) -> HeaderInfo:
    """The header's facts for `verify`, checked but without any secret; the body is not opened."""
    header = _parse(blob)
    return HeaderInfo(
        format_version=header.version,
        kdf="argon2id",
        kdf_memory_kib=header.kdf.memory_kib,
        kdf_passes=header.kdf.passes,
        kdf_lanes=header.kdf.lanes,
        slots=[_SLOT_NAMES[s.kind] for s in header.slots],
        body_size=header.body_size,
        file_id=header.file_id.hex(),
    )


# ---------------------------------------------------------------- small sealed blobs (sessions)


def derive_key(secret: bytes, info: bytes) -> bytes:
    """A 32-byte key for one purpose (``info``) from a high-entropy ``secret`` (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_SIZE, salt=None, info=info).derive(secret)


def seal_small(key32: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM under ``key32`` with a fresh random nonce: ``nonce || ciphertext || tag``."""
    nonce = os.urandom(_NONCE_SIZE)
    return nonce + AESGCM(key32).encrypt(nonce, plaintext, aad)


def open_small(key32: bytes, blob: bytes, aad: bytes) -> bytes:
    """Reverse ``seal_small``; AuthError when the key, the AAD or any byte is wrong."""
    if len(blob) < _NONCE_SIZE + _TAG_SIZE:
        raise AuthError("the sealed data is truncated")
    try:
        return AESGCM(key32).decrypt(blob[:_NONCE_SIZE], blob[_NONCE_SIZE:], aad)
    except InvalidTag:
        raise AuthError("the sealed data does not authenticate") from None
