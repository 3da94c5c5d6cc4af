"""``import --from``: LinkedIn, Google Contacts, vCard and job trackers, each imported twice adding nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Runner

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _export(runner: Runner) -> dict[str, Any]:
    """The export, each record's random uid left out."""
    data: dict[str, Any] = json.loads(runner.ok("export", "--format", "json").stdout)
    for kind in ("references", "applications", "feedback"):
        for record in data[kind]:
            record.pop("uid", None)
    return data


def _people(runner: Runner) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "added_on"} for r in _export(runner)["references"]]


LINKEDIN = [
    {"id": "jane-doe", "name": "Jane Doe", "relationship": "other", "organization": "Acme Corp",
     "title": "Engineering Manager", "email": "jane@example.com",
     "links": ["https://www.linkedin.com/in/jane-doe-0a1b2c"], "known_since": "2024-03-12", "status": "resting"},
    {"id": "jose-nunez", "name": "José Ñúñez", "relationship": "other", "organization": "Globex, Inc.",
     "title": "Senior Data Scientist", "links": ["https://www.linkedin.com/in/jose-nunez"],
     "known_since": "2021-01-05", "status": "resting"},
    {"id": "priya-raman", "name": "Priya Raman", "relationship": "other", "organization": "NO",
     "title": "VP, Engineering", "links": ["https://www.linkedin.com/in/praman"], "known_since": "2019-02-28",
     "status": "resting"},
]  # fmt: skip


def test_linkedin_connections_import_past_the_preamble(runner: Runner, registry: Path) -> None:
    """Connections.csv: the notes preamble is passed over, 'Connected On' becomes known_since, the profile URL
    a link, people rest; the summary names the encoding and the columns used."""
    source = FIXTURES / "Connections.csv"
    result = runner.ok("import", str(source))
    assert result.stdout == f"Imported {source}: 3 added, 0 completed, 0 already there, 0 replaced, 1 skipped.\n"
    assert result.stderr == (
        f"Read {source} as UTF-8; used 'First Name', 'Last Name', 'URL', 'Email Address', 'Company', 'Position', "
        "'Connected On'; nothing left out.\n"
    )
    assert _people(runner) == LINKEDIN


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("Connections.csv", "0 added, 0 completed, 3 already there, 0 replaced, 1 skipped"),
        ("google-contacts.csv", "0 added, 0 completed, 2 already there, 0 replaced, 1 skipped"),
        ("contacts-3.0.vcf", "0 added, 0 completed, 2 already there, 0 replaced, 0 skipped"),
        ("contacts-4.0.vcf", "0 added, 0 completed, 2 already there, 0 replaced, 0 skipped"),
        ("tracker.csv", "0 added, 0 completed, 3 already there, 0 replaced, 1 skipped"),
    ],
    ids=["linkedin", "google", "vcard-3.0", "vcard-4.0", "tracker"],
)
def test_importing_the_same_file_twice_adds_nothing(runner: Runner, registry: Path, name: str, summary: str) -> None:
    """The second import of any source matches every row it added the first time, even under the default policy."""
    source = FIXTURES / name
    runner.ok("import", str(source))
    before = _export(runner)
    result = runner.ok("import", str(source))
    assert result.stdout == f"Imported {source}: {summary}.\n"
    assert _export(runner) == before


def test_google_contacts_keep_every_value(runner: Runner, registry: Path) -> None:
    """Google's ' ::: '-separated values and numbered columns are all kept, as typed, the first as the main one;
    the columns with values that nothing imports (labels, nickname) are listed."""
    source = FIXTURES / "google-contacts.csv"
    result = runner.ok("import", str(source), "--status", "active")
    assert result.stderr == (
        f"Read {source} as UTF-8; used 'First Name', 'Last Name', 'Organization Name', 'Organization Title', "
        "'Notes', 'E-mail 1 - Value', 'Phone 1 - Value'; left out (not imported): 'Nickname', "
        "'Organization Department', 'Labels', 'E-mail 1 - Label', 'Phone 1 - Label'.\n"
    )
    assert _people(runner) == [
        {"id": "jane-doe", "name": "Jane Doe", "relationship": "other", "organization": "Acme Corp",
         "title": "Engineering Manager", "email": "jane@example.com", "emails": ["jane.doe@example.org"],
         "phone": "(555) 010-0200", "status": "active", "notes": "Met at the data platform offsite.\nPrefers email."},
        {"id": "bob-smith", "name": "Bob Smith", "relationship": "other", "phone": "+15550100",
         "phones": ["01234567"], "status": "active"},
    ]  # fmt: skip


