"""The file format, pinned: a registry made once with fixed inputs keeps opening to the same content.

``tests/testdata/known-answer-v1.refaudit`` was written by ``tests/testdata/make_known_answer.py``
(see its docstring) and is never regenerated. If a test here fails, a change broke
old files: fix the change, not the file.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from refaudit import history, interop, jsonio, store, vault
from refaudit.copies import uids
from refaudit.model import SCHEMA_VERSION, Registry
from tests.conftest import Runner
from tests.testdata.make_known_answer import CONTENT, HISTORY, PASSPHRASE

KNOWN = Path(__file__).parent / "testdata" / "known-answer-v1.refaudit"
SHA256 = "525fa239920745f9e04e9d8b05f7641a156e0cf6215b3cac0bb5af7bb5cba996"
RECOVERY_KEY = "KQGKF-ZGRYM-ZQVJ1-RYAKP-5W6G8-41JYG-24Z8C-JKSG9-1CR3M-GQYAT-XN2DR"
FILE_ID = "8ebcdd187ccb0ad6c1e65f0d4d9475e6"


def as_read_now(written: dict[str, Any]) -> dict[str, Any]:
    """What this version of refaudit reads from the version-1 content: the one place to update.

    Schema 2 (docs/SPEC.md, "What the registry holds") reads a v1 ``neutral`` report as
    ``lukewarm`` (version 1 documented neutral as lukewarm). Schema 3 (docs/SPEC.md, "Two machines")
    gives each record the uid derived from the data key, its kind and its id, and exports ``refaudit: 3``.
    """
    expected = copy.deepcopy(written)
    expected["refaudit"] = SCHEMA_VERSION
    for report in expected["feedback"]:
        if report["sentiment"] == "neutral":
            report["sentiment"] = "lukewarm"
    uids.fill_plain(expected, DATA_KEY)
    return expected


DATA_KEY = vault.unlock_recovery(KNOWN.read_bytes(), RECOVERY_KEY).data_key
EXPECTED = as_read_now(CONTENT)


def _content(reg: Registry) -> Any:
    return json.loads(jsonio.dumps(interop.plain(reg)))


def test_the_file_is_the_one_made_once() -> None:
    """Its bytes are those written by the generator; nobody regenerated it to make a test pass."""
    assert hashlib.sha256(KNOWN.read_bytes()).hexdigest() == SHA256


def test_the_header_reads_as_written() -> None:
    """Format 1, Argon2id 19 MiB / 2 passes / 1 lane, a passphrase and a recovery slot, the fixed file id."""
    info = vault.inspect(KNOWN.read_bytes())
    assert info == {
        "format_version": 1,
        "kdf": "argon2id",
        "kdf_memory_kib": 19456,
        "kdf_passes": 2,
        "kdf_lanes": 1,
        "slots": ["passphrase", "recovery"],
        "body_size": 2780,
        "file_id": FILE_ID,
    }


@pytest.mark.parametrize("how", ["passphrase", "recovery-key"])
def test_it_opens_to_the_same_content(how: str) -> None:
    """The passphrase and the known-answer recovery key both open it, to the content it was made with."""
    blob = KNOWN.read_bytes()
    keyring = (
        vault.unlock_passphrase(blob, PASSPHRASE) if how == "passphrase" else vault.unlock_recovery(blob, RECOVERY_KEY)
    )
    reg = store.decode(vault.open_body(blob, keyring), keyring.data_key)
    assert _content(reg) == EXPECTED
    assert reg.feedback_seq == 3
    assert [(h.at, h.command, h.summary) for h in reg.history] == [
        (at.isoformat(timespec="seconds"), command, summary) for at, command, summary in HISTORY
    ]
    assert history.problems(reg.history) == []


def test_the_command_line_opens_it(runner: Runner, tmp_path: Path) -> None:
    """verify says OK and export prints the same content, through the installed command line."""
    copy_path = tmp_path / "known.refaudit"
    shutil.copyfile(KNOWN, copy_path)
    env = {"REFAUDIT_PASSPHRASE": PASSPHRASE, "REFAUDIT_REGISTRY": str(copy_path)}
    assert runner.ok("verify", env=env).output == (
        "OK: the registry decrypts, its contents are valid, the history chain is intact.\n"
    )
    assert json.loads(runner.ok("export", "--format", "json", env=env).stdout) == EXPECTED


def test_a_wrong_passphrase_is_still_exit_3(runner: Runner, tmp_path: Path) -> None:
    """The old file answers a wrong passphrase as a new one does."""
    copy_path = tmp_path / "known.refaudit"
    shutil.copyfile(KNOWN, copy_path)
    result = runner("--registry", str(copy_path), "verify", env={"REFAUDIT_PASSPHRASE": "not it"})
    assert (result.exit_code, result.output) == (3, "Error: Wrong passphrase for this registry\n")


def test_it_can_be_changed_and_keeps_its_keys(runner: Runner, tmp_path: Path) -> None:
    """Saving the old file with this version keeps its file id, its content and its recovery key."""
    copy_path = tmp_path / "known.refaudit"
    shutil.copyfile(KNOWN, copy_path)
    env = {"REFAUDIT_PASSPHRASE": PASSPHRASE, "REFAUDIT_REGISTRY": str(copy_path)}
    runner.ok("ref", "add", "Bob Smith", "--id", "bob-smith", env=env)
    blob = copy_path.read_bytes()
    assert vault.inspect(blob)["file_id"] == FILE_ID
    reg = store.decode(vault.open_body(blob, vault.unlock_recovery(blob, RECOVERY_KEY)), DATA_KEY)
    content = _content(reg)
    assert [r["id"] for r in content["references"]] == ["jane-doe", "jose-nunez", "ref-3", "bob-smith"]
    content["references"].pop()
    assert content == EXPECTED
