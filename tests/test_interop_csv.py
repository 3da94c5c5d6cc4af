"""CSV as it is found in the wild: RFC 4180 corner cases, delimiters, BOM, CRLF, open quotes, --map, bounds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refaudit.interop import MAX_IMPORT_ROWS
from tests.conftest import Runner


def _refs(runner: Runner) -> list[dict[str, Any]]:
    data = json.loads(runner.ok("export", "--format", "json").stdout)
    left_out = ("added_on", "relationship", "status", "uid")
    return [{k: v for k, v in r.items() if k not in left_out} for r in data["references"]]


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


RFC4180 = (
    "\ufeffname,organization,title,notes,tags\r\n"
    '"Doe, Jane","Acme ""Labs""",,"Line one\r\nLine two, with a comma","a; b"\r\n'
    'Émile Zola,"",Écrivain,,\r\n'
    '"Bob ""Bobby"" Smith",Globex,"",,\r\n'
)
RFC4180_REFS = [
    {"id": "doe-jane", "name": "Doe, Jane", "organization": 'Acme "Labs"', "notes": "Line one\nLine two, with a comma",
     "tags": ["a", "b"]},
    {"id": "emile-zola", "name": "Émile Zola", "title": "Écrivain"},
    {"id": "bob-bobby-smith", "name": 'Bob "Bobby" Smith', "organization": "Globex"},
]  # fmt: skip


def test_rfc_4180_corner_cases(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Doubled quotes, commas and CRLF line breaks inside cells, empty fields, UTF-8 with a BOM: all read as meant."""
    runner.ok("import", str(_write(tmp_path / "people.csv", RFC4180)))
    assert _refs(runner) == RFC4180_REFS


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("people.csv", ";"), ("people.csv", "\t"), ("people.tsv", "\t"), ("people.txt", ",")],
    ids=["semicolon", "tab", "tsv", "comma-txt"],
)
def test_semicolon_and_tab_delimiters_are_recognised(
    runner: Runner, registry: Path, tmp_path: Path, name: str, delimiter: str
) -> None:
    """A spreadsheet saved with ';' (European Excel) or tabs reads the same as one with commas."""
    text = RFC4180.replace(",", delimiter) if delimiter != "," else RFC4180
    if delimiter != ",":  # the commas inside quoted cells stay commas
        text = text.replace(f"Line two{delimiter} with", "Line two, with").replace(
            f'"Doe{delimiter} Jane"', '"Doe, Jane"'
        )
    runner.ok("import", str(_write(tmp_path / name, text)))
    assert _refs(runner) == RFC4180_REFS


def test_lone_cr_line_endings_are_read_as_line_breaks(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Old Mac files end lines with CR alone; inside a cell that is a line break like any other."""
    runner.ok("import", str(_write(tmp_path / "people.csv", 'name,notes\r"Jo Ng","a\rb"\r')))
    assert _refs(runner) == [{"id": "jo-ng", "name": "Jo Ng", "notes": "a\nb"}]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('name,notes\nJo,"open\nAl,closed\n', 2),
        ('name,notes\nJo,ok\nAl,"x""y\n', 3),
        ('name,notes\r\nJo,"a\r\nb"\r\nAl,"never\r\n', 4),
    ],
    ids=["middle", "escaped-quote-then-open", "after-multiline"],
)
def test_an_unterminated_quote_is_refused_naming_its_line(
    runner: Runner, registry: Path, tmp_path: Path, text: str, line: int
) -> None:
    """A quote opened and never closed is exit 1 naming the line it opens on; nothing is imported."""
    before = registry.read_bytes()
    result = runner("import", str(_write(tmp_path / "people.csv", text)))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: 'people.csv' is not valid CSV: the quoted cell opened on line {line} is never closed "
        '(a " is missing; nothing was imported).\n',
    )
    assert registry.read_bytes() == before


def test_text_after_a_closing_quote_is_refused_naming_the_line(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """'"Jo"x' is not CSV: the error names the line instead of guessing."""
    result = runner("import", str(_write(tmp_path / "people.csv", 'name\nAl\n"Jo"x\n')))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: 'people.csv' is not valid CSV (comma-separated): line 3: ',' expected after '\"'.\n",
    )


def test_every_cell_error_names_file_row_and_column(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A bad value is reported by file, row (as a spreadsheet counts them, multi-line cells included) and column."""
    text = 'name,notes,email\nJo,"two\nlines",jo@example.com\nAl,,not-an-email\n'
    result = runner("import", str(_write(tmp_path / "people.csv", text)))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: In people.csv, row 3, column email 'not-an-email' is not an email address like jane@example.com.\n",
    )


def test_ambiguous_dates_in_a_spreadsheet_are_refused(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A slashed date in refaudit's own columns is exit 1 naming file, row and field."""
    result = runner("import", str(_write(tmp_path / "people.csv", "name,known_since\nJo,03/04/2024\n")))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: In people.csv, row 2, column known_since '03/04/2024' is not a date; "
        "use YYYY-MM-DD, e.g. 2026-03-01.\n",
    )


