"""Dates as people type them: every accepted form, the ambiguous refusal, and nothing guessed."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refaudit import dates
from refaudit.errors import ValidationError
from tests.conftest import Runner

MONDAY = date(2026, 11, 30)  # a Monday
THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("2026-09-15", MONDAY, date(2026, 9, 15)),
        ("today", MONDAY, MONDAY),
        ("  Today ", MONDAY, MONDAY),
        ("yesterday", MONDAY, date(2026, 11, 29)),
        ("3 days ago", MONDAY, date(2026, 11, 27)),
        ("1 day ago", MONDAY, date(2026, 11, 29)),
        ("a week ago", MONDAY, date(2026, 11, 23)),
        ("2 weeks ago", MONDAY, date(2026, 11, 16)),
        ("0 days ago", MONDAY, MONDAY),
        ("last monday", MONDAY, date(2026, 11, 23)),
        ("last Sunday", MONDAY, date(2026, 11, 29)),
        ("last tuesday", MONDAY, date(2026, 11, 24)),
        ("last wed", THURSDAY, date(2026, 11, 25)),
        ("last thursday", THURSDAY, date(2026, 11, 19)),
        ("last friday", THURSDAY, date(2026, 11, 20)),
        ("15.09.2026", MONDAY, date(2026, 9, 15)),
        ("5.9.2026", MONDAY, date(2026, 9, 5)),
        ("15 Sep 2026", MONDAY, date(2026, 9, 15)),
        ("15 Sept 2026", MONDAY, date(2026, 9, 15)),
        ("15 September 2026", MONDAY, date(2026, 9, 15)),
        ("Sep 15 2026", MONDAY, date(2026, 9, 15)),
        ("Sep 15, 2026", MONDAY, date(2026, 9, 15)),
        ("september 15 2026", MONDAY, date(2026, 9, 15)),
        ("2026/09/15", MONDAY, date(2026, 9, 15)),
        ("31/03/2026", MONDAY, date(2026, 3, 31)),
        ("03/31/2026", MONDAY, date(2026, 3, 31)),
        ("05/05/2026", MONDAY, date(2026, 5, 5)),
        ("29 Feb 2024", MONDAY, date(2024, 2, 29)),
    ],
    ids=lambda v: str(v),
)
def test_every_form_people_type(typed: str, today: date, expected: date) -> None:
    """Each listed form reads as the day a person means, relative ones counted from today."""
    assert dates.parse(typed, today) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12/03/2026",
         "'12/03/2026' is ambiguous: 12 March 2026 (day/month/year) or 3 December 2026 (month/day/year). "
         "Type 2026-03-12 or 2026-12-03, or say how you write dates once: refaudit config set dates.order dmy "
         "(or mdy)."),
        ("2026-02-30", "'2026-02-30' is not a date: day 30 of February 2026 does not exist."),
        ("2026-13-01", "'2026-13-01' is not a date: month 13 does not exist."),
        ("31.02.2026", "'31.02.2026' is not a date: day 31 of February 2026 does not exist."),
        ("29 Feb 2026", "'29 Feb 2026' is not a date: day 29 of February 2026 does not exist."),
        ("32/13/2026", "'32/13/2026' is not a date: neither day/month/year nor month/day/year exists."),
        ("15 Spe 2026", "'15 Spe 2026' is not a date: 'spe' is not a month name (use e.g. Sep or September)."),
        ("last funday", "'last funday' is not a date: 'funday' is not a day of the week (monday … sunday)."),
        ("99999 days ago", "'99999 days ago' is more than a hundred years ago; type the date instead."),
        ("tomorow",
         "'tomorow' is not a date; use YYYY-MM-DD, today, yesterday, 3 days ago, 2 weeks ago, last monday, "
         "15.09.2026, 15 Sep 2026 or 2026/09/15."),
        ("12/03/26", "'12/03/26' is not a date; use YYYY-MM-DD"),
        ("next monday", "'next monday' is not a date; use"),
        ("2026-9-15", "'2026-9-15' is not a date; use"),
        ("15 Sep", "'15 Sep' is not a date; use"),
        ("", "no date given; use"),
        ("２０２６-０９-１５", "is not a date; use"),
        ("2026-09-15\x00", "is not a date; use"),
        ("-1 days ago", "is not a date; use"),
    ],
    ids=lambda v: repr(v)[:30],
)  # fmt: skip
def test_what_is_not_a_date_is_refused(typed: str, message: str) -> None:
    """Typos, impossible days and unlisted forms are refused, saying why and what is accepted."""
    with pytest.raises(ValidationError) as err:
        dates.parse(typed, MONDAY)
    assert str(err.value).startswith(message) if message.startswith(("'", "no")) else message in str(err.value)


def test_ambiguous_is_its_own_error() -> None:
    """Two readings raise AmbiguousDateError, so the CLI can consult dates.order."""
    with pytest.raises(dates.AmbiguousDateError):
        dates.parse("01/02/2026", MONDAY)


@pytest.mark.parametrize(("order", "expected"), [("dmy", date(2026, 3, 12)), ("mdy", date(2026, 12, 3))])
def test_order_settles_the_ambiguous(order: str, expected: date) -> None:
    """dates.order picks the reading; a date with one possible reading ignores it."""
    assert dates.parse("12/03/2026", MONDAY, order) == expected
    assert dates.parse("31/03/2026", MONDAY, order) == date(2026, 3, 31)


def test_unknown_order_is_refused() -> None:
    """An order other than dmy or mdy is refused, naming the setting."""
    with pytest.raises(ValidationError, match=r"dates.order 'ymd' is not one of: dmy, mdy"):
        dates.parse("12/03/2026", MONDAY, "ymd")


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_clear_refusal(text: str) -> None:
    """Whatever is typed, the answer is a date or a ValidationError, never a crash."""
    try:
        result = dates.parse(text, MONDAY)
    except ValidationError as exc:
        assert str(exc)
    else:
        assert isinstance(result, date)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_written_form_of_a_day_reads_back(day: date) -> None:
    """ISO, dotted, named-month and year-first forms of any day read back as that day."""
    month = day.strftime("%b")
    for text in (day.isoformat(), f"{day.day}.{day.month}.{day.year}", f"{day.day} {month} {day.year}",
                 f"{month} {day.day}, {day.year}", f"{day.year}/{day.month:02d}/{day.day:02d}"):  # fmt: skip
        assert dates.parse(text, MONDAY) == day


# --- on the command line ----------------------------------------------------------------------


def test_cli_reads_relative_dates_from_the_pinned_today(runner: Runner, registry: Path) -> None:
    """REFAUDIT_TODAY pins the tool's today: 'last monday' and '2 weeks ago' count from it."""
    env = {"REFAUDIT_TODAY": "2026-11-30"}
    runner.ok("ref", "add", "Jane Doe", "--known-since", "15 Sep 2019", "--consent-on", "last monday", env=env)
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "2 weeks ago", env=env)
    ref = runner.ok("ref", "show", "jane", "--json", env=env).stdout
    assert '"known_since": "2019-09-15"' in ref and '"consent_on": "2026-11-23"' in ref
    assert '"added_on": "2026-11-30"' in ref
    assert '"applied_on": "2026-11-16"' in runner.ok("app", "show", "acme", "--json", env=env).stdout


