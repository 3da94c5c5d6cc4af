"""`feedback log|list|remove`, and what `ref remove` / `ref show` do with reports and applications."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from refaudit import vault
from refaudit.cli import cli
from tests.conftest import PASSPHRASE, Runner, filled

TODAY = date.today().isoformat()
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def acme(runner: Runner, registry: Path) -> Path:
    """Jane Doe and Bob Smith, given on an Acme application; José Núñez, not given."""
    runner.ok(
        "ref", "add", "Jane Doe", "--relationship", "manager", "--email", "jane.doe@example.com",
        "--phone", "+1 555 0100", "--org", "Initech", "--note", "Jane's private note",
    )  # fmt: skip
    runner.ok("ref", "add", "Bob Smith")
    runner.ok("ref", "add", "José Núñez")
    runner.ok(
        "app", "add", "Acme", "--role", "Data Analyst", "--applied", "2026-10-01", "--ref", "jane", "--ref", "bob"
    )
    return registry


def listing(runner: Runner, *args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = filled(json.loads(runner.ok("feedback", "list", *args, "--json").stdout))
    return data


def refused(runner: Runner, registry: Path, args: list[str], code: int) -> str:
    """Run a command that must fail; assert its exit code and that nothing was written; return stderr."""
    before = registry.read_bytes()
    result = runner(*args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert registry.read_bytes() == before
    return result.stderr


def plaintext(path: Path) -> str:
    """The decrypted YAML body of a registry file (or its backup)."""
    blob = path.read_bytes()
    return vault.open_body(blob, vault.unlock_passphrase(blob, PASSPHRASE)).decode("utf-8")


@pytest.mark.parametrize("command", ["log", "list", "remove"])
def test_every_feedback_command_has_help_with_example(command: str) -> None:
    """Each command's help has a one-line summary and an Example block."""
    cmd = cli.commands["feedback"].commands[command]  # type: ignore[attr-defined]
    assert cmd.help and cmd.help.splitlines()[0].strip()
    assert "Example:" in cmd.help


# --- log -------------------------------------------------------------------------------------------


def test_log_prints_id_and_stores_every_field(runner: Runner, acme: Path) -> None:
    """`feedback log` records every option and prints a short id."""
    result = runner.ok(
        "feedback", "log", "Jane Doe", "--sentiment", "negative", "--source", "recruiter", "--certainty", "verbatim",
        "--app", "acme", "--date", "2026-10-20", "--reporter", "Sam at Hays", "--quote", "Struggled with deadlines.",
        "--topic", "reliability", "--topic", "time", "--topic", "reliability", "--note", "Ask Sam for more",
    )  # fmt: skip
    assert result.stdout == "f1\n"
    assert result.stderr == ""
    assert listing(runner) == [
        {
            "id": "f1",
            "reference": "jane-doe",
            "application": "acme-data-analyst",
            "reported_on": "2026-10-20",
            "source": "recruiter",
            "reporter": "Sam at Hays",
            "sentiment": "negative",
            "certainty": "verbatim",
            "quote": "Struggled with deadlines.",
            "topics": ["reliability", "time"],
            "notes": "Ask Sam for more",
        }
    ]


def test_log_defaults(runner: Runner, acme: Path) -> None:
    """Without options: source other, certainty direct, dated today, no application."""
    runner.ok("feedback", "log", "bob", "--sentiment", "positive")
    assert listing(runner) == [
        {
            "id": "f1",
            "reference": "bob-smith",
            "reported_on": TODAY,
            "source": "other",
            "sentiment": "positive",
            "certainty": "direct",
        }
    ]


def test_log_multiline_quote_kept(runner: Runner, acme: Path) -> None:
    """A quote may span lines and hold tabs and any language."""
    quote = "Line one\n\tLine two — «très bien» 很好"
    runner.ok("feedback", "log", "jose", "-s", "positive", "--quote", quote)
    assert listing(runner)[0]["quote"] == quote


def test_log_on_application_without_that_reference_warns(runner: Runner, acme: Path) -> None:
    """A report on an application the reference was not given on is kept, with a note on stderr."""
    result = runner.ok("feedback", "log", "jose", "-s", "neutral", "--app", "acme")
    assert result.stdout == "f1\n"
    assert result.stderr == (
        "Note: jose-nunez was not recorded as given on acme-data-analyst; "
        "add with: refaudit app update acme-data-analyst --ref jose-nunez\n"
    )
    assert json.loads(runner.ok("app", "show", "acme", "--json").stdout)["references"] == ["jane-doe", "bob-smith"]


def test_log_date_on_the_application_day_is_accepted(runner: Runner, acme: Path) -> None:
    """A report dated the day of applying is fine."""
    runner.ok("feedback", "log", "jane", "-s", "positive", "--app", "acme", "--date", "2026-10-01")


