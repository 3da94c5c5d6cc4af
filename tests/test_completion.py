"""Shell completion: ``completion bash|zsh|fish``, and ids that complete only while a session is live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from click.shell_completion import get_completion_class
from click.testing import CliRunner

from refaudit import session, vault
from refaudit.cli import cli
from refaudit.cli._complete import complete_app, complete_ref
from tests.conftest import PASSPHRASE, Runner


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_clicks_script(runner: Runner, shell: str) -> None:
    """completion SHELL prints click's own script for that shell, driven by _REFAUDIT_COMPLETE."""
    result = runner.ok("completion", shell)
    comp_cls = get_completion_class(shell)
    assert comp_cls is not None
    assert result.stdout == comp_cls(cli, {}, "refaudit", "_REFAUDIT_COMPLETE").source()
    assert f"_REFAUDIT_COMPLETE={shell}_complete" in result.stdout


def test_completion_refuses_other_shells(runner: Runner) -> None:
    """An unsupported shell is a usage error (exit 2) listing the accepted ones."""
    result = runner("completion", "tcsh")
    assert result.exit_code == 2
    assert "'bash', 'zsh', 'fish'" in result.stderr


def test_commands_complete_through_clicks_mechanism(registry: Path) -> None:
    """With _REFAUDIT_COMPLETE set, refaudit answers completion requests, e.g. 'ex' -> export."""
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="refaudit",
        env={"_REFAUDIT_COMPLETE": "bash_complete", "COMP_WORDS": "refaudit ex", "COMP_CWORD": "1"},
    )
    assert result.exit_code == 0
    assert result.stdout.split() == ["plain,export"]


def _ctx(registry: Path) -> click.Context:
    return cli.make_context("refaudit", ["--registry", str(registry), "ref"], resilient_parsing=True)


@pytest.fixture
def people(runner: Runner, registry: Path) -> Path:
    """A registry with Jane Doe, José Núñez and one application at Acme."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("ref", "add", "José Núñez")
    runner.ok("app", "add", "Acme Corp", "--role", "Data Analyst", "--applied", "2026-10-01")
    return registry


def _live_session(registry: Path, monkeypatch: pytest.MonkeyPatch, *, ttl: int = 900, ago: int = 0) -> None:
    keyring = vault.unlock_passphrase(registry.read_bytes(), PASSPHRASE)
    now = datetime.now(UTC) - timedelta(seconds=ago)
    token = session.create(registry, keyring.file_id, keyring.data_key, ttl, now, slots=vault.slots_digest(keyring))
    monkeypatch.setenv("REFAUDIT_SESSION", token)


def test_ids_complete_with_a_live_session(people: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a live session, REF completes ids by id or name prefix (accents ignored) and APP by id or company."""
    monkeypatch.delenv("REFAUDIT_PASSPHRASE")
    _live_session(people, monkeypatch)
    ctx = _ctx(people)
    assert [(c.value, c.help) for c in complete_ref(ctx, None, "")] == [
        ("jane-doe", "Jane Doe"),
        ("jose-nunez", "José Núñez"),
    ]
    assert [c.value for c in complete_ref(ctx, None, "jos")] == ["jose-nunez"]
    assert [c.value for c in complete_ref(ctx, None, "JANE")] == ["jane-doe"]
    assert [c.value for c in complete_app(ctx, None, "acme")] == [c.value for c in complete_app(ctx, None, "")]
    assert len(complete_app(ctx, None, "")) == 1


def test_no_session_no_ids_and_no_prompt(people: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a session nothing completes, even with a passphrase at hand, and nobody is asked for one."""

    def no_prompt(*args: object, **kwargs: object) -> None:
        raise AssertionError("completion must never prompt")

    monkeypatch.setattr(click, "prompt", no_prompt)
    monkeypatch.setattr(click.termui, "prompt", no_prompt)
    assert complete_ref(_ctx(people), None, "") == []
    monkeypatch.delenv("REFAUDIT_PASSPHRASE")
    assert complete_app(_ctx(people), None, "") == []


@pytest.mark.parametrize("token", ["expired", "garbage", "locked"])
def test_dead_sessions_complete_nothing(people: Path, monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    """An expired, malformed or locked session completes nothing and raises nothing."""
    monkeypatch.delenv("REFAUDIT_PASSPHRASE")
    if token == "expired":
        _live_session(people, monkeypatch, ttl=60, ago=3600)
    elif token == "garbage":
        monkeypatch.setenv("REFAUDIT_SESSION", "garbage")
    else:
        _live_session(people, monkeypatch)
        session.end_all(people)
    assert complete_ref(_ctx(people), None, "") == []


def test_completion_of_a_missing_registry_is_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A --registry that does not exist completes nothing and does not fail."""
    monkeypatch.setenv("REFAUDIT_SESSION", "A" * 43)
    assert complete_ref(_ctx(tmp_path / "missing.refaudit"), None, "") == []
