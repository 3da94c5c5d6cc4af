"""`app add|list|show|update|debrief`: applications, the references given on them, how they ended."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from refaudit.cli import cli
from tests.conftest import Runner, filled

TODAY = date.today().isoformat()
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.fixture
def people(runner: Runner, registry: Path) -> Path:
    """A registry with Jane Doe, Bob Smith and José Núñez."""
    runner.ok("ref", "add", "Jane Doe", "--relationship", "manager")
    runner.ok("ref", "add", "Bob Smith", "--relationship", "colleague")
    runner.ok("ref", "add", "José Núñez")
    return registry


@pytest.fixture
def acme(runner: Runner, people: Path) -> Path:
    """…plus one application to Acme, given Jane and Bob."""
    out = runner.ok(
        "app", "add", "Acme", "--role", "Data Analyst", "--applied", "2026-10-01", "--via", "Hays",
        "--ref", "jane", "--ref", "bob",
    ).stdout  # fmt: skip
    assert out == "acme-data-analyst\n"
    return people


def show(runner: Runner, app: str = "acme-data-analyst") -> dict[str, Any]:
    data: dict[str, Any] = filled(json.loads(runner.ok("app", "show", app, "--json").stdout))
    return data


def refused(runner: Runner, registry: Path, args: list[str], code: int) -> str:
    """Run a command that must fail; assert its exit code and that nothing was written; return stderr."""
    before = registry.read_bytes()
    backup = registry.with_name(registry.name + ".bak")
    bak_before = backup.read_bytes() if backup.exists() else None
    result = runner(*args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert registry.read_bytes() == before
    assert (backup.read_bytes() if backup.exists() else None) == bak_before
    return result.stderr


# --- help -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["add", "list", "show", "update", "debrief"])
def test_every_app_command_has_help_with_example(command: str) -> None:
    """Each command's help has a one-line summary and an Example block."""
    group = cli.commands["app"]
    cmd = group.commands[command]  # type: ignore[attr-defined]
    assert cmd.help and cmd.help.splitlines()[0].strip()
    assert "Example:" in cmd.help


# --- add ----------------------------------------------------------------------------------


def test_add_prints_id_and_stores_every_field(runner: Runner, people: Path) -> None:
    """`app add` records company, role, date, agency, references and note, and prints the id."""
    result = runner.ok(
        "app", "add", "Acme Corp", "--role", "Data Analyst", "--applied", "2026-10-01", "--via", "Hays",
        "--ref", "Jane Doe", "--ref", "bob-smith", "--note", "Found it on LinkedIn",
    )  # fmt: skip
    assert result.stdout == "acme-corp-data-analyst\n"
    assert show(runner, "acme-corp-data-analyst") == {
        "id": "acme-corp-data-analyst",
        "company": "Acme Corp",
        "role": "Data Analyst",
        "applied_on": "2026-10-01",
        "via": "Hays",
        "references": ["jane-doe", "bob-smith"],
        "stage": "applied",
        "outcome": "pending",
        "notes": "Found it on LinkedIn",
        "timeline": [{"on": "2026-10-01", "event": "applied"}],
    }


def test_add_defaults_to_today_and_no_references(runner: Runner, people: Path) -> None:
    """Without --applied the application is dated today; references are optional."""
    runner.ok("app", "add", "Globex", "--role", "Analyst")
    data = show(runner, "globex")
    assert data["applied_on"] == TODAY
    assert "references" not in data


def test_add_same_reference_twice_is_recorded_once(runner: Runner, people: Path) -> None:
    """Giving Jane by id and by name records her once."""
    runner.ok("app", "add", "Globex", "--role", "Analyst", "--ref", "jane", "--ref", "Jane Doe", "--ref", "jane-doe")
    assert show(runner, "globex")["references"] == ["jane-doe"]


def test_add_same_company_and_role_gets_a_fresh_id(runner: Runner, acme: Path) -> None:
    """A second application with the same company and role gets `-2`."""
    assert runner.ok("app", "add", "Acme", "--role", "Data Analyst").stdout == "acme-data-analyst-2\n"


def test_add_with_chosen_id(runner: Runner, people: Path) -> None:
    """--id sets the id."""
    assert runner.ok("app", "add", "Acme", "--role", "Data Analyst", "--id", "acme1").stdout == "acme1\n"


