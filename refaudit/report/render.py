"""Render the report's contents to PDF or to one self-contained HTML file.

The only module that imports WeasyPrint, and the only one that imports Jinja2 for the report
(``refaudit.messages`` imports it too, sandboxed, for the drafts' message templates), both only
inside the functions that render, so that ``refaudit --help`` stays fast. What keeps hostile
text harmless:

- autoescape is on for every template (``select_autoescape()`` would miss ``.html.j2``);
- the templates put user text only in element content (see the template's header);
- WeasyPrint fetches through ``assets_fetcher()``, which serves files under the bundled
  ``templates/report/`` folder and refuses everything else: other files, the network,
  ``data:`` URLs, redirects. Attachments go through it too.

The PDF is byte-reproducible in every variant: its dates are the as-of date, its identifier
is a digest of the document, and ``SOURCE_DATE_EPOCH`` pins the timestamps of the embedded
font subsets. It is tagged for accessibility (PDF/UA-1, with the document language; table
headers get their ``/Scope`` from ``report.pdftags``, through ``report.pdfwrite``'s
finisher); ``pdf/a-3u`` (archiving) keeps the tags too; only ``plain`` has none.

Speed and memory: ``pdf_worker()`` starts a child process that imports WeasyPrint while
the command is still unlocking and auditing the registry (on two cores, at the same time),
then lays the PDF out there, so that the layout's memory (hundreds of MB for a big
registry) is returned when the child ends and never piles up on the registry's in one
process. The child reports each page laid out, for a progress line on a terminal.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from refaudit import assets
from refaudit.errors import RefauditError
from refaudit.report import pdfwrite, upstream
from refaudit.report.settings import PAPERS

TEMPLATE = "report.html.j2"
# --pdf-variant -> WeasyPrint's pdf_variant; the first is the default.
PDF_VARIANTS = {"pdf/ua-1": "pdf/ua-1", "pdf/a-3u": "pdf/a-3u", "plain": None}
DEFAULT_VARIANT = "pdf/ua-1"
CONTENT_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def report_dir() -> Path:
    """The bundled report assets: templates, CSS and fonts."""
    return (assets.templates_dir() / "report").resolve()


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not a bundled asset."""


Progress = Callable[[int], None]  # called with the number of the page just laid out


