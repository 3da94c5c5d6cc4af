"""Issue 18, second round of hardening: each attack, run again through the command line, finds nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from refaudit import fileio, vault
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner

REPO = Path(__file__).resolve().parents[1]
CHECKSUM_SIZE = 32


def header_size(blob: bytes) -> int:
    return struct.calcsize(">8sHIII16s16s16sQB") + blob[struct.calcsize(">8sHIII16s16s16sQ")] * 61


def with_checksum(blob: bytes) -> bytes:
    """Recompute the header checksum, as someone crafting a header would."""
    end = header_size(blob)
    return blob[:end] + hashlib.sha256(blob[:end]).digest() + blob[end + CHECKSUM_SIZE :]


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


# --- item 3: no terminal control from data -----------------------------------------------


def test_paths_with_terminal_controls_are_printed_escaped(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A registry, export or import path holding ESC, a bidi override or a non-UTF-8 byte is shown escaped."""
    hostile = "evil\x1b]0;pwned\x07\u202egpj.exe"
    hostile_registry = tmp_path / f"{hostile}.refaudit"
    created = runner.ok("--registry", str(hostile_registry), "init", *CHEAP_KDF)
    escaped_registry = str(tmp_path / "evil\\x1b]0;pwned\\x07\\u202egpj.exe.refaudit")
    assert created.stdout.splitlines()[0] == f"Created {escaped_registry}"
    runner.ok("--registry", str(hostile_registry), "ref", "add", "Jane Doe")

    export = tmp_path / f"{hostile}.yaml"
    exported = runner.ok("--registry", str(hostile_registry), "export", "-o", str(export))
    assert exported.stdout == str(tmp_path / "evil\\x1b]0;pwned\\x07\\u202egpj.exe.yaml") + "\n"
    assert "\x1b" not in exported.stderr and "\u202e" not in exported.stderr

    imported = runner.ok("import", str(export), "--dry-run")
    assert imported.stdout.startswith(
        "evil\\x1b]0;pwned\\x07\\u202egpj.exe.yaml: references[0]: would add reference jane-doe (Jane Doe)\n"
    )
    done = runner.ok("import", str(export))
    assert (
        done.stdout == f"Imported {tmp_path}/evil\\x1b]0;pwned\\x07\\u202egpj.exe.yaml: 1 added, 0 completed, "
        "0 already there, 0 replaced, 0 skipped.\n"
    )

    locked = runner.ok("--registry", str(hostile_registry), "lock")
    assert locked.stdout == f"Ended 0 sessions of {escaped_registry}.\n"


