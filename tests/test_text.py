"""Text as people type it: folding, ids from names, and the one list of characters that can make text lie."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from refaudit.checks import check_text
from refaudit.errors import ValidationError
from refaudit.printable import safe
from refaudit.text import DANGEROUS_RE, JOINERS, fold, name_slug, slugify, transliterate, without_honorifics
from tests.conftest import Runner

# One of each kind the list holds: C0, DEL, C1, the Arabic letter mark, the directional marks,
# a bidi override, an isolate, and a lone surrogate (a byte that was not UTF-8).
DANGEROUS_SAMPLES = ["\x00", "\x1b", "\x7f", "\x85", "\u061c", "\u200e", "\u200f", "\u202e", "\u2067", "\udc80"]


def test_fold_transliterate_and_slugs() -> None:
    """Matching forms drop case and accents; ids come from names without titles, in ASCII."""
    assert fold("JOSÉ Ñúñez") == "jose nunez"
    assert transliterate("李娜") == "Li Na"
    assert without_honorifics("Dr. Ingrid Olsen") == "Ingrid Olsen"
    assert without_honorifics("Dr.") == "Dr."
    assert name_slug("Dr. Ingrid Olsen") == "ingrid-olsen"
    assert slugify("José Ñúñez") == "jose-nunez"
    assert slugify("!!!") == ""


@pytest.mark.parametrize("char", DANGEROUS_SAMPLES, ids=[f"U+{ord(c):04X}" for c in DANGEROUS_SAMPLES])
def test_what_output_escapes_input_refuses(char: str) -> None:
    """One list: a character ``safe`` escapes on output is refused in one-line and multi-line fields alike."""
    assert char not in safe(f"a{char}b")
    for multiline in (False, True):
        with pytest.raises(ValidationError, match=f"Name contains the control character U\\+{ord(char):04X}; "):
            check_text("Name", f"a{char}b", multiline=multiline)


def test_every_character_of_the_list_is_escaped_and_refused() -> None:
    """Across the whole code space: escaped on output exactly when refused in a multi-line field
    (line breaks and tabs aside, which a multi-line field keeps)."""
    for code in range(0x110000):
        char = chr(code)
        escaped = bool(DANGEROUS_RE.fullmatch(char))
        if char in "\t\n\r":
            continue
        try:
            check_text("Note", f"a{char}b", multiline=True, max_len=10)
            refused = False
        except ValidationError:
            refused = True
        assert escaped == refused, f"U+{code:04X}"


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\u2028", "Name contains the line separator U+2028; keep it on one line."),
        ("\u2029", "Name contains the line separator U+2029; keep it on one line."),
        ("\u200b", "Name contains the invisible format character U+200B; use plain text."),
        ("\ufeff", "Name contains the invisible format character U+FEFF; use plain text."),
        ("\u00ad", "Name contains the invisible format character U+00AD; use plain text."),
        ("\u2060", "Name contains the invisible format character U+2060; use plain text."),
        ("\U000e0041", "Name contains the invisible format character U+E0041; use plain text."),
    ],
    ids=["line-separator", "paragraph-separator", "zero-width-space", "bom", "soft-hyphen", "word-joiner", "tag-a"],
)
def test_one_line_fields_refuse_separators_and_format_characters(char: str, message: str) -> None:
    """A one-line field refuses U+2028, U+2029 and every format character but the joiners, naming the code point."""
    with pytest.raises(ValidationError) as caught:
        check_text("Name", f"Jane{char}Doe")
    assert str(caught.value) == message


def test_every_format_character_but_the_joiners_is_refused_on_one_line() -> None:
    """Category Cf, whole: refused on one line; ZWNJ and ZWJ (Persian, Devanagari, emoji) are kept."""
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) != "Cf":
            continue
        if char in JOINERS:
            assert check_text("Name", f"a{char}b") == f"a{char}b"
        else:
            with pytest.raises(ValidationError, match=f"U\\+{code:04X}"):
                check_text("Name", f"a{char}b")


def test_joiners_are_kept_in_names() -> None:
    """The zero-width non-joiner and joiner are part of how some names are written."""
    assert check_text("Name", "می\u200cخواهم") == "می\u200cخواهم"
    assert check_text("Name", "👩\u200d💻 Ana") == "👩\u200d💻 Ana"


def test_multi_line_fields_turn_separators_into_newlines() -> None:
    """In a note or a quote, U+2028 and U+2029 are line breaks, like CRLF and CR."""
    assert check_text("Note", "one\u2028two\u2029three\r\nfour\rfive", multiline=True) == "one\ntwo\nthree\nfour\nfive"
    assert (
        check_text("Note", "soft\u00adhyphen and zero\u200bwidth", multiline=True)
        == "soft\u00adhyphen and zero\u200bwidth"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ref", "add", "Jane\u2028Doe"], "Error: Name contains the line separator U+2028; keep it on one line.\n"),
        (["ref", "add", "Jane\u200fDoe"], "Error: Name contains the control character U+200F; use plain text.\n"),
        (["ref", "add", "Jane", "--org", "Acme\u061c"],
         "Error: Organization contains the control character U+061C; use plain text.\n"),
        (["ref", "add", "Jane", "--org", "Ac\ufeffme"],
         "Error: Organization contains the invisible format character U+FEFF; use plain text.\n"),
        (["ref", "add", "Jane", "--note", "a\u200eb"],
         "Error: Note contains the control character U+200E; use plain text (line breaks and tabs are fine).\n"),
    ],
    ids=["line-separator-in-name", "rlm-in-name", "alm-in-org", "bom-in-org", "lrm-in-note"],
)  # fmt: skip
def test_hostile_characters_are_refused_on_the_command_line(
    runner: Runner, registry: Path, args: list[str], message: str
) -> None:
    """Exit 1 naming the field and the code point; the registry is left byte for byte as it was."""
    before = registry.read_bytes()
    result = runner(*args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert registry.read_bytes() == before


def test_a_line_separator_in_a_note_is_stored_as_a_newline(runner: Runner, registry: Path) -> None:
    """``ref add --note`` with U+2028 keeps two lines."""
    runner.ok("ref", "add", "Jane Doe", "--note", "first\u2028second")
    shown = json.loads(runner.ok("ref", "show", "jane", "--json").stdout)
    assert shown["notes"] == "first\nsecond"


def test_a_registry_holding_what_input_now_refuses_still_opens_and_saves(runner: Runner, registry_path: Path) -> None:
    """Older registries keep opening: text stored before the stricter rule is read and saved by the rule it
    was written under (docs/SPEC.md); only what is typed now is held to the new one."""
    from refaudit.model import Reference, Registry
    from tests.test_drafts import write

    old_name, old_note = "Dana\u200bLee\u200f", "first\u200esecond"
    write(registry_path, Registry(references=[Reference(id="dana", name=old_name, notes=old_note)]))
    shown = json.loads(runner.ok("ref", "show", "dana", "--json").stdout)
    assert (shown["name"], shown["notes"]) == (old_name, old_note)
    runner.ok("ref", "add", "Jane Doe")  # a save re-checks the whole registry
    assert [r["id"] for r in json.loads(runner.ok("ref", "list", "--json").stdout)] == ["dana", "jane-doe"]
    before = registry_path.read_bytes()
    refused = runner("ref", "edit", "dana", "--name", old_name)
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: Name contains the control character U+200F; use plain text.\n",
    )
    assert registry_path.read_bytes() == before