def test_add_transliterates_a_non_latin_name(runner: Runner, people: Path) -> None:
    """A company and role in another script get a transliterated id (anyascii), and resolve by it."""
    assert runner.ok("app", "add", "株式会社", "--role", "エンジニア").stdout == "zhu-shi-hui-she-enjinia\n"
    assert show(runner, "zhu shi")["company"] == "株式会社"


def test_add_unsluggable_name_falls_back(runner: Runner, people: Path) -> None:
    """A company and role with no letters or digits in any script get `app-N`."""
    assert runner.ok("app", "add", "★★", "--role", "—").stdout == "app-1\n"
    assert show(runner, "app-1")["company"] == "★★"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--applied", TOMORROW], 1, f"Error: --applied {TOMORROW} is in the future; today is {TODAY}.\n"),
        (["--applied", "01/10/2026"], 2,
         "Error: Invalid value for '--applied': '01/10/2026' is ambiguous: 1 October 2026 (day/month/year) or "
         "10 January 2026 (month/day/year). Type 2026-10-01 or 2026-01-10, or say how you write dates once: "
         "refaudit config set dates.order dmy (or mdy).\n"),
        (["--ref", "nobody"], 1, "Error: No reference matches 'nobody'."),
        (["--ref", "smyth"], 1, "Did you mean: bob-smith (Bob Smith)?"),
        (["--id", "Acme!"], 1, "Error: Id 'Acme!' is not a valid id"),
        (["--id", "jane-doe", "--note", "\x1b[31m"], 1, "Error: Note contains the control character U+001B"),
        (["--via", "Hays\x00"], 1, "Error: Via contains the control character U+0000; use plain text.\n"),
        (["--via", "x" * 301], 1, "Error: Via is 301 characters long; at most 300 are accepted.\n"),
    ],
    ids=["future-date", "bad-date", "unknown-ref", "unknown-ref-suggests", "bad-id", "control-in-note",
         "nul-in-via", "long-via"],
)  # fmt: skip
def test_add_refuses_bad_input(runner: Runner, people: Path, args: list[str], code: int, message: str) -> None:
    """Wrong input exits 1 or 2, says what is wrong and leaves the registry byte-identical."""
    err = refused(runner, people, ["app", "add", "Acme", "--role", "Analyst", *args], code)
    assert message in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["", "--role", "Analyst"], 1, "Error: Company must not be empty.\n"),
        (["   ", "--role", "Analyst"], 1, "Error: Company must not be empty.\n"),
        (["Acme", "--role", ""], 1, "Error: Role must not be empty.\n"),
        (["Acme"], 2, "Missing option '--role'"),
        (["Ac\x07me", "--role", "Analyst"], 1,
         "Error: Company contains the control character U+0007; use plain text.\n"),
        (["Acme\u202e", "--role", "Analyst"], 1, "Error: Company contains the control character U+202E"),
    ],
    ids=["empty-company", "blank-company", "empty-role", "missing-role", "bell-in-company", "bidi-override"],
)  # fmt: skip
def test_add_refuses_bad_company_or_role(
    runner: Runner, people: Path, args: list[str], code: int, message: str
) -> None:
    """An empty or garbled company or role is refused and nothing is written."""
    assert message in refused(runner, people, ["app", "add", *args], code)


def test_add_refuses_taken_id(runner: Runner, acme: Path) -> None:
    """--id that is already used is refused, naming the application using it."""
    err = refused(runner, acme, ["app", "add", "Globex", "--role", "X", "--id", "acme-data-analyst"], 1)
    assert err == "Error: Id 'acme-data-analyst' is already used by Acme — Data Analyst; choose another --id.\n"


# --- list -----------------------------------------------------------------------------------


def test_list_is_a_table_newest_first(runner: Runner, acme: Path) -> None:
    """`app list` shows every application, the most recently applied first."""
    runner.ok("app", "add", "Globex", "--role", "Analyst", "--applied", "2026-11-01", "--ref", "jose")
    assert runner.ok("app", "list").stdout == (
        "ID                 COMPANY  ROLE          APPLIED     STAGE    OUTCOME  REFERENCES\n"
        "-----------------  -------  ------------  ----------  -------  -------  -------------------\n"
        "globex-analyst     Globex   Analyst       2026-11-01  applied  pending  jose-nunez\n"
        "acme-data-analyst  Acme     Data Analyst  2026-10-01  applied  pending  jane-doe, bob-smith\n"
    )