def test_keys_from_an_import_file_are_printed_escaped(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """An unknown key holding ESC [2J (clear screen) and a bidi override is named escaped in the error."""
    source = tmp_path / "keys.json"
    source.write_text('{"refaudit": 1, "references": [{"id": "a", "name": "A", "\\u001b[2Jzap\\u202e": 1}]}')
    result = runner("import", str(source))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: In keys.json: references[0] has unknown field(s): \\x1b[2Jzap\\u202e.\n",
    )


def test_non_utf8_path_is_printed_escaped_not_a_traceback(runner: Runner, tmp_path: Path) -> None:
    """A file name with a byte that is not UTF-8 (kept as a surrogate) prints as \\xff."""
    registry = tmp_path / os.fsdecode(b"reg\xff.refaudit")
    result = runner.ok("--registry", str(registry), "init", *CHEAP_KDF)
    assert result.stdout.splitlines()[0] == f"Created {tmp_path}/reg\\xff.refaudit"


def test_error_naming_a_hostile_path_is_escaped(runner: Runner, tmp_path: Path) -> None:
    """An error that names a path prints its controls escaped."""
    result = runner("--registry", str(tmp_path / "no\rpe\x9b.refaudit"), "ref", "list")
    assert result.exit_code == 1
    assert "\r" not in result.stderr and "\x9b" not in result.stderr
    assert result.stderr.startswith(f"Error: No registry at '{tmp_path}/no\\rpe\\x9b.refaudit'")


# --- item 4: crashes leave nothing behind ---------------------------------------------------


def test_save_removes_temp_files_of_killed_saves(runner: Runner, registry: Path) -> None:
    """The next save removes a killed save's temp files (they held an old encrypted copy), whatever their pid."""
    leftover = registry.with_name(fileio.temp_name(registry.name, "999999999", "0123456789ab"))
    leftover_bak = registry.with_name(fileio.temp_name(registry.name + ".bak", str(os.getpid()), "ba0123456789"))
    leftover.write_bytes(registry.read_bytes())
    leftover_bak.write_bytes(registry.read_bytes())
    other = registry.with_name(fileio.temp_name("other.refaudit", str(os.getpid()), "0123456789ab"))
    other.write_bytes(b"x")  # another file's, and its process (this one) is alive: not ours to remove
    runner.ok("ref", "add", "Jane Doe")
    assert not leftover.exists() and not leftover_bak.exists()
    assert other.exists()


def test_verify_reports_and_removes_leftovers_of_gone_processes(
    runner: Runner, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """verify removes the temp files of gone processes beside the registry and in the current folder, saying
    which was plaintext; a live process's temp file (a save or export under way) is left alone."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    sealed = registry.with_name(fileio.temp_name(registry.name, "999999999", "0123456789ab"))
    sealed.write_bytes(registry.read_bytes())
    plain = here / fileio.temp_name("all.yaml", "999999998", "0123456789ab")
    plain.write_text("references:\n- name: Jane Doe\n", encoding="utf-8")
    live = here / fileio.temp_name("all.yaml", str(os.getpid()), "0123456789ab")
    live.write_text("being written", encoding="utf-8")
    verified = runner.ok("verify")
    assert verified.stderr == (
        f"Warning: removed '{sealed}', left from a save that was interrupted: an older encrypted copy\n"
        f"Warning: removed '{plain}', left by a refaudit command that was interrupted: it was NOT encrypted "
        "(an export, report, draft or calendar being written) and may have named your references\n"
    )
    assert not sealed.exists() and not plain.exists() and live.exists()


def test_killed_edit_folder_is_swept_by_the_next_command(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """SIGKILL during edit leaves the plaintext folder; the next command shreds it and says so."""
    runner.ok("ref", "add", "Jane Doe", "--phone", "+1 555 0100")
    env = {**os.environ, "EDITOR": "sh -c 'kill -KILL $PPID'", "PYTHONPATH": str(REPO)}
    child = subprocess.run([sys.executable, "-m", "refaudit", "edit"], env=env, capture_output=True, check=False)
    assert child.returncode == -signal.SIGKILL
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])
    left = [p for p in runtime.iterdir() if p.name.startswith("refaudit-edit-")]
    assert len(left) == 1 and "555 0100" in (left[0] / "registry.yaml").read_text()

    result = runner.ok("ref", "list")
    assert result.stderr == f"Warning: removed {left[0]}, the plaintext left by an 'edit' that was killed.\n"
    assert not left[0].exists()


def test_edit_folder_of_a_live_process_is_left_alone(runner: Runner, registry: Path) -> None:
    """A folder whose pid still runs (an edit in progress) is not touched; one with a dead pid is."""
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])
    live = runtime / f"refaudit-edit-{os.getpid()}-abcd1234"
    dead = runtime / f"refaudit-edit-{dead_pid()}-abcd1234"
    for folder in (live, dead):
        folder.mkdir(mode=0o700)
        (folder / "registry.yaml").write_text("name: Jane Doe\n")
    runner.ok("ref", "list")
    assert live.exists() and not dead.exists()


# --- item 5: clean errors, never tracebacks -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["ref", "add", os.fsdecode(b"J\xffne")],
            "Error: Name 'J\\xffne' is not UTF-8 text; type it again in UTF-8 "
            "(check your terminal's character encoding).\n",
        ),
        (
            ["ref", "add", "Jane", "--note", os.fsdecode(b"caf\xe9")],
            "Error: --note 'caf\\xe9' is not UTF-8 text; type it again in UTF-8 "
            "(check your terminal's character encoding).\n",
        ),
        (["unlock", "--timeout", "²"], "Error: --timeout '²' is not a duration; use e.g. 15m, 1h, 1h30m or 90s.\n"),
    ],
    ids=["name-not-utf8", "note-not-utf8", "timeout-superscript-two"],
)
def test_hostile_arguments_give_clean_errors(runner: Runner, registry: Path, args: list[str], message: str) -> None:
    """A non-UTF-8 byte in text, or a digit int() cannot read, is one line of error; nothing is written."""
    before = registry.read_bytes()
    result = runner(*args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert registry.read_bytes() == before


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "1e400"])
def test_lock_timeout_must_be_finite_and_not_negative(runner: Runner, registry: Path, value: str) -> None:
    """REFAUDIT_LOCK_TIMEOUT of nan, inf or a negative number is refused (a negative one waited forever)."""
    result = runner("ref", "add", "Jane Doe", env={"REFAUDIT_LOCK_TIMEOUT": value})
    assert result.exit_code == 1
    assert result.stderr == f"Error: REFAUDIT_LOCK_TIMEOUT '{value}' is not a number of seconds from 0 to 86400.\n"


def test_non_utf8_passphrase_variable_is_refused(runner: Runner, registry: Path) -> None:
    """REFAUDIT_PASSPHRASE holding a byte that is not UTF-8 is an error, not a UnicodeEncodeError."""
    result = runner("ref", "list", env={"REFAUDIT_PASSPHRASE": os.fsdecode(b"pass\xff")})
    assert (result.exit_code, result.stderr) == (1, "Error: REFAUDIT_PASSPHRASE is not UTF-8 text; set it in UTF-8.\n")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "Error: Config: scoring.watch_risk must be a finite number, not nan.\n"),
        (".inf", "Error: Config: scoring.watch_risk must be a finite number, not inf.\n"),
        ("1.0e+400", "Error: Config: scoring.watch_risk must be a finite number, not inf.\n"),
    ],
    ids=["nan", "inf", "overflowing-float"],
)
def test_config_refuses_nan_and_infinity(
    runner: Runner, registry: Path, tmp_path: Path, value: str, message: str
) -> None:
    """NaN and infinite settings are refused: they made audit --json print "risk": NaN."""
    config = tmp_path / "settings.yaml"
    config.write_text(f"scoring:\n  watch_risk: {value}\n")
    result = runner("--config", str(config), "audit", "--json")
    assert (result.exit_code, result.stderr) == (1, message)


def test_config_refuses_a_huge_number_of_days(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A day count of 10**30 is refused by name, before any date arithmetic overflows."""
    config = tmp_path / "settings.yaml"
    config.write_text("scoring:\n  negative_horizon_days: 1000000000000000000000000000000\n")
    result = runner("--config", str(config), "audit")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Config: scoring.negative_horizon_days must be from 0 to 36500 days, not a number of 31 digits.\n"
    )


@pytest.mark.parametrize("command", [["audit"], ["next"], ["lineup"], ["report", "-o", "r.html"]])
def test_as_of_year_one_on_data_from_year_one(
    runner: Runner, registry: Path, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--as-of 0001-01-01 on records from year 1 is a clean error, not an OverflowError traceback."""
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "year-one.yaml"
    source.write_text(
        textwrap.dedent(
            """\
            refaudit: 1
            references:
              - {id: zed, name: Zed, added_on: 0001-01-01}
            applications:
              - {id: acme, company: Acme, role: Analyst, applied_on: 0001-01-01, references: [zed]}
            feedback:
              - {id: f1, reference: zed, application: acme, reported_on: 0001-01-01, sentiment: negative}
            """
        )
    )
    runner.ok("import", str(source))
    result = runner(*command, "--as-of", "0001-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: A date falls outside the calendar (years 1 to 9999): choose a later --as-of, or smaller "
        "day counts in --config; nothing was changed (date value out of range).\n"
    )


# --- item 6: special files are refused -----------------------------------------------------


def test_fifo_in_place_of_the_registry_is_refused_without_hanging(runner: Runner, tmp_path: Path) -> None:
    """A FIFO named as the registry is 'not a refaudit registry', at once (reading it would wait forever)."""
    fifo = tmp_path / "registry.refaudit"
    os.mkfifo(fifo)
    result = runner("ref", "list")
    assert (result.exit_code, result.stderr) == (
        4,
        f"Error: The registry '{fifo}' is a FIFO (named pipe), not a regular file. It is not a refaudit registry.\n",
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_passphrase_file_of_dev_zero_is_refused(runner: Runner, registry: Path) -> None:
    """--passphrase-file /dev/zero is refused at once (it grew to 9 GB before)."""
    result = runner("--passphrase-file", "/dev/zero", "ref", "list", env={"REFAUDIT_PASSPHRASE": None})
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: The passphrase file '/dev/zero' is a character device; give a regular file or a pipe.\n",
    )


def test_passphrase_from_a_pipe_is_read_up_to_4_kib(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A pipe works as the passphrase file (like <(pass show refaudit)); a line over 4 KiB is refused."""
    read_end, write_end = os.pipe()
    os.write(write_end, PASSPHRASE.encode() + b"\n")
    os.close(write_end)
    try:
        ok = runner("--passphrase-file", f"/dev/fd/{read_end}", "ref", "list", env={"REFAUDIT_PASSPHRASE": None})
    finally:
        os.close(read_end)
    assert ok.exit_code == 0, ok.output
    long = tmp_path / "long"
    long.write_bytes(b"x" * 5000)
    result = runner("--passphrase-file", str(long), "ref", "list", env={"REFAUDIT_PASSPHRASE": None})
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: The passphrase file '{long}' has no line break in its first 4096 bytes.\n",
    )


def test_export_force_over_a_device_does_not_replace_it(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """export --force -o onto a device node (here a symlink to /dev/null) is refused; the node stays."""
    device = tmp_path / "device"
    device.symlink_to("/dev/null")
    result = runner("export", "--force", "-o", str(device))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: '{device}' is a character device; refaudit writes an export only to a regular file. "
        "Nothing was written.\n",
    )
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode) and device.is_symlink()


