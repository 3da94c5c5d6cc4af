"""Secrets never leak into output, errors, tracebacks or the history; plaintext never lingers on disk."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

import click

from refaudit import store, vault
from refaudit.cli import cli
from tests.conftest import CHEAP_KDF, Runner

SECRET = "Sphinx-of-black-quartz-judge-my-vow-7731"
NEW_SECRET = "Pack-my-box-with-five-dozen-liquor-jugs-4409"
CANARY = "Zebulon Quixote-Canary"


def scan_for(needle: bytes, roots: list[Path], since: float, skip: set[Path]) -> list[Path]:
    """Files under ``roots`` modified since ``since`` (and not in ``skip``) that contain ``needle``."""
    found = []
    for root in roots:
        if not root.exists():
            continue
        # os.walk, not rglob: another process's temp folder may vanish mid-walk (WeasyPrint's, say).
        for path in (Path(d) / f for d, _, files in os.walk(root, onerror=lambda _err: None) for f in files):
            try:
                if (
                    path.is_file()
                    and path not in skip
                    and path.stat().st_mtime >= since
                    and needle in path.read_bytes()
                ):
                    found.append(path)
            except OSError:
                continue
    return found


def test_secrets_never_appear_in_output_errors_tracebacks_or_history(runner: Runner, tmp_path: Path) -> None:
    """Passphrase, recovery key and session token stay out of every output, --debug traceback and the history."""
    env = {"REFAUDIT_PASSPHRASE": SECRET}
    init = runner.ok("init", *CHEAP_KDF, env=env)
    recovery = re.search(r"Recovery key: (\S+)", init.stdout).group(1)  # type: ignore[union-attr]
    token_out = runner.ok("unlock", "--raw", env=env).stdout.strip()
    typo = recovery[:-1] + ("1" if recovery[-1] == "0" else "0")
    outputs = [
        runner.ok("ref", "add", CANARY, "--email", "z@example.com", env=env).output,
        runner("--debug", "ref", "add", "x", "--email", "bad", env=env).output,
        runner("--debug", "ref", "list", env={"REFAUDIT_PASSPHRASE": SECRET + "-wrong"}).output,
        runner(
            "--debug", "ref", "show", "nobody", env={"REFAUDIT_SESSION": token_out, "REFAUDIT_PASSPHRASE": None}
        ).output,
        runner(
            "--debug", "ref", "list", env={"REFAUDIT_SESSION": token_out[:-2] + "xx", "REFAUDIT_PASSPHRASE": None}
        ).output,
        runner.ok("passwd", env={**env, "REFAUDIT_NEW_PASSPHRASE": NEW_SECRET}).output,
        runner("--debug", "recover", env={"REFAUDIT_RECOVERY_KEY": typo, "REFAUDIT_NEW_PASSPHRASE": "x"}).output,
        runner.ok("history", "--json", env={"REFAUDIT_PASSPHRASE": NEW_SECRET}).output,
        runner.ok("export", env={"REFAUDIT_PASSPHRASE": NEW_SECRET}).output,
        runner.ok("verify", env={"REFAUDIT_PASSPHRASE": NEW_SECRET}).output,
    ]
    for out in outputs:
        for secret in (SECRET, NEW_SECRET, recovery, token_out):
            assert secret not in out
    blob = (tmp_path / "registry.refaudit").read_bytes()
    body = vault.open_body(blob, vault.unlock_passphrase(blob, NEW_SECRET))
    for secret in (SECRET, NEW_SECRET, recovery, token_out):
        assert secret.encode() not in body
    assert store.decode(body).history


def test_no_command_takes_a_secret_on_the_command_line() -> None:
    """No option accepts a passphrase, key or token as an argument, where ps would show it."""

    def params(cmd: click.Command) -> list[str]:
        names = [o for p in cmd.params for o in getattr(p, "opts", [])]
        if isinstance(cmd, click.Group):
            for sub in cmd.commands.values():
                names += params(sub)
        return names

    for name in params(cli):
        assert not re.fullmatch(r"--(passphrase|new-passphrase|recovery-key|session|token|password)", name), name


def test_no_plaintext_left_behind_by_a_whole_session(runner: Runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After init, add, log, edit, unlock, audit and a failed edit, no plaintext canary is on disk outside exports."""
    started = os.path.getmtime(tmp_path) - 1
    runner.ok("init", *CHEAP_KDF)
    runner.ok("ref", "add", CANARY, "--note", f"{CANARY} note")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--ref", "zebulon")
    runner.ok("feedback", "log", "zebulon", "--sentiment", "negative", "--quote", f"{CANARY} said so")
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\np = sys.argv[1]\nopen(p, 'a').write('\\n# touched\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    runner("edit")
    bad_editor = tmp_path / "bad_editor.py"
    bad_editor.write_text("import sys\nsys.exit(3)\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {bad_editor}")
    runner("edit")
    runner.ok("unlock")
    runner.ok("audit")
    runner.ok("next")
    roots = [tmp_path, Path(tempfile.gettempdir()), Path("/dev/shm"), Path(os.environ["XDG_RUNTIME_DIR"])]
    leaks = scan_for(CANARY.split()[0].encode(), roots, started, skip=set())
    assert leaks == []
