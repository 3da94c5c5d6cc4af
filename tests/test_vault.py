"""The registry file format: real Argon2id and AES-GCM, no mocks.

Offsets used here are the ones docs/FORMAT.md documents, so these tests also pin the layout.
"""

from __future__ import annotations

import hashlib
import os
import struct
import time

import pytest

from refaudit import vault
from refaudit.errors import AuthError, DamagedError, ValidationError

CHEAP = vault.KdfParams(8192, 1, 1)
PASSPHRASE = "correct horse battery staple"
BODY = b"references:\n- id: r1\n  name: Ada Lovelace\n" * 20

FIXED_SIZE = 79
SLOT_SIZE = 61
CHECKSUM_SIZE = 32
NONCE_SIZE = 12


def _header_size(blob: bytes) -> int:
    return FIXED_SIZE + blob[FIXED_SIZE - 1] * SLOT_SIZE


def _with_checksum(blob: bytes) -> bytes:
    """Recompute the header checksum, as someone crafting a header would."""
    end = _header_size(blob)
    return blob[:end] + hashlib.sha256(blob[:end]).digest() + blob[end + CHECKSUM_SIZE :]


def _open(blob: bytes, passphrase: str = PASSPHRASE) -> bytes:
    return vault.open_body(blob, vault.unlock_passphrase(blob, passphrase))


@pytest.fixture(scope="module")
def made() -> tuple[vault.Keyring, str, bytes]:
    keyring, recovery = vault.create(PASSPHRASE, CHEAP)
    assert recovery is not None
    return keyring, recovery, vault.seal(keyring, BODY)


def _typo(recovery: str, index: int) -> str:
    """Replace the index-th key character (not counting hyphens) with a different valid one."""
    positions = [i for i, c in enumerate(recovery) if c != "-"]
    at = positions[index]
    replacement = "Z" if recovery[at] != "Z" else "Y"
    return recovery[:at] + replacement + recovery[at + 1 :]


