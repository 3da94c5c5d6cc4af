"""init, passwd, recover, verify, and how the registry file resists damage and wrong keys."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import pytest

from refaudit import store, vault
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner


def recovery_key(output: str) -> str:
    match = re.search(r"^Recovery key: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_init_prints_recovery_key_once_on_its_own_line(runner: Runner, registry_path: Path) -> None:
    """init creates the file and prints 'Recovery key: …' on a line of its own."""
    result = runner.ok("init", *CHEAP_KDF)
    assert registry_path.exists()
    assert len(recovery_key(result.stdout).split("-")) == 11


def test_init_refuses_to_overwrite(runner: Runner, registry: Path) -> None:
    """A second init exits 1 and leaves the existing registry byte-identical."""
    before = registry.read_bytes()
    result = runner("init", *CHEAP_KDF)
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert registry.read_bytes() == before


def test_init_without_recovery_key(runner: Runner, registry_path: Path) -> None:
    """--no-recovery-key creates a registry with only the passphrase slot."""
    result = runner.ok("init", "--no-recovery-key", *CHEAP_KDF)
    assert "Recovery key" not in result.output
    assert vault.inspect(registry_path.read_bytes())["slots"] == ["passphrase"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [(["--kdf-memory", "18"], "19"), (["--kdf-passes", "1"], "2")],
    ids=["memory-below-owasp", "passes-below-owasp"],
)
def test_init_refuses_kdf_below_owasp_floor(runner: Runner, registry_path: Path, args: list[str], needle: str) -> None:
    """init refuses Argon2id parameters under OWASP's floor (19 MiB, 2 passes)."""
    full = {"--kdf-memory": "19", "--kdf-passes": "2"}
    full[args[0]] = args[1]
    result = runner("init", *[x for kv in full.items() for x in kv])
    assert result.exit_code == 1
    assert needle in result.stderr
    assert not registry_path.exists()


def test_init_with_default_kdf_parameters(runner: Runner, registry_path: Path) -> None:
    """The real defaults (64 MiB, 3 passes, 4 lanes) are what init writes without options."""
    runner.ok("init")
    info = vault.inspect(registry_path.read_bytes())
    assert (info["kdf_memory_kib"], info["kdf_passes"], info["kdf_lanes"]) == (65536, 3, 4)
    runner.ok("ref", "add", "Jane Doe")
    assert "jane-doe" in runner.ok("ref", "list").output


def test_empty_passphrase_is_refused(runner: Runner, registry_path: Path) -> None:
    """An empty passphrase exits 1 and creates nothing."""
    result = runner("init", *CHEAP_KDF, env={"REFAUDIT_PASSPHRASE": ""})
    assert result.exit_code == 1
    assert result.stderr == "Error: An empty passphrase is refused; choose one with a few words in it.\n"
    assert not registry_path.exists()


def test_no_passphrase_source_without_terminal_exits_2(runner: Runner, registry: Path) -> None:
    """Without a passphrase source and no terminal, exit 2 naming both variables."""
    result = runner("ref", "list", env={"REFAUDIT_PASSPHRASE": None})
    assert result.exit_code == 2
    assert "REFAUDIT_PASSPHRASE" in result.stderr and "REFAUDIT_SESSION" in result.stderr


