"""import --encoding and --date-order: files from Excel and Outlook as they are, read as their user meant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Runner

LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
TRACKER_HEADER = "Company,Job Title,Status,Date Applied\n"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _names(runner: Runner) -> list[str]:
    return [r["name"] for r in json.loads(runner.ok("export", "--format", "json").stdout)["references"]]


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ((LINKEDIN_HEADER + "Zoë,Müller,,,Café Noir,Barista,1 Mar 2020\nJosé,Ñúñez,,,,,1 Mar 2020\n").encode("cp1252"),
         "Windows-1252"),
        ((LINKEDIN_HEADER + "Zoë,Müller,,,,,1 Mar 2020\nJosé,Ñúñez,,,,,1 Mar 2020\n").encode("utf-16"), "UTF-16"),
        (b"\xef\xbb\xbf" + (LINKEDIN_HEADER + "Zoë,Müller,,,,,1 Mar 2020\nJosé,Ñúñez,,,,,1 Mar 2020\n").encode(),
         "UTF-8"),
    ],
    ids=["windows-1252", "utf-16-bom", "utf-8-bom"],
)  # fmt: skip
def test_windows_1252_and_utf_16_are_detected_and_named(
    runner: Runner, registry: Path, tmp_path: Path, data: bytes, shown: str
) -> None:
    """Excel's and Outlook's encodings read without a word from the user; the summary names the one read."""
    path = _write(tmp_path / "Connections.csv", data)
    result = runner.ok("import", str(path))
    assert result.stderr.startswith(f"Read {path} as {shown}; ")
    assert _names(runner) == ["Zoë Müller", "José Ñúñez"]


@pytest.mark.parametrize(
    ("rows", "encoding", "shown"),
    [("Łucja,Wróbel,,,Zakład Łódź,Kierownik,1 Mar 2020\nZofia,Żak,,,,,1 Mar 2020\n", "cp1250", "Windows-1250"),
     ("Иван,Петров,,,Газпром,Инженер,1 Mar 2020\n", "cp1251", "Windows-1251")],
    ids=["polish-windows-1250", "russian-windows-1251"],
)  # fmt: skip
def test_other_legacy_encodings_are_not_taken_for_windows_1252(
    runner: Runner, registry: Path, tmp_path: Path, rows: str, encoding: str, shown: str
) -> None:
    """Bytes whose Windows-1252 reading is not Western text (Zak³ad, Èâàí) are left to the detector."""
    path = _write(tmp_path / "Connections.csv", (LINKEDIN_HEADER + rows).encode(encoding))
    result = runner.ok("import", str(path))
    assert result.stderr.startswith(f"Read {path} as {shown}; ")
    assert _names(runner) == [" ".join(line.split(",")[:2]) for line in rows.splitlines()]


def test_encoding_named_on_the_command_line_wins(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """--encoding reads the bytes as told (here Latin-1 for bytes detection would read otherwise)."""
    path = _write(tmp_path / "Connections.csv", (LINKEDIN_HEADER + "Zoë,Müller,,,,,1 Mar 2020\n").encode("latin-1"))
    result = runner.ok("import", str(path), "--encoding", "latin-1")
    assert result.stderr.startswith(f"Read {path} as ISO8859-1; ")
    assert _names(runner) == ["Zoë Müller"]


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["--encoding", "klingon"], 2,
         "Error: --encoding 'klingon' is not an encoding refaudit knows; e.g. utf-8, utf-16, cp1252, latin-1.\n"),
        (["--encoding", "\x1b[2J"], 2,
         "Error: --encoding '\\x1b[2J' is not an encoding refaudit knows; e.g. utf-8, utf-16, cp1252, latin-1.\n"),
        (["--encoding", "utf-8"], 1,
         "Error: 'Connections.csv' is not UTF-8 text (byte 71 is 0xeb); save it as UTF-8 (in a spreadsheet "
         "program: 'CSV UTF-8') or name its encoding with --encoding.\n"),
        (["--date-order", "ymd"], 2, None),
    ],
    ids=["unknown", "escape", "wrong-for-the-bytes", "bad-date-order"],
)  # fmt: skip
def test_bad_encoding_or_date_order_is_refused(
    runner: Runner, registry: Path, tmp_path: Path, args: list[str], code: int, error: str | None
) -> None:
    """An encoding Python does not know is a usage error; one that does not fit the bytes names the byte."""
    path = _write(tmp_path / "Connections.csv", (LINKEDIN_HEADER + "Zoë,Müller,,,,,1 Mar 2020\n").encode("cp1252"))
    before = registry.read_bytes()
    result = runner("import", str(path), *args)
    assert result.exit_code == code
    if error is not None:
        assert result.stderr == error
    else:
        assert "'ymd' is not one of 'dmy', 'mdy'" in result.stderr
    assert registry.read_bytes() == before


@pytest.mark.parametrize(("order", "applied"), [("dmy", "2026-02-01"), ("mdy", "2026-01-02")])
def test_date_order_reads_this_files_slashed_dates_over_the_config(
    runner: Runner, registry: Path, tmp_path: Path, order: str, applied: str
) -> None:
    """A tracker with US dates imports with --date-order mdy, whatever dates.order the config sets."""
    config = tmp_path / "config.yaml"
    config.write_text("dates:\n  order: " + ("mdy" if order == "dmy" else "dmy") + "\n", encoding="utf-8")
    path = _write(tmp_path / "tracker.csv", (TRACKER_HEADER + "Acme,Analyst,Applied,01/02/2026\n").encode())
    runner.ok("import", str(path), "--date-order", order, env={"REFAUDIT_CONFIG": str(config)})
    apps = json.loads(runner.ok("export", "--format", "json").stdout)["applications"]
    assert [a["applied_on"] for a in apps] == [applied]
