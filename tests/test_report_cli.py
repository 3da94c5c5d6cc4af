"""``refaudit report`` through the command line: where it writes, what, and what it never leaves behind."""

from __future__ import annotations

import io
import stat
from datetime import date
from pathlib import Path

import pypdf
import pytest

from refaudit.report import render
from tests.conftest import Runner

# The records are added today, so the report is as of today (an earlier day would not know them).
AS_OF = date.today().isoformat()


@pytest.fixture
def filled(runner: Runner, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small registry (cheap KDF), and the test's folder as the current directory."""
    runner.ok(
        "ref",
        "add",
        "Jane Doe",
        "--relationship",
        "manager",
        "--org",
        "Acme Corp",
        "--email",
        "jane@example.com",
        "--phone",
        "+1 555 0100",
        "--note",
        "Led the data team.",
    )
    runner.ok("ref", "add", "Bob Smith", "--relationship", "colleague")
    runner.ok("app", "add", "Acme Corp", "--role", "Data Analyst", "--applied", "2026-10-01", "--ref", "jane")
    runner.ok("feedback", "log", "jane", "--sentiment", "negative", "--source", "recruiter",
              "--date", "2026-10-20", "--quote", "Said I struggled with deadlines.")  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    return out


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_writes_the_dated_pdf_here_and_prints_its_path(runner: Runner, filled: Path) -> None:
    """Without -o: refaudit-report-<as-of>.pdf in the current directory, created 0600."""
    result = runner.ok("report", "--as-of", AS_OF)
    assert result.output == f"refaudit-report-{AS_OF}.pdf\n"
    written = filled / f"refaudit-report-{AS_OF}.pdf"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    pdf = written.read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Jane Doe" in text and "Said I struggled with deadlines." in text
    assert sorted(p.name for p in filled.iterdir()) == [f"refaudit-report-{AS_OF}.pdf"]


def test_the_same_registry_and_as_of_give_the_same_bytes(runner: Runner, filled: Path) -> None:
    """Running it twice overwrites the file with identical bytes."""
    runner.ok("report", "--as-of", AS_OF, "-o", "a.pdf")
    runner.ok("report", "--as-of", AS_OF, "-o", "b.pdf")
    runner.ok("report", "--as-of", AS_OF, "-o", "b.pdf")
    assert (filled / "a.pdf").read_bytes() == (filled / "b.pdf").read_bytes()


def test_redact_leaves_out_contact_details_notes_and_names(runner: Runner, filled: Path) -> None:
    """--redact: initials instead of names, no email, phone or note."""
    runner.ok("report", "--as-of", AS_OF, "--redact", "-o", "shared.pdf")
    text = _text((filled / "shared.pdf").read_bytes())
    for secret in ("Jane Doe", "jane@example.com", "555 0100", "Led the data team", "Bob Smith"):
        assert secret not in text
    assert "J. D." in text and "Said I struggled with deadlines." in text


@pytest.mark.parametrize(
    ("args", "name"),
    [(["--format", "html"], f"refaudit-report-{AS_OF}.html"), (["-o", "report.html"], "report.html")],
    ids=["format-flag", "from-the-name"],
)
def test_html_format(runner: Runner, filled: Path, args: list[str], name: str) -> None:
    """--format html, or an -o ending in .html, writes one self-contained HTML file."""
    result = runner.ok("report", "--as-of", AS_OF, *args)
    assert result.output == f"{name}\n"
    html = (filled / name).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Jane Doe" in html and "<link" not in html


def test_refuses_to_write_over_the_registry(runner: Runner, filled: Path, registry: Path) -> None:
    """-o pointing at the registry file is refused, and the registry is untouched."""
    before = registry.read_bytes()
    result = runner("report", "-o", str(registry))
    assert result.exit_code == 1
    own = f"Error: Refusing to write over the registry's own file {str(registry)!r}; name another file.\n"
    assert result.output == own
    assert registry.read_bytes() == before


def test_a_failed_render_leaves_no_file(runner: Runner, filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When rendering fails, neither the report nor a temporary file is left behind."""

    def broken(*_: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(render, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        runner("report", "--as-of", AS_OF)
    assert list(filled.iterdir()) == []


def test_a_wrong_passphrase_writes_nothing(runner: Runner, filled: Path) -> None:
    """Exit 3 and no file."""
    result = runner("report", env={"REFAUDIT_PASSPHRASE": "wrong"})
    assert result.exit_code == 3
    assert list(filled.iterdir()) == []


def test_an_existing_report_is_replaced(runner: Runner, filled: Path) -> None:
    """Reports are regenerated often: an earlier report refaudit wrote (its Creator says so) is replaced whole."""
    runner.ok("report", "--as-of", AS_OF, "-o", "r.pdf")
    runner.ok("report", "--as-of", AS_OF, "--redact", "-o", "r.pdf")
    assert "Jane Doe" not in _text((filled / "r.pdf").read_bytes())
    assert sorted(p.name for p in filled.iterdir()) == ["r.pdf"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("thesis.pdf", b"%PDF-1.7\n/Creator (LibreOffice) my thesis"),
        ("notes.html", b'<!DOCTYPE html><meta name="generator" content="Hugo">my notes'),
        ("r.html", b"old"),
    ],
    ids=["another-pdf", "another-html", "not-a-report"],
)
def test_a_file_refaudit_did_not_write_as_a_report_needs_force(
    runner: Runner, filled: Path, name: str, content: bytes
) -> None:
    """-o over someone's own document is refused (exit 1, untouched) unless --force."""
    (filled / name).write_bytes(content)
    result = runner("report", "--as-of", AS_OF, "--format", "html", "-o", name)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: '{name}' already exists and is not a report refaudit wrote; refusing to overwrite it (use --force).\n",
    )
    assert (filled / name).read_bytes() == content
    runner.ok("report", "--as-of", AS_OF, "--format", "html", "-o", name, "--force")
    assert b'<meta name="generator" content="refaudit' in (filled / name).read_bytes()


def test_an_html_report_is_replaced_without_force(runner: Runner, filled: Path) -> None:
    runner.ok("report", "--as-of", AS_OF, "-o", "r.html")
    runner.ok("report", "--as-of", AS_OF, "--redact", "-o", "r.html")
    assert "Jane Doe" not in (filled / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["backup", "another"])
def test_never_over_a_registry_even_with_force(runner: Runner, filled: Path, registry: Path, which: str) -> None:
    """The registry's backup, or any other registry, is refused even with --force, and stays byte for byte."""
    runner.ok("ref", "add", "Ann Lee")  # makes the backup
    target = registry.with_name("registry.refaudit.bak") if which == "backup" else filled / "old.refaudit"
    if which == "another":
        target.write_bytes(registry.read_bytes())
    before = target.read_bytes()
    result = runner("report", "--as-of", AS_OF, "--format", "html", "-o", str(target), "--force")
    assert result.exit_code == 1
    if which == "backup":
        own = f"Error: Refusing to write over the registry's own file '{target}'; name another file.\n"
        assert result.stderr == own
    else:
        assert result.stderr == (
            f"Error: '{target}' is a refaudit registry; refusing to write a report over it, even with --force.\n"
        )
    assert target.read_bytes() == before


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_dash_writes_only_the_document_to_stdout(runner: Runner, filled: Path, fmt: str) -> None:
    """-o - : the document alone on stdout, no file written, no path printed."""
    result = runner.ok("report", "--as-of", AS_OF, "--format", fmt, "-o", "-")
    assert list(filled.iterdir()) == []
    if fmt == "pdf":
        assert result.stdout_bytes.startswith(b"%PDF-") and "Jane Doe" in _text(result.stdout_bytes)
    else:
        assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")


def test_an_unknown_format_is_a_usage_error(runner: Runner, filled: Path) -> None:
    """Click refuses --format docx with exit 2."""
    result = runner("report", "--format", "docx")
    assert result.exit_code == 2
    assert "'docx' is not one of 'pdf', 'html'" in result.output


def test_help_has_an_example(runner: Runner) -> None:
    """The docstring is the help, with an Example: block."""
    result = runner.ok("report", "--help")
    assert "Example:" in result.output
    assert "refaudit report --redact -o for-my-coach.pdf" in result.output


def test_redact_masks_phone_numbers_written_anywhere_and_reporters(runner: Runner, filled: Path) -> None:
    """Phone numbers typed into quotes and leads, in any spelling, and reporters' names never reach a redacted PDF."""
    runner.ok("ref", "add", "Anna Lee-Smith", "--phone", "+34 600 123 456")
    runner.ok("feedback", "log", "anna", "--sentiment", "positive", "--reporter", "Mike Jones at Globex",
              "--quote", "call her on 600123456 or +44 20 7946 0958")  # fmt: skip
    runner.ok("app", "add", "Nandu", "--role", "Dev", "--ref", "anna")
    runner.ok("app", "debrief", "nandu", "--lead", "Call Mike Jones on 07700 900123")
    runner.ok("report", "--as-of", AS_OF, "--redact", "-o", "shared.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(filled / "shared.pdf").pages)
    for secret in ("600123456", "600 123 456", "7946", "07700", "900123", "Mike Jones", "Lee-Smith"):
        assert secret not in text, secret
    assert "A. L.-S." in text and "[phone]" in text
    assert AS_OF in text  # dates are not mistaken for phone numbers


_PLANTED = "import pathlib; pathlib.Path({marker!r}).write_text('ran')\n"


@pytest.mark.parametrize("passphrase", ["right", "wrong"], ids=["right-passphrase", "wrong-passphrase"])
def test_nothing_planted_in_the_current_folder_runs(filled: Path, tmp_path: Path, passphrase: str) -> None:
    """A refaudit.py and a refaudit/ package in the folder where `report` runs are never imported."""
    import os
    import subprocess
    import sys

    marker = tmp_path / "planted-code-ran"
    (filled / "refaudit.py").write_text(_PLANTED.format(marker=str(marker)))
    package = filled / "refaudit"
    package.mkdir()
    (package / "report").mkdir()
    for name in ("__init__.py", "render.py", "__main__.py", "report/__init__.py", "report/render.py"):
        (package / name).write_text(_PLANTED.format(marker=str(marker)))
    env = dict(os.environ)
    if passphrase == "wrong":
        env["REFAUDIT_PASSPHRASE"] = "wrong"
    script = Path(sys.executable).parent / "refaudit"
    result = subprocess.run(
        [str(script), "report", "-o", str(tmp_path / "r.pdf"), "--as-of", AS_OF],
        cwd=filled, env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == (0 if passphrase == "right" else 3), result.stderr
    assert not marker.exists()


def _page_size(pdf: bytes) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.mark.parametrize(
    ("env", "args", "size"),
    [({"LC_ALL": None, "LC_PAPER": None, "LANG": "en_US.UTF-8"}, [], (612, 792)),
     ({"LC_ALL": None, "LC_PAPER": "fr_CA.UTF-8", "LANG": "de_DE.UTF-8"}, [], (612, 792)),
     ({"LC_ALL": "de_DE.UTF-8"}, [], (595, 842)),
     ({"LC_ALL": "en_US.UTF-8"}, ["--paper", "a4"], (595, 842))],
    ids=["us-letter", "lc-paper-wins", "germany-a4", "option-wins"],
)  # fmt: skip
def test_the_paper_follows_the_locale_unless_given(
    runner: Runner, filled: Path, env: dict[str, str | None], args: list[str], size: tuple[int, int]
) -> None:
    """report.paper ships as auto: Letter for US and CA locales, A4 elsewhere; --paper wins."""
    runner.ok("report", "--as-of", AS_OF, "-o", "r.pdf", *args, env=env)
    assert _page_size((filled / "r.pdf").read_bytes()) == size


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--paper", "A3"], "Error: Invalid value for '--paper': 'A3' is not one of 'a4', 'letter'."),
     (["--pdf-variant", "pdf/x-4"],
      "Error: Invalid value for '--pdf-variant': 'pdf/x-4' is not one of 'pdf/ua-1', 'pdf/a-3u', 'plain'."),
     (["--paper", "} body { display: none"],
      "Error: Invalid value for '--paper': '} body { display: none' is not one of 'a4', 'letter'.")],
    ids=["unknown-paper", "unknown-variant", "css-injection"],
)  # fmt: skip
def test_an_unknown_paper_or_variant_is_a_usage_error(
    runner: Runner, filled: Path, registry: Path, args: list[str], message: str
) -> None:
    """Exit 2 naming the value and what is accepted; nothing written, the registry unchanged."""
    before = registry.read_bytes()
    result = runner("report", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
    assert list(filled.iterdir()) == []
    assert registry.read_bytes() == before


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u", "plain"])
def test_every_variant_gives_the_same_bytes_twice(runner: Runner, filled: Path, variant: str) -> None:
    """Same registry, settings, locale and --as-of: the same bytes, in every variant."""
    runner.ok("report", "--as-of", AS_OF, "--pdf-variant", variant, "-o", "a.pdf")
    runner.ok("report", "--as-of", AS_OF, "--pdf-variant", variant, "-o", "b.pdf")
    first = (filled / "a.pdf").read_bytes()
    assert first == (filled / "b.pdf").read_bytes()
    catalog = pypdf.PdfReader(io.BytesIO(first)).trailer["/Root"]
    assert ("/StructTreeRoot" in catalog) is (variant != "plain")  # the archival pdf/a-3u keeps the tags


def test_anonymous_names_nobody_and_implies_redact(runner: Runner, filled: Path) -> None:
    """--anonymous: Reference A, Employer 1, the reporter's role; no name, organisation, email or phone."""
    runner.ok("feedback", "log", "bob", "--sentiment", "positive", "--source", "mock-call",
              "--reporter", "Maya Klein", "--quote", "Bob Smith and Jane were both praised by Maya.")  # fmt: skip
    runner.ok("report", "--as-of", AS_OF, "--anonymous", "-o", "workshop.pdf")
    text = _text((filled / "workshop.pdf").read_bytes())
    for secret in ("Jane", "Doe", "Bob", "Smith", "Maya", "Klein", "Acme", "jane@example.com", "555 0100",
                   "Led the data team", "Data Analyst"):  # fmt: skip
        assert secret not in text, secret
    assert "Reference A is hurting your applications." in text
    assert "“Reference B and Reference A were both praised by a mock caller.”" in text
    assert "Employer 1" in text and "the candidate" in text


def test_with_settings_adds_the_scoring_appendix(runner: Runner, filled: Path) -> None:
    """The scoring settings are printed only with --with-settings."""
    runner.ok("report", "--as-of", AS_OF, "--format", "html", "-o", "plain.html")
    runner.ok("report", "--as-of", AS_OF, "--with-settings", "-o", "full.html")
    assert "watch_risk" not in (filled / "plain.html").read_text(encoding="utf-8")
    assert "watch_risk" in (filled / "full.html").read_text(encoding="utf-8")
