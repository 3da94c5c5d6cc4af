"""Sessions, like ``bw unlock``: the passphrase once, then a token in ``REFAUDIT_SESSION``.

The token alone opens nothing. It names and decrypts a small session file in the user's
runtime directory (``platformdirs.user_runtime_dir("refaudit")``, i.e. under
``$XDG_RUNTIME_DIR``: tmpfs, private to the user, gone at logout). That file holds the
registry's file id and data key (and a digest of the key slots it was unlocked from),
sealed with AES-GCM under a key derived from the token
(HKDF), its expiry inside the authenticated plaintext. The file lives in a folder keyed
by the registry's real path, and that path is also the AAD, so a token for one registry
never opens another; ``end_all`` (``lock``, ``passwd``, ``recover``) deletes the folder's
files, after which every token for that registry is worthless. A session made
concurrently with such a change (its file written after ``end_all`` ran) is bound to the
key slots it was unlocked from: once they are replaced it opens nothing either.

Layout: ``<runtime>/refaudit/sessions/<registry key>/<session name>``, folders ``0700``,
files ``0600``. A file's mtime is set to its expiry so expired ones can be swept without
a token; the expiry that counts is the one inside the sealed plaintext.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path

from refaudit import fileio, jsonio, vault
from refaudit.errors import AuthError, RefauditError, ValidationError

MIN_TTL = 1
MAX_TTL = 24 * 3600
DEFAULT_TTL = 15 * 60

_TOKEN_BYTES = 32
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_NAME_INFO = b"refaudit session name v1"
_KEY_INFO = b"refaudit session key v1"
_AAD_PREFIX = b"refaudit session v1\x00"
_VERSION = 1

_RENEW = "run 'refaudit unlock' for a new one"


# --- durations ----------------------------------------------------------------------

_DURATION_RE = re.compile(r"(\d+)([smhd])", re.ASCII)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, what: str = "--timeout") -> int:
    """Seconds in ``15m``, ``1h30m``, ``90s`` or a bare ``90`` (seconds, as ``ssh-add -t``)."""
    value = text.strip().lower()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true, but int("²") fails
        seconds = int(value)
    elif value and _DURATION_RE.sub("", value) == "":
        seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in _DURATION_RE.findall(value))
    else:
        raise ValidationError(f"{what} {text!r} is not a duration; use e.g. 15m, 1h, 1h30m or 90s.")
    if not MIN_TTL <= seconds <= MAX_TTL:
        raise ValidationError(f"{what} {text!r} is out of range; a session lasts from 1s to {MAX_TTL // 3600}h.")
    return seconds


# --- paths ----------------------------------------------------------------------------


def _real(registry_path: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.path.expanduser(os.fspath(registry_path)))


def _registry_key(real: str) -> str:
    return hashlib.sha256(_AAD_PREFIX + os.fsencode(real)).hexdigest()[:32]


def _sessions_root() -> Path:
    import warnings

    import platformdirs

    try:
        with warnings.catch_warnings():
            # Without XDG_RUNTIME_DIR platformdirs falls back to a private /tmp/runtime-UID
            # and warns; _private_dir checks that folder is ours and 0700, so say nothing.
            warnings.simplefilter("ignore")
            runtime = platformdirs.user_runtime_dir("refaudit", appauthor=False)
    except OSError as exc:
        raise RefauditError(f"no private runtime folder for sessions ({exc}); set XDG_RUNTIME_DIR to one.") from None
    return Path(runtime) / "sessions"


def _private_dir(path: Path) -> Path:
    """Create ``path`` (``0700``) or check an existing one: a real folder, ours, private."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError as exc:
        raise RefauditError(f"cannot use {str(path)!r} for sessions: {exc.strerror or exc}.") from None
    if not stat.S_ISDIR(info.st_mode) or not fileio.mine(info):
        raise RefauditError(
            f"{str(path)!r} is not a folder of yours; refusing to keep session keys there "
            "(set XDG_RUNTIME_DIR to a private folder)."
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(0o700)
    return path


def _registry_dir(real: str, *, create: bool) -> Path:
    root = _sessions_root()
    folder = root / _registry_key(real)
    if create:
        _private_dir(root.parent)
        _private_dir(root)
        _private_dir(folder)
    return folder


# --- tokens -----------------------------------------------------------------------------


def _encode_token(secret: bytes) -> str:
    return base64.urlsafe_b64encode(secret).rstrip(b"=").decode("ascii")


def _decode_token(token: str) -> bytes:
    text = token.strip()
    if not _TOKEN_RE.match(text):
        raise AuthError(f"REFAUDIT_SESSION does not hold a refaudit session token; {_RENEW}.")
    try:
        return base64.urlsafe_b64decode(text + "=")
    except (binascii.Error, ValueError):  # pragma: no cover - the pattern admits only valid text
        raise AuthError(f"REFAUDIT_SESSION does not hold a refaudit session token; {_RENEW}.") from None


def _session_name(secret: bytes) -> str:
    return vault.derive_key(secret, _NAME_INFO)[:16].hex()


def _aad(real: str) -> bytes:
    return _AAD_PREFIX + os.fsencode(real)


# --- the API ------------------------------------------------------------------------------


def create(
    registry_path: str | os.PathLike[str],
    file_id: bytes,
    data_key: bytes,
    ttl_seconds: int,
    now: datetime,
    *,
    slots: bytes,
) -> str:
    """Seal the registry's key into a new session file; return the token that opens it.

    ``slots`` is ``vault.slots_digest`` of the keyring the key came from: the session dies with those slots.
    """
    if not MIN_TTL <= ttl_seconds <= MAX_TTL:
        raise ValidationError(f"a session lasts from 1s to {MAX_TTL // 3600}h, not {ttl_seconds}s.")
    real = _real(registry_path)
    folder = _registry_dir(real, create=True)
    now_ts = now.timestamp()
    _sweep(folder.parent, now_ts)
    expires = int(now_ts) + ttl_seconds
    secret = secrets.token_bytes(_TOKEN_BYTES)
    plaintext = jsonio.dumps(
        {
            "v": _VERSION,
            "registry": real,
            "file_id": file_id.hex(),
            "data_key": data_key.hex(),
            "slots": slots.hex(),
            "created": int(now_ts),
            "expires": expires,
        }
    ).encode("utf-8")
    sealed = vault.seal_small(vault.derive_key(secret, _KEY_INFO), plaintext, _aad(real))
    _write_private(folder / _session_name(secret), sealed, expires)
    return _encode_token(secret)


def resolve(
    token: str, registry_path: str | os.PathLike[str], *, now: datetime | None = None
) -> tuple[bytes, bytes, bytes]:
    """The ``(file_id, data_key, slots digest)`` a live session holds for this registry; AuthError otherwise.

    The caller checks the digest against the file it opens (``check_slots``).
    """
    secret = _decode_token(token)
    real = _real(registry_path)
    folder = _registry_dir(real, create=False)
    name = _session_name(secret)
    now_ts = (now or datetime.now(UTC)).timestamp()
    try:
        sealed = (folder / name).read_bytes()
    except FileNotFoundError:
        raise AuthError(_missing_message(folder, name)) from None
    except OSError as exc:
        raise AuthError(f"the session file cannot be read ({exc.strerror or exc}); {_RENEW}.") from None
    try:
        plaintext = vault.open_small(vault.derive_key(secret, _KEY_INFO), sealed, _aad(real))
        data = jsonio.loads(plaintext, "the session")
        file_id = bytes.fromhex(data["file_id"])
        data_key = bytes.fromhex(data["data_key"])
        slots = bytes.fromhex(data["slots"])
        expires = int(data["expires"])
        bound = data["registry"]
    except (AuthError, ValidationError, ValueError, KeyError, TypeError):
        raise AuthError(f"the session in REFAUDIT_SESSION does not open (tampered or damaged); {_RENEW}.") from None
    if bound != real:
        raise AuthError(f"the session in REFAUDIT_SESSION belongs to another registry; {_RENEW}.")
    if now_ts >= expires:
        fileio.unlink_quietly(folder / name)
        at = datetime.fromtimestamp(expires, UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        raise AuthError(f"the session in REFAUDIT_SESSION expired at {at}; {_RENEW}.")
    return file_id, data_key, slots


def check_slots(keyring: vault.Keyring, slots: bytes) -> None:
    """AuthError when the registry's key slots are not those the session was made from (passwd, recover)."""
    import hmac

    if not hmac.compare_digest(vault.slots_digest(keyring), slots):
        raise AuthError(
            "the session in REFAUDIT_SESSION was made before the passphrase changed (passwd or recover) "
            f"and no longer opens the registry; {_RENEW}."
        )


def end_all(registry_path: str | os.PathLike[str]) -> int:
    """Delete every session file of this registry; returns how many were still live."""
    real = _real(registry_path)
    try:
        folder = _registry_dir(real, create=False)
    except RefauditError:
        return 0
    now_ts = datetime.now(UTC).timestamp()
    ended = 0
    for entry in _entries(folder):
        with contextlib.suppress(OSError):
            live = entry.lstat().st_mtime > now_ts and not entry.name.startswith(".")
            entry.unlink()
            if live:
                ended += 1
    with contextlib.suppress(OSError):
        folder.rmdir()
    return ended


def end(token: str, registry_path: str | os.PathLike[str]) -> None:
    """Delete the one session ``token`` opens (a session made for a single use, e.g. git's merge driver)."""
    folder = _registry_dir(_real(registry_path), create=False)
    fileio.unlink_quietly(folder / _session_name(_decode_token(token)))


def expiry_of(now: datetime, ttl_seconds: int) -> datetime:
    """When a session made at ``now`` ends, in local time (for telling the user)."""
    return datetime.fromtimestamp(int(now.timestamp()) + ttl_seconds, UTC).astimezone()


# --- helpers ------------------------------------------------------------------------------


def _missing_message(folder: Path, name: str) -> str:
    for other in _entries(folder.parent):
        if other != folder and (other / name).exists():
            return f"the session in REFAUDIT_SESSION belongs to another registry; {_RENEW}."
    return f"the session in REFAUDIT_SESSION has ended or expired ('refaudit lock', a new passphrase); {_RENEW}."


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _sweep(root: Path, now_ts: float) -> None:
    """Remove session files whose expiry (their mtime) has passed, for every registry."""
    for folder in _entries(root):
        for entry in _entries(folder):
            with contextlib.suppress(OSError):
                if entry.lstat().st_mtime <= now_ts:
                    entry.unlink()


def _write_private(path: Path, data: bytes, expires: int) -> None:
    try:
        fileio.replace_private(path, data, mtime=expires)
    except OSError as exc:
        raise RefauditError(f"cannot write the session file in {str(path.parent)!r}: {exc.strerror or exc}.") from None