def _import_weasyprint() -> Any:
    """``import weasyprint``, about 0.25 s faster on Linux.

    WeasyPrint tries several spellings of each C library's name; for each one that does not
    load, cffi asks ``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and a
    compiler in subprocesses, only to find nothing. The spellings that load on Linux are
    plain ``lib*.so.N`` names that ``dlopen`` resolves itself, so the search is skipped there.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = search
    return weasyprint


@cache
def _fetcher_class() -> type[Any]:
    _import_weasyprint()
    import weasyprint

    class AssetsOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # untyped base
        """Serves regular files under ``root`` (after resolving symlinks and ``..``); refuses the rest."""

        def __init__(self, root: Path) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
            self.root = root.resolve()

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            path = self.resolve(url)
            return weasyprint.urls.URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": CONTENT_TYPES[path.suffix.lower()]}
            )

        def resolve(self, url: str) -> Path:
            shown = url if len(url) <= 80 else url[:77] + "..."
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"the report fetches only its bundled assets, not {shown!r}")
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise FetchRefused(f"{shown!r} is not one of the report's bundled assets")
            if path.suffix.lower() not in CONTENT_TYPES:
                raise FetchRefused(f"{shown!r} is not a kind of file the report uses")
            return path

    return AssetsOnlyFetcher


def assets_fetcher(root: Path | None = None) -> Any:
    """A ``weasyprint.URLFetcher`` that serves only the files under ``root`` (the report assets)."""
    return _fetcher_class()(root or report_dir())


# Tags whose boxes are blocks, table parts or SVG shapes in the report: the template's own
# indentation next to them lays out as nothing, but WeasyPrint still parses it and makes boxes of it.
_BLOCK_TAGS = (
    "html|head|body|meta|link|title|style|section|article|div|p|ul|ol|li|h1|h2|h3|figure|figcaption"
    "|table|colgroup|col|thead|tbody|tr|th|td|svg|defs|pattern|line|rect|text"
)
_AFTER_BLOCK_TAG = re.compile(rf"(</?(?:{_BLOCK_TAGS})\b[^<>]*>)[ \t]*\n\s*(?=<|\{{[%#])")
_BEFORE_BLOCK_TAG = re.compile(rf"(>|[%#]\}})[ \t]*\n\s*(?=</?(?:{_BLOCK_TAGS})\b)")


def compact_template(source: str) -> str:
    """The template's source without the line breaks and indentation beside block-level tags.

    Only the template's own text changes (what is filled in later, user text included, is
    untouched), and only whitespace with a line break in it, right after a block tag's ``>``
    before another tag or template statement, or right before a block tag. Such whitespace
    collapses to nothing on the page (no ``pre-wrap`` element of the report starts or ends
    with a line break of the template), so the page looks the same; WeasyPrint has about a
    tenth fewer characters to parse and fewer empty text boxes to make and drop.
    """
    source = _AFTER_BLOCK_TAG.sub(r"\1", source)
    return _BEFORE_BLOCK_TAG.sub(r"\1", source)


@cache
def _environment(root: Path) -> Any:
    """One Jinja environment per template folder, kept: it compiles each template once (about
    0.15 s for the report's three) and recompiles only a file that changed on disk. The
    templates are read through ``compact_template``."""
    import jinja2

    class CompactLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            return compact_template(source), filename, uptodate

    return jinja2.Environment(
        loader=CompactLoader(str(root)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def render_html(contents: Mapping[str, Any]) -> str:
    """The report as one self-contained HTML file: CSS inlined, the bundled fonts left out."""
    import markupsafe

    root = report_dir()
    css = (root / "report.css").read_text(encoding="utf-8")
    inline = markupsafe.Markup(f"{_page_css(contents['paper'])}\n{css}")
    return str(_environment(root).get_template(TEMPLATE).render(**contents, inline_css=inline))


def render_pdf(contents: Mapping[str, Any], variant: str = DEFAULT_VARIANT, progress: Progress | None = None) -> bytes:
    """The report as PDF bytes; the same contents and variant always give the same bytes.

    Inside ``with pdf_worker():`` the rendering happens in the worker process.
    """
    if variant not in PDF_VARIANTS:
        raise RefauditError(f"PDF variant {variant!r} is not one of: {', '.join(PDF_VARIANTS)}.")
    if _worker is not None:
        return _worker.render(contents, variant, progress)
    return _render_pdf(contents, variant, progress)


def render_document_html(contents: Mapping[str, Any]) -> str:
    """The HTML that ``render_pdf`` lays out (the benchmark lays it out with WeasyPrint alone)."""
    return str(_environment(report_dir()).get_template(TEMPLATE).render(**contents, inline_css=None))


def _render_pdf(contents: Mapping[str, Any], variant: str, progress: Progress | None) -> bytes:
    weasyprint = _import_weasyprint()
    root = report_dir()
    paper = contents["paper"]
    html = render_document_html(contents)
    fetcher = assets_fetcher(root)
    meta = contents["metadata"]
    created = date.fromisoformat(meta["created"])
    with _source_date_epoch(created), _pages_reported(progress), _older_objects_collected_later():
        with upstream.tinyhtml5_cache():  # tinyhtml5 parses the HTML here
            source = weasyprint.HTML(string=html, base_url=str(root) + os.sep, url_fetcher=fetcher)
        document = source.render(stylesheets=[weasyprint.CSS(string=_page_css(paper), url_fetcher=fetcher)])
        # Metadata is set here rather than in <meta> attributes: user text stays out of attributes.
        info = document.metadata
        info.title = meta["title"]
        info.description = meta["subject"]
        info.authors = [meta["author"]] if meta.get("author") else []
        info.keywords = list(meta["keywords"])
        info.generator = meta["generator"]
        info.created = info.modified = created.isoformat()
        info.lang = meta.get("lang", "en")
        info.attachments = []
        digest = hashlib.sha256(html.encode("utf-8", "surrogatepass"))
        digest.update(variant.encode())
        identifier = digest.hexdigest()[:32].encode()
        with pdfwrite.default_compression():
            pdf = document.write_pdf(
                pdf_identifier=identifier,
                attachments=[],
                pdf_variant=PDF_VARIANTS[variant],
                pdf_tags=variant != "plain",  # the archival pdf/a-3u keeps the tags too
                finisher=pdfwrite.finish,  # header scopes; each object serialised once
            )
    if not isinstance(pdf, bytes):
        raise RefauditError("the PDF renderer returned nothing.")
    return pdf


@contextlib.contextmanager
def _older_objects_collected_later() -> Iterator[None]:
    """Python's cyclic garbage collector, less eager about older objects while WeasyPrint works.

    Layout makes hundreds of thousands of small objects (styles, boxes) that live until the PDF
    is written. With the default thresholds the collector walks every one of them again in
    full collections: three for the demo report, about a tenth of its time. Young objects are
    still collected, after 5,000 new objects rather than 700; the older generations are examined
    ten times less often. The thresholds are restored afterwards.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, 5000), max(middle, 100), max(old, 100))
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