def test_report_and_import_refuse_a_fifo(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A FIFO as the report target or the import source is refused at once, not waited on."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    report = runner("report", "-o", str(fifo), "--format", "html")
    assert (report.exit_code, report.stderr) == (
        1,
        f"Error: '{fifo}' is a FIFO (named pipe); refaudit writes a report only to a regular file. "
        "Nothing was written.\n",
    )
    imported = runner("import", str(fifo), "--format", "yaml")
    assert (imported.exit_code, imported.stderr) == (
        1,
        f"Error: The import source '{fifo}' is a FIFO (named pipe); it must be a regular file or a folder.\n",
    )


def test_config_of_dev_zero_is_refused(runner: Runner, registry: Path) -> None:
    """--config /dev/zero is refused instead of read until memory runs out."""
    result = runner("--config", "/dev/zero", "audit")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: Config file '/dev/zero' is a character device, not a regular file.\n",
    )


# --- item 8: bounded key derivation ---------------------------------------------------------


def test_header_at_the_old_read_limits_is_refused_with_how_to_rekey(runner: Runner, registry: Path) -> None:
    """2 GiB, 32 passes, 16 lanes (the old limits) are refused before any derivation, saying how to rekey."""
    blob = registry.read_bytes()
    registry.write_bytes(with_checksum(blob[:10] + struct.pack(">III", 2 * 1024 * 1024, 32, 16) + blob[22:]))
    result = runner("ref", "list")
    assert result.exit_code == 4
    assert result.stderr == (
        "Error: This registry's key derivation is beyond what refaudit accepts "
        "(Argon2id lanes is 16; it must be 1 to 8).\n"
        "To rekey it: with the refaudit that made it, 'refaudit export -o all.yaml'; then with this one, "
        "'refaudit --registry NEW init' and 'refaudit --registry NEW import all.yaml'; then delete all.yaml.\n"
    )


