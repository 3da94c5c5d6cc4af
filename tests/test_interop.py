"""``export`` and ``import``: plaintext copies in YAML, JSON and CSV, and getting them back."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from refaudit import interop
from refaudit.errors import ValidationError
from refaudit.model import Application, Feedback, Reference, Registry
from tests.conftest import CHEAP_KDF, Runner

# Every field of every record, so that a round trip that drops one shows.
FULL: dict[str, Any] = {
    "refaudit": 3,
    "owner": "Alex Candidate",
    "references": [
        {
            "id": "jane-doe",
            "name": "Jane Doe",
            "name_prefix": "Dr.",
            "name_suffix": "Jr.",
            "relationship": "manager",
            "organization": "Acme Corp",
            "title": "Engineering Manager",
            "worked_with": "the data platform team at Acme",
            "email": "jane@example.com",
            "emails": ["jane@home.example", "j.doe@acme.example"],
            "phone": "+1 555 0100",
            "phones": ["+44 20 7946 0958"],
            "links": ["https://www.linkedin.com/in/jane-doe", "https://example.com/a;b"],
            "known_since": "2019-03-01",
            "consent_on": "2026-01-10",
            "status": "resting",
            "status_on": "2026-06-01",
            "status_note": "Needs a break; asked twice in May.\nSecond line.",
            "tags": ["technical", "semi;colon", "back\\slash"],
            "notes": "=SUM(A1:A9) led the data platform team",
            "added_on": "2026-01-05",
            "uid": "00112233445566778899aabbccddeeff",
        },
        {"id": "bob-smith", "name": "Bob Smith", "title": "-- the quiet one", "added_on": "2026-02-01"},
    ],
    "applications": [
        {
            "id": "acme-data-analyst",
            "company": "Acme Corp",
            "role": "Data Analyst",
            "applied_on": "2026-10-01",
            "via": "Hays",
            "references": ["jane-doe", "bob-smith"],
            "stage": "reference-check",
            "outcome": "rejected",
            "reason": "went with a candidate with more experience",
            "reason_kind": "experience",
            "criticism": ["Could show more SQL depth", "@mention; a semicolon"],
            "leads": ["Globex is hiring analysts", {"text": "Initech (ask; Bob) is hiring", "on": "2026-10-21"}],
            "briefed": [{"reference": "jane-doe", "on": "2026-10-10"}, {"reference": "bob-smith", "on": "2026-10-11"}],
            "thanked": [{"reference": "jane-doe", "on": "2026-10-25"}],
            "withdrawn": [{"reference": "bob-smith", "on": "2026-10-12"}],
            "told": [{"reference": "jane-doe", "on": "2026-10-26"}],
            "notes": "+44 first call went well",
            "updated_on": "2026-10-20",
            "closed_on": "2026-10-21",
            "timeline": [
                {"on": "2026-10-15", "event": "stage", "value": "reference-check"},
                {"on": "2026-10-21", "event": "outcome", "value": "rejected"},
            ],
            "uid": "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
        }
    ],
    "feedback": [
        {
            "id": "f1",
            "reference": "jane-doe",
            "application": "acme-data-analyst",
            "reported_on": "2026-10-20",
            "source": "recruiter",
            "reporter": "Sam at Hays",
            "sentiment": "negative",
            "certainty": "direct",
            "quote": "'=said I struggled with deadlines.",
            "topics": ["reliability", "deadlines"],
            "notes": "-1 for punctuality",
            "uid": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        },
        {"id": "f7", "reference": "bob-smith", "reported_on": "2026-10-22", "sentiment": "positive", "fatigue": True},
        {"id": "f9", "reference": "bob-smith", "reported_on": "2026-10-23", "sentiment": "no-response", "attempts": 2},
    ],
}


def _write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _new_registry(runner: Runner, path: Path) -> Path:
    runner.ok("--registry", str(path), "init", *CHEAP_KDF)
    return path


def _yaml_export(runner: Runner, registry: Path) -> dict[str, Any]:
    result = runner.ok("--registry", str(registry), "export", "--format", "yaml")
    data: dict[str, Any] = yaml.safe_load(result.stdout)
    return data


@pytest.fixture
def full(runner: Runner, registry: Path, tmp_path: Path) -> Path:
    """The test registry holding FULL, every field of every record."""
    runner.ok("import", str(_write_yaml(tmp_path / "full.yaml", FULL)))
    return registry


def test_full_fixture_sets_every_field() -> None:
    """The round-trip data fills every field the model has, so no field escapes the round trip."""
    assert set(FULL["references"][0]) == set(Reference.FIELDS)
    assert set(FULL["applications"][0]) == set(Application.FIELDS)
    assert set(FULL["feedback"][0]) | set(FULL["feedback"][1]) | set(FULL["feedback"][2]) == set(Feedback.FIELDS)
    assert set(FULL) == set(Registry().to_plain(with_history=False)) | {"owner"}


@pytest.mark.parametrize(("fmt", "target"), [("yaml", "out.yaml"), ("json", "out.json"), ("csv", "out")], ids=str)
def test_round_trip_gives_back_every_field(runner: Runner, full: Path, tmp_path: Path, fmt: str, target: str) -> None:
    """Exporting, then importing into an empty registry, gives back exactly the same data."""
    out = tmp_path / target
    runner.ok("export", "--format", fmt, "-o", str(out))
    other = _new_registry(runner, tmp_path / "other.refaudit")
    runner.ok("--registry", str(other), "import", str(out))
    before, after = _yaml_export(runner, full), _yaml_export(runner, other)
    assert after == before  # the CSV export's meta.csv keeps the owner
    assert before["references"][0]["tags"] == ["technical", "semi;colon", "back\\slash"]


def _accepted(lines: list[str]) -> list[str]:
    """The blns lines the model takes as a name and as a note (the rest it refuses on input)."""
    kept = []
    for line in lines:
        try:
            Reference.from_plain({"id": "x", "name": line, "notes": line, "tags": [line[:40]]})
        except ValidationError:
            continue
        kept.append(line)
    return kept


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_round_trip_keeps_naughty_strings(
    runner: Runner, registry: Path, tmp_path: Path, blns: list[str], fmt: str
) -> None:
    """Names, notes, tags and quotes from the Big List of Naughty Strings survive every format."""
    lines = _accepted(blns)
    assert len(lines) > 300
    refs = [
        {"id": f"r{i}", "name": line, "notes": line, "tags": [line[:40]], "added_on": "2026-01-01"}
        for i, line in enumerate(lines)
    ]
    app = {"id": "a1", "company": "Acme", "role": "Analyst", "applied_on": "2026-01-02", "criticism": lines[:100]}
    feedback = [
        {"id": f"f{i}", "reference": f"r{i}", "reported_on": "2026-01-03", "sentiment": "mixed", "quote": line}
        for i, line in enumerate(lines)
    ]
    source = _write_yaml(tmp_path / "naughty.yaml", {"references": refs, "applications": [app], "feedback": feedback})
    runner.ok("import", str(source))
    out = tmp_path / ("out" if fmt == "csv" else f"out.{fmt}")
    runner.ok("export", "--format", fmt, "-o", str(out))
    other = _new_registry(runner, tmp_path / "other.refaudit")
    runner.ok("--registry", str(other), "import", str(out))
    before, after = _yaml_export(runner, registry), _yaml_export(runner, other)
    assert after == before
    assert [r["name"] for r in after["references"]] == [line.strip() for line in lines]


def test_export_yaml_is_the_registry_as_spec_shows_it(runner: Runner, full: Path) -> None:
    """The YAML export has the schema version, owner and the three lists, and no history or counter."""
    data = _yaml_export(runner, full)
    assert list(data) == ["refaudit", "owner", "references", "applications", "feedback"]
    assert data["references"][0]["known_since"].isoformat() == "2019-03-01"


def test_export_to_stdout_warns_on_stderr(runner: Runner, full: Path) -> None:
    """Without -o the export goes to standard output and stderr says it is not encrypted."""
    result = runner.ok("export", "--format", "json")
    assert json.loads(result.stdout)["references"][0]["known_since"] == "2019-03-01"
    assert result.stderr.startswith("Warning: this export is NOT encrypted")


def test_export_file_is_0600_and_never_overwritten(runner: Runner, full: Path, tmp_path: Path) -> None:
    """An export file is created 0600; a second export to it is refused until --force."""
    out = tmp_path / "out.yaml"
    first = runner.ok("export", "-o", str(out))
    assert first.stdout == f"{out}\n"
    assert f"Warning: {out} is NOT encrypted" in first.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.write_text("mine")
    out.chmod(0o644)
    again = runner("export", "-o", str(out))
    assert again.exit_code == 1
    assert again.stderr == f"Error: {str(out)!r} already exists; refusing to overwrite it (use --force).\n"
    assert out.read_text() == "mine"
    runner.ok("export", "-o", str(out), "--force")
    assert out.read_text().startswith("refaudit: 3\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("meta", "error"),
    [
        ("refaudit,owner,shoe\n2,Alex,9\n", "Error: 'meta.csv' must hold the columns refaudit, owner and one row; "
                                             "it has the unknown column 'shoe'.\n"),
        ("refaudit,owner\n99,Alex\n", "Error: In meta.csv, row 2: refaudit '99' is not a schema version this "
                                       "refaudit reads (1 or 2 or 3).\n"),
        ("refaudit,owner\n2,Alex\x1b[2J\n", "Error: In meta.csv, row 2: owner contains the control character "
                                             "U+001B; use plain text.\n"),
    ],
    ids=["unknown-column", "future-version", "escape-in-owner"],
)  # fmt: skip
def test_a_bad_meta_csv_is_refused_and_nothing_imported(
    runner: Runner, full: Path, tmp_path: Path, meta: str, error: str
) -> None:
    """meta.csv is checked like the records: a bad one refuses the whole folder, the registry unchanged."""
    out = tmp_path / "csv"
    runner.ok("export", "-o", f"{out}/")
    (out / "meta.csv").write_text(meta, encoding="utf-8")
    other = _new_registry(runner, tmp_path / "other.refaudit")
    before = other.read_bytes()
    result = runner("--registry", str(other), "import", str(out))
    assert (result.exit_code, result.stderr) == (1, error)
    assert other.read_bytes() == before


def test_an_owner_that_looks_like_a_formula_is_defused_and_comes_back(
    runner: Runner, registry: Path, tmp_path: Path
) -> None:
    """An owner starting with '=' is written as text for spreadsheets and read back exactly."""
    runner.ok("import", str(_write_yaml(tmp_path / "o.yaml", {"owner": '=HYPERLINK("x")'})))
    out = tmp_path / "csv"
    runner.ok("export", "-o", f"{out}/")
    assert "'=HYPERLINK" in (out / "meta.csv").read_text(encoding="utf-8-sig")
    other = _new_registry(runner, tmp_path / "other.refaudit")
    runner.ok("--registry", str(other), "import", str(out))
    assert _yaml_export(runner, other)["owner"] == '=HYPERLINK("x")'


def test_export_csv_writes_three_private_files(runner: Runner, full: Path, tmp_path: Path) -> None:
    """A CSV export writes references.csv, applications.csv and feedback.csv, and meta.csv with the owner,
    each 0600, into the folder."""
    out = tmp_path / "csv"
    result = runner.ok("export", "-o", f"{out}/")
    names = ("references.csv", "applications.csv", "feedback.csv", "meta.csv")
    assert result.stdout.splitlines() == [str(out / n) for n in names]
    for name in names:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert (out / "meta.csv").read_bytes() == "\ufeffrefaudit,owner\r\n3,Alex Candidate\r\n".encode()
    refused = runner("export", "--format", "csv", "-o", str(out))
    assert refused.exit_code == 1
    first = str(out / "references.csv")
    assert refused.stderr == f"Error: {first!r} already exists; refusing to overwrite it (use --force).\n"


def test_export_csv_needs_a_folder(runner: Runner, full: Path) -> None:
    """A CSV export to standard output is a usage error: it is three files."""
    result = runner("export", "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr == "Error: A CSV export writes three files; name a folder with -o, e.g. -o refs/.\n"


def test_export_never_overwrites_the_registry(runner: Runner, full: Path) -> None:
    """Even with --force, an export cannot be written over the encrypted registry."""
    before = full.read_bytes()
    result = runner("export", "-o", str(full), "--format", "yaml", "--force")
    assert result.exit_code == 1
    assert result.stderr == f"Error: Refusing to write over the registry's own file {str(full)!r}; name another file.\n"
    assert full.read_bytes() == before


def test_csv_cells_cannot_run_as_formulas(runner: Runner, full: Path, tmp_path: Path) -> None:
    """Cells starting with = + - @ or a tab are prefixed with a quote in the CSV, and the quote is gone on import."""
    runner.ok("export", "-o", str(tmp_path / "csv"), "--format", "csv")
    text = (tmp_path / "csv" / "references.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["notes"] == "'=SUM(A1:A9) led the data platform team"
    assert rows[0]["phone"] == "'+1 555 0100"
    assert rows[1]["title"] == "'-- the quiet one"
    feedback = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "feedback.csv").read_text(encoding="utf-8-sig"))))
    assert feedback[0]["quote"] == "''=said I struggled with deadlines."
    assert feedback[0]["notes"] == "'-1 for punctuality"
    for row in rows + feedback:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "'=x", "''", "'plain", "plain", "", "'"],
    ids=repr,
)
def test_defuse_and_restore_are_inverse(cell: str) -> None:
    """Whatever a cell holds, restoring its defused form gives it back."""
    assert interop.restore(interop.defuse(cell)) == cell
    assert not interop.defuse(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_handmade_references_csv_gets_ids(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """A hand-made references.csv with a name and a few columns imports, each row getting an id from its name."""
    source = tmp_path / "references.csv"
    source.write_text(
        'Name,Email,Organisation,Tags\nJosé Núñez,jose@example.com,Acme,"a; b"\nJane Doe,,,\n,,,\n', encoding="utf-8"
    )
    result = runner.ok("import", str(source))
    assert result.stdout == f"Imported {source}: 2 added, 0 completed, 0 already there, 0 replaced, 0 skipped.\n"
    data = _yaml_export(runner, registry)
    assert [(r["id"], r["name"], r.get("tags")) for r in data["references"]] == [
        ("jose-nunez", "José Núñez", ["a", "b"]),
        ("jane-doe", "Jane Doe", None),
    ]
    assert data["references"][0]["organization"] == "Acme"


def test_dry_run_lists_the_plan_and_writes_nothing(runner: Runner, full: Path, tmp_path: Path) -> None:
    """--dry-run prints what would be added, replaced or skipped, and the registry stays byte-for-byte the same."""
    source = _write_yaml(
        tmp_path / "more.yaml",
        {"references": [{"id": "jane-doe", "name": "Jane D."}, {"id": "kim-lee", "name": "Kim Lee"}]},
    )
    before = full.read_bytes()
    result = runner.ok("import", str(source), "--dry-run", "--on-conflict", "replace")
    assert result.stdout == (
        "more.yaml: references[0]: would replace reference jane-doe (Jane D.)\n"
        "more.yaml: references[1]: would add reference kim-lee (Kim Lee)\n"
        "Dry run: 1 to add, 0 to complete, 0 already there, 1 to replace, 0 to skip; nothing was written.\n"
    )
    assert full.read_bytes() == before


@pytest.mark.parametrize(
    ("policy", "name", "count"),
    [("skip", "Jane Doe", 3), ("replace", "Jane D.", 3)],
    ids=["skip", "replace"],
)
def test_on_conflict_skip_or_replace(
    runner: Runner, full: Path, tmp_path: Path, policy: str, name: str, count: int
) -> None:
    """A clashing id keeps the existing record with skip and takes the incoming one with replace."""
    source = _write_yaml(
        tmp_path / "more.yaml",
        {"references": [{"id": "jane-doe", "name": "Jane D."}, {"id": "kim-lee", "name": "Kim Lee"}]},
    )
    runner.ok("import", str(source), "--on-conflict", policy)
    refs = _yaml_export(runner, full)["references"]
    assert len(refs) == count
    assert refs[0]["name"] == name


def test_on_conflict_fails_by_default(runner: Runner, full: Path, tmp_path: Path) -> None:
    """Without --on-conflict, an id that already exists refuses the whole import and names it."""
    refs = [{"id": "kim-lee", "name": "K"}, {"id": "jane-doe", "name": "J"}]
    source = _write_yaml(tmp_path / "more.yaml", {"references": refs})
    before = full.read_bytes()
    result = runner("import", str(source))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 1 record(s) already exist in the registry with other values: "
        "reference jane-doe (more.yaml: references[1]: name). "
        "Nothing was imported; use --on-conflict skip, fill or replace.\n"
    )
    assert full.read_bytes() == before


def test_imported_feedback_ids_are_not_reused(runner: Runner, full: Path) -> None:
    """After importing feedback up to f9 the counter has moved past it, so the next report is f10."""
    result = runner.ok("feedback", "log", "jane-doe", "--sentiment", "neutral", "--date", "2026-10-23")
    assert result.stdout.strip() == "f10"


_REF_HEADER = "id,name,email,known_since\n"
_GOOD_REF = "jane-doe,Jane Doe,jane@example.com,2019-03-01\n"


def _big(path: Path) -> None:
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)


CASES: list[tuple[str, str, bytes | None, str]] = [
    ("yaml-bad-date", "bad.yaml", b"references:\n- {id: a, name: A, known_since: 2026-13-45}\n",
     "In bad.yaml: references[0].known_since '2026-13-45' is not a date; use YYYY-MM-DD, e.g. 2026-03-01."),
    ("yaml-bad-date-text", "bad.yaml", b"references:\n- {id: a, name: A, known_since: 1st of May}\n",
     "In bad.yaml: references[0].known_since '1st of May' is not a date; use YYYY-MM-DD, e.g. 2026-03-01."),
    ("yaml-unknown-field", "bad.yaml", b"references:\n- {id: a, name: A, shoe_size: 9}\n",
     "In bad.yaml: references[0] has unknown field(s): shoe_size."),
    ("yaml-missing-name", "bad.yaml", b"references:\n- {id: a, email: a@example.com}\n",
     "In bad.yaml: references[0].name is required."),
    ("yaml-python-tag", "bad.yaml", b"references:\n- !!python/object/apply:os.system ['touch /tmp/pwned']\n",
     "'bad.yaml' is not valid YAML"),
    ("yaml-billion-laughs", "bad.yaml",
     b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n",
     "anchors and aliases (&name, *name) are not accepted"),
    ("yaml-duplicate-key", "bad.yaml", b"references:\n- {id: a, name: A, name: B}\n", "duplicate key 'name'"),
    ("yaml-history", "bad.yaml", b"refaudit: 1\nhistory: []\n", "'bad.yaml' has unknown field(s): history"),
    ("yaml-not-utf8", "bad.yaml", "references:\n- {id: a, name: José}\n".encode("latin-1"),
     "'bad.yaml' is not UTF-8 text (byte 31 is 0xe9)"),
    ("yaml-50mb", "big.yaml", None, "'big.yaml' is larger than 20 MB"),
    ("json-bad-date", "bad.json", b'{"references": [{"id": "a", "name": "A", "added_on": "yesterday"}]}',
     "In bad.json: references[0].added_on 'yesterday' is not a date"),
    ("json-duplicate-key", "bad.json", b'{"references": [], "references": []}',
     "'bad.json' is not valid: the key 'references' appears twice in one object."),
    ("json-missing-field", "bad.json",
     b'{"references": [{"id": "a", "name": "A"}], "feedback": [{"id": "f1", "reference": "a", "sentiment": "mixed"}]}',
     "In bad.json: feedback[0].reported_on is required."),
    ("json-syntax", "bad.json", b'{"references": [', "'bad.json' is not valid JSON: Expecting value at line 1"),
    ("json-nan", "bad.json", b'{"refaudit": NaN}', "NaN is not a value refaudit accepts"),
    ("json-50mb", "big.json", None, "'big.json' is larger than 20 MB"),
    ("csv-bad-date", "references.csv", (_REF_HEADER + _GOOD_REF + "bob,Bob,,2019-02-30\n").encode(),
     "In references.csv, row 3, column known_since '2019-02-30' is not a date; use YYYY-MM-DD, e.g. 2026-03-01."),
    ("csv-unknown-column", "references.csv", b"name,shoe_size\nJane,9\n",
     "'references.csv' has an unknown column 'shoe_size'; accepted: id, name, name_prefix, "
     "name_suffix, relationship, organization, title, worked_with, email, emails, phone, phones, links, known_since, "
     "consent_on, status, status_on, status_note, tags, notes, added_on, uid "
     "(or --map COLUMN=FIELD, or --ignore-unknown)."),
    ("csv-missing-column", "applications.csv", b"id,company\nacme,Acme\n",
     "'applications.csv' has no 'role', 'applied_on' column; it is required "
     "(name the column that holds it with --map COLUMN=FIELD)."),
    ("csv-missing-value", "references.csv", (_REF_HEADER + _GOOD_REF + "bob,,bob@example.com,\n").encode(),
     "In references.csv, row 3, column name is required."),
    ("csv-bad-email", "references.csv", (_REF_HEADER + "bob,Bob,bob(at)example,\n").encode(),
     "In references.csv, row 2, column email 'bob(at)example' is not an email address like jane@example.com."),
    ("csv-extra-cells", "references.csv", (_REF_HEADER + "bob,Bob,,,surprise\n").encode(),
     "In references.csv, row 2: 5 cells, but the header names 4 columns."),
    ("csv-unknown-reference", "feedback.csv", b"reference,reported_on,sentiment\nnobody,2026-01-01,mixed\n",
     "In feedback.csv, row 2, column reference: no reference 'nobody' in the import or the registry."),
    ("csv-binary", "references.csv", bytes(range(256)) * 4, "'references.csv' is not text in any encoding"),
    ("csv-nul", "references.csv", b"name\nJa\x00ne\n",
     "In references.csv, row 2, column name contains the control character U+0000; use plain text."),
    ("csv-50mb", "references.csv", None, "'references.csv' is larger than 20 MB"),
    ("csv-duplicate-id", "references.csv", (_REF_HEADER + _GOOD_REF + _GOOD_REF).encode(),
     "In references.csv, row 3: the id 'jane-doe' is used twice (also at references.csv, row 2)."),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_import_changes_nothing(
    runner: Runner, registry: Path, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    """A malformed file is refused with exit 1 and a message naming the file, row and field; nothing is written."""
    source = tmp_path / "in" / name
    source.parent.mkdir()
    if content is None:
        _big(source)
    else:
        source.write_bytes(content)
    before = registry.read_bytes()
    result = runner("import", str(source))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert registry.read_bytes() == before


def test_one_bad_row_in_a_folder_imports_nothing(runner: Runner, full: Path, tmp_path: Path) -> None:
    """When feedback.csv has one bad row, none of the three files is imported."""
    out = tmp_path / "csv"
    runner.ok("export", "-o", str(out), "--format", "csv")
    other = _new_registry(runner, tmp_path / "other.refaudit")
    feedback = out / "feedback.csv"
    feedback.write_text(feedback.read_text(encoding="utf-8-sig").replace("positive", "ecstatic"), encoding="utf-8")
    before = other.read_bytes()
    result = runner("--registry", str(other), "import", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: In feedback.csv, row 3, column sentiment 'ecstatic' is not one of: "
        "positive, neutral, lukewarm, mixed, negative, no-response, declined.\n"
    )
    assert other.read_bytes() == before


def test_import_records_history_without_personal_data(runner: Runner, full: Path) -> None:
    """The import's history line counts records and names nobody."""
    result = runner.ok("history", "--json")
    summaries = [e["summary"] for e in json.loads(result.stdout)]
    assert "imported 6 record(s), completed 0, matched 0, replaced 0, skipped 0" in summaries
    assert not any("Jane" in s for s in summaries)


