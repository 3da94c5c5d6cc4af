"""Sessions: ``unlock`` once, then commands run on REFAUDIT_SESSION until it expires or ``lock`` ends it."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from refaudit import session, vault
from refaudit.errors import AuthError, ValidationError
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner

NO_PASSPHRASE: dict[str, str | None] = {"REFAUDIT_PASSPHRASE": None}


def _unlock(runner: Runner, *args: str) -> str:
    result = runner.ok("unlock", "--raw", *args)
    return result.stdout.strip()


def _with(token: str) -> dict[str, str | None]:
    return {"REFAUDIT_PASSPHRASE": None, "REFAUDIT_SESSION": token}


def _session_files() -> list[Path]:
    root = Path(os.environ["XDG_RUNTIME_DIR"]) / "refaudit" / "sessions"
    return sorted(p for p in root.rglob("*") if p.is_file())


def _keys(registry: Path) -> tuple[bytes, bytes, bytes]:
    keyring = vault.unlock_passphrase(registry.read_bytes(), PASSPHRASE)
    return keyring.file_id, keyring.data_key, vault.slots_digest(keyring)


def test_unlock_prints_an_export_line_for_the_shell(runner: Runner, registry: Path) -> None:
    """unlock prints 'export REFAUDIT_SESSION=<token>' on stdout and when it ends on stderr."""
    result = runner.ok("unlock")
    line = result.stdout.strip()
    assert line.startswith("export REFAUDIT_SESSION=")
    assert len(line.split("=", 1)[1]) == 43
    assert result.stderr.startswith(f"Session for {registry} until ")


def test_session_replaces_the_passphrase(runner: Runner, registry: Path) -> None:
    """With REFAUDIT_SESSION set and no passphrase anywhere, commands read and write the registry."""
    token = _unlock(runner)
    runner.ok("ref", "add", "Jane Doe", env=_with(token))
    assert "Jane Doe" in runner.ok("ref", "list", env=_with(token)).stdout
    assert runner.ok("verify").exit_code == 0  # still opens with the passphrase


def test_without_session_or_passphrase_it_is_exit_2(runner: Runner, registry: Path) -> None:
    """Without a session, a passphrase or a terminal, commands exit 2 as before."""
    assert runner("ref", "list", env=NO_PASSPHRASE).exit_code == 2


def test_session_file_is_private_and_sealed(runner: Runner, registry: Path) -> None:
    """The session file is 0600 in 0700 folders under XDG_RUNTIME_DIR and shows neither key nor path."""
    token = _unlock(runner)
    (path,) = _session_files()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    content = path.read_bytes()
    _, data_key, _ = _keys(registry)
    for secret in (data_key, data_key.hex().encode(), str(registry).encode(), token.encode()):
        assert secret not in content


def test_unlock_with_a_wrong_passphrase_makes_no_session(runner: Runner, registry: Path) -> None:
    """A wrong passphrase is exit 3 and leaves no session file."""
    result = runner("unlock", env={"REFAUDIT_PASSPHRASE": "wrong"})
    assert result.exit_code == 3
    assert _session_files() == []


def test_expired_session_is_refused(runner: Runner, registry: Path) -> None:
    """A session past its expiry is exit 3 saying it expired, and its file is removed."""
    file_id, data_key, slots = _keys(registry)
    token = session.create(registry, file_id, data_key, 60, datetime.now(UTC) - timedelta(hours=1), slots=slots)
    result = runner("ref", "list", env=_with(token))
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: The session in REFAUDIT_SESSION expired at ")
    assert result.stderr.endswith("; run 'refaudit unlock' for a new one.\n")
    assert _session_files() == []


def test_resolve_takes_the_time_as_a_parameter(registry: Path) -> None:
    """resolve honours the expiry sealed in the file: live one second before, refused at the instant."""
    file_id, data_key, slots = _keys(registry)
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    token = session.create(registry, file_id, data_key, 900, start, slots=slots)
    assert session.resolve(token, registry, now=start + timedelta(seconds=899)) == (file_id, data_key, slots)
    with pytest.raises(AuthError, match="expired"):
        session.resolve(token, registry, now=start + timedelta(seconds=900))


def test_lock_ends_every_session_of_the_registry(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """lock ends both sessions of this registry (exit 3 afterwards) but not another registry's."""
    first, second = _unlock(runner), _unlock(runner)
    other = tmp_path / "other.refaudit"
    runner.ok("--registry", str(other), "init", *CHEAP_KDF)
    theirs = runner.ok("--registry", str(other), "unlock", "--raw").stdout.strip()
    result = runner.ok("lock", env=NO_PASSPHRASE)
    assert result.stdout == f"Ended 2 sessions of {registry}.\n"
    for token in (first, second):
        refused = runner("ref", "list", env=_with(token))
        assert refused.exit_code == 3
        assert refused.stderr == (
            "Error: The session in REFAUDIT_SESSION has ended or expired ('refaudit lock', a new passphrase); "
            "run 'refaudit unlock' for a new one.\n"
        )
    runner.ok("--registry", str(other), "ref", "list", env=_with(theirs))


