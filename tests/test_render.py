"""The rendered report: real PDFs read back with pypdf (and qpdf, pdftoppm when installed)."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest

from refaudit import actions, audit, report, settings
from refaudit.demo import build_demo
from refaudit.errors import RefauditError
from refaudit.model import Application, Feedback, Reference, Registry, Said
from refaudit.report import render
from refaudit.text import fold
from tests.conftest import NAUGHTY_STRINGS

AS_OF = date(2026, 11, 25)
REPO = Path(__file__).resolve().parents[1]

HOSTILE_NAME = '<img src="file:///etc/passwd">'
HOSTILE_NOTE = '<link rel="attachment" href="file:///etc/passwd">'
HOSTILE_QUOTE = "<style>@import url(file:///etc/passwd)</style>"
HOSTILE_COMPANY = '<a href="http://127.0.0.1:9/">x</a>'


def _contents(
    registry: Registry, *, redact: bool = False, conf: dict[str, Any] | None = None, **kw: Any
) -> dict[str, Any]:
    conf = conf or settings.load(None)
    verdicts = audit.audit(registry, conf, AS_OF)
    due = actions.due_actions(registry, verdicts, conf, AS_OF)
    picks = audit.lineup(registry, verdicts, conf)
    return report.build_contents(registry, verdicts, due, conf, AS_OF, redact=redact, lineup=picks, **kw)


def _pdf(registry: Registry, variant: str = "pdf/ua-1", **kw: Any) -> bytes:
    conf = kw.pop("conf", None) or settings.load(None)
    return render.render_pdf(_contents(registry, conf=conf, **kw), variant)


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf), strict=True)


def _text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed (pypdf breaks lines where the PDF does)."""
    return " ".join(" ".join((page.extract_text() or "").split()) for page in _reader(pdf).pages)


def _outline(items: list[Any], depth: int = 0) -> Iterator[tuple[int, str]]:
    for item in items:
        if isinstance(item, list):
            yield from _outline(item, depth + 1)
        else:
            yield depth, item.title


def _everything(pdf: bytes) -> str:
    """Page text, metadata, outline, and every string and decompressed stream in every object."""
    reader = _reader(pdf)
    parts = [_text(pdf)]
    parts += [str(v) for v in (reader.metadata or {}).values()]
    parts += [title for _, title in _outline(reader.outline)]

    def walk(obj: Any, seen: set[int]) -> None:
        if isinstance(obj, pypdf.generic.IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, pypdf.generic.StreamObject):
            data = obj.get_data()
            parts.append(data.decode("latin-1"))
            parts.append(data.decode("utf-16-be", "ignore"))
        if isinstance(obj, dict):
            for value in obj.values():
                walk(value, seen)
        elif isinstance(obj, list):
            for value in obj:
                walk(value, seen)
        elif isinstance(obj, str | bytes):
            parts.append(obj if isinstance(obj, str) else obj.decode("latin-1"))

    seen: set[int] = set()
    walk(reader.trailer, seen)
    for num in range(1, int(reader.trailer["/Size"])):
        walk(pypdf.generic.IndirectObject(num, 0, reader), seen)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def demo() -> Registry:
    return build_demo(AS_OF)


@pytest.fixture(scope="module")
def demo_pdf(demo: Registry) -> bytes:
    return _pdf(demo)


@pytest.fixture(scope="module")
def redacted_pdf(demo: Registry) -> bytes:
    return _pdf(demo, redact=True)


# --- what the report says --------------------------------------------------------


def test_the_report_names_every_reference_with_its_advice(demo: Registry, demo_pdf: bytes) -> None:
    """Every reference appears by name, and each advice is spelled out as a word."""
    text = _text(demo_pdf)
    for ref in demo.references:
        assert ref.name in text
    for word in ("KEEP", "WATCH", "DROP"):
        assert word in text
    assert "Said I struggled with deadlines." in text
    assert "What employers told you" in text
    assert "went with a candidate with more experience" in text


def test_the_reasons_are_printed(demo: Registry, demo_pdf: bytes) -> None:
    """The first words of every reason the audit gives are in the PDF."""
    text = _text(demo_pdf)
    for verdict in audit.audit(demo, settings.load(None), AS_OF):
        for reason in verdict.reasons:
            assert " ".join(reason.split()[:6]) in text


def test_every_page_says_page_x_of_y(demo_pdf: bytes) -> None:
    """The footer numbers every page out of the total."""
    reader = _reader(demo_pdf)
    total = len(reader.pages)
    assert total > 5
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in " ".join(page.extract_text().split())


def test_the_running_footer_carries_the_confidentiality_line(demo_pdf: bytes) -> None:
    """Every page repeats the confidentiality line from the settings."""
    line = settings.load(None)["report"]["confidentiality"]
    for page in _reader(demo_pdf).pages:
        assert line in " ".join(page.extract_text().split())


