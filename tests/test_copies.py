"""The pieces of "Two machines" one by one: uids, the clock, save-time stamps, tombstones, the merge."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from refaudit import history, references
from refaudit.copies import clock, conflicts, merging, stamping, uids
from refaudit.copies.clock import ZERO, Clock
from refaudit.errors import ValidationError
from refaudit.model import Feedback, Reference, Registry

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DEV_A, DEV_B = "aa" * 8, "bb" * 8


def test_a_derived_uid_is_the_keyed_digest_of_kind_and_id() -> None:
    """Every copy of an older registry gives its records the same uid, and only the data key makes it."""
    key = bytes(range(32))
    expected = hmac.new(key, b"refaudit uid v1references\x00jane-doe", hashlib.sha256).hexdigest()[:32]
    assert uids.derived_uid(key, "references", "jane-doe") == expected
    assert uids.derived_uid(key, "feedback", "jane-doe") != expected
    plain = {"references": [{"id": "jane-doe", "name": "Jane"}, {"id": "x", "name": "X", "uid": "ab" * 16}]}
    uids.fill_plain(plain, key)
    assert [r["uid"] for r in plain["references"]] == [expected, "ab" * 16]


def test_a_uid_that_is_not_128_bits_of_hex_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"references\[0\].uid 'JANE' is not a uid: 32 lowercase hexadecimal"):
        Registry.from_plain({"refaudit": 3, "references": [{"id": "j", "name": "J", "uid": "JANE"}]})
    two = [{"id": "a", "name": "A", "uid": "ab" * 16}, {"id": "b", "name": "B", "uid": "ab" * 16}]
    with pytest.raises(ValidationError, match="uids: the id 'abab"):
        Registry.from_plain({"refaudit": 3, "references": two})


def test_a_newer_schema_says_to_upgrade() -> None:
    with pytest.raises(ValidationError, match="written by a newer refaudit: upgrade refaudit"):
        Registry.from_plain({"refaudit": 4})


def test_the_clock_never_goes_back() -> None:
    """Later than the wall clock, than the registry's last stamp, and strictly increasing within a save."""
    c = Clock(T0, DEV_A, None)
    first, second = c.tick(), c.tick()
    assert first < second and first.endswith(DEV_A) and clock.hlc_of(first) >> 16 == int(T0.timestamp() * 1000)
    behind = Clock(T0 - timedelta(hours=1), DEV_B, c.last)  # a machine whose clock is an hour slow
    assert behind.tick() > second
    assert first > ZERO


def test_the_device_id_lives_in_the_user_state_folder(tmp_path: Path) -> None:
    """Made once, read back; in XDG_STATE_HOME (conftest points it at this test's folder), never beside the registry."""
    made = clock.device_id()
    assert clock.device_id() == made
    assert (tmp_path / "state" / "refaudit" / "device-id").read_text().strip() == made


def _saved(reg: Registry, change: object, at: datetime, device: str = DEV_A) -> list[str]:
    before = stamping.snapshot(reg)
    change(reg)  # type: ignore[operator]
    return stamping.stamp(before, reg, at, device)


def test_a_save_stamps_exactly_the_fields_that_changed() -> None:
    reg = Registry()
    _saved(reg, lambda r: r.references.append(Reference(id="jane", name="Jane Doe", tags=["a"])), T0)
    jane = reg.references[0]
    assert jane.uid is not None and list(reg.copies["stamps"][jane.uid]) == [""]
    touched = _saved(reg, lambda r: (setattr(jane, "notes", "n"), jane.tags.append("b")), T0 + timedelta(seconds=1))
    entry = reg.copies["stamps"][jane.uid]
    assert touched == [jane.uid]
    assert sorted(entry) == ["", "notes", "tags[]"] and list(entry["tags[]"]) == ["b"]
    _saved(reg, lambda r: jane.tags.remove("a"), T0 + timedelta(seconds=2))
    assert list(reg.copies["stamps"][jane.uid]["tags[-]"]) == ["a"]
    assert _saved(reg, lambda r: None, T0 + timedelta(seconds=3)) == []


def test_a_rename_is_one_change_of_id_not_of_every_record_naming_it() -> None:
    reg = Registry()
    _saved(reg, lambda r: r.references.append(Reference(id="jane", name="Jane Doe")), T0)
    _saved(reg, lambda r: r.feedback.append(
        Feedback(id="f1", reference="jane", reported_on=date(2026, 3, 1), sentiment="positive")
    ), T0)  # fmt: skip
    touched = _saved(reg, lambda r: references.rename(r, r.references[0], "jane-doe"), T0 + timedelta(seconds=1))
    assert touched == [reg.references[0].uid]