def test_round_trip(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A sealed body opens with the passphrase to exactly the bytes sealed."""
    _, _, blob = made
    assert blob.startswith(vault.MAGIC)
    assert _open(blob) == BODY


def test_round_trip_with_default_kdf() -> None:
    """The real default parameters (64 MiB, 3 passes, 4 lanes) are written and read back."""
    keyring, _ = vault.create(PASSPHRASE)
    blob = vault.seal(keyring, BODY)
    info = vault.inspect(blob)
    assert (info["kdf_memory_kib"], info["kdf_passes"], info["kdf_lanes"]) == (65536, 3, 4)
    assert _open(blob) == BODY


def test_empty_body_round_trips(made: tuple[vault.Keyring, str, bytes]) -> None:
    """An empty plaintext is a valid body."""
    keyring, _, _ = made
    assert _open(vault.seal(keyring, b"")) == b""


def test_each_seal_uses_a_fresh_nonce(made: tuple[vault.Keyring, str, bytes]) -> None:
    """Sealing the same body twice gives different files that both open."""
    keyring, _, _ = made
    first, second = vault.seal(keyring, BODY), vault.seal(keyring, BODY)
    assert first != second
    assert _open(first) == _open(second) == BODY


def test_wrong_passphrase_is_auth_error(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A wrong passphrase is exit 3 with one crisp message."""
    _, _, blob = made
    with pytest.raises(AuthError, match=r"^wrong passphrase for this registry$") as caught:
        vault.unlock_passphrase(blob, "incorrect horse")
    assert caught.value.exit_code == 3


def test_passphrase_is_nfc_normalised() -> None:
    """A passphrase typed with a combining accent opens a file made with the composed one."""
    keyring, _ = vault.create("caf\u00e9", CHEAP, recovery=False)
    blob = vault.seal(keyring, BODY)
    assert _open(blob, "cafe\u0301") == BODY


def test_empty_passphrase_is_refused() -> None:
    """No registry is ever created with an empty passphrase."""
    with pytest.raises(ValidationError, match="empty passphrase"):
        vault.create("", CHEAP)


def test_recovery_key_opens(made: tuple[vault.Keyring, str, bytes]) -> None:
    """The recovery key printed at creation opens the registry."""
    _, recovery, blob = made
    keyring = vault.unlock_recovery(blob, recovery)
    assert vault.open_body(blob, keyring) == BODY
    assert vault.has_recovery(keyring)


def test_recovery_key_text_format(made: tuple[vault.Keyring, str, bytes]) -> None:
    """The recovery key is 11 upper-case Crockford base32 groups of 5 joined by hyphens."""
    _, recovery, _ = made
    groups = recovery.split("-")
    assert [len(g) for g in groups] == [5] * 11
    assert set("".join(groups)) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_recovery_key_typo_is_clear_auth_error(made: tuple[vault.Keyring, str, bytes]) -> None:
    """One mistyped character is reported as a checksum mismatch, exit 3, before any crypto."""
    _, recovery, blob = made
    with pytest.raises(AuthError) as caught:
        vault.unlock_recovery(blob, _typo(recovery, 17))
    assert str(caught.value) == ("the recovery key's checksum does not match — check for a mistyped character")
    assert caught.value.exit_code == 3


def test_every_single_character_typo_is_caught(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A substitution at any of the 55 positions fails the checksum, never silently passing."""
    _, recovery, _ = made
    for index in range(55):
        with pytest.raises(AuthError, match="checksum does not match"):
            vault.parse_recovery_key(_typo(recovery, index))


def test_every_neighbour_swap_is_caught(made: tuple[vault.Keyring, str, bytes]) -> None:
    """Swapping two different neighbouring characters fails the checksum."""
    _, recovery, _ = made
    text = recovery.replace("-", "")
    for i in range(len(text) - 1):
        if text[i] != text[i + 1]:
            swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            with pytest.raises(AuthError, match="checksum does not match"):
                vault.parse_recovery_key(swapped)


def test_recovery_parse_forgives_case_spacing_and_lookalikes(
    made: tuple[vault.Keyring, str, bytes],
) -> None:
    """Lower case, spaces instead of hyphens, O for 0 and I or L for 1 all read the same key."""
    _, recovery, _ = made
    expected = vault.parse_recovery_key(recovery)
    sloppy = recovery.lower().replace("-", " ").replace("0", "o")
    assert vault.parse_recovery_key(sloppy) == expected
    assert vault.parse_recovery_key(recovery.replace("1", "I")) == expected
    assert vault.parse_recovery_key(recovery.replace("1", "l")) == expected
    assert vault.parse_recovery_key("  " + recovery.replace("-", "") + "\n") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "ABCDE-FGHJK",
            r"^the recovery key has 10 characters; it should have 55 \(11 groups of 5\)$",
        ),
        (
            "U" * 55,
            r"^character 1 of the recovery key is 'U', which never appears in a recovery key$",
        ),
    ],
    ids=["too-short", "not-crockford"],
)
def test_recovery_parse_names_the_problem(text: str, message: str) -> None:
    """A wrong length or a foreign character is named, not reported as a wrong key."""
    with pytest.raises(AuthError, match=message):
        vault.parse_recovery_key(text)


def test_other_registrys_recovery_key_is_refused(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A well-formed recovery key of another registry is an AuthError."""
    _, _, blob = made
    _, other = vault.create(PASSPHRASE, CHEAP)
    assert other is not None
    with pytest.raises(AuthError, match=r"^this recovery key does not open this registry$"):
        vault.unlock_recovery(blob, other)


def test_no_recovery_slot() -> None:
    """A registry created without a recovery key has no recovery slot and says so."""
    keyring, recovery = vault.create(PASSPHRASE, CHEAP, recovery=False)
    assert recovery is None
    assert not vault.has_recovery(keyring)
    blob = vault.seal(keyring, BODY)
    assert vault.inspect(blob)["slots"] == ["passphrase"]
    _, someone_elses = vault.create(PASSPHRASE, CHEAP)
    assert someone_elses is not None
    with pytest.raises(AuthError, match="has no recovery key"):
        vault.unlock_recovery(blob, someone_elses)


def test_rewrap_changes_passphrase_and_keeps_recovery(
    made: tuple[vault.Keyring, str, bytes],
) -> None:
    """After a rewrap the old passphrase fails, the new one and the recovery key work."""
    keyring, recovery, _ = made
    stronger = vault.KdfParams(9216, 2, 1)
    rewrapped = vault.rewrap_passphrase(keyring, "new passphrase", stronger)
    blob = vault.seal(rewrapped, BODY)
    with pytest.raises(AuthError, match="wrong passphrase"):
        vault.unlock_passphrase(blob, PASSPHRASE)
    assert _open(blob, "new passphrase") == BODY
    assert vault.open_body(blob, vault.unlock_recovery(blob, recovery)) == BODY
    assert vault.unlock_passphrase(blob, "new passphrase").kdf == stronger
    assert rewrapped.file_id == keyring.file_id


def _spread(length: int, count: int) -> list[int]:
    return sorted({round(i * (length - 1) / (count - 1)) for i in range(count)})


def test_byte_flips_are_damage(made: tuple[vault.Keyring, str, bytes]) -> None:
    """Flipping one byte anywhere, header or body, is DamagedError and never another exception."""
    _, _, blob = made
    header_end = _header_size(blob)
    positions = sorted(set(_spread(len(blob), 40)) | {0, 8, 9, 10, 20, 40, 60, 78, 100, header_end, len(blob) - 1})
    assert any(p < header_end for p in positions)
    assert any(p >= header_end + CHECKSUM_SIZE + NONCE_SIZE for p in positions)
    for position in positions:
        flipped = bytearray(blob)
        flipped[position] ^= 0x01
        with pytest.raises(DamagedError):
            _open(bytes(flipped))


def test_crafted_slot_change_is_wrong_passphrase(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A slot altered by someone who also fixed the checksum fails as authentication."""
    _, _, blob = made
    flipped = bytearray(blob)
    flipped[FIXED_SIZE + 20] ^= 0x01  # inside the passphrase slot's wrapped key
    with pytest.raises(AuthError, match="wrong passphrase"):
        vault.unlock_passphrase(_with_checksum(bytes(flipped)), PASSPHRASE)


def test_truncation_and_trailing_bytes_are_damage(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A file cut at any offset, or with bytes appended, is DamagedError."""
    _, _, blob = made
    for cut in [*range(0, 100), *range(100, len(blob), 7), len(blob) - 1]:
        with pytest.raises(DamagedError):
            _open(blob[:cut])
    with pytest.raises(DamagedError, match=r"\(it has 1 unexpected byte after its end\)$"):
        _open(blob + b"\n")


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"", r"^this is not a refaudit registry \(the file is empty\)$"),
        (
            os.urandom(300).replace(b"R", b"r"),
            r"^this is not a refaudit registry \(it does not start with the REFAUDIT signature\)$",
        ),
        (b"references:\n- id: r1\n", r"not a refaudit registry"),
        (vault.MAGIC + b"\x00\x01" + os.urandom(400), r"damaged or was tampered with"),
    ],
    ids=["empty", "random", "plain-yaml", "magic-then-random"],
)
def test_not_a_registry_is_damage(blob: bytes, message: str) -> None:
    """Bytes that are not a refaudit file are DamagedError, exit 4."""
    with pytest.raises(DamagedError, match=message) as caught:
        vault.inspect(blob)
    assert caught.value.exit_code == 4
    with pytest.raises(DamagedError):
        vault.unlock_passphrase(blob, PASSPHRASE)