def test_ids_are_never_reused(runner: Runner, acme: Path) -> None:
    """After removing the newest report, the next one still gets a fresh id."""
    for _ in range(3):
        runner.ok("feedback", "log", "jane", "-s", "mixed")
    runner.ok("feedback", "remove", "f3", "--yes")
    runner.ok("feedback", "remove", "f1", "--yes")
    assert runner.ok("feedback", "log", "jane", "-s", "mixed").stdout == "f4\n"
    assert [f["id"] for f in listing(runner)] == ["f4", "f2"]


def test_failed_log_does_not_use_up_an_id(runner: Runner, acme: Path) -> None:
    """A refused report leaves the counter where it was."""
    runner.ok("feedback", "log", "jane", "-s", "mixed")
    runner("feedback", "log", "jane", "-s", "mixed", "--quote", "\x1b")
    assert runner.ok("feedback", "log", "jane", "-s", "mixed").stdout == "f2\n"


BAD_LOG = [
    (["jane", "-s", "negative", "--date", TOMORROW], 1,
     f"Error: --date {TOMORROW} is in the future; today is {TODAY}.\n"),
    (["jane", "-s", "negative", "--date", "2026-02-30"], 2,
     "Error: Invalid value for '--date' / '--on': '2026-02-30' is not a date: day 30 of February 2026 does not "
     "exist.\n"),
    (["jane", "-s", "negative", "--app", "acme", "--date", "2026-09-30"], 1,
     "Error: --date 2026-09-30 is before you applied to Acme (acme-data-analyst, applied 2026-10-01); a report on "
     "that application cannot have reached you earlier. Use a date on or after it, or leave out --app.\n"),
    (["jane", "-s", "great"], 2, "Invalid value for '--sentiment' / '-s': 'great' is not one of 'positive', 'neutral', "
     "'lukewarm', 'mixed', 'negative', 'no-response', 'declined'."),
    (["jane"], 2, "Missing option '--sentiment' / '-s'."),
    (["jane", "-s", "positive", "--source", "boss"], 2,
     "Invalid value for '--source': 'boss' is not one of 'employer'"),
    (["jane", "-s", "positive", "--certainty", "sure"], 2, "Invalid value for '--certainty': 'sure' is not one of"),
    (["jane", "-s", "positive", "--app", "globex"], 1,
     "Error: No application matches 'globex'. ('refaudit app list' shows your applications.)\n"),
    (["nobody", "-s", "positive"], 1,
     "Error: No reference matches 'nobody'. ('refaudit ref list' shows your references.)\n"),
    (["jane", "-s", "positive", "--quote", "x" * 100_000], 1,
     "Error: Quote is 100,000 characters long; at most 5,000 are accepted.\n"),
    (["jane", "-s", "positive", "--quote", "fine\x1b[2Jgone"], 1,
     "Error: Quote contains the control character U+001B; use plain text (line breaks and tabs are fine).\n"),
    (["jane", "-s", "positive", "--quote", "abc\u202edef"], 1,
     "Error: Quote contains the control character U+202E; use plain text (line breaks and tabs are fine).\n"),
    (["jane", "-s", "positive", "--reporter", "Sam\nat Hays"], 1,
     "Error: Reporter contains the control character U+000A; use plain text.\n"),
    (["jane", "-s", "positive", "--note", "\x00"], 1,
     "Error: Note contains the control character U+0000; use plain text (line breaks and tabs are fine).\n"),
    (["jane", "-s", "positive", "--topic", ""], 1, "Error: Topic must not be empty.\n"),
    (["jane", "-s", "positive", "--topic", "t" * 61], 1,
     "Error: Topic is 61 characters long; at most 60 are accepted.\n"),
    (["jane", "-s", "positive", "--topic", "a\tb"], 1,
     "Error: Topic contains the control character U+0009; use plain text.\n"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "message"),
    BAD_LOG,
    ids=["future-date", "impossible-date", "before-application", "unknown-sentiment", "missing-sentiment",
         "unknown-source", "unknown-certainty", "unknown-application", "unknown-reference", "100kb-quote",
         "escape-in-quote", "bidi-in-quote", "newline-in-reporter", "nul-in-note", "empty-topic", "long-topic",
         "tab-in-topic"],
)  # fmt: skip
def test_log_refuses_bad_input(runner: Runner, acme: Path, args: list[str], code: int, message: str) -> None:
    """Wrong input exits 1 or 2 naming the value and what is accepted; the registry is byte-identical."""
    err = refused(runner, acme, ["feedback", "log", *args], code)
    if code == 1:
        assert err == message
    else:  # Click's usage errors come after a usage line
        assert message in err


