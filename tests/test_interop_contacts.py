"""Contacts from Outlook and the others: every value kept, honorifics apart, CJK order, matching, fill, dry run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refaudit import interop
from refaudit.interop import source
from tests.conftest import Runner

FIXTURES = Path(__file__).parent / "fixtures" / "import"
GOOGLE_HEADER = (
    "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Organization Name,Organization Title,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Phone 2 - Label,Phone 2 - Value,Website 1 - Label,Website 1 - Value\n"
)
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _people(runner: Runner) -> list[dict[str, Any]]:
    data = json.loads(runner.ok("export", "--format", "json").stdout)
    return [{k: v for k, v in r.items() if k not in ("added_on", "uid")} for r in data["references"]]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_every_registered_source_recognises_its_fixture() -> None:
    """--from auto: each registered source claims its own fixture and no other source claims it first."""
    fixtures = {
        "linkedin": "Connections.csv", "google": "google-contacts.csv", "outlook": "outlook-contacts.csv",
        "vcard": "contacts-4.0.vcf", "tracker": "tracker.csv",
    }  # fmt: skip
    assert [s.name for s in interop.REGISTERED] == ["refaudit", *fixtures]
    for name, file in fixtures.items():
        text = source.read_path(FIXTURES / file)
        claimed = [s.name for s in interop.REGISTERED if s.recognises(text)]
        assert claimed == [name], file


def test_outlook_contacts_keep_honorifics_apart_and_every_number(runner: Runner, registry: Path) -> None:
    """Outlook's CSV (Windows-1252, as the desktop app writes it): Title is the honorific, Job Title the title,
    every email and the person's own phones kept (not the assistant's, not the fax), Web Page a link."""
    path = FIXTURES / "outlook-contacts.csv"
    result = runner.ok("import", str(path))
    assert result.stdout == f"Imported {path}: 3 added, 0 completed, 0 already there, 0 replaced, 1 skipped.\n"
    assert result.stderr == (
        f"Read {path} as Windows-1252; used 'Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix', 'Company', "
        "'Job Title', 'Business Phone', 'Home Phone', 'Mobile Phone', 'E-mail Address', 'E-mail Type', "
        "'E-mail Display Name', 'E-mail 2 Address', 'E-mail 2 Type', 'E-mail 2 Display Name', 'Notes', 'Web Page'; "
        "left out (not imported): 'Department', 'Business Street', 'Business City', 'Business State', "
        "'Business Postal Code', 'Business Country/Region', \"Assistant's Phone\", 'Business Fax', 'Birthday', "
        "'Categories', 'Initials'.\n"
    )
    assert _people(runner) == [
        {"id": "omar-haddad", "name": "Omar Haddad", "name_prefix": "Dr.", "relationship": "other",
         "organization": "Initech", "title": "Head of Research", "email": "omar.haddad@initech.example",
         "emails": ["omar@home.example"], "phone": "+1 555 010 0400", "phones": ["+1 555 010 0401"],
         "links": ["https://www.linkedin.com/in/ohaddad"], "status": "resting",
         "notes": "Managed me 2019\u20132022. Prefers a call before 10 a.m."},
        {"id": "elena-maria-garcia", "name": "Elena María García", "name_prefix": "Ms.", "relationship": "other",
         "organization": "Globex", "title": "Senior Analyst", "email": "elena.garcia@globex.example",
         "phone": "+34 600 123 456", "status": "resting"},
        {"id": "james-carter", "name": "James Carter", "name_prefix": "Mr.", "name_suffix": "Jr.",
         "relationship": "other", "organization": "Umbrella", "title": "CTO",
         "email": "james.carter@umbrella.example", "phone": "(555) 010-0500", "phones": ["(555) 010-0501"],
         "status": "resting"},
    ]  # fmt: skip
    again = runner.ok("import", str(path))
    assert again.stdout == f"Imported {path}: 0 added, 0 completed, 3 already there, 0 replaced, 1 skipped.\n"


def test_google_keeps_prefix_suffix_second_email_second_phone_and_website(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """Google's Name Prefix/Suffix, E-mail 2, Phone 2, ' ::: ' values and Website: nothing dropped."""
    row = (
        "Anne,,Weber,Prof.,PhD,TU Berlin,Chair,Work,anne@tu.example ::: a.weber@mail.example,Home,"
        "anne@home.example,Work,+49 30 1234 5678 ::: +49 30 1234 5600,Mobile,+49 151 2345 6789,Profile,"
        "https://www.linkedin.com/in/aweber\n"
    )
    runner.ok("import", str(_write(tmp_path / "contacts.csv", GOOGLE_HEADER + row)))
    assert _people(runner) == [
        {"id": "anne-weber", "name": "Anne Weber", "name_prefix": "Prof.", "name_suffix": "PhD",
         "relationship": "other", "organization": "TU Berlin", "title": "Chair", "email": "anne@tu.example",
         "emails": ["a.weber@mail.example", "anne@home.example"], "phone": "+49 30 1234 5678",
         "phones": ["+49 30 1234 5600", "+49 151 2345 6789"], "links": ["https://www.linkedin.com/in/aweber"],
         "status": "resting"},
    ]  # fmt: skip


