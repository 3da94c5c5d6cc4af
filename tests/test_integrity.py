"""Writes that cannot lose: leftovers of killed processes, rollbacks, sessions, report targets.

Each test reproduces an attack of the third round's red team (issue 23) against the real CLI.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from refaudit import fileio, history, store, sweep, vault
from refaudit.errors import AuthError, DamagedError
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner

REPO = Path(__file__).resolve().parents[1]

# A refaudit that SIGKILLs itself at the first rename of one of its temp files: the instant
# a save (or an export) has written everything but made none of it visible.
_KILLED_AT_RENAME = """
import os, signal, sys
from refaudit import fileio
real = os.replace
def replace(src, dst, *a, **k):
    if fileio.parse_temp_name(os.path.basename(os.fspath(src))):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *a, **k)
os.replace = replace
from refaudit.cli import main
sys.argv = ["refaudit", *sys.argv[1:]]
main()
"""


def killed_at_rename(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_AT_RENAME, *args], env=env, capture_output=True, check=False, timeout=120
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()


def temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if fileio.parse_temp_name(p.name))


def opens_with(path: Path, passphrase: str) -> bool:
    try:
        vault.unlock_passphrase(path.read_bytes(), passphrase)
    except (AuthError, DamagedError):
        return False
    return True


# --- 1. temp files: one naming rule, swept by the next run ------------------------------


def test_one_function_builds_and_matches_temp_names() -> None:
    """What the writer names, the sweep finds: the pattern is derived from the builder."""
    name = fileio.temp_name("registry.refaudit")
    assert name.startswith(".registry.refaudit.refaudit-") and name.endswith(".tmp")
    assert fileio.parse_temp_name(name) == ("registry.refaudit", os.getpid())
    assert fileio.parse_temp_name(".registry.refaudit.a1b2c3d4.tmp") is None  # the old 8-hex name is not ours
    assert fileio.parse_temp_name(".x.refaudit-12-0123456789ab.tmp.bak") is None


def test_save_killed_at_rename_is_cleaned_by_ref_remove(runner: Runner, registry: Path) -> None:
    """A save killed at the rename leaves whole encrypted copies holding Jane; ref remove leaves none of them."""
    runner.ok("ref", "add", "Jane Doe")
    killed_at_rename("ref", "add", "Bob Smith")
    left = temps(registry.parent)
    assert left, "the kill left no temp file: the test did not reproduce the crash"
    runner.ok("ref", "remove", "jane-doe", "--yes")
    assert temps(registry.parent) == []
    assert sorted(p.name for p in registry.parent.iterdir() if p.is_file()) == [
        "registry.refaudit",
        "registry.refaudit.bak",
        "registry.refaudit.lock",
    ]


def test_save_killed_at_rename_is_cleaned_by_passwd(runner: Runner, registry: Path) -> None:
    """After passwd, the old passphrase opens nothing beside the registry, even a killed save's copy."""
    runner.ok("ref", "add", "Jane Doe")
    killed_at_rename("ref", "add", "Bob Smith")
    assert any(opens_with(p, PASSPHRASE) for p in temps(registry.parent))
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "another long passphrase"})
    assert temps(registry.parent) == []
    assert not any(opens_with(p, PASSPHRASE) for p in registry.parent.iterdir() if p.name.startswith("registry"))