def test_future_version_names_both_versions(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A newer format version is refused naming the version found and the one supported."""
    _, _, blob = made
    future = _with_checksum(blob[:8] + struct.pack(">H", 7) + blob[10:])
    with pytest.raises(DamagedError) as caught:
        vault.unlock_passphrase(future, PASSPHRASE)
    assert str(caught.value) == (
        "registry format version 7 is not supported by this refaudit (it reads version 1); upgrade refaudit"
    )


@pytest.mark.parametrize(
    ("memory", "passes", "lanes", "named"),
    [
        (1024**3, 1, 1, "memory is 1073741824 KiB"),  # 1 TiB
        (8192, 1000, 1, "passes is 1000"),
        (8192, 0, 1, "passes is 0"),
        (8192, 1, 0, "lanes is 0"),
        (8192, 1, 17, "lanes is 17"),
        (8, 1, 4, "below 8 KiB per lane"),
    ],
    ids=["1-TiB", "1000-passes", "0-passes", "0-lanes", "17-lanes", "memory-under-lanes"],
)
def test_absurd_kdf_params_are_refused_before_deriving(
    made: tuple[vault.Keyring, str, bytes], memory: int, passes: int, lanes: int, named: str
) -> None:
    """A header with a valid checksum but absurd Argon2id cost is DamagedError, at once."""
    _, _, blob = made
    crafted = _with_checksum(blob[:10] + struct.pack(">III", memory, passes, lanes) + blob[22:])
    started = time.monotonic()
    with pytest.raises(DamagedError, match=named):
        vault.unlock_passphrase(crafted, PASSPHRASE)
    assert time.monotonic() - started < 0.5


def test_unlock_key_opens_with_matching_file_id(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A session's file id and data key open the registry without the passphrase."""
    keyring, _, blob = made
    session = vault.unlock_key(blob, keyring.file_id, keyring.data_key)
    assert vault.open_body(blob, session) == BODY
    assert vault.open_body(vault.seal(session, b"x"), session) == b"x"


def test_unlock_key_with_wrong_file_id_is_auth_error(
    made: tuple[vault.Keyring, str, bytes],
) -> None:
    """A session saved for another registry is refused as authentication failure."""
    keyring, _, blob = made
    with pytest.raises(AuthError, match=r"^the session belongs to a different registry$"):
        vault.unlock_key(blob, os.urandom(16), keyring.data_key)


def test_unlock_key_with_wrong_data_key_is_auth_error(
    made: tuple[vault.Keyring, str, bytes],
) -> None:
    """A session whose data key is wrong is refused by the header's key check."""
    keyring, _, blob = made
    with pytest.raises(AuthError, match=r"^the session key does not open this registry$"):
        vault.unlock_key(blob, keyring.file_id, os.urandom(32))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            vault.KdfParams(18 * 1024, 3, 4),
            r"^Argon2id memory 18432 KiB \(18 MiB\) is below the minimum of 19456 KiB \(19 MiB\)$",
        ),
        (vault.KdfParams(65536, 1, 4), r"^Argon2id passes 1 is below the minimum of 2$"),
        (vault.KdfParams(4 * 1024 * 1024, 3, 4), r"above the limit of 1048576 KiB \(1 GiB\)"),
    ],
    ids=["18-MiB", "1-pass", "4-GiB"],
)
def test_kdf_floor_refuses_weak_params(params: vault.KdfParams, message: str) -> None:
    """Parameters below the OWASP floor, or beyond what a reader accepts, are ValidationError."""
    with pytest.raises(ValidationError, match=message):
        vault.check_kdf_floor(params)


