"""``Registry.reference`` and ``Registry.application``: by id, in constant time, and never stale.

The lookups keep an index of positions; these tests change the lists the ways commands do
(append, remove, rename, replace a record, replace the whole list) and check every answer
against a plain scan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from refaudit.model import Application, Reference, Registry

DAY = date(2026, 11, 1)


def scan(records: list[Reference] | list[Application], wanted: str) -> Reference | Application | None:
    return next((r for r in records if r.id == wanted), None)


def make() -> Registry:
    return Registry(
        references=[Reference(id=f"ref-{i}", name=f"Person {i}") for i in range(5)],
        applications=[Application(id=f"app-{i}", company=f"Company {i}", role="Analyst", applied_on=DAY)
                      for i in range(5)],
    )  # fmt: skip


def assert_agrees(reg: Registry, ids: list[str]) -> None:
    for wanted in ids:
        for records, lookup in ((reg.references, reg.reference), (reg.applications, reg.application)):
            expected = scan(records, wanted)
            if expected is None:
                with pytest.raises(KeyError):
                    lookup(wanted)
            else:
                assert lookup(wanted) is expected


def test_a_lookup_finds_each_record_by_id_and_refuses_an_unknown_one() -> None:
    reg = make()
    assert reg.reference("ref-3").name == "Person 3"
    assert reg.application("app-0").company == "Company 0"
    with pytest.raises(KeyError, match="nobody"):
        reg.reference("nobody")
    with pytest.raises(KeyError, match="app-9"):
        reg.application("app-9")


def test_lookups_follow_every_change_a_command_makes() -> None:
    reg = make()
    ids = [f"ref-{i}" for i in range(8)] + [f"app-{i}" for i in range(8)] + ["renamed", "new-app"]
    assert_agrees(reg, ids)  # builds the index
    reg.references.append(Reference(id="ref-5", name="Added"))
    reg.applications.remove(reg.application("app-1"))  # the later ones move up by one
    assert_agrees(reg, ids)
    reg.reference("ref-2").id = "renamed"
    assert_agrees(reg, ids)
    reg.applications[0] = replace(reg.applications[0], company="Changed")  # a new object in the same place
    assert reg.application("app-0").company == "Changed"
    reg.applications = [Application(id="new-app", company="New", role="Lead", applied_on=DAY)]
    assert_agrees(reg, ids)
    reg.references.clear()
    assert_agrees(reg, ids)


def test_the_index_is_not_part_of_the_registry() -> None:
    """Two registries with the same records are equal, whether or not either was looked into."""
    a, b = make(), make()
    a.reference("ref-1")
    assert a == b
    assert "_positions" not in repr(a)
    assert a.to_plain() == b.to_plain()