def test_list_open_shows_only_pending(runner: Runner, acme: Path) -> None:
    """--open leaves out applications with an outcome."""
    runner.ok("app", "add", "Globex", "--role", "Analyst")
    runner.ok("app", "update", "acme", "--outcome", "rejected")
    rows = json.loads(runner.ok("app", "list", "--open", "--json").stdout)
    assert [a["id"] for a in rows] == ["globex-analyst"]
    assert "acme" not in runner.ok("app", "list", "--open").stdout


def test_list_json_uses_registry_field_names(runner: Runner, acme: Path) -> None:
    """`app list --json` is an array of the registry's application objects, dates ISO 8601."""
    runner.ok("app", "update", "acme", "--stage", "interview", "--briefed", "jane")
    assert filled(json.loads(runner.ok("app", "list", "--json").stdout)) == [
        {
            "id": "acme-data-analyst",
            "company": "Acme",
            "role": "Data Analyst",
            "applied_on": "2026-10-01",
            "via": "Hays",
            "references": ["jane-doe", "bob-smith"],
            "stage": "interview",
            "outcome": "pending",
            "briefed": [{"reference": "jane-doe", "on": TODAY}],
            "updated_on": TODAY,
            "timeline": [
                {"on": "2026-10-01", "event": "applied"},
                {"on": TODAY, "event": "stage", "value": "interview"},
                {"on": TODAY, "event": "briefed", "value": "jane-doe"},
            ],
        }
    ]


def test_list_empty(runner: Runner, people: Path) -> None:
    """With no applications, say how to add one; --json prints an empty array."""
    assert runner.ok("app", "list").stdout.startswith("No applications yet. Add one: refaudit app add")
    assert runner.ok("app", "list", "--json").stdout == "[]\n"


def test_list_open_when_all_closed(runner: Runner, acme: Path) -> None:
    """--open with every application closed says so."""
    runner.ok("app", "update", "acme", "--outcome", "ghosted")
    assert runner.ok("app", "list", "--open").stdout == "No open applications.\n"


# --- show -------------------------------------------------------------------------------------


def test_show_is_readable(runner: Runner, acme: Path) -> None:
    """`app show` prints the application, its references and briefings, debrief and reports."""
    runner.ok("app", "update", "acme", "--stage", "reference-check", "--briefed", "jane")
    runner.ok("app", "update", "acme", "--outcome", "rejected")
    runner.ok("app", "debrief", "acme", "--reason", "more experience", "--criticism", "More SQL", "--lead", "Globex")
    runner.ok(
        "feedback", "log", "jane", "--app", "acme", "--sentiment", "negative", "--source", "recruiter",
        "--reporter", "Sam at Hays", "--quote", "struggled with deadlines", "--date", "2026-10-20",
    )  # fmt: skip
    assert runner.ok("app", "show", "acme").stdout == (
        "Company:     Acme\n"
        "Role:        Data Analyst\n"
        "Id:          acme-data-analyst\n"
        "Applied on:  2026-10-01\n"
        "Via:         Hays\n"
        "Stage:       reference-check\n"
        f"Outcome:     rejected (closed {TODAY})\n"
        f"Updated on:  {TODAY}\n"
        "Reason:      more experience\n"
        "\n"
        "References (2):\n"
        f"  Jane Doe (jane-doe)  briefed {TODAY}\n"
        "  Bob Smith (bob-smith)  not briefed\n"
        "\n"
        "Criticism:\n"
        f"  - More SQL ({TODAY})\n"
        "\n"
        "Leads:\n"
        f"  - Globex ({TODAY})\n"
        "\n"
        "Timeline:\n"
        "  2026-10-01  applied\n"
        f"  {TODAY}  stage reference-check\n"
        f"  {TODAY}  briefed Jane Doe (jane-doe)\n"
        f"  {TODAY}  outcome rejected\n"
        f"  {TODAY}  debrief\n"
        "\n"
        "Reports (1):\n"
        "  2026-10-20  f1  jane-doe: negative (recruiter, direct) via Sam at Hays\n"
        "      “struggled with deadlines”\n"
    )