@contextlib.contextmanager
def _pages_reported(progress: Progress | None) -> Iterator[None]:
    """Call ``progress(n)`` as WeasyPrint lays out page n (it logs each page it makes)."""
    if progress is None:
        yield
        return
    import logging

    report = progress

    class _Pages(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            args = record.args
            if record.msg == "Step 5 - Creating layout - Page %d" and isinstance(args, tuple) and args:
                page = args[0]
                if isinstance(page, int):
                    report(page)

    logger = logging.getLogger("weasyprint.progress")
    handler, level = _Pages(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# --- the worker process ------------------------------------------------------------------
#
# Protocol: the child says "ready" on its stdout once it has imported WeasyPrint; the parent
# then writes one pickled (contents, PDF variant) pair to its stdin. On its stdout the
# child writes "page N" lines while laying out, then "pdf LENGTH" and the PDF's bytes, or
# "error LENGTH" and a message. A child that ends before "ready" (it could not import
# refaudit or WeasyPrint) is not an error: the parent renders in process instead. Pickle
# is safe here: both ends are this module, over a pipe that only the parent holds; user
# text is only ever data inside it.

_worker: PdfWorker | None = None


class PdfWorker:
    """A child process that has imported WeasyPrint and waits for one report to render."""

    def __init__(self) -> None:
        # -P: `-m` would otherwise put the current folder first on sys.path, and a
        # refaudit.py (or refaudit/ package) planted there would run and receive the report.
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "refaudit.report.render"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def render(self, contents: Mapping[str, Any], variant: str, progress: Progress | None) -> bytes:
        proc = self.process
        assert proc.stdin is not None and proc.stdout is not None
        if proc.stdout.readline() != b"ready\n":
            self.close()
            return _render_pdf(contents, variant, progress)
        job = (dict(contents), variant)
        try:
            proc.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            proc.stdin.close()
        except OSError as exc:  # the child died before reading: it says why on stderr
            raise RefauditError(f"the PDF renderer could not start ({exc}).") from None
        while True:
            line = proc.stdout.readline()
            if not line:
                raise RefauditError(f"the PDF renderer stopped (exit status {proc.wait()}).")
            word, _, number = line.decode("ascii", "replace").strip().partition(" ")
            if word not in ("page", "pdf", "error") or not number.isdigit():
                proc.kill()
                raise RefauditError(f"the PDF renderer said something unexpected: {line[:80]!r}")
            if word == "page":
                if progress is not None:
                    progress(int(number))
                continue
            body = proc.stdout.read(int(number))
            proc.wait()
            if word == "pdf":
                return body
            raise RefauditError(f"the PDF renderer failed: {body.decode('utf-8', 'replace')}")

    def close(self) -> None:
        """End the child (if it has not ended) and reap it."""
        proc = self.process
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


@contextlib.contextmanager
def pdf_worker() -> Iterator[PdfWorker | None]:
    """Within the block, ``render_pdf`` renders in a child started now (see the module docstring).

    Without a usable interpreter to start (an embedded or frozen Python) it renders in process.
    """
    global _worker
    worker = None
    if sys.executable and not getattr(sys, "frozen", False):
        with contextlib.suppress(OSError):
            worker = PdfWorker()
    before, _worker = _worker, worker
    try:
        yield worker
    finally:
        _worker = before
        if worker is not None:
            worker.close()


def _child_main() -> None:
    """The worker's side: import, wait for the job, render, answer."""
    import signal

    # Ctrl-C reaches the whole process group: the parent handles it and ends this child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    _fetcher_class()  # imports WeasyPrint while the parent builds the contents
    import jinja2  # noqa: F401  # likewise

    out.write(b"ready\n")
    out.flush()
    data = sys.stdin.buffer.read()
    if not data:  # the parent gave up (a wrong passphrase, an error): nothing to do
        return

    def page(n: int) -> None:
        out.write(b"page %d\n" % n)
        out.flush()

    try:
        contents, variant = pickle.loads(data)  # from our parent, see above
        pdf = _render_pdf(contents, variant, page)
    except Exception as exc:  # reported to the parent, which raises it
        message = (str(exc) or type(exc).__name__).encode("utf-8", "replace")
        out.write(b"error %d\n" % len(message) + message)
    else:
        out.write(b"pdf %d\n" % len(pdf) + pdf)
    out.flush()


def _page_css(paper: str) -> str:
    if paper not in PAPERS:  # settled by ReportSettings; never free text in CSS
        raise RefauditError(f"paper size {paper!r} is not one of: {', '.join(PAPERS)}.")
    return f"@page {{ size: {paper}; }}"


@contextlib.contextmanager
def _source_date_epoch(day: date) -> Iterator[None]:
    """Pin ``SOURCE_DATE_EPOCH`` (read by fontTools when it subsets the fonts) while rendering."""
    key = "SOURCE_DATE_EPOCH"
    before = os.environ.get(key)
    os.environ[key] = str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ[key]
        else:
            os.environ[key] = before


if __name__ == "__main__":
    _child_main()
