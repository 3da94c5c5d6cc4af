"""Fail closed: a redacted or anonymous output is searched for every identity before it is written.

The redactor (``report.redact``) takes people out of each string it is handed; the gate
checks that nothing identifying reached the output anyway — a string that bypassed the
redactor, a form of a name the redactor missed. It searches, with the same identity
lexicon (``refaudit.lexicon``):

- the HTML handed to WeasyPrint (or written as the HTML report): every text node and every
  attribute value, but the stylesheet (WeasyPrint builds the PDF's outline, tags and alt
  texts from these);
- the strings written to the PDF's metadata (title, subject, author, keywords);
- every text property of a redacted calendar.

If any entry survives, nothing is written: ``LeakError`` (exit 1) names the kind of field
that leaked (a name, a phone…) and where, never its value.

refaudit's own words are not the registry's: an entry made only of words of refaudit's report
(its templates and the string literals of the modules that word it: a reference called
"Summary", a reporter described as "the reference-check service") is not a leak where the
report uses them. Every other entry — names, emails, phones, names in scripts without
spaces — is checked everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Any

from refaudit import assets
from refaudit.errors import RefauditError
from refaudit.lexicon import Lexicon, folded, leaks

_KINDS = {
    "name": "a person's name",
    "reporter": "the name of someone who relayed a report",
    "email": "an email address",
    "phone": "a phone number",
    "link": "a link to someone's profile",
    "id": "a reference's id",
    "organisation": "an organisation",
    "company": "an employer",
    "agency": "an agency",
    "title": "a job title",
}
# The modules whose sentences end up in a report or calendar (besides the templates).
_WORDING_MODULES = ("audit", "actions", "asof", "ical", "report")


class LeakError(RefauditError):
    """A redacted output still held something that identifies a person; nothing was written."""


def check(lexicon: Lexicon, texts: Iterable[tuple[str, str]], what: str) -> None:
    """Raise ``LeakError`` when any ``(where, text)`` holds a lexicon entry (refaudit's own words aside)."""
    allowed = own_words()
    for where, text in texts:
        for hit in leaks(lexicon, [text], allowed=allowed):
            kind = _KINDS.get(hit.entry.kind, "something that identifies a person")
            raise LeakError(
                f"{what} was not written: {kind} survived the redaction, in {where}. "
                "This is a bug in refaudit; please report it (without the data)."
            )


def html_texts(html: str) -> list[tuple[str, str]]:
    """Every text node and attribute value of ``html``, with where it is (the stylesheet left out)."""
    parser = _Texts()
    parser.feed(html)
    parser.close()
    return parser.found


def metadata_texts(metadata: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The strings the PDF's document information gets (``render._render_pdf`` writes these)."""
    for key in ("title", "subject", "author"):
        if metadata.get(key):
            yield f"the PDF's {key}", str(metadata[key])
    for keyword in metadata.get("keywords") or ():
        yield "the PDF's keywords", str(keyword)


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if value:
                self.found.append((f"an attribute ({name}) of <{tag}>", value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value:
                self.found.append((f"an attribute ({name}) of <{tag}>", value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.found.append(("the text", data))


@cache
def own_words() -> frozenset[str]:
    """The folded words of refaudit's own report: its templates (comments aside) and the string constants
    of the modules that word it (docstrings aside: they hold example names), read from the loaded code."""
    import importlib
    import sys

    texts: list[str] = []
    for path in sorted((assets.templates_dir() / "report").rglob("*")):
        if path.suffix in (".j2", ".html"):
            texts += _template_words(_read(path))
    for name in _WORDING_MODULES:
        importlib.import_module(f"refaudit.{name}")
    prefixes = tuple(f"refaudit.{name}" for name in _WORDING_MODULES)
    for module_name, module in sorted(sys.modules.items()):
        if module_name.startswith(prefixes) and module_name.partition(".")[0] == "refaudit":
            texts += _module_strings(module)
    from refaudit import model, parts

    for values in (model.RELATIONSHIPS, model.REFERENCE_STATUSES, model.STAGES, model.OUTCOMES, model.SENTIMENTS,
                   model.FEEDBACK_SOURCES, model.CERTAINTIES, model.REASON_KINDS, parts.TIMELINE_EVENTS):  # fmt: skip
        texts += values
    return frozenset(w for text in texts for w in re.findall(r"\w+", folded(text)))


_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_JINJA_CODE = re.compile(r"\{[{%].*?[%}]\}", re.DOTALL)
_QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_TAG = re.compile(r"<[^>]*>")


def _template_words(source: str) -> list[str]:
    """What a template prints itself: its text outside tags and code, the attribute values of its tags
    (class names), and the strings quoted in its code; not the names of its tags (``li``, ``td``)."""
    source = _JINJA_COMMENT.sub(" ", source)
    quoted = [a or b for code in _JINJA_CODE.findall(source) for a, b in _QUOTED.findall(code)]
    code_free = _JINJA_CODE.sub(" ", source)
    attributes = [a or b for tag in _TAG.findall(code_free) for a, b in _QUOTED.findall(tag)]
    return [_TAG.sub(" ", code_free), *quoted, *attributes]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _module_strings(module: ModuleType) -> list[str]:
    """The string constants in a module's code and data, docstrings left out (they hold example names)."""
    found: list[str] = []
    docs: set[str] = {module.__doc__ or ""}

    def code(obj: CodeType) -> None:
        for const in obj.co_consts:
            if isinstance(const, CodeType):
                code(const)
            else:
                data(const)

    def data(value: object, depth: int = 0) -> None:
        if isinstance(value, str):
            found.append(value)
        elif depth < 4 and isinstance(value, tuple | list | set | frozenset):
            for item in value:
                data(item, depth + 1)
        elif depth < 4 and isinstance(value, dict):
            for key, item in value.items():
                data(key, depth + 1)
                data(item, depth + 1)

    def function(value: object) -> None:
        func = getattr(value, "__func__", value)
        if isinstance(func, FunctionType) and func.__module__ == module.__name__:
            docs.add(func.__doc__ or "")
            code(func.__code__)

    for value in list(vars(module).values()):
        if isinstance(value, type) and value.__module__ == module.__name__:
            docs.add(value.__doc__ or "")
            for attr in vars(value).values():
                function(attr.fget if isinstance(attr, property) else attr)
        elif isinstance(value, FunctionType):
            function(value)
        elif not isinstance(value, ModuleType):
            data(value)
    return [text for text in found if text not in docs]


__all__ = ["LeakError", "check", "html_texts", "metadata_texts", "own_words"]