def test_vcard_3_and_4_with_preferred_values_and_tel_uris(runner: Runner, registry: Path) -> None:
    """vCard 3.0 and 4.0: FN or N (its honorific kept apart), the first ORG unit, TITLE, every EMAIL and TEL with
    the preferred one first, a tel: URI's number."""
    runner.ok("import", str(FIXTURES / "contacts-3.0.vcf"))
    runner.ok("import", str(FIXTURES / "contacts-4.0.vcf"))
    assert _people(runner) == [
        {"id": "jane-doe", "name": "Jane Doe", "relationship": "other", "organization": "Acme Corp",
         "title": "Engineering Manager", "email": "jane@example.com", "emails": ["jane.doe@example.org"],
         "phone": "(555) 010-0200", "status": "resting",
         "notes": "Led the data platform team, 2019-2022.\nPrefers email."},
        {"id": "kim-ng", "name": "Kim Ng", "name_prefix": "Dr", "relationship": "other", "organization": "Initech",
         "phone": "+44 (0)20 7946 0958", "status": "resting"},
        {"id": "bob-smith", "name": "Bob Smith", "relationship": "other", "organization": "Globex",
         "title": "Team Lead", "email": "bob@example.org", "phone": "+1-555-010-0300 ext. 12",
         "phones": ["+1-555-010-0399"], "status": "resting"},
        {"id": "jose-nunez", "name": "José Ñúñez", "relationship": "other",
         "title": "Professor of Statistics and very long title that is folded over two lines",
         "email": "jose@example.com", "status": "resting"},
    ]  # fmt: skip


def test_tracker_rows_become_applications(runner: Runner, registry: Path) -> None:
    """A tracker's status maps to stage and outcome; URL and location join the notes; wish-list rows are skipped."""
    source = FIXTURES / "tracker.csv"
    result = runner.ok("import", str(source), "--dry-run")
    assert result.stdout == (
        "tracker.csv, row 2: would add application acme-corp-data-analyst (Acme Corp — Data Analyst)\n"
        "tracker.csv, row 3: would add application globex-analytics-engineer (Globex — Analytics Engineer)\n"
        "tracker.csv, row 4: would skip (status 'wishlist': not applied yet)\n"
        "tracker.csv, row 5: would add application umbrella-data-scientist (Umbrella — Data Scientist)\n"
        "Dry run: 3 to add, 0 to complete, 0 already there, 0 to replace, 1 to skip; nothing was written.\n"
    )
    assert result.stderr == (
        f"Read {source} as UTF-8; used 'Company', 'Job Title', 'Status', 'Date Applied', 'URL', 'Location', "
        "'Notes'; left out (not imported): 'Salary'.\n"
    )
    runner.ok("import", str(source))
    apps = _export(runner)["applications"]
    assert apps == [
        {"id": "acme-corp-data-analyst", "company": "Acme Corp", "role": "Data Analyst", "applied_on": "2026-10-01",
         "stage": "applied", "outcome": "rejected",
         "notes": "Went with someone senior\nLocation: Berlin\nhttps://jobs.example.com/acme/123"},
        {"id": "globex-analytics-engineer", "company": "Globex", "role": "Analytics Engineer",
         "applied_on": "2026-10-14", "stage": "interview", "outcome": "pending",
         "notes": "Location: Remote\nhttps://jobs.example.com/globex/9"},
        {"id": "umbrella-data-scientist", "company": "Umbrella", "role": "Data Scientist", "applied_on": "2026-11-14",
         "stage": "offer", "outcome": "offer",
         "notes": "Second round went well.\nWaiting for the letter.\nLocation: Paris, France"},
    ]  # fmt: skip


