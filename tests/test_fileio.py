"""One home for each small fact: the private atomic write, the strict JSON codec, report ids, field lists."""

from __future__ import annotations

import dataclasses
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from refaudit import fileio, jsonio
from refaudit.errors import ValidationError
from refaudit.model import (
    OFFER_OUTCOMES,
    OUTCOMES,
    Application,
    Feedback,
    Reference,
    feedback_id,
    feedback_number,
)
from refaudit.parts import HistoryEntry
from tests.conftest import Runner

# --- fileio ------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_file_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    """create_private and replace_private both leave a 0600 file, even under umask 0."""
    old = os.umask(0)
    try:
        fileio.create_private(tmp_path / "new", b"secret")
        fileio.replace_private(tmp_path / "replaced", b"secret")
    finally:
        os.umask(old)
    assert (_mode(tmp_path / "new"), _mode(tmp_path / "replaced")) == (0o600, 0o600)


def test_create_private_never_overwrites_nor_follows_a_link(tmp_path: Path) -> None:
    """An existing file, or a symlink planted where the file goes: FileExistsError, the target untouched."""
    target = tmp_path / "elsewhere"
    target.write_bytes(b"theirs")
    (tmp_path / "link").symlink_to(target)
    for name in ("elsewhere", "link"):
        with pytest.raises(FileExistsError):
            fileio.create_private(tmp_path / name, b"ours")
    assert target.read_bytes() == b"theirs"


def test_replace_private_replaces_whole_and_sets_the_mtime(tmp_path: Path) -> None:
    """The new contents in place, the requested mtime, and no temporary file left beside it."""
    (folder := tmp_path / "sessions").mkdir()
    path = folder / "session"
    path.write_bytes(b"old")
    fileio.replace_private(path, b"new", mtime=2_000_000_000)
    assert (path.read_bytes(), path.stat().st_mtime) == (b"new", 2_000_000_000)
    assert sorted(p.name for p in folder.iterdir()) == ["session"]


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.replace failing (a full or read-only disk): the old file stays, the temporary is removed."""
    (folder := tmp_path / "exports").mkdir()
    path = folder / "export.yaml"
    path.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        fileio.replace_private(path, b"new")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == ["export.yaml"]


def test_unlink_quietly_ignores_what_is_not_there(tmp_path: Path) -> None:
    """Removing a missing file, or a folder, says nothing and raises nothing."""
    (tmp_path / "folder").mkdir()
    fileio.unlink_quietly(tmp_path / "missing")
    fileio.unlink_quietly(tmp_path / "folder")
    assert (tmp_path / "folder").is_dir()


# --- jsonio ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', "'x.json' is not valid: the key 'a' appears twice in one object."),
        ('{"risk": NaN}', "'x.json' is not valid JSON: NaN is not a value refaudit accepts."),
        ('{"risk": -Infinity}', "'x.json' is not valid JSON: -Infinity is not a value refaudit accepts."),
        ('{"a": ', "'x.json' is not valid JSON: Expecting value at line 1, column 7."),
        ("[" * 100_000 + "]" * 100_000, "'x.json' is nested too deeply to be a refaudit export."),
        (b'{"name": "\xff"}', "'x.json' is not valid JSON: it is not UTF-8 text."),
    ],
    ids=["duplicate-key", "nan", "infinity", "truncated", "deep", "not-utf8"],
)
def test_strict_json_refuses_hostile_documents(text: str | bytes, message: str) -> None:
    """Each refusal is one sentence naming the document."""
    with pytest.raises(ValidationError) as caught:
        jsonio.loads(text, "'x.json'")
    assert str(caught.value) == message


def test_json_writes_dates_as_iso_and_text_as_typed() -> None:
    """Dates become YYYY-MM-DD; non-ASCII stays as it is; anything else unknown is an error."""
    assert jsonio.dumps({"on": date(2026, 9, 15), "name": "李娜"}) == '{"on": "2026-09-15", "name": "李娜"}'
    with pytest.raises(TypeError):
        jsonio.dumps({"what": object()})


# --- model: the small facts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record_id", "number"),
    [("f1", 1), ("f123456789", 123456789), ("f0", 0), ("F12", None), ("f", None), ("f1234567890", None),
     ("f١٢", None), ("f12 ", None), ("jane-doe", None), ("ff1", None)],
    ids=["f1", "nine-digits", "f0", "upper", "bare", "ten-digits", "arabic-digits", "trailing-space", "other", "ff1"],
)  # fmt: skip
def test_feedback_numbers_are_read_from_one_form_only(record_id: str, number: int | None) -> None:
    """``f`` then one to nine ASCII digits is a report number; anything else is an id made by hand."""
    assert feedback_number(record_id) == number
    if number is not None:
        assert feedback_id(number) == record_id  # and back again


def test_offer_outcomes_are_outcomes() -> None:
    """The outcomes that mean an offer are among the outcomes an application can have."""
    assert OFFER_OUTCOMES == ("offer", "accepted") and set(OFFER_OUTCOMES) <= set(OUTCOMES)


@pytest.mark.parametrize("record", [Reference, Application, Feedback, HistoryEntry], ids=lambda r: r.__name__)
def test_every_field_is_written(record: type) -> None:
    """FIELDS (what is read and written) names exactly the record's dataclass fields (a history entry's DAG links
    are written only when it has them)."""
    written = (*record.FIELDS, *getattr(record, "DAG_FIELDS", ()))  # type: ignore[attr-defined]
    assert sorted(written) == sorted(f.name for f in dataclasses.fields(record))


def test_a_hostile_choice_lists_what_is_accepted(runner: Runner, registry: Path) -> None:
    """A lazily loaded choice refuses a bad value as click does, listing the values from the model."""
    result = runner("ref", "list", "--status", "<script>alert(1)</script>")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--status': '<script>alert(1)</script>' is not one of "
        "'active', 'resting', 'dropped', 'all'." in result.output
    )