def test_show_json_includes_reports_on_it(runner: Runner, acme: Path) -> None:
    """`app show --json` is the registry's object plus the reports logged on it, newest first."""
    runner.ok("feedback", "log", "bob", "--app", "acme", "--sentiment", "positive", "--date", "2026-10-05")
    runner.ok("feedback", "log", "jane", "--app", "acme", "--sentiment", "mixed", "--date", "2026-10-09")
    runner.ok("feedback", "log", "jane", "--sentiment", "mixed", "--date", "2026-10-10")
    data = show(runner, "acme")
    assert [f["id"] for f in data["feedback"]] == ["f2", "f1"]
    assert data["feedback"][0] == {
        "id": "f2",
        "reference": "jane-doe",
        "application": "acme-data-analyst",
        "reported_on": "2026-10-09",
        "source": "other",
        "sentiment": "mixed",
        "certainty": "direct",
    }


def test_show_finds_by_company_case_and_accent_insensitively(runner: Runner, people: Path) -> None:
    """APP may be the company typed without accents or capitals."""
    runner.ok("app", "add", "Société Générale", "--role", "Quant")
    assert show(runner, "societe generale")["id"] == "societe-generale-quant"
    assert show(runner, "SOCIÉTÉ")["id"] == "societe-generale-quant"


# --- update -------------------------------------------------------------------------------------


def test_update_stage_outcome_reason_note(runner: Runner, acme: Path) -> None:
    """--stage, --outcome, --reason set their fields, --note adds a dated line; updated_on, closed_on become today."""
    assert (
        runner.ok(
            "app", "update", "acme", "--stage", "Final", "--outcome", "rejected", "--reason", "budget", "--note", "meh"
        ).stdout
        == "acme-data-analyst\n"
    )
    data = show(runner)
    assert (data["stage"], data["outcome"], data["reason"], data["notes"]) == (
        "final",
        "rejected",
        "budget",
        f"{TODAY}: meh",
    )
    assert data["updated_on"] == TODAY
    assert data["closed_on"] == TODAY


def test_reopening_clears_closed_on(runner: Runner, acme: Path) -> None:
    """Moving the outcome back to pending (with --force: it changes a final outcome) clears closed_on."""
    runner.ok("app", "update", "acme", "--outcome", "ghosted")
    runner.ok("app", "update", "acme", "--outcome", "pending", "--force")
    data = show(runner)
    assert data["outcome"] == "pending"
    assert "closed_on" not in data


def test_update_ref_adds_and_keeps_existing(runner: Runner, acme: Path) -> None:
    """--ref adds references after those already given, without duplicates."""
    runner.ok("app", "update", "acme", "--ref", "jose", "--ref", "jane")
    assert show(runner)["references"] == ["jane-doe", "bob-smith", "jose-nunez"]


def test_update_briefed_records_today(runner: Runner, acme: Path) -> None:
    """--briefed appends a briefing dated today, once per reference per day."""
    runner.ok("app", "update", "acme", "--briefed", "jane", "--briefed", "bob")
    runner.ok("app", "update", "acme", "--briefed", "jane")
    assert show(runner)["briefed"] == [{"reference": "jane-doe", "on": TODAY}, {"reference": "bob-smith", "on": TODAY}]


def test_update_ref_and_briefed_together(runner: Runner, acme: Path) -> None:
    """A reference added with --ref may be --briefed in the same command."""
    runner.ok("app", "update", "acme", "--ref", "jose", "--briefed", "jose")
    assert show(runner)["briefed"] == [{"reference": "jose-nunez", "on": TODAY}]