def test_a_vcard_keeps_every_tel_email_and_url(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A vCard's second TEL (the work number), every EMAIL and URL are kept, the preferred one first; the
    prefix and suffix of N are taken off FN."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Haddad;Omar;;Dr.;Jr.\r\nFN:Dr. Omar Haddad Jr.\r\nORG:Initech\r\n"
        "TEL;TYPE=HOME:+1 555 010 0410\r\nTEL;TYPE=WORK,PREF:+1 555 010 0401\r\nEMAIL:omar@home.example\r\n"
        "EMAIL;TYPE=WORK:omar.haddad@initech.example\r\nURL:https://www.linkedin.com/in/ohaddad\r\n"
        "BDAY:1970-01-01\r\nEND:VCARD\r\n"
    )
    path = _write(tmp_path / "omar.vcf", card)
    result = runner.ok("import", str(path))
    assert result.stderr == (
        f"Read {path} as UTF-8; used 'N', 'FN', 'ORG', 'TEL', 'EMAIL', 'URL'; left out (not imported): 'BDAY'.\n"
    )
    assert _people(runner) == [
        {"id": "omar-haddad", "name": "Omar Haddad", "name_prefix": "Dr.", "name_suffix": "Jr.",
         "relationship": "other", "organization": "Initech", "email": "omar@home.example",
         "emails": ["omar.haddad@initech.example"], "phone": "+1 555 010 0401", "phones": ["+1 555 010 0410"],
         "links": ["https://www.linkedin.com/in/ohaddad"], "status": "resting"},
    ]  # fmt: skip


def test_a_title_and_the_same_organisation_make_one_person_not_two(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """LinkedIn's "Omar Haddad" and Outlook's "Dr. Omar Haddad" at Initech are one person: the second import
    completes the first (prefix, emails, phones), it adds no one."""
    runner.ok(
        "import",
        str(
            _write(
                tmp_path / "Connections.csv", LINKEDIN_HEADER + "Omar,Haddad,,,Initech,Head of Research,1 Mar 2020\n"
            )
        ),
    )
    result = runner.ok("import", str(FIXTURES / "outlook-contacts.csv"), "--only", "Omar Haddad")
    assert "0 added, 1 completed" in result.stdout
    [omar] = _people(runner)
    assert (omar["id"], omar["name"], omar["name_prefix"], omar["email"]) == (
        "omar-haddad", "Omar Haddad", "Dr.", "omar.haddad@initech.example",
    )  # fmt: skip
    assert omar["known_since"] == "2020-03-01"


def test_only_finds_a_name_with_or_without_its_honorific(runner: Runner, registry: Path) -> None:
    """--only 'Omar Haddad' finds Dr. Omar Haddad, and --only 'Ms. Elena María García' finds Elena."""
    runner.ok(
        "import", str(FIXTURES / "outlook-contacts.csv"), "--only", "omar haddad", "--only", "Ms. Elena Maria Garcia"
    )
    assert [p["id"] for p in _people(runner)] == ["omar-haddad", "elena-maria-garcia"]


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [("娜", "李", "李娜"), ("健", "佐藤", "佐藤健"), ("ひろし", "やまだ", "やまだひろし"), ("민준", "김", "김민준"),
     ("Wei", "Zhang", "Wei Zhang"), ("娜", "Li", "娜 Li")],
    ids=["han", "kanji", "kana", "hangul", "latin-keeps-order", "mixed-scripts-keep-order"],
)  # fmt: skip
def test_cjk_names_from_split_parts_are_family_name_first(
    runner: Runner, registry: Path, tmp_path: Path, first: str, last: str, name: str
) -> None:
    """First Name=娜, Last Name=李 is 李娜, with no space; a Latin (or mixed) name keeps its order."""
    runner.ok("import", str(_write(tmp_path / "Connections.csv", LINKEDIN_HEADER + f"{first},{last},,,,,1 Mar 2020\n")))
    assert [p["name"] for p in _people(runner)] == [name]