def test_kdf_floor_accepts_floor_and_default() -> None:
    """The floor itself and the default pass."""
    vault.check_kdf_floor(vault.MIN_KDF)
    vault.check_kdf_floor(vault.DEFAULT_KDF)


def test_inspect_shows_header_facts_and_no_secret(made: tuple[vault.Keyring, str, bytes]) -> None:
    """inspect reports version, KDF, slots and body size, and nothing secret."""
    keyring, recovery, blob = made
    info = vault.inspect(blob)
    assert info == {
        "format_version": 1,
        "kdf": "argon2id",
        "kdf_memory_kib": 8192,
        "kdf_passes": 1,
        "kdf_lanes": 1,
        "slots": ["passphrase", "recovery"],
        "body_size": len(BODY) + 16,
        "file_id": keyring.file_id.hex(),
    }
    shown = repr(info)
    for secret in (keyring.data_key.hex(), repr(keyring.data_key), recovery, PASSPHRASE):
        assert secret not in shown


def test_keyring_repr_hides_the_data_key(made: tuple[vault.Keyring, str, bytes]) -> None:
    """A keyring printed in a traceback does not show the data key."""
    keyring, _, _ = made
    assert repr(keyring.data_key) not in repr(keyring)
    assert "data_key" not in repr(keyring)


def test_errors_never_contain_secrets(made: tuple[vault.Keyring, str, bytes]) -> None:
    """Failure messages name the problem but never the passphrase or key."""
    keyring, recovery, blob = made
    messages = []
    for attempt in (
        lambda: vault.unlock_passphrase(blob, "hunter2-secret"),
        lambda: vault.unlock_recovery(blob, _typo(recovery, 3)),
        lambda: vault.unlock_key(blob, keyring.file_id, b"\x01" * 32),
        lambda: vault.open_body(blob[:-1] + bytes([blob[-1] ^ 1]), keyring),
    ):
        with pytest.raises((AuthError, DamagedError)) as caught:
            attempt()
        messages.append(str(caught.value))
    joined = "\n".join(messages)
    for secret in ("hunter2-secret", recovery, _typo(recovery, 3), keyring.data_key.hex()):
        assert secret not in joined
