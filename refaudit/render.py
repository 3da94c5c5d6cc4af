"""Render the report's context to PDF or to one self-contained HTML file.

The only module that imports Jinja2 and WeasyPrint, and only inside the functions that
render, so that ``refaudit --help`` stays fast. What keeps hostile text harmless:

- autoescape is on for every template (``select_autoescape()`` would miss ``.html.j2``);
- the templates put user text only in element content (see the template's header);
- WeasyPrint fetches through ``assets_fetcher()``, which serves files under the bundled
  ``templates/report/`` folder and refuses everything else: other files, the network,
  ``data:`` URLs, redirects. Attachments go through it too.

The PDF is byte-reproducible: its dates are the as-of date, its identifier is a digest of
the document, and ``SOURCE_DATE_EPOCH`` pins the timestamps of the embedded font subsets.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from refaudit import assets
from refaudit.errors import RefauditError
from refaudit.report import ReportSettings

TEMPLATE = "report.html.j2"
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


@cache
def _fetcher_class() -> type[Any]:
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


def _environment(root: Path) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def render_html(context: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """The report as one self-contained HTML file: CSS inlined, the bundled fonts left out."""
    import markupsafe

    root = report_dir()
    css = (root / "report.css").read_text(encoding="utf-8")
    paper = ReportSettings.from_settings(settings).paper
    inline = markupsafe.Markup(f"{_page_css(paper)}\n{css}")
    return str(_environment(root).get_template(TEMPLATE).render(**context, inline_css=inline))


def render_pdf(context: Mapping[str, Any], settings: Mapping[str, Any]) -> bytes:
    """The report as PDF bytes; the same context always gives the same bytes."""
    import weasyprint

    root = report_dir()
    paper = ReportSettings.from_settings(settings).paper
    html = _environment(root).get_template(TEMPLATE).render(**context, inline_css=None)
    fetcher = assets_fetcher(root)
    meta = context["metadata"]
    created = date.fromisoformat(meta["created"])
    with _source_date_epoch(created):
        document = weasyprint.HTML(string=html, base_url=str(root) + os.sep, url_fetcher=fetcher).render(
            stylesheets=[weasyprint.CSS(string=_page_css(paper), url_fetcher=fetcher)]
        )
        # Metadata is set here rather than in <meta> attributes: user text stays out of attributes.
        info = document.metadata
        info.title = meta["title"]
        info.description = meta["subject"]
        info.authors = [meta["author"]] if meta.get("author") else []
        info.keywords = list(meta["keywords"])
        info.generator = meta["generator"]
        info.created = info.modified = created.isoformat()
        info.attachments = []
        identifier = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()[:32].encode()
        pdf = document.write_pdf(pdf_identifier=identifier, attachments=[])
    if not isinstance(pdf, bytes):
        raise RefauditError("the PDF renderer returned nothing.")
    return pdf


def _page_css(paper: str) -> str:
    # ``paper`` is one of ReportSettings.PAPERS, never free text.
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