def test_lock_without_sessions_says_so(runner: Runner, registry: Path) -> None:
    """lock with nothing to end succeeds and says it ended none."""
    assert runner.ok("lock").stdout == f"Ended 0 sessions of {registry}.\n"


@pytest.mark.parametrize(
    "change",
    [
        ["passwd"],
        ["recover"],
    ],
    ids=["passwd", "recover"],
)
def test_new_passphrase_ends_sessions(runner: Runner, tmp_path: Path, change: list[str]) -> None:
    """passwd and recover end every session: the old token is exit 3 afterwards."""
    result = runner.ok("init", *CHEAP_KDF)
    recovery = result.stdout.split("Recovery key: ")[1].strip()
    token = _unlock(runner)
    runner.ok(*change, env={"REFAUDIT_NEW_PASSPHRASE": "a new passphrase", "REFAUDIT_RECOVERY_KEY": recovery})
    assert runner("ref", "list", env=_with(token)).exit_code == 3


def test_a_session_made_concurrently_with_passwd_is_dead(runner: Runner, registry: Path) -> None:
    """An unlock that read the file before passwd writes its session after passwd ended every session:
    the session is bound to the old key slots and opens nothing."""
    before = vault.unlock_passphrase(registry.read_bytes(), PASSPHRASE)  # unlock has read and derived
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "a new passphrase"})  # ends every session there is
    token = session.create(  # ...and only now does unlock write its session file
        registry, before.file_id, before.data_key, 900, datetime.now(UTC), slots=vault.slots_digest(before)
    )
    result = runner("ref", "list", env=_with(token))
    assert (result.exit_code, result.stderr) == (
        3,
        "Error: The session in REFAUDIT_SESSION was made before the passphrase changed (passwd or recover) "
        "and no longer opens the registry; run 'refaudit unlock' for a new one.\n",
    )
    assert runner("ref", "add", "Jane Doe", env=_with(token)).exit_code == 3


def test_slots_digest_changes_with_every_new_passphrase(registry: Path) -> None:
    """The digest a session is bound to is the same for the same header and changes with a rewrap."""
    keyring = vault.unlock_passphrase(registry.read_bytes(), PASSPHRASE)
    assert vault.slots_digest(keyring) == vault.slots_digest(vault.unlock_passphrase(registry.read_bytes(), PASSPHRASE))
    assert vault.slots_digest(vault.rewrap_passphrase(keyring, PASSPHRASE)) != vault.slots_digest(keyring)


def test_tampered_token_is_refused(runner: Runner, registry: Path) -> None:
    """A token with one character changed, or that is not a token at all, is exit 3."""
    token = _unlock(runner)
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    for bad in (flipped, token[:-1], "not a token", token + "x"):
        result = runner("ref", "list", env=_with(bad))
        assert result.exit_code == 3, bad
        assert result.stderr.startswith("Error: ")