def test_passphrase_file_first_line(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--passphrase-file wins over the environment and uses only its first line."""
    secret = tmp_path / "pw"
    secret.write_text(PASSPHRASE + "\nignored second line\n")
    result = runner("--passphrase-file", str(secret), "ref", "list", env={"REFAUDIT_PASSPHRASE": "wrong"})
    assert result.exit_code == 0, result.output


def test_wrong_passphrase_exits_3_and_changes_nothing(runner: Runner, registry: Path) -> None:
    """A wrong passphrase is exit 3 with one clear line; the file stays byte-identical."""
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    result = runner("ref", "add", "Bob Smith", env={"REFAUDIT_PASSPHRASE": "not it"})
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: Wrong passphrase")
    assert registry.read_bytes() == before


def test_passwd_then_old_fails_new_works_and_recovery_still_opens(runner: Runner, registry_path: Path) -> None:
    """After passwd the old passphrase fails, the new one works, and the recovery key still opens."""
    key = recovery_key(runner.ok("init", *CHEAP_KDF).stdout)
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "a brand new one"})
    assert runner("ref", "list").exit_code == 3
    assert "jane-doe" in runner.ok("ref", "list", env={"REFAUDIT_PASSPHRASE": "a brand new one"}).output
    runner.ok("recover", env={"REFAUDIT_RECOVERY_KEY": key, "REFAUDIT_NEW_PASSPHRASE": "third time"})
    assert "jane-doe" in runner.ok("ref", "list", env={"REFAUDIT_PASSPHRASE": "third time"}).output


def test_recover_accepts_lowercase_key_and_rejects_a_typo(runner: Runner, registry_path: Path) -> None:
    """The recovery key is forgiving about case, but a mistyped character is exit 3."""
    key = recovery_key(runner.ok("init", *CHEAP_KDF).stdout)
    typo = ("Z" if key[0] != "Z" else "Y") + key[1:]
    before = registry_path.read_bytes()
    bad = runner("recover", env={"REFAUDIT_RECOVERY_KEY": typo, "REFAUDIT_NEW_PASSPHRASE": "x y z"})
    assert bad.exit_code == 3
    assert registry_path.read_bytes() == before
    runner.ok("recover", env={"REFAUDIT_RECOVERY_KEY": key.lower(), "REFAUDIT_NEW_PASSPHRASE": "x y z"})
    runner.ok("ref", "list", env={"REFAUDIT_PASSPHRASE": "x y z"})


def test_recover_without_key_source_exits_2(runner: Runner, registry: Path) -> None:
    """recover with no REFAUDIT_RECOVERY_KEY and no terminal is a usage error."""
    result = runner("recover", env={"REFAUDIT_NEW_PASSPHRASE": "new"})
    assert result.exit_code == 2
    assert "REFAUDIT_RECOVERY_KEY" in result.stderr


def test_verify_ok(runner: Runner, registry: Path) -> None:
    """verify on a healthy registry exits 0."""
    runner.ok("ref", "add", "Jane Doe")
    assert runner.ok("verify").stdout.startswith("OK:")


def _flip(data: bytes, pos: int) -> bytes:
    return data[:pos] + bytes([data[pos] ^ 0x41]) + data[pos + 1 :]


def test_single_byte_changes_anywhere_exit_4(runner: Runner, registry: Path) -> None:
    """A changed byte at positions spread over header and body is exit 4, never a traceback."""
    runner.ok("ref", "add", "Jane Doe", "--email", "jane@example.com")
    good = registry.read_bytes()
    positions = sorted({int(i * (len(good) - 1) / 39) for i in range(40)})
    for pos in positions:
        registry.write_bytes(_flip(good, pos))
        result = runner("ref", "list")
        assert result.exit_code == 4, (pos, result.output)
        assert result.stderr.startswith("Error: "), (pos, result.stderr)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("cut", [0, 1, 8, 10, 40, 100, -17, -1], ids=lambda c: f"cut{c}")
def test_truncated_registry_exits_4(runner: Runner, registry: Path, cut: int) -> None:
    """A registry cut short at any offset is exit 4."""
    good = registry.read_bytes()
    registry.write_bytes(good[:cut])
    result = runner("ref", "list")
    assert result.exit_code == 4, result.output


def test_trailing_garbage_exits_4(runner: Runner, registry: Path) -> None:
    """Bytes appended after a valid registry are exit 4."""
    registry.write_bytes(registry.read_bytes() + b"extra")
    assert runner("ref", "list").exit_code == 4


@pytest.mark.parametrize(
    "content", [b"", b"hello, I am a text file\n", b"refaudit: 1\nreferences: []\n", os.urandom(300)],
    ids=["empty", "text", "plaintext-yaml", "random"],
)  # fmt: skip
def test_not_a_registry_exits_4(runner: Runner, registry_path: Path, content: bytes) -> None:
    """A file that is not a refaudit registry is exit 4 with a message saying so."""
    registry_path.write_bytes(content)
    result = runner("ref", "list")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: ")


def test_directory_in_place_of_registry_exits_4(runner: Runner, registry_path: Path) -> None:
    """A directory where the registry should be is exit 4, not a traceback."""
    registry_path.mkdir()
    result = runner("ref", "list")
    assert result.exit_code == 4
    assert "directory" in result.stderr


def test_unknown_format_version_is_named(runner: Runner, registry: Path) -> None:
    """A registry from a future format version is exit 4 naming the version."""
    data = bytearray(registry.read_bytes())
    data[len(vault.MAGIC) : len(vault.MAGIC) + 2] = struct.pack(">H", 7)
    registry.write_bytes(bytes(data))
    result = runner("ref", "list")
    assert result.exit_code == 4
    assert "version 7" in result.stderr


def test_missing_registry_says_how_to_create_one(runner: Runner, registry_path: Path) -> None:
    """Using a registry that does not exist is exit 1 pointing at init."""
    result = runner("ref", "list")
    assert result.exit_code == 1
    assert "refaudit init" in result.stderr


def test_files_are_0600_whatever_the_umask(runner: Runner, registry_path: Path) -> None:
    """The registry and its backup are created 0600 even with umask 022."""
    old = os.umask(0o022)
    try:
        runner.ok("init", *CHEAP_KDF)
        runner.ok("ref", "add", "Jane Doe")
    finally:
        os.umask(old)
    for path in (registry_path, store.Store(registry_path).backup_path):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_backup_holds_previous_version_and_opens(runner: Runner, registry: Path) -> None:
    """After a save, <file>.bak is the previous version and opens with the same passphrase."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("ref", "add", "Bob Smith")
    backup = store.Store(registry).backup_path
    blob = backup.read_bytes()
    reg = store.decode(vault.open_body(blob, vault.unlock_passphrase(blob, PASSPHRASE)))
    assert [r.id for r in reg.references] == ["jane-doe"]


def test_no_plaintext_on_disk(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Nothing written beside the registry contains the plaintext of what was added."""
    runner.ok("ref", "add", "Canary Zebulon", "--email", "canary.zebulon@example.com")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"Zebulon" not in path.read_bytes(), path


def test_symlinked_registry_replaces_target_not_link(runner: Runner, tmp_path: Path) -> None:
    """A registry path that is a symlink is followed: saves replace the target, the link stays."""
    real = tmp_path / "real" / "reg.refaudit"
    real.parent.mkdir()
    link = tmp_path / "link.refaudit"
    link.symlink_to(real)
    runner.ok("--registry", str(real), "init", *CHEAP_KDF)
    runner.ok("--registry", str(link), "ref", "add", "Jane Doe")
    assert link.is_symlink()
    assert "jane-doe" in runner.ok("--registry", str(real), "ref", "list").output


def test_world_writable_folder_warns(runner: Runner, tmp_path: Path) -> None:
    """A registry in a folder other users can write to gets a clear warning."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    result = runner.ok("--registry", str(shared / "r.refaudit"), "init", *CHEAP_KDF)
    assert "Warning:" in result.stderr and "other users" in result.stderr


def test_absurd_kdf_parameters_are_refused_quickly(runner: Runner, registry: Path) -> None:
    """A header asking for 1 TiB of Argon2 memory, checksum recomputed, is exit 4 at once, not a hang."""
    import hashlib
    import time

    data = bytearray(registry.read_bytes())
    offset = len(vault.MAGIC) + 2  # memory_kib follows the magic and the version (docs/FORMAT.md)
    data[offset : offset + 4] = struct.pack(">I", 2**30)
    header_size = vault._FIXED.size + len(vault.inspect(registry.read_bytes())["slots"]) * vault._SLOT.size
    data[header_size : header_size + 32] = hashlib.sha256(bytes(data[:header_size])).digest()
    registry.write_bytes(bytes(data))
    started = time.monotonic()
    result = runner("ref", "list")
    assert result.exit_code == 4
    assert "memory" in result.stderr
    assert time.monotonic() - started < 5


def test_old_passphrase_opens_nothing_on_disk_after_passwd(runner: Runner, registry: Path) -> None:
    """passwd rewrites the backup too, so the old passphrase opens neither file."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "a brand new one"})
    for path in (registry, store.Store(registry).backup_path):
        assert runner("--registry", str(path), "ref", "list").exit_code == 3, path
        assert (
            runner("--registry", str(path), "ref", "list", env={"REFAUDIT_PASSPHRASE": "a brand new one"}).exit_code
            == 0
        )