def test_killed_export_leaves_plaintext_that_the_next_export_removes(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """A killed export --force leaves a plaintext temp file; the next export to that file removes it and warns."""
    runner.ok("ref", "add", "Jane Doe")
    target = tmp_path / "all.yaml"
    target.write_text("old\n", encoding="utf-8")
    killed_at_rename("export", "-o", str(target), "--force")
    (left,) = temps(tmp_path)
    assert b"Jane Doe" in left.read_bytes()
    result = runner.ok("export", "-o", str(target), "--force")
    assert (
        f"Warning: removed '{left}', left by a refaudit command that was interrupted: it was NOT encrypted "
        "(an export, report, draft or calendar being written) and may have named your references.\n"
    ) in result.stderr
    assert temps(tmp_path) == []


def test_sweep_never_touches_a_live_process_temp(tmp_path: Path) -> None:
    """A temp file whose process runs (an export under way) is not a leftover."""
    target = tmp_path / "all.yaml"
    live = tmp_path / fileio.temp_name(target.name)
    live.write_bytes(b"being written")
    assert sweep.temps_beside([target]) == []
    gone = tmp_path / fileio.temp_name(target.name, "999999999", "0123456789ab")
    gone.write_bytes(b"REFAUDIT...")
    assert sweep.temps_beside([target]) == [sweep.Leftover(gone, plaintext=False)]


@pytest.mark.parametrize("pid", ["0", "999999999"])
def test_sweep_under_the_lock_takes_every_registry_temp(runner: Runner, registry: Path, pid: str) -> None:
    """Under the registry's lock no other save runs: its temp files go whatever their pid says."""
    stray = registry.with_name(fileio.temp_name(registry.name, pid, "0123456789ab"))
    stray.write_bytes(registry.read_bytes())
    runner.ok("ref", "add", "Jane Doe")
    assert not stray.exists()


# --- 2. a rollback blocks writes until the user decides ---------------------------------


def rolled_back(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Jane; then Bob and Ann; then the copy with Jane only is put back (a sync conflict, a restore)."""
    runner.ok("ref", "add", "Jane Doe")
    older = tmp_path / "older.refaudit"
    shutil.copy(registry, older)
    runner.ok("ref", "add", "Bob Smith")
    runner.ok("ref", "add", "Ann Lee")
    shutil.copy(older, registry)


def names(runner: Runner) -> list[str]:
    return [r["name"] for r in json.loads(runner.ok("ref", "list", "--json").stdout)]


_DECIDE = (
    "'refaudit restore --from-backup' puts the backup back; 'refaudit verify --accept-rollback' keeps the "
    "registry as it is and lets the next save replace the backup"
)


def test_a_save_after_a_rollback_is_refused_and_keeps_both_files(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """The save that used to overwrite the .bak holding the later changes now exits 4, writing nothing."""
    rolled_back(runner, registry, tmp_path)
    before = (registry.read_bytes(), registry.with_name("registry.refaudit.bak").read_bytes())
    result = runner("ref", "add", "Carl Diaz")
    assert result.exit_code == 4
    assert result.stderr.startswith(
        f"Error: The registry was rolled back: its backup '{registry}.bak' holds 1 later change (the newest: ref add, "
    )
    assert result.stderr.endswith(f"no save replaces the backup until you decide: {_DECIDE}. Nothing was written.\n")
    assert (registry.read_bytes(), registry.with_name("registry.refaudit.bak").read_bytes()) == before
    assert runner("verify").exit_code == 4
    assert runner("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "another long passphrase"}).exit_code == 4
    assert (registry.read_bytes(), registry.with_name("registry.refaudit.bak").read_bytes()) == before


def test_restore_from_backup_swaps_the_registry_for_its_backup(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """restore --from-backup puts the later changes back; the replaced registry becomes the backup; saves work."""
    rolled_back(runner, registry, tmp_path)
    rolled = registry.read_bytes()
    result = runner.ok("restore", "--from-backup", "--yes")
    assert result.stdout.startswith("Restored the backup (its newest change: ref add, ")
    assert result.stdout.endswith(f"; the registry it replaced is now {registry}.bak.\n")
    assert registry.with_name("registry.refaudit.bak").read_bytes() == rolled
    assert sorted(names(runner)) == ["Bob Smith", "Jane Doe"]  # the backup: the version before the last save
    assert runner.ok("verify").stdout.startswith("OK")
    runner.ok("ref", "add", "Carl Diaz")


def test_restore_asks_and_refuses_without_a_terminal_or_a_backup(runner: Runner, registry: Path) -> None:
    """Without --yes and without a terminal nothing is swapped; without a backup it is exit 1."""
    result = runner("restore", "--from-backup")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: There is no backup to restore: '{registry}.bak' does not exist.\n",
    )
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    result = runner("restore", "--from-backup")
    assert result.exit_code == 1 and result.stderr.endswith("Refusing without confirmation: pass --yes.\n")
    assert registry.read_bytes() == before


def test_verify_accept_rollback_lets_saves_replace_the_backup(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--accept-rollback: the registry wins, the backup becomes a copy of it, and the next save goes through."""
    rolled_back(runner, registry, tmp_path)
    result = runner.ok("verify", "--accept-rollback")
    assert result.stderr == f"Accepted: the backup {registry}.bak is now a copy of the registry.\n"
    assert registry.with_name("registry.refaudit.bak").read_bytes() == registry.read_bytes()
    runner.ok("ref", "add", "Carl Diaz")
    assert sorted(names(runner)) == ["Carl Diaz", "Jane Doe"]


def test_a_foreign_backup_is_reported_and_never_replaced(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Another registry's file as the .bak does not open with this key: verify says so, a save refuses,
    restore exits 4; after --accept-rollback a save replaces it."""
    other = tmp_path / "other.refaudit"
    runner.ok("--registry", str(other), "init", *CHEAP_KDF)
    runner.ok("--registry", str(other), "ref", "add", "Zoe Quinn")
    backup = registry.with_name("registry.refaudit.bak")
    shutil.copy(other, backup)
    foreign = backup.read_bytes()
    result = runner("verify")
    assert result.exit_code == 4
    assert result.stderr.startswith(f"Error: The backup '{backup}' does not open with this registry's key (")
    assert result.stderr.endswith(
        f"it is not an older version of this registry, so no save replaces it until you decide: {_DECIDE}\n"
    )
    assert runner("ref", "add", "Jane Doe").exit_code == 4
    result = runner("restore", "--from-backup", "--yes")
    assert result.exit_code == 4
    assert result.stderr.startswith(f"Error: The backup '{backup}' does not open with this registry's key (")
    assert backup.read_bytes() == foreign
    runner.ok("verify", "--accept-rollback")
    runner.ok("ref", "add", "Jane Doe")


def test_a_backup_sharing_no_history_is_reported(runner: Runner, registry: Path) -> None:
    """A backup under the same key whose history has nothing in common with the registry's: exit 4."""
    runner.ok("ref", "add", "Jane Doe")
    blob = registry.read_bytes()
    keyring = vault.unlock_passphrase(blob, PASSPHRASE)
    reg = store.decode(vault.open_body(blob, keyring))
    reg.history.clear()
    history.append(reg, datetime(2020, 1, 1, tzinfo=UTC), "init", "created the registry")
    backup = registry.with_name("registry.refaudit.bak")
    backup.write_bytes(vault.seal(keyring, store.encode(reg)))
    result = runner("ref", "add", "Bob Smith")
    assert result.exit_code == 4
    assert result.stderr == (
        f"Error: The backup '{backup}' shares no history with the registry: it is not an older version of it, "
        f"so no save replaces it until you decide: {_DECIDE}. Nothing was written.\n"
    )


@pytest.mark.parametrize("command", [["init", *CHEAP_KDF], ["demo"]])
def test_init_and_demo_refuse_beside_an_old_backup(runner: Runner, registry_path: Path, command: list[str]) -> None:
    """The old .bak may be the only copy left: init and demo refuse (exit 1) unless --discard-backup deletes it."""
    backup = registry_path.with_name("registry.refaudit.bak")
    backup.write_bytes(b"REFAUDIT the only copy")
    result = runner(*command)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: An old backup '{backup}' is where the new registry's backup would go, and the first save would "
        "destroy it (it may be the only copy of an earlier registry); move it away, or pass --discard-backup if "
        "you mean to lose it.\n"
    )
    assert backup.read_bytes() == b"REFAUDIT the only copy" and not registry_path.exists()
    runner.ok(*command, "--discard-backup")
    assert not backup.exists()
    runner.ok("ref", "add", "Jane Doe")


# --- 7. a vCard with a photo: streamed past, not parsed -----------------------------------

# VmHWM is this process's own peak: ru_maxrss would carry the peak of pytest's process across fork and exec.
_PEAK = """
import sys
from pathlib import Path
from refaudit.interop import Options, source, vcard
incoming = vcard.read(source.read_path(Path(sys.argv[1])), Options(status="active"))
hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
print(int(hwm.split()[1]) // 1024, len(incoming.references))
"""


def test_a_20_mb_card_with_one_photo_is_read_in_little_memory(tmp_path: Path) -> None:
    """The red team's 20 MB card peaked at 2.8 GB; its photo is now skipped line by line (under 300 MB)."""
    photo = base64.b64encode(os.urandom(14_500_000)).decode("ascii")
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    card = tmp_path / "big.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nEMAIL:jane@example.com\r\n"
        f"item1.PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD\r\n",
        encoding="ascii",
    )
    assert card.stat().st_size > 19 * 1024 * 1024
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.run(
        [sys.executable, "-c", _PEAK, str(card)], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    peak_mib, people = map(int, child.stdout.split())
    assert people == 1
    assert peak_mib < 300, f"peak {peak_mib} MiB"


def test_slim_drops_bulky_and_huge_properties_and_keeps_the_rest() -> None:
    from refaudit.interop import vcard

    text = (
        "BEGIN:VCARD\r\nFN:Jane\r\n  Doe\r\nitem2.LOGO;VALUE=uri:http://x\r\n more\r\nNOTE:a\r\n b\r\n"
        f"X-HUGE:{'y' * (vcard.MAX_PROPERTY + 1)}\r\nEND:VCARD"
    )
    assert vcard.slim(text) == "BEGIN:VCARD\r\nFN:Jane\r\n  Doe\r\nNOTE:a\r\n b\r\nEND:VCARD"


@pytest.mark.parametrize("command", ["restore", "verify", "init", "demo"])
def test_the_new_options_have_help_with_an_example(runner: Runner, command: str) -> None:
    out = runner.ok(command, "--help").stdout
    assert "Example:" in out
    assert {"restore": "--from-backup", "verify": "--accept-rollback"}.get(command, "--discard-backup") in out


def test_accept_rollback_with_nothing_to_accept_changes_nothing(runner: Runner, registry: Path) -> None:
    runner.ok("ref", "add", "Jane Doe")
    before = (registry.read_bytes(), registry.with_name("registry.refaudit.bak").read_bytes())
    result = runner.ok("verify", "--accept-rollback")
    assert result.stderr == "" and result.stdout.startswith("OK")
    assert (registry.read_bytes(), registry.with_name("registry.refaudit.bak").read_bytes()) == before


def test_a_merge_that_brings_the_backup_changes_in_is_not_blocked(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """After a rollback, merging a copy of the backup is the save that resolves it (its history then holds the
    backup's); verify is clean afterwards."""
    rolled_back(runner, registry, tmp_path)
    later = tmp_path / "later.refaudit"
    shutil.copy(registry.with_name("registry.refaudit.bak"), later)
    result = runner.ok("merge", str(later))
    assert result.stdout.endswith(": 1 added, 0 updated, 0 renumbered, 0 erased.\n")
    assert sorted(names(runner)) == ["Bob Smith", "Jane Doe"]
    assert runner.ok("verify").stderr == ""
