"""The service's write path: the key is asked for before the lock, and checked again under it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from refaudit import references, service, store, vault
from refaudit.change import Change
from refaudit.errors import AuthError
from refaudit.model import Registry
from tests.conftest import CHEAP_KDF, PASSPHRASE, Runner

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _access(path: Path, passphrase: str = PASSPHRASE) -> service.Access:
    return service.Access(
        store=store.Store(path, lock_timeout=2),
        unlock=lambda blob: vault.unlock_passphrase(blob, passphrase),
        now=lambda: NOW,
    )


def _add(name: str) -> Callable[[Registry], Change[str]]:
    def change(reg: Registry) -> Change[str]:
        return references.add(reg, references.RefFields(name=name), NOW.date())

    return change


def test_the_key_is_asked_for_before_the_lock_is_taken(registry: Path) -> None:
    """The unlock strategy runs while the lock is free: another writer could take it meanwhile."""
    access = _access(registry)
    held: list[bool] = []

    def unlock(blob: bytes) -> vault.Keyring:
        other = store.Store(registry, lock_timeout=0.1)
        with other.locked():  # would time out (exit 5) if the service held the lock while asking
            held.append(True)
        return vault.unlock_passphrase(blob, PASSPHRASE)

    access.unlock = unlock
    assert service.update(access, "ref add", _add("Jane Doe")) == "jane-doe"
    assert held == [True]


def test_a_key_unlocked_before_passwd_writes_nothing(runner: Runner, registry: Path) -> None:
    """passwd between unlocking and saving: AuthError naming what happened; the file is untouched."""
    access = _access(registry)
    keyring = service.unlock(access)
    runner.ok("passwd", env={"REFAUDIT_NEW_PASSPHRASE": "another horse battery staple"})
    before = registry.read_bytes()
    with pytest.raises(AuthError) as caught:
        service.update(access, "ref add", _add("Jane Doe"), keyring=keyring)
    assert str(caught.value) == (
        f"the passphrase of {str(registry)!r} was changed (passwd or recover) while this command waited; "
        "nothing was written: run it again with the new passphrase."
    )
    assert registry.read_bytes() == before


def test_a_key_for_a_registry_since_replaced_writes_nothing(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """The file was swapped for another registry meanwhile: AuthError, nothing written."""
    access = _access(registry)
    keyring = service.unlock(access)
    other = tmp_path / "other.refaudit"
    runner.ok("--registry", str(other), "init", *CHEAP_KDF)
    other.replace(registry)
    before = registry.read_bytes()
    with pytest.raises(AuthError) as caught:
        service.update(access, "ref add", _add("Jane Doe"), keyring=keyring)
    assert str(caught.value) == (
        f"{str(registry)!r} was replaced by another registry while this command waited; nothing was written."
    )
    assert registry.read_bytes() == before


def test_a_change_without_a_summary_writes_nothing(registry: Path) -> None:
    """Change(None, …): the result comes back and the file is byte for byte what it was."""
    before = registry.read_bytes()
    assert service.update(_access(registry), "edit", lambda reg: Change(None, "nothing")) == "nothing"
    assert registry.read_bytes() == before


def test_a_change_may_hand_back_a_whole_new_registry(registry: Path) -> None:
    """Change(registry=…) saves that registry, with the history carried on and the line appended."""
    access = _access(registry)

    def rebuild(reg: Registry) -> Change[int]:
        new = Registry.from_plain({**reg.to_plain(), "owner": "Alex Candidate"})
        return Change("replaced it", 7, registry=new)

    assert service.update(access, "edit", rebuild) == 7
    reg = service.read(access)
    assert reg.owner == "Alex Candidate"
    assert [(h.command, h.summary) for h in reg.history] == [("init", "created the registry"), ("edit", "replaced it")]


def test_erase_backup_writes_the_new_contents_over_the_backup(registry: Path) -> None:
    """Change(erase_backup=True): the backup opens to the new contents, not the old."""
    access = _access(registry)
    service.update(access, "ref add", _add("Jane Doe"))

    def erase(reg: Registry) -> Change[None]:
        reg.references = []
        return Change("erased someone", None, erase_backup=True)

    service.update(access, "ref remove", erase)
    backup = access.store.backup_path.read_bytes()
    assert store.decode(vault.open_body(backup, vault.unlock_passphrase(backup, PASSPHRASE))).references == []