def test_three_sources_then_the_same_again_next_month(runner: Runner, registry: Path) -> None:
    """LinkedIn, then the phone's contacts, then the tracker; run again: not a single duplicate."""
    runner.ok("import", str(FIXTURES / "Connections.csv"))
    result = runner.ok("import", str(FIXTURES / "google-contacts.csv"))
    assert "1 added, 1 completed" in result.stdout  # Jane gets her phone and notes; Bob is new
    runner.ok("import", str(FIXTURES / "tracker.csv"))
    before = _export(runner)
    for name in ("Connections.csv", "google-contacts.csv", "tracker.csv"):
        assert " 0 added, 0 completed" in runner.ok("import", str(FIXTURES / name)).stdout
    assert _export(runner) == before
    assert [r["id"] for r in before["references"]] == ["jane-doe", "jose-nunez", "priya-raman", "bob-smith"]


def test_a_contact_that_differs_is_a_conflict_until_told(runner: Runner, registry: Path) -> None:
    """The same person with other values is refused naming the fields; skip keeps, replace takes what the row gives."""
    runner.ok("import", str(FIXTURES / "google-contacts.csv"))
    before = registry.read_bytes()
    result = runner("import", str(FIXTURES / "contacts-3.0.vcf"))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 record(s) already exist in the registry with other values: "
        "reference jane-doe (contacts-3.0.vcf, card 1: notes). "
        "Nothing was imported; use --on-conflict skip, fill or replace.\n"
    )
    assert registry.read_bytes() == before
    runner.ok("import", str(FIXTURES / "contacts-3.0.vcf"), "--on-conflict", "replace")
    jane = _people(runner)[0]
    assert jane["notes"] == "Led the data platform team, 2019-2022.\nPrefers email."
    assert jane["phone"] == "(555) 010-0200"  # the vCard gives the same; nothing the row lacks was cleared


def test_only_and_status_choose_who_comes_in(runner: Runner, registry: Path) -> None:
    """--only NAME (name or email, any case) imports just those people; --status active makes them active."""
    runner.ok("import", str(FIXTURES / "Connections.csv"), "--only", "jose ñúñez", "--only", "JANE@example.com",
              "--status", "active")  # fmt: skip
    assert [(p["id"], p["status"]) for p in _people(runner)] == [("jane-doe", "active"), ("jose-nunez", "active")]


def test_only_naming_no_one_is_refused(runner: Runner, registry: Path) -> None:
    """An --only that matches nobody is an error naming it, and nothing is imported."""
    before = registry.read_bytes()
    result = runner("import", str(FIXTURES / "Connections.csv"), "--only", "Nobody Here")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --only 'Nobody Here': no one of that name or email in 'Connections.csv' (nothing was imported).\n"
    )
    assert registry.read_bytes() == before


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


TRACKER_HEADER = "Company,Job Title,Status,Date Applied\n"
LINKEDIN_HEADER = 'Notes:\n"Some notes"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n'