SPREADSHEET = (
    "Full Name,E-Mail,Employer,Shoe Size,Favourite Colour\nJo Ng,jo@example.com,Acme,9,blue\nAl Bo,,Globex,11,\n"
)


def test_map_names_columns_and_ignore_unknown_lists_the_rest(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--map COLUMN=FIELD reads any spreadsheet; --ignore-unknown leaves the other columns out and says which."""
    source = _write(tmp_path / "people.csv", SPREADSHEET)
    result = runner.ok(
        "import", str(source), "--map", "full name=name", "--map", "E-Mail=email", "--map", "Employer=organization",
        "--ignore-unknown",
    )  # fmt: skip
    assert result.stderr == (
        f"Read {source} as UTF-8; used 'Full Name', 'E-Mail', 'Employer'; "
        "left out (not imported): 'Shoe Size', 'Favourite Colour'.\n"
    )
    assert _refs(runner) == [
        {"id": "jo-ng", "name": "Jo Ng", "email": "jo@example.com", "organization": "Acme"},
        {"id": "al-bo", "name": "Al Bo", "organization": "Globex"},
    ]
    again = runner.ok("import", str(source), "--map", "full name=name", "--map", "E-Mail=email",
                      "--map", "Employer=organization", "--ignore-unknown")  # fmt: skip
    assert again.stdout == f"Imported {source}: 0 added, 0 completed, 2 already there, 0 replaced, 0 skipped.\n"


MAP_ERRORS = [
    (["--map", "Full Name=fullname"], 1,
     "Error: --map 'Full Name=fullname': 'fullname' is not a field of references; accepted: id, name, "
     "name_prefix, name_suffix, relationship, organization, title, worked_with, email, emails, phone, phones, links, "
     "known_since, consent_on, status, status_on, status_note, tags, notes, added_on, uid.\n"),
    (["--map", "Surname=name", "--ignore-unknown"], 1,
     "Error: --map names 'Surname', but 'people.csv' has no such column; its columns: 'Full Name', 'E-Mail', "
     "'Employer', 'Shoe Size', 'Favourite Colour'.\n"),
    (["--map", "Full Name"], 2, "Error: --map 'Full Name' is not COLUMN=FIELD, e.g. --map 'Full Name=name'.\n"),
    (["--map", "Full Name=name"], 1,
     "Error: 'people.csv' has an unknown column 'E-Mail'; accepted: id, name, name_prefix, "
     "name_suffix, relationship, organization, title, worked_with, email, emails, phone, phones, links, known_since, "
     "consent_on, status, status_on, status_note, tags, notes, added_on, uid "
     "(or --map COLUMN=FIELD, or --ignore-unknown).\n"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code", "error"), MAP_ERRORS, ids=["bad-field", "no-column", "no-equals", "unknown"])
def test_map_mistakes_are_refused_saying_what_would_work(
    runner: Runner, registry: Path, tmp_path: Path, args: list[str], code: int, error: str
) -> None:
    """A --map to a field that does not exist, of a column that is not there, or without '=': refused, named."""
    before = registry.read_bytes()
    result = runner("import", str(_write(tmp_path / "people.csv", SPREADSHEET)), *args)
    assert (result.exit_code, result.stderr) == (code, error)
    assert registry.read_bytes() == before


def test_map_on_a_yaml_file_is_refused(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--map is for spreadsheets: on YAML or JSON it is an error, not silently ignored."""
    result = runner("import", str(_write(tmp_path / "r.yaml", "references: []\n")), "--map", "A=name")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: --map and --ignore-unknown are for spreadsheets (CSV); this is a YAML or JSON file.\n",
    )