def test_import_of_a_missing_path_fails(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Importing a path that does not exist is exit 1 with the path named."""
    result = runner("import", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: No such file or folder: {str(tmp_path / 'nope.yaml')!r}.\n"


def test_split_list_honours_escapes() -> None:
    """List cells split on unescaped semicolons; a backslash escapes ; and itself, and is kept before anything else."""
    assert interop.split_list("a; b;c ;; ") == ["a", "b", "c"]
    assert interop.split_list("semi\\;colon; back\\\\slash; C:\\temp") == ["semi;colon", "back\\slash", "C:\\temp"]


def test_export_of_a_closed_application_reimports(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """An application closed today (updated_on and closed_on the same date) exports without YAML aliases."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("app", "add", "Acme", "--role", "Analyst", "--ref", "jane")
    runner.ok("app", "update", "acme", "--outcome", "rejected")
    exported = runner.ok("export").stdout
    assert "&id" not in exported and "*id" not in exported
    path = tmp_path / "export.yaml"
    path.write_text(exported)
    runner.ok("import", str(path), "--dry-run", "--on-conflict", "skip")


@pytest.mark.parametrize(
    "body",
    [
        "refaudit: 1\nreferences:\n- {id: zed, name: Zed, known_since: 2099-01-01}\n",
        "refaudit: 1\nreferences:\n- {id: zed, name: Zed}\nfeedback:\n"
        "- {id: f9, reference: zed, sentiment: positive, reported_on: 2099-01-01}\n",
    ],
    ids=["known-since", "reported-on"],
)
def test_import_refuses_dates_in_the_future(runner: Runner, registry: Path, tmp_path: Path, body: str) -> None:
    """A date after today in an imported file is refused like on the command line; nothing is written."""
    path = tmp_path / "future.yaml"
    path.write_text(body, encoding="utf-8")
    before = registry.read_bytes()
    result = runner("import", str(path))
    assert result.exit_code == 1
    assert "2099-01-01 is in the future" in result.stderr
    assert registry.read_bytes() == before