def test_naughty_strings_round_trip_or_are_refused(runner: Runner, acme: Path, blns: list[str]) -> None:
    """Every naughty string is either kept exactly (as the stripped text) or refused cleanly."""
    for text in blns[::9]:
        before = acme.read_bytes()
        result = runner("feedback", "log", "jane", "-s", "mixed", "--quote", text, "--reporter", text[:300])
        if result.exit_code == 0:
            fid = result.stdout.strip()
            entry = next(f for f in listing(runner) if f["id"] == fid)
            assert entry.get("quote") == (text.strip() or None)
        else:
            assert result.exit_code == 1, result.output
            assert result.stderr.startswith("Error: ")
            assert acme.read_bytes() == before


# --- list --------------------------------------------------------------------------------------------


@pytest.fixture
def reports(runner: Runner, acme: Path) -> Path:
    runner.ok("app", "add", "Globex", "--role", "Analyst", "--applied", "2026-10-15", "--ref", "jane")
    runner.ok("feedback", "log", "jane", "-s", "positive", "--app", "acme", "--date", "2026-10-05")  # f1
    runner.ok("feedback", "log", "bob", "-s", "neutral", "--app", "acme", "--date", "2026-10-06")  # f2
    runner.ok(
        "feedback", "log", "jane", "-s", "negative", "--app", "globex", "--date", "2026-10-20", "--reporter", "Sam",
        "--source", "recruiter", "--quote", "said I struggled with deadlines",
    )  # f3  # fmt: skip
    runner.ok("feedback", "log", "jane", "-s", "mixed", "--date", "2026-10-05")  # f4
    return acme


def test_list_all_newest_first_as_a_table(runner: Runner, reports: Path) -> None:
    """`feedback list` is a table of every report, newest first (same day: latest logged first)."""
    assert runner.ok("feedback", "list").stdout == (
        "ID  DATE        REFERENCE  APPLICATION        SENTIMENT  SOURCE     CERTAINTY  REPORTER  QUOTE\n"
        "--  ----------  ---------  -----------------  ---------  ---------  ---------  --------  "
        "-------------------------------\n"
        "f3  2026-10-20  jane-doe   globex-analyst     negative   recruiter  direct     Sam       "
        "said I struggled with deadlines\n"
        "f2  2026-10-06  bob-smith  acme-data-analyst  neutral    other      direct\n"
        "f4  2026-10-05  jane-doe                      mixed      other      direct\n"
        "f1  2026-10-05  jane-doe   acme-data-analyst  positive   other      direct\n"
    )


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        ([], ["f3", "f2", "f4", "f1"]),
        (["jane"], ["f3", "f4", "f1"]),
        (["JOSE"], []),
        (["--app", "acme"], ["f2", "f1"]),
        (["jane", "--app", "acme"], ["f1"]),
        (["Bob Smith", "--app", "globex"], []),
    ],
    ids=["all", "by-reference", "reference-without-reports", "by-application", "both", "none-match"],
)
def test_list_filters(runner: Runner, reports: Path, args: list[str], ids: list[str]) -> None:
    """REF and --app narrow the list; --json prints the registry's objects."""
    assert [f["id"] for f in listing(runner, *args)] == ids


def test_list_empty_messages(runner: Runner, acme: Path) -> None:
    """No reports at all, and no matching ones, are each said plainly."""
    assert runner.ok("feedback", "list").stdout.startswith("No reports yet. Log one: refaudit feedback log")
    runner.ok("feedback", "log", "jane", "-s", "positive")
    assert runner.ok("feedback", "list", "bob").stdout == "No reports match.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "Error: No reference matches 'nobody'."),
        (["--app", "initech"], "Error: No application matches 'initech'."),
    ],
    ids=["unknown-reference", "unknown-application"],
)
def test_list_unknown_filter(runner: Runner, acme: Path, args: list[str], message: str) -> None:
    """Filtering by something that does not exist exits 1."""
    result = runner("feedback", "list", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)


# --- remove ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["f1", "F1", "1", " f1 "], ids=["id", "upper", "number", "spaces"])
def test_remove_with_yes(runner: Runner, acme: Path, typed: str) -> None:
    """`feedback remove ID --yes` deletes the report; the id may be typed loosely."""
    runner.ok("feedback", "log", "jane", "-s", "negative")
    runner.ok("feedback", "log", "jane", "-s", "positive")
    assert runner.ok("feedback", "remove", typed, "--yes").stdout == "Removed report f1.\n"
    assert [f["id"] for f in listing(runner)] == ["f2"]


