"""The identity lexicon: what names a person, and where a text says it (redaction and erasure share it).

Each case is one of the red team's leaks (issue 23) or a rule of docs/SPEC.md's third round.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from refaudit import erasure
from refaudit.lexicon import Lexicon, normalise
from refaudit.model import Reference
from tests.conftest import Runner


def found(lex: Lexicon, text: str) -> list[str]:
    return [text[h.start : h.end] for h in lex.find(text)]


def person(name: str, *, phone: str | None = None, email: str | None = None) -> Lexicon:
    lex = Lexicon()
    lex.person(name, "X")
    if phone:
        lex.phone(phone, "[phone]")
    if email:
        lex.email(email, "[email]")
    return lex


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Anna Lee-Smith", "Smith called back", ["Smith"]),
        ("Anna Lee-Smith", "Lee Smith and lee-smith", ["Lee Smith", "lee-smith"]),
        ("李娜", "李娜说她会打电话", ["李娜"]),
        ("李娜", "Li Na agreed", ["Li Na"]),
        ("Sam O'Neill", "sam o'neill from hays", ["sam o'neill"]),
        ("Sam O'Neill", "Neill said", ["Neill"]),
        ("王伟", "王伟很好", ["王伟"]),
        ("Anna Lee", "An\u00adna and L\u200bee", ["An\u00adna", "L\u200bee"]),
        ("José Ñúñez", "NUNEZ wrote", ["NUNEZ"]),
        ("김민준", "김민준씨가", ["김민준"]),
        ("Ｊａｎｅ Doe", "Jane said", ["Jane"]),
    ],
    ids=[
        "hyphen-half", "hyphen-whole", "cjk-in-cjk", "romanised", "lower-case-reporter", "after-apostrophe",
        "han-reporter", "soft-hyphen-and-zero-width", "accents-and-case", "hangul", "full-width",
    ],
)  # fmt: skip
def test_every_form_of_a_name_is_found(name: str, text: str, expected: list[str]) -> None:
    assert found(person(name), text) == expected


@pytest.mark.parametrize(
    "text",
    ["call 555–010–7788", "call 555\u00a0010\u00a07788", "call 555\u2009010\u20097788", "call (555) 010-7788",
     "call +1 555 010 7788", "call 0107788"],
    ids=["en-dash", "no-break", "thin", "parentheses", "international", "no-area-code"],
)  # fmt: skip
def test_a_phone_is_found_across_any_separators(text: str) -> None:
    (hit,) = found(person("Anna Lee", phone="+1 555 010 7788"), text)
    assert "".join(c for c in hit if c.isdigit()).endswith("0107788")


def test_a_phone_is_not_found_across_words_or_in_other_numbers() -> None:
    lex = person("Anna Lee", phone="+1 555 010 7788")
    assert found(lex, "555 and 010 and 7788; on 2026-10-01, 5550107") == []


def test_an_email_and_its_local_part_alone() -> None:
    lex = person("Pieter van den Berg", email="pvdberg@example.com")
    assert found(lex, "write to pvdberg@example.com or ask pvdberg") == ["pvdberg@example.com", "pvdberg"]


def test_particles_role_words_and_single_characters_are_never_entries_alone() -> None:
    lex = person("Pieter van den Berg")
    lex.person("HR Manager", "Y")
    lex.person("李 娜", "Z")  # a one-character family name, typed with a space
    assert found(lex, "van der Waals met the HR manager; 李先生") == []
    assert found(lex, "Berg and 李娜") == ["Berg"]


def test_normalising_keeps_the_way_back_to_the_original() -> None:
    norm, where = normalise("Jo\u00adsé")
    assert norm == "jose" and where == [0, 1, 3, 4]


# --- erasure: the same lexicon, with its proper-noun rule ------------------------------------


def test_erasure_masks_what_the_red_team_found_it_missed() -> None:
    """The same phone with en dashes, the email's local part, the romanised name in others' notes."""
    ref = Reference(id="li-na", name="李娜", email="pvdberg@example.com", phone="+1 555 010 7788")
    mask = erasure.masker(ref)
    assert mask("call 555–010–7788 or pvdberg; Li Na said 李娜说") == (
        "call [removed] or [removed]; [removed] said [removed]说"
    )


def test_erasure_keeps_its_proper_noun_rule() -> None:
    """A part of the name counts only capitalised (or caseless); the whole name in any case."""
    mask = erasure.masker(Reference(id="will-grace", name="Will Grace"))
    assert mask("I will say grace; Will agreed; will grace come?") == (
        "I will say grace; [removed] agreed; [removed] come?"
    )


def test_erasure_leaves_another_reference_full_name_alone() -> None:
    mask = erasure.masker(Reference(id="jane-doe", name="Jane Doe"), keep=["Jane Smith", "Jane Doe"])
    assert mask("Jane Smith met Jane Doe and Jane") == "Jane Smith met [removed] and [removed]"


def test_ref_remove_masks_en_dash_phones_local_parts_and_romanised_names(runner: Runner, registry: Path) -> None:
    """Through the CLI: every trace the red team left after ref remove is masked."""
    runner.ok("ref", "add", "李娜", "--id", "nana", "--email", "pvdberg@example.com", "--phone", "+1 555 010 7788")
    runner.ok("ref", "add", "Bob Smith", "--note", "Li Na (pvdberg) on 555–010–7788; 李娜说好")
    runner.ok("ref", "remove", "nana", "--yes")
    exported = runner.ok("export").stdout
    assert "notes: '[removed] ([removed]) on [removed]; [removed]说好'" in exported or (
        "notes: [removed] ([removed]) on [removed]; [removed]说好" in exported
    )
