"""Shared fixtures: every test gets its own registry path, passphrase and cheap KDF."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from refaudit.cli import cli

PASSPHRASE = "correct horse battery staple"
# The OWASP floor refaudit accepts: cheap enough for hundreds of tests, still real Argon2id.
CHEAP_KDF = ["--kdf-memory", "19", "--kdf-passes", "2"]
# The Big List of Naughty Strings (MIT, see its LICENSE), vendored so every test runs on a fresh clone.
NAUGHTY_STRINGS = Path(__file__).resolve().parent / "data" / "naughty-strings" / "blns.txt"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point every refaudit variable at this test's own folder, whatever the developer's shell has."""
    for name in list(os.environ):
        if name.startswith("REFAUDIT_"):
            monkeypatch.delenv(name)
    # Output width comes from COLUMNS (cli/_term.columns); a test that wants one passes it. The shell may
    # export it, and pytest-xdist's workers inherit COLUMNS=80 LINES=24: pytest imports readline in the
    # controller, and readline puts the terminal's size into the C environment the workers are started with.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setenv("REFAUDIT_REGISTRY", str(tmp_path / "registry.refaudit"))
    monkeypatch.setenv("REFAUDIT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("REFAUDIT_LOCK_TIMEOUT", "2")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))  # the user's config file: refaudit config
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the device id (refaudit.copies.clock)
    (tmp_path / "runtime").mkdir(mode=0o700)
    yield


class Runner:
    """Invokes the CLI in-process, the way a user would type it."""

    def __init__(self) -> None:
        self._runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str | None] | None = None) -> Result:
        return self._runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kw: object) -> Result:
        result = self(*args, **kw)  # type: ignore[arg-type]
        assert result.exit_code == 0, f"refaudit {' '.join(args)} -> {result.exit_code}\n{result.output}"
        return result


@pytest.fixture
def runner() -> Runner:
    return Runner()


@pytest.fixture
def registry_path(tmp_path: Path) -> Path:
    return tmp_path / "registry.refaudit"


@pytest.fixture
def registry(runner: Runner, registry_path: Path) -> Path:
    """An empty registry made with the cheap KDF."""
    runner.ok("init", *CHEAP_KDF)
    return registry_path


@pytest.fixture
def blns() -> list[str]:
    """The Big List of Naughty Strings (tests/data/naughty-strings), comments and blank lines left out."""
    lines = NAUGHTY_STRINGS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def filled(data: Any) -> Any:
    """``data`` without its empty fields (null or []): JSON output lists every key, and tests
    that spell out a record compare only what is filled in (the key set has its own test)."""
    if isinstance(data, dict):
        return {k: filled(v) for k, v in data.items() if v is not None and v != []}
    if isinstance(data, list):
        return [filled(v) for v in data]
    return data
