"""Criticism and leads carry the day they were given: `{text, on}`; a bare text reads as given on the
debrief's day, else the day the application closed (issue 22). Today is pinned to 2026-11-30."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from refaudit import asof, settings, store, vault
from refaudit.applications import said_on
from refaudit.model import Application, Event, Registry, Said
from refaudit.report import build_contents
from tests.conftest import PASSPHRASE, Runner

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFAUDIT_TODAY", TODAY)


@pytest.fixture
def helio(runner: Runner, registry: Path) -> Runner:
    """Helio, applied 4 Aug, rejected 15 Sep."""
    runner.ok("app", "add", "Helio", "--role", "Backend Engineer", "--applied", "04.08.2026")
    runner.ok("app", "update", "helio", "--outcome", "rejected", "--on", "15.09.2026")
    return runner


def shown(runner: Runner) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(runner.ok("app", "show", "helio", "--json").stdout)
    return data


def test_each_debrief_dates_its_criticism_and_leads(helio: Runner) -> None:
    """A debrief on 20.09 and another on 02.10: each point keeps its own day, shown by `app show`."""
    helio.ok("app", "debrief", "helio", "--criticism", "More system design", "--on", "20.09.2026")
    helio.ok("app", "debrief", "helio", "--lead", "Quanta is hiring", "--on", "02.10.2026")
    data = shown(helio)
    assert data["criticism"] == [{"text": "More system design", "on": "2026-09-20"}]
    assert data["leads"] == [{"text": "Quanta is hiring", "on": "2026-10-02"}]
    text = helio.ok("app", "show", "helio").stdout
    assert "  - More system design (2026-09-20)\n" in text
    assert "  - Quanta is hiring (2026-10-02)\n" in text


def test_a_bare_text_reads_as_given_on_the_debrief_else_the_closing_day() -> None:
    """Written before days were kept: the first debrief's day, else closed_on."""
    app = Application(id="a", company="A", role="R", applied_on=date(2026, 8, 1), closed_on=date(2026, 9, 15))
    assert said_on(app, Said("old point")) == date(2026, 9, 15)
    app.timeline = [Event(date(2026, 8, 1), "applied"), Event(date(2026, 9, 20), "debrief")]
    assert said_on(app, Said("old point")) == date(2026, 9, 20)
    assert said_on(app, Said("dated", date(2026, 10, 1))) == date(2026, 10, 1)


def test_looking_back_a_lead_is_known_from_its_own_day(helio: Runner, registry: Path) -> None:
    """As of 01.10 the lead of 02.10 was not given yet; as of 02.10 it was."""
    helio.ok("app", "debrief", "helio", "--lead", "Quanta is hiring", "--on", "02.10.2026")

    reg, _ = store.open_blob(registry.read_bytes(), lambda blob: vault.unlock_passphrase(blob, PASSPHRASE))
    assert asof.view(reg, date(2026, 10, 1)).application("helio-backend-engineer").leads == []
    assert [x.text for x in asof.view(reg, date(2026, 10, 2)).application("helio-backend-engineer").leads] == [
        "Quanta is hiring"
    ]


def test_the_report_dates_each_lead_by_the_day_it_was_given() -> None:
    """A lead given a week after the rejection is printed with its own day, not the rejection's."""
    app = Application(
        id="helio", company="Helio", role="R", applied_on=date(2026, 8, 4), outcome="rejected",
        closed_on=date(2026, 9, 15), leads=[Said("Quanta is hiring", date(2026, 9, 22)), Said("Ask Mia")],
        timeline=[Event(date(2026, 8, 4), "applied"), Event(date(2026, 9, 15), "outcome", "rejected")],
    )  # fmt: skip
    reg = Registry(applications=[app])
    contents = build_contents(reg, [], [], settings.defaults(), date(2026, 11, 30))
    assert [(lead["text"], lead["date"]) for lead in contents["debriefs"]["leads"]] == [
        ("Quanta is hiring", "2026-09-22"),
        ("Ask Mia", "2026-09-15"),
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"text": "", "on": "2026-09-20"}, "applications[0].leads[0].text"),
        ({"text": "x", "on": "someday"}, "applications[0].leads[0].on"),
        ({"text": "x", "on": "2026-09-20", "by": "me"}, "applications[0].leads[0]"),
        ({"text": "x", "on": "2027-01-01"}, "leads 2027-01-01"),
        (42, "applications[0].leads[0]"),
    ],
    ids=["empty-text", "bad-day", "unknown-key", "future", "not-text"],
)
def test_import_refuses_a_bad_dated_item(
    runner: Runner, registry: Path, tmp_path: Path, item: Any, message: str
) -> None:
    """A lead that is not a text or {text, on} with a real, past day is refused naming where; nothing is added."""
    data = {
        "refaudit": 2,
        "applications": [{"id": "helio", "company": "Helio", "role": "R", "applied_on": "2026-08-04", "leads": [item]}],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = registry.read_bytes()
    result = runner("import", str(path))
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert registry.read_bytes() == before