def test_cli_refuses_an_ambiguous_date_naming_both_readings(runner: Runner, registry: Path) -> None:
    """Without dates.order, 12/03/2026 is a usage error (exit 2) naming both readings; nothing is written."""
    before = registry.read_bytes()
    result = runner("app", "add", "Acme", "--role", "Analyst", "--applied", "12/03/2026")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for '--applied': '12/03/2026' is ambiguous: 12 March 2026 (day/month/year) or "
        "3 December 2026 (month/day/year). Type 2026-03-12 or 2026-12-03, or say how you write dates once: "
        "refaudit config set dates.order dmy (or mdy).\n"
    )
    assert registry.read_bytes() == before


@pytest.mark.parametrize(("order", "expected"), [("dmy", "2026-03-12"), ("mdy", "2026-12-03")])
def test_cli_config_order_settles_it(runner: Runner, registry: Path, tmp_path: Path, order: str, expected: str) -> None:
    """dates.order in the config reads 12/03/2026 its way."""
    config = tmp_path / "config.yaml"
    config.write_text(f"dates:\n  order: {order}\n", encoding="utf-8")
    env = {"REFAUDIT_CONFIG": str(config), "REFAUDIT_TODAY": "2026-12-31"}
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--applied", "12/03/2026", env=env)
    assert f'"applied_on": "{expected}"' in runner.ok("app", "show", "acme", "--json", env=env).stdout


def test_cli_refuses_a_bad_order_setting(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A dates.order that is neither dmy nor mdy is refused (exit 1) naming it, when it is needed."""
    config = tmp_path / "config.yaml"
    config.write_text("dates:\n  order: ymd\n", encoding="utf-8")
    result = runner(
        "app", "add", "Acme", "--role", "A", "--applied", "12/03/2026", env={"REFAUDIT_CONFIG": str(config)}
    )
    assert result.exit_code == 1
    assert result.stderr == "Error: Config: dates.order 'ymd' is not one of: dmy, mdy (or empty: ask).\n"


def test_cli_refuses_a_bad_pinned_today(runner: Runner, registry: Path) -> None:
    """REFAUDIT_TODAY that is not YYYY-MM-DD is refused, naming the variable."""
    result = runner("app", "add", "Acme", "--role", "A", env={"REFAUDIT_TODAY": "someday"})
    assert result.exit_code == 1
    assert "REFAUDIT_TODAY 'someday' is not a date" in result.stderr


def test_naughty_strings_are_dates_or_refusals(blns: list[str]) -> None:
    """Every string of the Big List of Naughty Strings is refused as a date, resolved or refused as a name."""
    from refaudit import resolve
    from refaudit.cli._term import table, width
    from refaudit.errors import RefauditError
    from refaudit.model import Reference, Registry
    from refaudit.text import name_slug

    reg = Registry(references=[Reference(id=f"r{i}", name=s[:200]) for i, s in enumerate(blns[:200])])
    for text in blns:
        with pytest.raises(ValidationError):
            dates.parse(text, MONDAY)
        with contextlib.suppress(RefauditError):
            resolve.reference(reg, text)
        assert name_slug(text) == "" or name_slug(text)[0].isalnum()
    fitted, _ = table(["NAME", "ALSO"], [[s, s] for s in blns], limit=40)
    assert max(width(line) for line in fitted.splitlines()) <= 40