def test_handmade_rows_without_ids_match_by_email_then_name_and_organisation(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """The same people again, one with a new email spelling in other case: matched, never jane-doe-2."""
    runner.ok("import", str(_write(tmp_path / "a.csv", "name,email,organization\nJane Doe,jane@example.com,\n"
                                   "Bob Smith,,Acme\nBob Smith,,Globex\n")))  # fmt: skip
    result = runner.ok("import", str(_write(tmp_path / "b.csv", "name,email,organization\nJ. Doe,JANE@example.com,\n"
                                            "bob smith,,ACME\nBob Smith,,Globex\n")), "--dry-run",
                      "--on-conflict", "skip")  # fmt: skip
    assert result.stdout == (
        "b.csv, row 2: would skip reference jane-doe (J. Doe)\n"
        "b.csv, row 3: would skip reference bob-smith (bob smith)\n"
        "b.csv, row 4: would match reference bob-smith-2 (Bob Smith)\n"
        "Dry run: 0 to add, 0 to complete, 1 already there, 0 to replace, 2 to skip; nothing was written.\n"
    )


def test_rows_beyond_the_bound_are_refused_saying_the_bound(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """An import holds the lock while it merges, so the number of rows is bounded; the error says the bound."""
    rows = "".join(f"P{i}\n" for i in range(MAX_IMPORT_ROWS + 1))
    result = runner("import", str(_write(tmp_path / "people.csv", "name\n" + rows)))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: 'people.csv' holds {MAX_IMPORT_ROWS + 1:,} records; at most {MAX_IMPORT_ROWS:,} are imported at once "
        "(split the file; nothing was imported).\n",
    )


def test_many_rows_with_the_same_name_get_distinct_ids(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Rows without ids get base, base-2, base-3 … from sets kept as they go (no rebuild per row)."""
    rows = "".join(f"Jo Ng,jo{i}@example.com,Org {i}\n" for i in range(300))
    runner.ok("import", str(_write(tmp_path / "people.csv", "name,email,organization\n" + rows)))
    ids = [r["id"] for r in _refs(runner)]
    assert ids == ["jo-ng", *(f"jo-ng-{n}" for n in range(2, 301))]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (bytes(range(256)) * 4, "Error: 'people.csv' is not text in any encoding refaudit recognises; if it is a "
                                "contacts or spreadsheet export, save it as UTF-8 (in a spreadsheet program: "
                                "'CSV UTF-8') or name its encoding with --encoding.\n"),
        (b"name,notes\nJo,a\x00b\n", "Error: In people.csv, row 2, column notes contains the control character "
                                     "U+0000; use plain text (line breaks and tabs are fine).\n"),
        (b"name,email\nJo,jo@example.com,extra\n", "Error: In people.csv, row 2: 3 cells, but the header names "
                                                   "2 columns.\n"),
    ],
    ids=["binary", "nul", "extra-cell"],
)  # fmt: skip
def test_hostile_bytes_are_clean_errors(
    runner: Runner, registry: Path, tmp_path: Path, data: bytes, error: str
) -> None:
    """Bytes that are not text, NUL in a cell, a cell past the header: exit 1 naming where, registry untouched."""
    before = registry.read_bytes()
    result = runner("import", str(_write(tmp_path / "people.csv", data)))
    assert (result.exit_code, result.stderr) == (1, error)
    assert registry.read_bytes() == before


def test_a_special_file_is_refused(runner: Runner, registry: Path) -> None:
    """An import source must be a regular file: /dev/zero is refused at once instead of read without end."""
    result = runner("import", "/dev/zero")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: The import source '/dev/zero' is a character device; it must be a regular file or a folder.\n",
    )


def test_a_name_alone_matches_only_when_nothing_contradicts_it(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Without organisations the name decides, unless both rows have emails and they differ: then two people."""
    runner.ok("import", str(_write(tmp_path / "a.csv", "name,email\nJo Ng,jo@example.com\n")))
    result = runner.ok(
        "import", str(_write(tmp_path / "b.csv", "name,email,phone\nJo Ng,,555 0100\nJo Ng,jo@other.org,\n"))
    )
    assert (
        result.stdout
        == f"Imported {tmp_path / 'b.csv'}: 1 added, 1 completed, 0 already there, 0 replaced, 0 skipped.\n"
    )
    assert _refs(runner) == [
        {"id": "jo-ng", "name": "Jo Ng", "email": "jo@example.com", "phone": "555 0100"},
        {"id": "jo-ng-2", "name": "Jo Ng", "email": "jo@other.org"},
    ]


def test_column_names_with_terminal_controls_are_shown_escaped(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A header cell carrying an escape sequence is printed escaped, in the list of ignored columns and in errors."""
    source = _write(tmp_path / "people.csv", "name,\x1b]0;owned\x07\nJo Ng,x\n")
    result = runner.ok("import", str(source), "--ignore-unknown")
    assert result.stderr == f"Read {source} as UTF-8; used 'name'; left out (not imported): '\\x1b]0;owned\\x07'.\n"
    result = runner("import", str(source), "--map", "\x1b[2J=notes", "--ignore-unknown")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: --map names '\\x1b[2J', but 'people.csv' has no such column; its columns: 'name', "
        "'\\x1b]0;owned\\x07'.\n",
    )


def test_a_file_name_with_terminal_controls_is_shown_escaped(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Errors name the file, but a name carrying an escape sequence is printed escaped."""
    source = _write(tmp_path / "bad\x1b[2J.csv", "name,email\nJo,nope\n")
    result = runner("import", str(source))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: In bad\\x1b[2J.csv, row 2, column email 'nope' is not an email address like jane@example.com.\n",
    )


def test_the_summary_shows_a_path_with_terminal_controls_escaped(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """'Imported PATH' never sends a file name's escape sequence to the terminal."""
    source = _write(tmp_path / "a\x1b]0;x\x07.csv", "name\nJo Ng\n")
    result = runner.ok("import", str(source))
    shown = str(source).replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert result.stdout == f"Imported {shown}: 1 added, 0 completed, 0 already there, 0 replaced, 0 skipped.\n"
