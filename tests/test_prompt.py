"""A person at a terminal: the passphrase prompt never holds the lock, three tries, weak passphrases.

These run the installed ``refaudit`` on a pseudo-terminal, as a user would type at it.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from refaudit import store, vault
from refaudit.model import Registry
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner

REFAUDIT = str(Path(sys.executable).with_name("refaudit"))
WAIT = 20.0  # seconds a child may take to reach its next prompt (an Argon2id run included)


class Terminal:
    """``refaudit ARGS`` with a pseudo-terminal for stdin, stdout and stderr; no passphrase in its environment."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        master, slave = os.openpty()
        child_env = {k: v for k, v in os.environ.items() if k != "REFAUDIT_PASSPHRASE"}
        child_env.update(env or {})
        self.proc = subprocess.Popen(
            [REFAUDIT, *args], stdin=slave, stdout=slave, stderr=slave, env=child_env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.seen = ""

    def expect(self, text: str) -> str:
        """Read until ``text`` has appeared since the last call; returns what was read."""
        deadline = time.monotonic() + WAIT
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0 or (self.proc.poll() is not None and not select.select([self.master], [], [], 0.1)[0]):
                raise AssertionError(f"never saw {text!r}; the terminal showed {self.seen!r}")
            if select.select([self.master], [], [], min(left, 0.2))[0]:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        got, self.seen = self.seen.split(text, 1)
        return got + text

    def type(self, line: str) -> None:
        os.write(self.master, line.encode("utf-8") + b"\n")

    def finish(self) -> tuple[int, str]:
        """Wait for the exit; the exit code and everything shown after the last ``expect``."""
        code = self.proc.wait(timeout=WAIT)
        while select.select([self.master], [], [], 0.1)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        os.close(self.master)
        return code, self.seen


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    made: list[Terminal] = []
    yield made
    for t in made:
        if t.proc.poll() is None:
            t.proc.kill()
            t.proc.wait()


def _open(path: Path) -> Registry:
    blob = path.read_bytes()
    return store.decode(vault.open_body(blob, vault.unlock_passphrase(blob, PASSPHRASE)))


def test_a_writer_at_its_prompt_holds_no_lock(registry: Path, terminals: list[Terminal]) -> None:
    """Writer A waits at its passphrase prompt; writer B (REFAUDIT_PASSPHRASE) saves meanwhile; then A saves too."""
    a = Terminal("ref", "add", "Writer A")
    terminals.append(a)
    a.expect("Passphrase: ")
    b = subprocess.run(
        [REFAUDIT, "ref", "add", "Writer B"],
        env={**os.environ, "REFAUDIT_LOCK_TIMEOUT": "1"},
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert (b.returncode, b.stdout, b.stderr) == (0, "writer-b\n", "")
    a.type(PASSPHRASE)
    assert a.finish() == (0, "\nwriter-a\n")
    reg = _open(registry)
    assert [r.id for r in reg.references] == ["writer-b", "writer-a"]
    assert [h.summary for h in reg.history][-2:] == ["added reference writer-b", "added reference writer-a"]


def test_a_wrong_passphrase_at_a_terminal_is_asked_again(registry: Path, terminals: list[Terminal]) -> None:
    """Two typos, then the right passphrase: the command runs, having said how many tries were left."""
    t = Terminal("verify")
    terminals.append(t)
    t.expect("Passphrase: ")
    t.type("wrong one")
    assert t.expect("Passphrase: ") == "\nWrong passphrase, try again (2 left).\nPassphrase: "
    t.type("wrong two")
    assert t.expect("Passphrase: ") == "\nWrong passphrase, try again (1 left).\nPassphrase: "
    t.type(PASSPHRASE)
    code, shown = t.finish()
    assert (code, shown) == (
        0,
        "\nOK: the registry decrypts, its contents are valid, the history chain is intact.\n",
    )


def test_three_wrong_passphrases_exit_3(registry: Path, terminals: list[Terminal]) -> None:
    """After the third wrong try: exit 3 with one line saying so."""
    t = Terminal("verify")
    terminals.append(t)
    for left in (2, 1):
        t.expect("Passphrase: ")
        t.type(f"wrong {left}")
        t.expect(f"({left} left).\n")
    t.expect("Passphrase: ")
    t.type("wrong 0")
    assert t.finish() == (3, "\nError: Wrong passphrase for this registry (3 tries).\n")


def test_a_wrong_passphrase_from_the_environment_is_not_retried(runner: Runner, registry: Path) -> None:
    """Non-interactive sources are unchanged: exit 3 at once, nothing asked."""
    result = runner("verify", env={"REFAUDIT_PASSPHRASE": "wrong"})
    assert (result.exit_code, result.output) == (3, "Error: Wrong passphrase for this registry\n")


def test_passwd_checks_the_current_passphrase_before_asking_for_the_new_one(
    registry: Path, terminals: list[Terminal]
) -> None:
    """A wrong current passphrase is asked again before any new passphrase is asked for."""
    t = Terminal("passwd")
    terminals.append(t)
    t.expect("Current passphrase: ")
    t.type("not it")
    assert t.expect("Current passphrase: ") == "\nWrong passphrase, try again (2 left).\nCurrent passphrase: "
    t.type(PASSPHRASE)
    t.expect("New passphrase: ")
    t.type("another horse battery staple")
    t.expect("Repeat for confirmation: ")
    t.type("another horse battery staple")
    assert t.finish() == (0, "\nPassphrase changed.\n")
    blob = registry.read_bytes()
    vault.unlock_passphrase(blob, "another horse battery staple")


def test_a_weak_new_passphrase_is_explained_and_confirmed(tmp_path: Path, terminals: list[Terminal]) -> None:
    """init at a terminal with 'abc': a warning with the reason, 'Use it anyway?'; 'n' asks again, 'y' accepts."""
    t = Terminal("init", *CHEAP_KDF, "--no-recovery-key")
    terminals.append(t)
    t.expect("Passphrase: ")
    t.type("abc")
    t.expect("Repeat for confirmation: ")
    t.type("abc")
    warning = t.expect("Use it anyway? [y/N]: ")
    assert warning == (
        "\nWarning: this passphrase is weak (strength 0 of 4; an attacker with the file could guess it in "
        'less than a second). Sequences like "abc" or "6543" are easy to guess. Add another word or two. '
        "Uncommon words are better. Avoid sequences.\nUse it anyway? [y/N]: "
    )
    t.type("n")
    t.expect("Passphrase: ")
    t.type("password")
    t.expect("Repeat for confirmation: ")
    t.type("password")
    assert "This is a top-10 common password." in t.expect("Use it anyway? [y/N]: ")
    t.type("y")
    code, shown = t.finish()
    assert (code, shown) == (0, f"y\nCreated {tmp_path / 'registry.refaudit'}\n")  # the answer is echoed
    vault.unlock_passphrase((tmp_path / "registry.refaudit").read_bytes(), "password")


def test_a_strong_new_passphrase_is_not_questioned(tmp_path: Path, terminals: list[Terminal]) -> None:
    """A passphrase zxcvbn rates 3 or 4 goes through without a word."""
    t = Terminal("init", *CHEAP_KDF, "--no-recovery-key")
    terminals.append(t)
    t.expect("Passphrase: ")
    t.type(PASSPHRASE)
    t.expect("Repeat for confirmation: ")
    t.type(PASSPHRASE)
    assert t.finish() == (0, f"\nCreated {tmp_path / 'registry.refaudit'}\n")


def test_a_weak_passphrase_from_the_environment_is_taken_as_given(runner: Runner, tmp_path: Path) -> None:
    """Scripts are unchanged: no prompt and no warning without a terminal."""
    result = runner("init", *CHEAP_KDF, "--no-recovery-key", env={"REFAUDIT_PASSPHRASE": "abc"})
    assert (result.exit_code, result.stderr) == (0, "")


def test_recover_asks_the_recovery_key_again_then_the_new_passphrase(
    runner: Runner, tmp_path: Path, terminals: list[Terminal]
) -> None:
    """A mistyped recovery key at a terminal is asked again; then the new passphrase, which opens the file."""
    created = runner.ok("init", *CHEAP_KDF).stdout
    recovery_key = created.split("Recovery key: ")[1].strip()
    t = Terminal("recover")
    terminals.append(t)
    t.expect("Recovery key: ")
    typo = ("1" if recovery_key[0] == "0" else "0") + recovery_key[1:]  # one character: the CRC always sees it
    t.type(typo)
    assert t.expect("Recovery key: ") == (
        "\nWrong recovery key (the recovery key's checksum does not match — check for a mistyped character), "
        "try again (2 left).\nRecovery key: "
    )
    t.type(recovery_key)
    t.expect("New passphrase: ")
    t.type("another horse battery staple")
    t.expect("Repeat for confirmation: ")
    t.type("another horse battery staple")
    assert t.finish() == (0, "\nPassphrase reset with the recovery key.\n")
    vault.unlock_passphrase((tmp_path / "registry.refaudit").read_bytes(), "another horse battery staple")