def test_fill_fills_the_blanks_keeps_what_differs_and_lists_it(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--on-conflict fill: empty fields filled, differing ones kept and named, lists gain only what is new."""
    runner.ok("ref", "add", "Elena García", "--org", "Globex Corp", "--email", "elena.garcia@globex.example",
              "--tag", "analytics")  # fmt: skip
    before = registry.read_bytes()
    refused = runner("import", str(FIXTURES / "outlook-contacts.csv"), "--only", "elena.garcia@globex.example")
    assert refused.exit_code == 1 and "name, organization" in refused.stderr
    assert registry.read_bytes() == before
    result = runner.ok(
        "import",
        str(FIXTURES / "outlook-contacts.csv"),
        "--only",
        "elena.garcia@globex.example",
        "--on-conflict",
        "fill",
    )
    path = FIXTURES / "outlook-contacts.csv"
    assert result.stdout == (
        f"Imported {path}: 0 added, 0 completed, 0 already there, 1 filled, 0 replaced, 0 skipped.\n"
    )
    assert result.stderr.endswith(
        "  outlook-contacts.csv, row 3: reference elena-garcia kept its own name, organization\n"
    )
    history = json.loads(runner.ok("history", "--json").stdout)
    assert history[0]["summary"] == "imported 0 record(s), completed 0, matched 0, replaced 0, skipped 0, filled 1"
    [elena] = _people(runner)
    assert elena == {
        "id": "elena-garcia", "name": "Elena García", "name_prefix": "Ms.", "relationship": "other",
        "organization": "Globex Corp", "title": "Senior Analyst", "email": "elena.garcia@globex.example",
        "phone": "+34 600 123 456", "status": "active", "tags": ["analytics"],
    }  # fmt: skip


def test_dry_run_lists_every_row_conflicts_included_and_exits_1(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A conflict no longer stops the dry run: every row is listed, then exit 1 says the real run would refuse."""
    runner.ok("ref", "add", "Omar Haddad", "--org", "Initech", "--title", "Research Lead")
    before = registry.read_bytes()
    path = FIXTURES / "outlook-contacts.csv"
    result = runner("import", str(path), "--dry-run")
    assert result.exit_code == 1
    assert result.stdout == (
        "outlook-contacts.csv, row 2: would conflict reference omar-haddad (Omar Haddad; differs in title)\n"
        "outlook-contacts.csv, row 3: would add reference elena-maria-garcia (Elena María García)\n"
        "outlook-contacts.csv, row 4: would add reference james-carter (James Carter)\n"
        "outlook-contacts.csv, row 5: would skip (no name)\n"
        "Dry run: 2 to add, 0 to complete, 0 already there, 0 to replace, 1 to skip, 1 in conflict; "
        "nothing was written.\n"
    )
    assert result.stderr.endswith(
        "Error: 1 record(s) already exist in the registry with other values: reference omar-haddad "
        "(outlook-contacts.csv, row 2: title). Nothing was imported; use --on-conflict skip, fill or replace. "
        "The real run would import nothing.\n"
    )
    fill = runner.ok("import", str(path), "--dry-run", "--on-conflict", "fill")
    assert fill.stdout.splitlines()[0] == (
        "outlook-contacts.csv, row 2: would fill reference omar-haddad (Omar Haddad; keeps its own title)"
    )
    assert fill.stdout.splitlines()[-1] == (
        "Dry run: 2 to add, 0 to complete, 0 already there, 1 to fill, 0 to replace, 1 to skip; nothing was written."
    )
    assert registry.read_bytes() == before


def test_another_email_or_phone_completes_a_person_without_conflict(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """A known person with one more email and phone: added to their lists; their first email and phone stay."""
    runner.ok("ref", "add", "Anne Weber", "--email", "anne@tu.example", "--phone", "+49 30 1234 5678")
    row = "Anne,,Weber,,,,,,ANNE@tu.example ::: anne@home.example,,,,+49 (30) 1234-5678 ::: +49 151 2345 6789,,,,\n"
    result = runner.ok("import", str(_write(tmp_path / "contacts.csv", GOOGLE_HEADER + row)))
    assert "0 added, 1 completed" in result.stdout
    [anne] = _people(runner)
    assert (anne["email"], anne["emails"], anne["phone"], anne["phones"]) == (
        "anne@tu.example", ["anne@home.example"], "+49 30 1234 5678", ["+49 151 2345 6789"],
    )  # fmt: skip


def test_a_bad_second_value_in_a_contact_is_refused_naming_it(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A broken second email or a script link in a contacts file: exit 1 naming the row, registry unchanged."""
    before = registry.read_bytes()
    row = "Anne,,Weber,,,,,,anne@tu.example ::: not-an-email,,,,,,,,javascript:alert(1)\n"
    result = runner("import", str(_write(tmp_path / "contacts.csv", GOOGLE_HEADER + row)))
    assert (result.exit_code, result.stderr) == (
        1, "Error: In contacts.csv, row 2, column emails[0] 'not-an-email' is not an email address like "
           "jane@example.com.\n",
    )  # fmt: skip
    assert registry.read_bytes() == before