def test_update_briefed_not_on_application_is_refused(runner: Runner, acme: Path) -> None:
    """Briefing someone not given on the application is refused, saying how to add them."""
    err = refused(runner, acme, ["app", "update", "acme", "--briefed", "jose"], 1)
    assert err == (
        "Error: Reference jose-nunez was not given on acme-data-analyst, so cannot have been briefed for it; "
        "add them first: refaudit app update acme-data-analyst --ref jose-nunez\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            [],
            1,
            "Error: Nothing to change: give --stage, --outcome, --reason, --reason-kind, --ref, --withdraw-ref, "
            "--swap, --briefed, --thanked, --told, --heard-back, --followed-up or --note.\n",
        ),
        (["--stage", "hired"], 2, "'hired' is not one of 'applied', 'screening', 'interview'"),
        (["--outcome", "lost"], 2, "'lost' is not one of 'pending', 'offer', 'accepted'"),
        (["--ref", "nobody"], 1, "Error: No reference matches 'nobody'."),
        (["--reason", "x" * 100_000], 1, "Error: Reason is 100,000 characters long; at most 5,000 are accepted.\n"),
        (["--reason", "a\x1bb"], 1, "Error: Reason contains the control character U+001B"),
    ],
    ids=["nothing", "bad-stage", "bad-outcome", "unknown-ref", "huge-reason", "escape-in-reason"],
)
def test_update_refuses_bad_input(runner: Runner, acme: Path, args: list[str], code: int, message: str) -> None:
    """Wrong input to `app update` exits 1 or 2 and writes nothing."""
    assert message in refused(runner, acme, ["app", "update", "acme", *args], code)


def test_update_unknown_application(runner: Runner, acme: Path) -> None:
    """An application that does not exist is refused with a suggestion."""
    err = refused(runner, acme, ["app", "update", "acmee", "--stage", "final"], 1)
    assert err == (
        "Error: No application matches 'acmee'. Did you mean: acme-data-analyst (Acme)? "
        "('refaudit app list' shows your applications.)\n"
    )


# --- debrief ------------------------------------------------------------------------------------


def test_debrief_sets_reason_and_appends(runner: Runner, acme: Path) -> None:
    """--reason replaces; --criticism and --lead (repeatable) add to what is there, each with its day."""
    assert runner.ok(
        "app", "debrief", "acme", "--reason", "first", "--criticism", "More SQL", "--criticism", "Slow answers",
        "--lead", "Globex is hiring",
    ).stdout == "Debriefed acme-data-analyst.\n"  # fmt: skip
    runner.ok("app", "debrief", "acme", "--reason", "went with more experience", "--lead", "Initech too")
    data = show(runner)
    assert data["reason"] == "went with more experience"
    assert data["criticism"] == [{"text": "More SQL", "on": TODAY}, {"text": "Slow answers", "on": TODAY}]
    assert data["leads"] == [{"text": "Globex is hiring", "on": TODAY}, {"text": "Initech too", "on": TODAY}]
    assert data["updated_on"] == TODAY


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Error: Nothing to record: give --reason, --reason-kind, --criticism or --lead.\n"),
        (["--criticism", "x" * 100_000], "Error: Criticism is 100,000 characters long; at most 5,000 are accepted.\n"),
        (["--lead", "a\x00b"], "Error: Lead contains the control character U+0000; use plain text.\n"),
        (["--criticism", "a\nb"], "Error: Criticism contains the control character U+000A; use plain text.\n"),
        ([arg for _ in range(101) for arg in ("--lead", "x")],
         "Error: Lead: 0 recorded and 101 more would exceed the 100 accepted.\n"),
    ],
    ids=["nothing", "huge-criticism", "nul-in-lead", "newline-in-criticism", "too-many-leads"],
)  # fmt: skip
def test_debrief_refuses_bad_input(runner: Runner, acme: Path, args: list[str], message: str) -> None:
    """Wrong input to `app debrief` exits 1 and writes nothing."""
    assert refused(runner, acme, ["app", "debrief", "acme", *args], 1) == message


def test_note_is_added_as_a_dated_line_never_replacing(runner: Runner, acme: Path) -> None:
    """A second --note adds a line under the first instead of wiping it."""
    runner.ok("app", "update", "acme", "--note", "called Sam")
    runner.ok("app", "update", "acme", "--note", "followed up")
    assert show(runner)["notes"] == f"{TODAY}: called Sam\n{TODAY}: followed up"


def test_thanked_records_the_thanks(runner: Runner, acme: Path) -> None:
    """--thanked records today's thanks for a reference given on the application; others are refused."""
    runner.ok("app", "update", "acme", "--outcome", "offer", "--thanked", "jane")
    assert show(runner)["thanked"] == [{"reference": "jane-doe", "on": TODAY}]