def test_remove_without_yes_and_no_terminal_is_refused(runner: Runner, acme: Path) -> None:
    """Without a terminal to ask on, --yes is required and nothing is deleted."""
    runner.ok("feedback", "log", "jane", "-s", "negative", "--date", "2026-10-20")
    err = refused(runner, acme, ["feedback", "remove", "f1"], 1)
    assert err == (
        "Error: Delete report f1 (negative, on jane-doe, 2026-10-20)? Refusing without confirmation: pass --yes.\n"
    )


@pytest.mark.parametrize(("answer", "remaining"), [("y\n", []), ("n\n", ["f1"])], ids=["yes", "no"])
def test_remove_asks_on_a_terminal(
    runner: Runner, acme: Path, monkeypatch: pytest.MonkeyPatch, answer: str, remaining: list[str]
) -> None:
    """On a terminal, remove asks; only 'y' deletes."""
    runner.ok("feedback", "log", "jane", "-s", "negative")
    monkeypatch.setattr("refaudit.cli._ask.stdin_is_terminal", lambda: True)
    result = runner("feedback", "remove", "f1", input=answer)
    assert result.exit_code == (0 if answer == "y\n" else 1)
    assert [f["id"] for f in listing(runner)] == remaining


def test_remove_unknown_id(runner: Runner, acme: Path) -> None:
    """An id that is not there is refused, saying what ids look like."""
    runner.ok("feedback", "log", "jane", "-s", "negative")
    err = refused(runner, acme, ["feedback", "remove", "f9", "--yes"], 1)
    assert err == "Error: No report has the id 'f9'; ids look like f12 ('refaudit feedback list' shows them).\n"


# --- integrity across records: ref remove and ref show ------------------------------------------------


def test_ref_remove_cascades_and_counts(runner: Runner, reports: Path) -> None:
    """`ref remove` erases the reference's reports and takes them off every application, saying how many."""
    runner.ok("app", "update", "acme", "--briefed", "jane", "--briefed", "bob")
    result = runner.ok("ref", "remove", "jane", "--yes")
    assert result.stdout == "Removed Jane Doe (jane-doe): 3 report(s) erased, taken off 2 application(s).\n"
    assert [f["id"] for f in listing(runner)] == ["f2"]
    acme_app = json.loads(runner.ok("app", "show", "acme", "--json").stdout)
    assert acme_app["references"] == ["bob-smith"]
    assert acme_app["briefed"] == [{"reference": "bob-smith", "on": TODAY}]
    assert json.loads(runner.ok("app", "show", "globex", "--json").stdout)["references"] == []
    assert runner.ok("verify").exit_code == 0
    assert runner.ok("feedback", "log", "bob", "-s", "positive").stdout == "f5\n"


def test_ref_remove_leaves_nothing_of_the_person(runner: Runner, reports: Path) -> None:
    """After `ref remove`, the decrypted registry and its backup hold no trace of the name, contacts or reports."""
    runner.ok("app", "update", "acme", "--briefed", "jane")
    runner.ok("ref", "edit", "jane", "--title", "Head of Data")
    backup = reports.with_name(reports.name + ".bak")
    before = plaintext(reports)
    for needle in ("Jane Doe", "jane.doe@example.com", "+1 555 0100", "said I struggled with deadlines"):
        assert needle in before  # the test would prove nothing otherwise
    runner.ok("ref", "remove", "Jane Doe", "--yes")
    for path in (reports, backup):
        text = plaintext(path)
        for needle in (
            "Jane Doe", "jane-doe", "jane.doe@example.com", "+1 555 0100", "555 0100", "Jane's private note",
            "Head of Data", "said I struggled with deadlines",
        ):  # fmt: skip
            assert needle not in text, f"{needle!r} survives in {path.name}"
        assert "Bob Smith" in text  # the others are untouched
    history = json.loads(runner.ok("history", "--json").stdout)
    assert [h["summary"] for h in history if "jane" in h["summary"].lower()] == []
    assert runner.ok("verify").exit_code == 0


def test_ref_show_lists_applications_and_reports_newest_first(runner: Runner, reports: Path) -> None:
    """`ref show` lists every application the reference was given on and every report about them, newest first."""
    data = json.loads(runner.ok("ref", "show", "jane", "--json").stdout)
    assert [a["id"] for a in data["applications"]] == ["globex-analyst", "acme-data-analyst"]
    assert data["applications"][1] == {
        "id": "acme-data-analyst",
        "company": "Acme",
        "role": "Data Analyst",
        "applied_on": "2026-10-01",
        "stage": "applied",
        "outcome": "pending",
    }
    assert [f["id"] for f in data["feedback"]] == ["f3", "f4", "f1"]
    text = runner.ok("ref", "show", "jane").stdout
    assert "Applications (2):\n  2026-10-15  Globex — Analyst  [applied, pending]  (globex-analyst)\n" in text
    assert "Reports (3):\n  2026-10-20  f3  negative (recruiter, direct) via Sam\n" in text