def test_the_outline_has_a_bookmark_per_section_and_per_reference(demo: Registry, demo_pdf: bytes) -> None:
    """Sections at the top level, each reference under "References, one by one"."""
    outline = list(_outline(_reader(demo_pdf).outline))
    top = [title for depth, title in outline if depth == 0]
    assert top == [
        "Cover", "Summary", "All references", "Charts", "References, one by one",
        "Applications, one by one", "How the audit's calls fared", "What employers told you",
    ]  # fmt: skip
    people = [title for depth, title in outline if depth == 1 and re.match(r"\d+\. ", title)]
    assert sorted(t.split(". ", 1)[1] for t in people) == sorted(r.name for r in demo.references)


def test_metadata(demo_pdf: bytes) -> None:
    """Title, subject, author (the owner), keywords and the as-of date as creation date."""
    meta = _reader(demo_pdf).metadata
    assert meta is not None
    assert meta["/Title"] == "Reference audit — Alex Candidate"
    assert meta["/Author"] == "Alex Candidate"
    assert meta["/Subject"].startswith("Audit of 10 job references as of 2026-11-25")
    assert meta["/Keywords"] == "job references, reference audit, refaudit"
    assert meta["/CreationDate"] == "D:20261125"


def test_paper_size_comes_from_the_settings(demo: Registry, demo_pdf: bytes) -> None:
    """A4 by default; Letter when the config says so."""
    a4 = _reader(demo_pdf).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    conf = settings.load(None)
    conf["report"]["paper"] = "Letter"
    letter = _reader(_pdf(Registry(owner="X"), conf=conf)).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_the_fonts_are_the_bundled_ones(demo_pdf: bytes) -> None:
    """Only the DejaVu files in templates/report/fonts are embedded (as subsets)."""
    everything = _everything(demo_pdf)
    fonts = set(re.findall(r"/[A-Z]{6}\+([\w-]+)", everything)) or set(
        re.findall(r"[A-Z]{6}\+(Report-[\w,-]+)", everything)
    )
    assert fonts
    assert all(name.startswith("Report-") for name in fonts), fonts


# --- the file itself ----------------------------------------------------------------