def test_tampered_session_file_is_refused(runner: Runner, registry: Path) -> None:
    """A session file with one byte changed is exit 3, not a traceback."""
    token = _unlock(runner)
    (path,) = _session_files()
    data = bytearray(path.read_bytes())
    data[20] ^= 1
    path.write_bytes(bytes(data))
    result = runner("ref", "list", env=_with(token))
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: The session in REFAUDIT_SESSION does not open (tampered or damaged); "
        "run 'refaudit unlock' for a new one.\n"
    )


def test_token_for_another_registry_is_refused(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A token made for one registry is exit 3 on another, even with the same passphrase."""
    token = _unlock(runner)
    other = tmp_path / "other.refaudit"
    runner.ok("--registry", str(other), "init", *CHEAP_KDF)
    result = runner("--registry", str(other), "ref", "list", env=_with(token))
    assert result.exit_code == 3
    assert result.stderr == (
        "Error: The session in REFAUDIT_SESSION belongs to another registry; run 'refaudit unlock' for a new one.\n"
    )


def test_session_file_moved_to_another_registry_does_not_open(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Copying a session file into another registry's folder does not make it open that registry."""
    token = _unlock(runner)
    other = tmp_path / "other.refaudit"
    runner.ok("--registry", str(other), "init", *CHEAP_KDF)
    runner.ok("--registry", str(other), "unlock")
    mine = next(p for p in _session_files())
    theirs_folder = next(p.parent for p in _session_files() if p.parent != mine.parent)
    (theirs_folder / mine.name).write_bytes(mine.read_bytes())
    assert runner("--registry", str(other), "ref", "list", env=_with(token)).exit_code == 3


def test_registry_replaced_at_the_same_path_is_refused(runner: Runner, registry: Path) -> None:
    """A new registry created where the old one was does not open with the old one's session."""
    token = _unlock(runner)
    registry.unlink()
    registry.with_name(registry.name + ".bak").unlink(missing_ok=True)
    runner.ok("init", *CHEAP_KDF)
    result = runner("ref", "list", env=_with(token))
    assert result.exit_code == 3
    assert result.stderr == "Error: The session belongs to a different registry\n"


def test_session_follows_the_real_path(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A session made through a symlink works on the registry's real path (sessions bind to the real file)."""
    link = tmp_path / "link.refaudit"
    link.symlink_to(registry)
    token = runner.ok("--registry", str(link), "unlock", "--raw").stdout.strip()
    runner.ok("ref", "list", env=_with(token))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900), ("90s", 90), ("90", 90), ("1h30m", 5400), ("2H", 7200), ("1d", 86400)],
    ids=str,
)
def test_durations(text: str, seconds: int) -> None:
    """Timeouts read like ssh-add's: units s, m, h, d, combinable; a bare number is seconds."""
    assert session.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "", "0", "25h", "15 minutes", "-5m", "1.5h"], ids=repr)
def test_bad_durations_are_refused(text: str) -> None:
    """A timeout that is not a duration, or is zero or over 24h, is refused."""
    with pytest.raises(ValidationError):
        session.parse_duration(text)


def test_unlock_with_a_bad_timeout_is_exit_1(runner: Runner, registry: Path) -> None:
    """unlock --timeout soon is exit 1 naming the value and what is accepted, with no session made."""
    result = runner("unlock", "--timeout", "soon")
    assert result.exit_code == 1
    assert result.stderr == "Error: --timeout 'soon' is not a duration; use e.g. 15m, 1h, 1h30m or 90s.\n"
    assert _session_files() == []


def test_unlock_asks_the_passphrase_even_with_a_session(runner: Runner, registry: Path) -> None:
    """unlock never starts a session from another session: without a passphrase source it is exit 2."""
    token = _unlock(runner)
    assert runner("unlock", env=_with(token)).exit_code == 2