def test_removing_a_record_leaves_a_keyed_tombstone_and_no_uid() -> None:
    reg = Registry()
    _saved(reg, lambda r: r.references.append(Reference(id="jane", name="Jane Doe")), T0)
    uid = reg.references[0].uid
    assert uid is not None
    _saved(reg, lambda r: references.remove(r, r.references[0]), T0 + timedelta(seconds=1))
    key = reg.copies["merge_key"]
    assert reg.copies["tombstones"] == [hmac.new(bytes.fromhex(key), uid.encode(), hashlib.sha256).hexdigest()]
    assert uid not in str(reg.copies["stamps"])


def _body(records: list[dict[str, object]], stamps: dict[str, object] | None = None) -> dict[str, object]:
    return {"references": records, "applications": [], "feedback": [], "stamps": stamps or {}}


def test_a_field_no_one_knows_yet_merges_by_its_stamp() -> None:
    """Fields added later (another helper's ``worked_with``) need nothing: any key merges the same way."""
    uid = "cd" * 16
    here = _body(
        [{"id": "j", "name": "J", "uid": uid, "worked_with": "Acme"}], {uid: {"worked_with": "2" * 16 + DEV_A}}
    )
    there = _body(
        [{"id": "j", "name": "J", "uid": uid, "worked_with": "Globex"}], {uid: {"worked_with": "3" * 16 + DEV_B}}
    )
    outcome = merging.merge(here, there)
    assert outcome.body["references"][0]["worked_with"] == "Globex"
    assert [d.line() for d in outcome.decisions] == ["updated reference j worked_with"]
    assert outcome.overwritten == ["reference j worked_with (here): Acme"]


def test_unstamped_records_of_an_older_registry_merge_with_zero_stamps() -> None:
    uid = "cd" * 16
    old = _body([{"id": "j", "name": "J", "uid": uid, "notes": "before"}])
    new = _body([{"id": "j", "name": "J", "uid": uid, "notes": "after"}], {uid: {"notes": "1" * 16 + DEV_B}})
    assert merging.merge(old, new).body["references"][0]["notes"] == "after"
    assert merging.merge(new, old).body["references"][0]["notes"] == "after"
    assert not merging.merge(old, old).changed


def test_a_merge_entry_has_two_parents_and_verify_checks_them() -> None:
    """The history is a DAG: both chains kept, a merge entry after both; a parent that is not there shows."""
    base = Registry()
    history.append(base, T0, "init", "created the registry")
    a, b = Registry(history=list(base.history)), Registry(history=list(base.history))
    history.append(a, T0 + timedelta(minutes=1), "ref add", "added reference a")
    history.append(b, T0 + timedelta(minutes=2), "ref add", "added reference b")
    entries, head = merging.merge_history(a.history, b.history, set(), set())
    merged = Registry(history=entries)
    history.append(
        merged, T0 + timedelta(minutes=3), "merge", "merged another copy", parents=[a.history[-1].hash, head or ""]
    )
    assert [e.summary for e in merged.history] == [
        "created the registry", "added reference a", "added reference b", "merged another copy",
    ]  # fmt: skip
    assert history.problems(merged.history) == []
    merged.history[3].parents = [a.history[-1].hash, "f" * 64]
    assert history.problems(merged.history)[0].startswith("history entry 4")


def test_conflict_copies_are_found_by_name(tmp_path: Path) -> None:
    registry = tmp_path / "registry.refaudit"
    for name in ("registry.refaudit", "registry.refaudit.bak", "registry.refaudit.orig",
                 "registry.sync-conflict-20260301-101010-ABC.refaudit", "other.sync-conflict-1.refaudit",
                 "registry (Jo's conflicted copy).refaudit"):  # fmt: skip
        (tmp_path / name).write_text("")
    assert [p.name for p in conflicts.beside(registry)] == [
        "registry (Jo's conflicted copy).refaudit", "registry.refaudit.orig",
        "registry.sync-conflict-20260301-101010-ABC.refaudit",
    ]  # fmt: skip


def test_tombstones_under_another_merge_key_still_erase() -> None:
    """Two copies upgraded apart made two keys: the smaller is kept and the other's tombstones re-made under it."""
    uid, other_uid = "ab" * 16, "cd" * 16
    key_small, key_big = "01" * 32, "fe" * 32
    jane = {"id": "jane", "name": "Jane", "uid": uid}
    omar = {"id": "omar", "name": "Omar", "uid": other_uid}
    here = {**_body([jane, omar]), "merge_key": key_small, "tombstones": []}
    there = {**_body([omar]), "merge_key": key_big, "tombstones": [uids.tombstone(key_big, uid)]}
    for outcome in (merging.merge(here, there), merging.merge(there, here)):
        assert [r["id"] for r in outcome.body["references"]] == ["omar"]
        assert (outcome.body["merge_key"], outcome.body["tombstones"]) == (key_small, [uids.tombstone(key_small, uid)])