def test_same_registry_and_as_of_give_the_same_bytes(demo_pdf: bytes) -> None:
    """Byte-reproducible, even from another process with another hash seed."""
    script = (
        "import sys; from datetime import date; from refaudit import actions, audit, report, settings\n"
        "from refaudit.report import render\n"
        "from refaudit.demo import build_demo\n"
        "d = date(2026, 11, 25); reg = build_demo(d); conf = settings.load(None)\n"
        "v = audit.audit(reg, conf, d); a = actions.due_actions(reg, v, conf, d)\n"
        "contents = report.build_contents(reg, v, a, conf, d, redact=False, lineup=audit.lineup(reg, v, conf))\n"
        "sys.stdout.buffer.write(render.render_pdf(contents))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, env=env, cwd=REPO)
    assert other.stdout == demo_pdf


def test_the_pdf_passes_strict_checks(demo_pdf: bytes, tmp_path: Path) -> None:
    """pypdf's strict reader opens every page, and qpdf --check finds nothing wrong."""
    reader = _reader(demo_pdf)
    for page in reader.pages:
        page.extract_text()
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(demo_pdf)
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert b"No syntax or stream encoding errors found" in result.stdout


def test_the_first_three_pages_are_not_blank(demo_pdf: bytes, tmp_path: Path) -> None:
    """Rasterised, the cover, the summary and the table all have ink on them."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(demo_pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) == 3
    for page in pages:
        pixels = _pgm_pixels(page.read_bytes())
        dark = sum(1 for p in pixels if p < 160)
        assert dark > len(pixels) * 0.01, page.name


def _pgm_pixels(data: bytes) -> bytes:
    """The pixel bytes of a binary PGM (P5) file."""
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields is not None
    return data[fields.end() :]


def test_html_is_one_self_contained_file(demo: Registry) -> None:
    """--format html: the same document, CSS inlined, nothing fetched from anywhere."""
    html = render.render_html(_contents(demo))
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and "<link" not in html
    assert not re.search(r"\b(src|href)=\"(?!#)", html)
    assert "url(" not in html.replace("url(#hatch-negative)", "")
    assert "<svg" in html
    assert "Jane Doe" in html and "Page 1 of" not in html


def test_render_imports_its_libraries_only_when_rendering() -> None:
    """Importing refaudit.report.render leaves jinja2 and weasyprint unloaded (refaudit --help stays fast)."""
    script = "import sys, refaudit.report.render; print('jinja2' in sys.modules, 'weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.split() == ["False", "False"]


# --- redaction --------------------------------------------------------------------------


def test_redacted_pdf_holds_no_email_phone_note_or_full_name(demo: Registry, redacted_pdf: bytes) -> None:
    """Not in the text, the metadata, the outline, any string or any decompressed stream."""
    everything = _everything(redacted_pdf)
    secrets = [demo.owner or ""]
    for ref in demo.references:
        secrets += [ref.name, ref.id, ref.email or "", ref.phone or "", ref.notes or "", ref.status_note or ""]
    for fb in demo.feedback:
        secrets.append(fb.notes or "")
    for app in demo.applications:
        secrets.append(app.notes or "")
    for secret in filter(None, secrets):
        assert secret not in everything, secret
    assert not _reader(redacted_pdf).attachments


def test_redacted_pdf_shows_initials_and_keeps_quotes(redacted_pdf: bytes) -> None:
    """Names become initials; what was said stays."""
    text = _text(redacted_pdf)
    assert "J. D." in text
    assert "Said I struggled with deadlines." in text
    assert "Redacted for sharing" in text
    meta = _reader(redacted_pdf).metadata
    assert meta is not None and meta["/Author"] == "A. C."


# --- hostile text --------------------------------------------------------------------------


def _hostile_registry() -> Registry:
    return Registry(
        owner="<b>Owner</b>",
        references=[
            Reference(id="evil", name=HOSTILE_NAME, notes=HOSTILE_NOTE, organization=HOSTILE_COMPANY),
            Reference(id="plain", name="Plain Person"),
        ],
        applications=[
            Application(id="a1", company=HOSTILE_COMPANY, role=HOSTILE_NAME, applied_on=date(2026, 10, 1),
                        references=["evil"], outcome="rejected", reason=HOSTILE_QUOTE, criticism=[Said(HOSTILE_NOTE)],
                        leads=[Said(HOSTILE_COMPANY)], closed_on=date(2026, 10, 5)),
        ],
        feedback=[
            Feedback(id="f1", reference="evil", application="a1", reported_on=date(2026, 10, 6), source="employer",
                     certainty="verbatim", sentiment="negative", quote=HOSTILE_QUOTE),
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile_pdf() -> bytes:
    return _pdf(_hostile_registry())


def test_markup_in_user_text_is_printed_literally(hostile_pdf: bytes) -> None:
    """Tags typed into a name, note, quote or company show as text, not as HTML."""
    text = _text(hostile_pdf)
    for hostile in (HOSTILE_NAME, HOSTILE_NOTE, HOSTILE_QUOTE, HOSTILE_COMPANY, "<b>Owner</b>"):
        assert hostile in text, hostile


def test_markup_in_user_text_fetches_and_attaches_nothing(hostile_pdf: bytes) -> None:
    """No attachment, no link to the network, and nothing from /etc/passwd."""
    reader = _reader(hostile_pdf)
    assert not reader.attachments
    everything = _everything(hostile_pdf)
    assert "/EmbeddedFiles" not in everything
    assert "/URI" not in everything
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            assert action.get("/S") != "/URI", action
    passwd = Path("/etc/passwd")
    if passwd.exists():
        for line in passwd.read_text().splitlines()[:5]:
            if line.strip():
                assert line not in everything


def test_autoescape_is_on_in_the_html(tmp_path: Path) -> None:
    """The HTML output escapes what the user typed."""
    html = render.render_html(_contents(_hostile_registry()))
    assert HOSTILE_NAME not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def _blns() -> list[str]:
    lines = NAUGHTY_STRINGS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("batch", [0, 1, 2], ids=["first-third", "second-third", "last-third"])
def test_every_naughty_string_renders_as_name_note_and_quote(batch: int) -> None:
    """Each line of the Big List of Naughty Strings, as a name, a note and a quote, gives a valid PDF."""
    lines = _blns()
    chunk = lines[batch::3]
    refs = [
        Reference(id=f"r{i}", name=line[:200], notes=line, organization=chunk[-1 - i][:300])
        for i, line in enumerate(chunk)
    ]
    feedback = [
        Feedback(id=f"f{i}", reference=f"r{i}", reported_on=date(2026, 11, 1), sentiment="mixed", quote=line)
        for i, line in enumerate(chunk)
    ]
    pdf = _pdf(Registry(owner=chunk[0][:200], references=refs, feedback=feedback))
    reader = _reader(pdf)
    assert len(reader.pages) > 3
    # Characters no installed font has make WeasyPrint embed its own CMap, which pypdf
    # decodes as two bytes a character; dropping the NULs gives the text back.
    text = _text(pdf).replace("\x00", "")
    plain = [line for line in chunk if re.fullmatch(r"[A-Za-z][A-Za-z ]{3,40}", line)]
    for line in plain:
        assert line in text, line


# --- the fetcher -------------------------------------------------------------------------


def test_the_fetcher_serves_bundled_assets_with_their_type() -> None:
    """report.css and the fonts come back with a Content-Type."""
    fetcher = render.assets_fetcher()
    css = fetcher.fetch((render.report_dir() / "report.css").as_uri())
    assert css.content_type == "text/css"
    font = fetcher.fetch((render.report_dir() / "fonts" / "DejaVuSans.ttf").as_uri())
    assert font.content_type == "font/ttf"
    assert font.read(4) == b"\x00\x01\x00\x00"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.com/x.css",
        "data:text/css,body{}",
        "ftp://example.com/x",
        "FILE://remote-host/etc/passwd",
    ],
    ids=["file-outside", "http", "https", "data", "ftp", "file-remote-host"],
)
def test_the_fetcher_refuses_anything_else(url: str) -> None:
    """Other files, the network and inline data are refused."""
    with pytest.raises(render.FetchRefused):
        render.assets_fetcher().fetch(url)


def test_the_fetcher_resolves_before_checking(tmp_path: Path) -> None:
    """``..`` and a symlink pointing out of the assets folder are both refused."""
    root = tmp_path / "assets"
    root.mkdir()
    (root / "ok.css").write_text("p {}")
    secret = tmp_path / "secret.css"
    secret.write_text("secret")
    (root / "link.css").symlink_to(secret)
    fetcher = render.assets_fetcher(root)
    assert fetcher.fetch((root / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(render.FetchRefused):
        fetcher.fetch((root / "link.css").as_uri())
    with pytest.raises(render.FetchRefused):
        fetcher.fetch(root.as_uri() + "/../secret.css")
    with pytest.raises(render.FetchRefused):
        fetcher.fetch(root.as_uri() + "/%2e%2e/secret.css")


def test_attachments_go_through_the_fetcher_too() -> None:
    """A document asking WeasyPrint to attach /etc/passwd gets no attachment."""
    import weasyprint

    html = '<html><head><link rel="attachment" href="file:///etc/passwd"></head><body><p>x</p></body></html>'
    fetcher = render.assets_fetcher()
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(attachments=["file:///etc/passwd"])
    assert not _reader(pdf).attachments
    assert "/EmbeddedFiles" not in _everything(pdf)


# --- the worker process -------------------------------------------------------------------


def test_the_worker_process_gives_the_same_bytes_and_reports_pages(demo: Registry, demo_pdf: bytes) -> None:
    """A big report is laid out in a child process: same bytes, a page count as it goes, no child left."""
    conf = settings.load(None)
    pages: list[int] = []
    with render.pdf_worker() as worker:
        assert worker is not None
        pdf = render.render_pdf(_contents(demo, conf=conf), "pdf/ua-1", pages.append)
    assert pdf == demo_pdf
    count = len(_reader(pdf).pages)
    assert pages[:count] == list(range(1, count + 1))  # then again for any page laid out anew
    assert worker.process.poll() is not None  # reaped
    assert render._worker is None


def test_a_worker_that_is_not_used_is_ended() -> None:
    """Leaving the block without rendering (a wrong passphrase, say) ends the child at once."""
    with render.pdf_worker() as worker:
        assert worker is not None
    assert worker.process.poll() is not None


def test_a_failure_in_the_worker_is_raised_in_the_parent(demo: Registry) -> None:
    conf = settings.load(None)
    context = {**_contents(demo, conf=conf), "metadata": {}}  # no "created": the child's render fails
    with render.pdf_worker(), pytest.raises(RefauditError, match="the PDF renderer failed"):
        render.render_pdf(context)


def test_a_worker_that_cannot_start_falls_back_to_rendering_in_process(
    demo: Registry, demo_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child that ends before it is ready (refaudit not importable there, say) is not an error."""
    real_popen = subprocess.Popen
    monkeypatch.setattr(
        render.subprocess, "Popen", lambda _argv, **kw: real_popen([sys.executable, "-c", "pass"], **kw)
    )
    conf = settings.load(None)
    with render.pdf_worker() as worker:
        assert worker is not None
        assert render.render_pdf(_contents(demo, conf=conf)) == demo_pdf


# --- what a coach reads first (issue 16) -------------------------------------------------


def _pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_the_cover_names_the_person_the_period_and_the_finding(demo_pdf: bytes) -> None:
    """Whose references, which period the evidence covers, and the main finding in words, on page 1."""
    cover = " ".join((_reader(demo_pdf).pages[0].extract_text() or "").split())
    assert "The references of Alex Candidate" in cover
    assert "Evidence from 3 December 2025 to 22 November 2026 · 32 reports on 40 applications" in cover
    assert "Jane Doe and Priya Natarajan are hurting your applications." in cover


def test_the_cover_names_nobody_when_there_is_no_owner(demo: Registry) -> None:
    """No owner: the cover and the metadata name nobody (never the registry's file name)."""
    contents = _contents(Registry(references=demo.references[:1]))
    assert contents["owner"] is None
    assert contents["metadata"]["author"] is None
    assert "The references of" not in render.render_html(contents)


def test_the_summary_opens_with_the_story_in_words(demo_pdf: bytes) -> None:
    """Finding, the evidence behind it, and the one thing to do, built from the verdicts."""
    summary = " ".join((_reader(demo_pdf).pages[1].extract_text() or "").split())
    assert (
        "Summary Jane Doe and Priya Natarajan are hurting your applications. "
        "On 2026-11-12 Sam at Hays relayed a negative report: “Said I struggled with deadlines.” "
    ) in summary
    assert "that reached the reference check with Jane Doe on them ended without an offer." in summary
    assert "The one thing to do: stop giving Jane Doe and Priya Natarajan, and give " in summary
    assert "Stop giving Jane Doe and Priya Natarajan as references (3 credible reports against them on file)." in (
        summary
    )
    assert "hold back until more is known" not in _text(demo_pdf)
    assert "give them only alongside a strong reference, and test them soon" in summary


def test_every_evidence_row_says_who_relayed_it_and_on_which_application(demo_pdf: bytes, tmp_path: Path) -> None:
    """ "recruiter: Sam at Hays" and "on Acme Corp (Data Analyst)" beside the quote."""
    text = " ".join(_pdftotext(demo_pdf, tmp_path).split())
    assert "Who relayed it" in text
    assert "recruiter: Sam at Hays" in text
    assert "on Acme Corp (Data Analyst)" in text


def test_one_row_per_application_with_what_was_reported_about_whom(demo: Registry, demo_pdf: bytes) -> None:
    """References given, stage reached, outcome and reason kind, and the reports about whom."""
    contents = _contents(demo)
    rows = {r["company"]: r for r in contents["applications"]["rows"]}
    assert len(rows) == len([a for a in demo.applications if a.applied_on <= AS_OF])
    acme = rows["Acme Corp"]
    assert (acme["references"], acme["stage"], acme["outcome"]) == (
        "Jane Doe, Bob Smith",
        "reference-check",
        "rejected",
    )
    assert [(r["who"], r["sentiment"], r["by"]) for r in acme["reported"]][-1] == (
        "Jane Doe",
        "negative",
        "Sam at Hays",
    )
    text = _text(demo_pdf)
    assert "Applications, one by one" in text
    assert "What was reported, about whom" in text
    assert "Jane Doe: negative (Sam at Hays)" in text


def test_scoring_settings_appear_only_when_asked_for(demo: Registry, demo_pdf: bytes) -> None:
    """No settings appendix by default; --with-settings adds it."""
    assert "Scoring settings" not in _text(demo_pdf)
    assert "watch_risk" not in _text(demo_pdf)
    html = render.render_html(_contents(demo, with_settings=True))
    assert "Appendix: Scoring settings" in html and "watch_risk" in html


def test_no_page_but_the_cover_and_the_last_is_less_than_half_full(demo_pdf: bytes, tmp_path: Path) -> None:
    """Rasterised, every page between the cover and the last has ink below the middle of its body."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(demo_pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", "30", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) >= 4
    px_per_mm = 30 / 25.4
    top, bottom = int(22 * px_per_mm), int(20 * px_per_mm)  # the page margins (report.css), headers and footers
    for page in pages[1:-1]:
        data = page.read_bytes()
        fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert fields is not None
        width, height = int(fields.group(1)), int(fields.group(2))
        pixels = data[fields.end() :]
        body = range(top, height - bottom)
        inked = [y for y in body if min(pixels[y * width : (y + 1) * width]) < 160]
        filled = (inked[-1] - top) / len(body) if inked else 0.0
        assert filled >= 0.5, f"{page.name} is {filled:.0%} full"


def test_the_diamond_legend_is_only_under_a_table_with_a_diamond(demo: Registry) -> None:
    """ "◆ moved the recommendation" appears once per section whose evidence has a ◆, and nowhere else."""
    conf = settings.load(None)
    verdicts = audit.audit(demo, conf, AS_OF)
    jane = next(v for v in verdicts if v.id == "jane-doe")
    moved = [fid for fid in jane.evidence][:1] or [next(f.id for f in demo.feedback if f.reference == "jane-doe")]
    verdicts = [dataclasses.replace(v, moved=moved) if v.id == "jane-doe" else dataclasses.replace(v, moved=[])
                for v in verdicts]  # fmt: skip
    contents = report.build_contents(demo, verdicts, [], conf, AS_OF)
    html = render.render_html(contents)
    assert html.count("◆ moved the recommendation") == 1
    assert [r["name"] for r in contents["sections"] if r["has_key"]] == ["Jane Doe"]


def test_a_report_past_its_limits_says_where_it_summarises() -> None:
    """Past the report: limits, each part says what it left out and how it is summarised, in words."""
    refs = [Reference(id=f"r{i}", name=f"Person {i}") for i in range(6)]
    apps = [Application(id=f"a{i}", company=f"Co {i}", role="Analyst", applied_on=date(2025, 1, 1 + i % 28),
                        references=[f"r{i % 6}"], outcome="rejected") for i in range(30)]  # fmt: skip
    fbs = [Feedback(id=f"f{i}", reference="r0", reported_on=date(2025, 2, 1 + i), sentiment="negative")
           for i in range(20)]  # fmt: skip
    verdicts = [audit.Verdict(id="r0", name="Person 0", status="active", recommendation="drop", risk=0.9,
                              evidence_weight=5.0, flags=[], reasons=["Bad."], evidence=[f.id for f in fbs],
                              uses=5, last_used=None, moved=["f0"])]  # fmt: skip
    verdicts += [audit.Verdict(id=f"r{i}", name=f"Person {i}", status="active", recommendation="keep", risk=0.1,
                               evidence_weight=0.0, flags=[], reasons=[], evidence=[], uses=5, last_used=None)
                 for i in range(1, 6)]  # fmt: skip
    conf = settings.load(None)
    conf["report"].update(compact_above=2, references_listed=4, applications_listed=10, evidence_total=6)
    html = render.render_html(report.build_contents(Registry(references=refs, applications=apps, feedback=fbs),
                                                   verdicts, [], conf, AS_OF))  # fmt: skip
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "the 4 most urgent of 6, the rest summarised by advice below the table" in text
    assert "The other 2 references, by advice" in text
    assert "Not printed: 17 more reports, summarised: 17 negative (17 of them cited in the reasons)" in text
    assert "The 10 most recent are listed; the 20 earlier applications are summarised by month below." in text


# --- accessibility and variants ------------------------------------------------------------


def _structure(pdf: bytes) -> tuple[dict[str, Any], list[str], list[str]]:
    """The catalog, the structure types in document order, and the figures' alternative texts."""
    reader = _reader(pdf)
    root = reader.trailer["/Root"]
    kinds: list[str] = []
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if isinstance(node, pypdf.generic.IndirectObject) else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if "/S" in node:
                kinds.append(str(node["/S"]))
                if node["/S"] == "/Figure" and "/Alt" in node:
                    alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    return root, kinds, alts


def test_the_default_pdf_is_tagged_with_its_language_headings_tables_and_chart_texts(
    demo_pdf: bytes, tmp_path: Path
) -> None:
    """PDF/UA-1: tagged, /Lang en, headings and tables in the structure tree, each chart with a text alternative."""
    root, kinds, alts = _structure(demo_pdf)
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    for kind in ("/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/Caption"):
        assert kind in kinds, kind
    assert len(alts) == 2
    assert alts[0].startswith("Bar chart of the 32 reports per month")
    assert alts[1].startswith("Horizontal bars of the risk that each of 10 references hurts you")
    if shutil.which("pdfinfo") is not None:
        path = tmp_path / "r.pdf"
        path.write_bytes(demo_pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info


def test_layout_blocks_are_lists_and_every_header_cell_has_a_scope(demo: Registry) -> None:
    """The cover's contents and "What to do now" are lists (/L), not tables; every /TH carries /Scope:
    /Column in a header row, /Row beside its value (the settings appendix)."""
    reader = _reader(_pdf(demo, with_settings=True))
    first_two = {reader.pages[0].indirect_reference.idnum, reader.pages[1].indirect_reference.idnum}
    scopes: set[str] = set()
    early: list[str] = []  # what the first two pages (cover, summary) hold, by structure type

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if node.get("/S") == "/TH":
                scopes.add(str(node["/A"]["/Scope"]))
            if "/S" in node and "/Pg" in node and node.raw_get("/Pg").idnum in first_two:
                early.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert scopes == {"/Column", "/Row"}
    assert "/L" in early and "/LI" in early
    assert "/Table" not in early


def test_pdfua_check_finds_no_errors(demo: Registry, tmp_path: Path) -> None:
    """The pdfua checker from PyPI (the machine-checkable part of PDF/UA-1) finds nothing in the default
    report, settings appendix included; the archival pdf/a-3u, tagged too, has no error (it declares PDF/A,
    not PDF/UA: one warning)."""
    pytest.importorskip("pdfua")
    for variant, errors, warnings in (("pdf/ua-1", 0, 0), ("pdf/a-3u", 0, 1)):
        path = tmp_path / f"{variant.replace('/', '-')}.pdf"
        path.write_bytes(_pdf(demo, variant, with_settings=True))
        result = subprocess.run(
            [sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        summary = json.loads(result.stdout)["summary"]
        assert (summary["errors"], summary["warnings"]) == (errors, warnings), result.stdout


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u", "plain"])
def test_every_variant_is_byte_reproducible(variant: str) -> None:
    """The same context gives the same bytes in every variant; PDF/UA and PDF/A are tagged, PDF/A has an
    output intent."""
    small = _hostile_registry()
    first, second = _pdf(small, variant), _pdf(small, variant)
    assert first == second
    root, kinds, _ = _structure(first)
    assert bool(kinds) is (variant != "plain")
    assert ("/OutputIntents" in root) is (variant == "pdf/a-3u")


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u"])
def test_objects_serialised_once_write_the_same_bytes(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfwrite keeps each object's bytes instead of serialising it again for the identifier's hash:
    the file is byte for byte what pydyf writes without that, identifier included."""
    from refaudit.report import pdfwrite

    small = _hostile_registry()
    kept = _pdf(small, variant)
    monkeypatch.setattr(pdfwrite, "serialise_once", lambda pdf: None)
    assert _pdf(small, variant) == kept
    assert re.search(rb"/ID\s*\[", kept)  # the identifier is still written


def _flate_streams(pdf: bytes) -> list[bytes]:
    """Every Flate-compressed stream of ``pdf`` as stored (pydyf writes ``/Length`` last), but the
    cross-reference stream, which holds the objects' offsets."""
    found = []
    for match in re.finditer(rb"/Filter /FlateDecode ?/Length (\d+)>>\nstream\n", pdf):
        if b"/Type /XRef" not in pdf[pdf.rfind(b"<<", 0, match.start()) : match.start()]:
            found.append(pdf[match.end() : match.end() + int(match.group(1))])
    return found


def test_streams_are_compressed_at_zlibs_default_level_with_the_same_content(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pydyf compresses at level 9; the report asks for zlib's default (6) while it writes:
    every stream holds the same bytes once inflated, the file is written as before otherwise,
    and pydyf is left as it was."""
    import zlib

    import pydyf

    from refaudit.report import pdfwrite

    small = _hostile_registry()
    fast = _pdf(small)
    monkeypatch.setattr(pdfwrite, "default_compression", contextlib.nullcontext)
    slow = _pdf(small)
    fast_streams, slow_streams = _flate_streams(fast), _flate_streams(slow)
    assert len(fast_streams) == len(slow_streams) > 10  # pages, fonts, the tags' object streams
    assert [zlib.decompress(s) for s in fast_streams] == [zlib.decompress(s) for s in slow_streams]
    assert {s[:2] for s in fast_streams} == {b"x\x9c"}  # zlib's header: the default level
    assert {s[:2] for s in slow_streams} == {b"x\xda"}  # pydyf's own: level 9
    assert _text(fast) == _text(slow)
    assert vars(pydyf)["zlib"] is zlib


def test_default_compression_puts_pydyf_back_after_an_error() -> None:
    import zlib

    import pydyf

    from refaudit.report import pdfwrite

    with pytest.raises(RuntimeError, match="layout failed"), pdfwrite.default_compression():
        assert vars(pydyf)["zlib"] is not zlib
        raise RuntimeError("layout failed")
    assert vars(pydyf)["zlib"] is zlib


def test_tinyhtml5s_cache_hits_while_the_report_is_parsed(demo: Registry) -> None:
    """tinyhtml5 files each pattern of ``chars_until`` under the wrong key, so its cache never
    hits (report/upstream.py). While the report is parsed it does, the tree is the same, and
    tinyhtml5's own dict is back afterwards."""
    from xml.etree import ElementTree

    import tinyhtml5
    from tinyhtml5 import inputstream

    from refaudit.report import upstream

    html = render.render_html(_contents(demo))
    own = inputstream.characters_until_regex
    as_tinyhtml5_parses = ElementTree.tostring(tinyhtml5.parse(html, namespace_html_elements=False))
    with upstream.tinyhtml5_cache():
        assert inputstream.characters_until_regex is not own
        first = ElementTree.tostring(tinyhtml5.parse(html, namespace_html_elements=False))
        kept = dict(upstream._CACHE)
        assert kept and all(not isinstance(characters, re.Pattern) for characters, _ in kept)
        tinyhtml5.parse(html, namespace_html_elements=False)
        assert dict(upstream._CACHE) == kept  # the second parse found every pattern
    assert first == as_tinyhtml5_parses
    assert inputstream.characters_until_regex is own


def test_an_unknown_variant_or_paper_is_refused(demo: Registry) -> None:
    """The renderer takes only the variants and papers it knows (never free text into CSS)."""
    contents = _contents(demo)
    with pytest.raises(
        RefauditError, match=re.escape("PDF variant 'pdf/x-4' is not one of: pdf/ua-1, pdf/a-3u, plain.")
    ):
        render.render_pdf(contents, "pdf/x-4")
    with pytest.raises(RefauditError, match=re.escape("paper size '} body { color: red' is not one of")):
        render.render_html({**contents, "paper": "} body { color: red"})


# --- anonymity ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def anonymous_pdf(demo: Registry) -> bytes:
    return _pdf(demo, anonymous=True)


def _identifying(registry: Registry) -> set[str]:
    """Every name part, email, phone, organisation, title, employer and agency in the registry."""
    found: set[str] = set()
    for ref in registry.references:
        found.update(report.redact.name_words(ref.name))
        found.update(v for v in (ref.email, ref.phone, ref.organization, ref.title) if v)
    if registry.owner:
        # "the candidate" is what the anonymous copy calls the owner.
        found.update(w for w in report.redact.name_words(registry.owner) if w.casefold() != "candidate")
    # Reporters are described in free text ("Sam at Hays", "A former Woodgrove colleague"):
    # their capitalised words name someone or somewhere.
    roles = {"a", "hr"} | {w.casefold() for app in registry.applications for w in app.company.split()}
    for fb in registry.feedback:
        if fb.reporter:
            words = report.redact.name_words(report.redact.reporter_person(fb.reporter))
            found.update(w for w in words if w[:1].isupper() and w.casefold() not in roles)
    for app in registry.applications:
        found.update(v for v in (app.company, app.via) if v)
    return {s for s in found if len(s) >= 2}


def test_an_anonymous_copy_names_nobody(demo: Registry, anonymous_pdf: bytes, tmp_path: Path) -> None:
    """Scan the extracted text and the decompressed PDF for everything that could identify someone."""
    haystacks = {"pypdf": _everything(anonymous_pdf), "pdftotext": _pdftotext(anonymous_pdf, tmp_path)}
    if shutil.which("qpdf") is not None:
        path = tmp_path / "a.pdf"
        path.write_bytes(anonymous_pdf)
        qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(path), "-"], capture_output=True)
        haystacks["qpdf"] = qdf.stdout.decode("latin-1")
    folded = {k: fold(" ".join(v.split())) for k, v in haystacks.items()}
    for secret in sorted(_identifying(demo)):
        pattern = re.compile(rf"(?<!\w){re.escape(fold(secret))}(?!\w)")
        for where, text in folded.items():
            match = pattern.search(text)
            assert match is None, f"{secret!r} in {where}: …{text[max(0, match.start() - 60) : match.end() + 60]}…"


def test_an_anonymous_copy_says_reference_a_employer_1_and_who_by_role(anonymous_pdf: bytes) -> None:
    """References by letter in table order, employers by number, reporters by role, the owner as the candidate."""
    text = _text(anonymous_pdf)
    assert "Reference A and Reference B are hurting your applications." in text
    assert "Anonymous copy" in text
    assert "recruiter: a recruiter" in text
    assert "Employer 1" in text
    assert "The references of the candidate" in text
    meta = _reader(anonymous_pdf).metadata
    assert meta is not None and "/Author" not in meta and meta["/Title"] == "Reference audit"


def test_redacted_initials_skip_honorifics(redacted_pdf: bytes) -> None:
    """Dr Helen Park is "H. P.", never "D. P."."""
    text = _text(redacted_pdf)
    assert "H. P." in text
    assert "D. P." not in text


def test_no_shell_command_line_in_a_redacted_copy(demo_pdf: bytes, redacted_pdf: bytes, anonymous_pdf: bytes) -> None:
    """Command lines name people by id: they stay out of a shared copy."""
    assert "$ refaudit" in _text(demo_pdf)
    for shared in (redacted_pdf, anonymous_pdf):
        assert "refaudit ref" not in _text(shared)
        assert "$ refaudit" not in _text(shared)


def test_a_section_that_runs_onto_a_new_page_says_continued_in_its_header(
    demo: Registry, demo_pdf: bytes, tmp_path: Path
) -> None:
    """The running header names what the top of the page belongs to: "N. Name (continued)" when a reference's
    section began on an earlier page, the new reference's name when its section starts the page (issue 22)."""
    names = {r.name for r in demo.references}
    last_heading = None
    continued = 0
    for page in range(2, len(_reader(demo_pdf).pages) + 1):
        lines = [line for line in _pdftotext(demo_pdf, tmp_path, "-f", str(page), "-l", str(page)).splitlines() if line]
        header, body = lines[1], lines[2:]
        headings = [line for line in body if line.split(". ", 1)[-1] in names and line.split(". ", 1)[0].isdigit()]
        if body and body[0] in headings:
            assert header == body[0], page
        elif header.endswith(" (continued)"):
            continued += 1
            assert header == f"{last_heading} (continued)", page
        if headings:
            last_heading = headings[-1]
    assert continued >= 2


def test_the_template_loses_only_its_own_whitespace_beside_block_tags() -> None:
    """Indentation between block tags and template statements goes; inline spacing and the text
    filled in later stay (whitespace in a pre-wrap note is printed)."""
    source = (
        '<ul class="said">\n  {%- for g in items %}\n  <li class="user"><b>{{ g.a }}</b>:'
        ' {{ g.b }}{{ "\\n" }}<span class="where">{{ g.c }}</span></li>\n  {%- endfor %}\n</ul>\n'
        '<p class="totals">\n  {{ n }} references\n</p>\n<span class="a">x</span>\n<span>y</span>'
    )
    assert render.compact_template(source) == (
        '<ul class="said">{%- for g in items %}<li class="user"><b>{{ g.a }}</b>:'
        ' {{ g.b }}{{ "\\n" }}<span class="where">{{ g.c }}</span></li>{%- endfor %}</ul>'
        '<p class="totals">\n  {{ n }} references\n</p><span class="a">x</span>\n<span>y</span>'
    )


def test_user_text_keeps_its_line_breaks_and_spaces_in_the_html() -> None:
    registry = build_demo(AS_OF)
    note = "\n  first line\n\n  indented after a blank line\n"
    registry.references[0].notes = note
    html = render.render_document_html(_contents(registry))
    assert f'<div class="notes user">{note}</div>' in html