MALFORMED = [
    ("linkedin-ambiguous-date", "Connections.csv", LINKEDIN_HEADER + "Ann,Lee,,,,,03/04/2024\n",
     "Error: In Connections.csv, row 5, column Connected On: '03/04/2024' is ambiguous: 3 April 2024 "
     "(day/month/year) or 4 March 2024 (month/day/year). Type 2024-04-03 or 2024-03-04, or say which for "
     "this file: import --date-order dmy (or mdy).\n"),
    ("linkedin-bad-date", "Connections.csv", LINKEDIN_HEADER + "Ann,Lee,,,,,yesterday-ish\n",
     "Error: In Connections.csv, row 5, column Connected On: 'yesterday-ish' is not a date; use YYYY-MM-DD, "
     "15.09.2026, 15 Sep 2026, Sep 15 2026 or 2026/09/15.\n"),
    ("linkedin-relative-date", "Connections.csv", LINKEDIN_HEADER + "Ann,Lee,,,,,3 days ago\n",
     "Error: In Connections.csv, row 5, column Connected On: '3 days ago' is not a date; use YYYY-MM-DD, "
     "15.09.2026, 15 Sep 2026, Sep 15 2026 or 2026/09/15.\n"),
    ("tracker-ambiguous-date", "tracker.csv", TRACKER_HEADER + "Acme,Analyst,Applied,01/02/2026\n",
     "Error: In tracker.csv, row 2, column Date Applied: '01/02/2026' is ambiguous: 1 February 2026 "
     "(day/month/year) or 2 January 2026 (month/day/year). Type 2026-02-01 or 2026-01-02, or say which for "
     "this file: import --date-order dmy (or mdy).\n"),
    ("tracker-impossible-date", "tracker.csv", TRACKER_HEADER + "Acme,Analyst,Applied,2026-02-30\n",
     "Error: In tracker.csv, row 2, column Date Applied: '2026-02-30' is not a date: day 30 of February 2026 does "
     "not exist.\n"),
    ("linkedin-bad-email", "Connections.csv", LINKEDIN_HEADER + "Ann,Lee,,ann@,,,12 Mar 2024\n",
     "Error: In Connections.csv, row 5, column email 'ann@' is not an email address like jane@example.com.\n"),
    ("linkedin-future", "Connections.csv", LINKEDIN_HEADER + "Ann,Lee,,,,,12 Mar 2999\n",
     "Error: Connections.csv, row 5: known_since 2999-03-12 is in the future (today is {today}); "
     "nothing was imported.\n"),
    ("tracker-unknown-status", "tracker.csv",
     "Company,Job Title,Status,Date Applied\nAcme,Analyst,Pondering,2026-01-02\n",
     "Error: In tracker.csv, row 2, column Status: 'pondering' is not a status refaudit knows; accepted: wishlist, "
     "saved, bookmarked, interested, to apply, applied, submitted, application submitted, screen, screening, "
     "phone screen, interview, interviewing, final, final round, reference check, offer, offered, accepted, "
     "rejected, not selected, ghosted, no response, withdrawn, withdrew.\n"),
    ("vcard-broken-line", "c.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN Jane\nEND:VCARD\n",
     "Error: 'c.vcf', line 3 is not a valid vCard: Failed to parse line: FN Jane.\n"),
    ("vcard-unterminated", "c.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Jane\n",
     "Error: 'c.vcf' is not a valid vCard: Component VCARD was never closed.\n"),
    ("vcard-bad-phone", "c.vcf", "BEGIN:VCARD\nVERSION:4.0\nFN:Jane\nTEL:tel:call-me\nEND:VCARD\n",
     "Error: In c.vcf, card 1, column phone 'call-me' is not a phone number: 4 to 17 digits with optional +, "
     "spaces, dashes, dots, slashes or brackets, e.g. '+1 555 0100' or '(555) 010-0200'.\n"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "text", "error"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_source_files_change_nothing(
    runner: Runner, registry: Path, tmp_path: Path, file: str, text: str, error: str
) -> None:
    """A bad row in any source is exit 1 naming file, row and column; the registry stays byte-for-byte the same."""
    from datetime import date

    before = registry.read_bytes()
    result = runner("import", str(_write(tmp_path / file, text)))
    assert (result.exit_code, result.stderr) == (1, error.format(today=date.today().isoformat()))
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("order", "expected"), [("dmy", ["2024-04-03", "2024-03-12"]), ("mdy", ["2024-03-04", "2024-03-12"])]
)
def test_the_dates_order_setting_reads_a_files_slashed_dates(
    runner: Runner, registry: Path, tmp_path: Path, order: str, expected: list[str]
) -> None:
    """dates.order in the config settles 03/04/2024 in an import file, as on the command line.

    Of a timestamp, the day counts."""
    config = tmp_path / "config.yaml"
    config.write_text(f"dates:\n  order: {order}\n", encoding="utf-8")
    rows = "Ann,Lee,,,,,03/04/2024\nBo,Ek,,,,,2024-03-12T09:30:00Z\n"
    runner.ok(
        "import",
        str(_write(tmp_path / "Connections.csv", LINKEDIN_HEADER + rows)),
        env={"REFAUDIT_CONFIG": str(config)},
    )
    assert [r["known_since"] for r in _export(runner)["references"]] == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[31m2026-01-02",
        "2026-01-02\u202e",
        "9" * 60 + "/1/2026",
        "\u0662\u0660\u0662\u0666-01-02",
        "today",
        "0000-01-01",
    ],
    ids=["escape", "bidi", "huge", "arabic-digits", "relative", "year-zero"],
)
def test_hostile_dates_in_a_file_are_refused_naming_the_cell(
    runner: Runner, registry: Path, tmp_path: Path, hostile: str
) -> None:
    """A date cell that is not a date is exit 1 naming file, row and column; nothing reaches the terminal raw."""
    before = registry.read_bytes()
    result = runner(
        "import", str(_write(tmp_path / "tracker.csv", TRACKER_HEADER + f"Acme,Analyst,Applied,{hostile}\n"))
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: In tracker.csv, row 2, column Date Applied: ")
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert registry.read_bytes() == before


def test_options_that_do_not_fit_the_source_are_refused(runner: Runner, registry: Path) -> None:
    """--map with a contacts source, or --status with refaudit's own file, is refused saying why."""
    result = runner("import", str(FIXTURES / "Connections.csv"), "--from", "linkedin", "--map", "A=name")
    assert result.stderr == (
        "Error: --map and --ignore-unknown are for spreadsheets of your own; --from linkedin knows its columns.\n"
    )
    result = runner("import", str(FIXTURES / "tracker.csv"), "--status", "active")
    assert result.stderr == (
        "Error: --status and --only are for contacts (LinkedIn, Google, Outlook, vCard); 'tracker.csv' holds no "
        "contacts list.\n"
    )


GOOGLE_OLD = (
    "Name,Given Name,Additional Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title\n"
    "Ana Lima,Ana,,Lima,* myContacts,* Work,ana@example.com,Mobile,+55 11 91234-5678,,Initech,CTO\n"
    ",Rui,,Costa,* myContacts,,,,,,,\n"
)


def test_google_contacts_older_layout(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Google's older CSV (Name, Given Name, Family Name, Organization 1 - Name) is recognised and read too."""
    source = _write(tmp_path / "contacts.csv", GOOGLE_OLD)
    result = runner.ok("import", str(source))
    assert result.stdout == f"Imported {source}: 2 added, 0 completed, 0 already there, 0 replaced, 0 skipped.\n"
    assert _people(runner) == [
        {"id": "ana-lima", "name": "Ana Lima", "relationship": "other", "organization": "Initech", "title": "CTO",
         "email": "ana@example.com", "phone": "+55 11 91234-5678", "status": "resting"},
        {"id": "rui-costa", "name": "Rui Costa", "relationship": "other", "status": "resting"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "hostile",
    ["Jane\u202eDoe", "Jane\x1b[2JDoe", "' OR 1=1 --", "../../etc/passwd", "Ω≈ç√∫˜µ≤≥÷"],
    ids=["bidi", "escape", "sql", "path", "unicode"],
)
def test_hostile_only_values_are_refused_or_matched_exactly(runner: Runner, registry: Path, hostile: str) -> None:
    """--only takes any text: it matches no one here and says so, with the value escaped, nothing imported."""
    before = registry.read_bytes()
    result = runner("import", str(FIXTURES / "Connections.csv"), "--only", hostile)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: --only {hostile!r}: no one of that name or email in 'Connections.csv' (nothing was imported).\n",
    )
    assert registry.read_bytes() == before


def test_map_on_a_recognised_contacts_file_is_refused(runner: Runner, registry: Path) -> None:
    """--map is not silently dropped when --from auto recognises a contacts export."""
    result = runner("import", str(FIXTURES / "contacts-3.0.vcf"), "--map", "A=name")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: --map and --ignore-unknown are for spreadsheets of your own; 'contacts-3.0.vcf' is a vcard export "
        "and its columns are known.\n",
    )