def test_init_refuses_kdf_memory_above_1_gib(runner: Runner) -> None:
    """init --kdf-memory 1025 is a usage error naming the range 1 to 1024."""
    result = runner("init", "--kdf-memory", "1025")
    assert result.exit_code == 2
    assert "1025 is not in the range 1<=x<=1024" in result.stderr
    assert vault.MAX_PASSES == 10 and vault.MAX_LANES == 8


def test_changed_key_slot_with_recomputed_checksum_is_a_wrong_passphrase(runner: Runner, registry: Path) -> None:
    """A header whose key slot changed, checksum recomputed, cannot be told from a wrong passphrase: exit 3."""
    blob = bytearray(registry.read_bytes())
    slot_wrapped = struct.calcsize(">8sHIII16s16s16sQB") + 1 + 12
    blob[slot_wrapped] ^= 0x01
    registry.write_bytes(with_checksum(bytes(blob)))
    result = runner("ref", "list")
    assert (result.exit_code, result.stderr) == (3, "Error: Wrong passphrase for this registry\n")


# --- item 9: rollback evidence ---------------------------------------------------------------


def test_verify_says_the_registry_was_rolled_back(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """An older copy put in place while the backup holds later changes: verify exits 4 saying so."""
    runner.ok("ref", "add", "Jane Doe")
    older = tmp_path / "older.refaudit"
    shutil.copy(registry, older)
    runner.ok("ref", "add", "Bob Smith")
    runner.ok("ref", "add", "Ann Lee")
    shutil.copy(older, registry)
    result = runner("verify")
    assert result.exit_code == 4
    assert result.stderr.startswith(
        f"Error: The registry was rolled back: its backup '{registry}.bak' holds 1 later change (the newest: ref add, "
    )
    assert result.stderr.endswith(
        "so an older copy was put in the registry's place; no save replaces the backup until you decide: "
        "'refaudit restore --from-backup' puts the backup back; 'refaudit verify --accept-rollback' keeps the "
        "registry as it is and lets the next save replace the backup\n"
    )


# --- item 10: erasure, completed ------------------------------------------------------------


def test_remove_masks_the_person_in_other_free_text(runner: Runner, registry: Path) -> None:
    """ref remove masks every word of the name, the email and the phone in notes, reasons, quotes, leads."""
    runner.ok("ref", "add", "José Ñúñez", "--email", "jose@example.com", "--phone", "+34 600 123 456")
    runner.ok("ref", "add", "José Ruiz", "--note", "Not José Ñúñez's cousin")
    runner.ok("ref", "add", "Bob Smith", "--note", "Met via Jose; reach him on 600-123-456 or JOSE@example.com")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--ref", "bob-smith", "--id", "acme", "--note", "ask José")
    runner.ok("app", "debrief", "acme", "--reason", "Ñúñez was lukewarm, sadly", "--lead", "Nunez knows Globex")
    runner.ok("feedback", "log", "bob-smith", "--sentiment", "positive", "--quote", "Bob and Jose Nunez agree")
    result = runner.ok("ref", "remove", "jose-nunez", "--yes")
    assert result.stdout == (
        "Removed José Ñúñez (jose-nunez): 0 report(s) erased, taken off 0 application(s). "
        "Masked their name, email or phone in 6 other place(s).\n"
    )
    exported = runner.ok("export").stdout
    assert exported.count("José") == 1  # José Ruiz keeps his name
    exported = exported.replace("José Ruiz", "").replace("jose-ruiz", "")
    for trace in ("Jose", "José", "Nunez", "Ñúñez", "jose@", "123"):
        assert trace.lower() not in exported.lower(), trace
    assert "Not [removed]'s cousin" in exported
    assert "Met via [removed]; reach him on [removed] or [removed]" in exported
    assert "[removed] was lukewarm, sadly" in exported
    assert "Bob and [removed] agree" in exported  # the whole name is one mention
    runner.ok("verify")


def test_remove_masks_every_email_phone_and_link_not_only_the_first(runner: Runner, registry: Path) -> None:
    """The other emails, phones and links of a removed person are masked wherever typed, like the first."""
    runner.ok(
        "ref", "add", "Omar Haddad", "--email", "omar@acme.example", "--email", "o.haddad@home.example",
        "--phone", "+1 555 010 0101", "--phone", "+44 20 7946 0958", "--link", "https://www.linkedin.com/in/ohaddad",
    )  # fmt: skip
    runner.ok(
        "ref", "add", "Bob Smith",
        "--note", "backup: O.HADDAD@home.example, 20 7946 0958, see https://www.linkedin.com/in/ohaddad/",
    )  # fmt: skip
    runner.ok("ref", "remove", "omar-haddad", "--yes")
    exported = runner.ok("export").stdout
    assert "backup: [removed], [removed], see [removed]/" in exported
    for trace in ("haddad", "7946", "ohaddad"):
        assert trace not in exported.lower(), trace


def test_erased_history_keeps_no_digest_that_confirms_a_guess(runner: Runner, registry: Path) -> None:
    """After remove, no history digest equals the SHA-256 of a guessed summary, and the chain verifies."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("ref", "status", "jane-doe", "resting")
    runner.ok("ref", "add", "Bob Smith")
    runner.ok("ref", "remove", "jane-doe", "--yes")
    entries = json.loads(runner.ok("history", "--json").stdout)
    guesses = ["added reference jane-doe", "set reference jane-doe to resting"]
    digests = {hashlib.sha256(g.encode()).hexdigest() for g in guesses}
    assert [e["summary"] for e in entries].count("[erased]") == 2
    raw = runner.ok("history", "--json").stdout
    assert not any(d in raw for d in digests)
    assert runner.ok("verify").stdout.startswith("OK:")


# --- item 11: smaller points ----------------------------------------------------------------


def test_version_true_is_not_version_one(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """'refaudit: true' in an import file is refused: a bool is not a version number."""
    source = tmp_path / "bool.yaml"
    source.write_text("refaudit: true\nreferences:\n  - {id: a, name: Ann}\n")
    result = runner("import", str(source))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: In bool.yaml: refaudit 'true' is not a schema version this refaudit reads (1 or 2 or 3).\n",
    )


def test_aborted_init_leaves_no_lock_file(runner: Runner, registry_path: Path) -> None:
    """An init refused for an empty passphrase leaves neither registry nor .lock behind."""
    result = runner("init", *CHEAP_KDF, env={"REFAUDIT_PASSPHRASE": ""})
    assert result.exit_code == 1
    assert sorted(p.name for p in registry_path.parent.iterdir() if "refaudit" in p.name) == []


def test_failed_command_on_a_missing_registry_leaves_no_lock(runner: Runner, registry_path: Path) -> None:
    """A write command on a registry that does not exist leaves no stray .lock file."""
    result = runner("ref", "add", "Jane Doe")
    assert result.exit_code == 1
    assert not registry_path.with_name(registry_path.name + ".lock").exists()


def test_sticky_world_writable_folder_is_warned_about(runner: Runner, tmp_path: Path) -> None:
    """A registry in a folder like /tmp (world-writable, sticky) gets a warning: others can squat its lock."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    result = runner.ok("--registry", str(shared / "r.refaudit"), "init", *CHEAP_KDF)
    assert result.stderr.startswith(
        f"Warning: the folder '{shared}' is shared with other users (like /tmp): one of them can create your "
        "registry's lock or backup file before you do and so block every save; move it somewhere private.\n"
    )


def _fake_tools(folder: Path, uid: str) -> dict[str, str]:
    folder.mkdir()
    scripts = {
        "ldconfig": "#!/bin/sh\nexit 0\n",  # no library found
        "id": f"#!/bin/sh\necho {uid}\n",
        "apt-get": f'#!/bin/sh\necho "$@" >> {folder}/apt-calls\nexit 1\n',
        "fc-list": "#!/bin/sh\necho DejaVu\n",
    }
    for name, body in scripts.items():
        (folder / name).write_text(body)
        (folder / name).chmod(0o755)
    return {"PATH": f"{folder}:/usr/bin:/bin"}


def test_install_hint_has_a_space_after_install(tmp_path: Path) -> None:
    """Not root and libraries missing: the hint reads 'sudo apt-get install libpango-1.0-0 …'."""
    env = _fake_tools(tmp_path / "bin", uid="1000")
    run = subprocess.run([str(REPO / "scripts" / "ensure-system-deps")], env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert "On Debian/Ubuntu:   sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 " in run.stderr


def test_apt_waits_for_the_dpkg_lock(tmp_path: Path) -> None:
    """As root, every apt-get call waits up to 120 s for another apt run's lock instead of failing."""
    env = _fake_tools(tmp_path / "bin", uid="0")
    subprocess.run([str(REPO / "scripts" / "ensure-system-deps")], env=env, capture_output=True, text=True)
    calls = (tmp_path / "bin" / "apt-calls").read_text().splitlines()
    assert calls and all(c.startswith("-o DPkg::Lock::Timeout=120 ") for c in calls)
