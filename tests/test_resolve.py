"""The one resolver for REF and APP: id, full name, prefix, whole word; ambiguous and unknown explained."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from refaudit import resolve
from refaudit.errors import NotFoundError
from refaudit.model import Application, Reference, Registry
from tests.conftest import Runner

APPLIED = date(2026, 10, 1)


def people(*pairs: tuple[str, str]) -> Registry:
    """A registry holding just these (id, name) references."""
    return Registry(references=[Reference(id=i, name=n) for i, n in pairs])


REG = Registry(
    references=[
        Reference(id="jane-doe", name="Jane Doe"),
        Reference(id="janet-smith", name="Janet Smith"),
        Reference(id="jose-nunez", name="José Núñez"),
        Reference(id="bob-smith", name="Bob Smith"),
        Reference(id="li", name="Li Wei"),
        Reference(id="li-wei", name="Liam Ng"),
    ],
    applications=[
        Application(id="acme-data-analyst", company="Acme Corp", role="Data Analyst", applied_on=APPLIED),
        Application(id="acme-bi-engineer", company="Acme Corp", role="BI Engineer", applied_on=APPLIED),
        Application(id="globex-analyst", company="Globex", role="Analyst", applied_on=APPLIED),
        Application(id="societe-generale-quant", company="Société Générale", role="Quant", applied_on=APPLIED),
    ],
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("jane-doe", "jane-doe"),
        ("Jane Doe", "jane-doe"),
        ("JANE DOE", "jane-doe"),
        ("  jane   doe ", "jane-doe"),
        ("Jane-Doe", "jane-doe"),
        ("jane-d", "jane-doe"),
        ("Jane D", "jane-doe"),
        ("janet", "janet-smith"),
        ("jose", "jose-nunez"),
        ("José", "jose-nunez"),
        ("JOSÉ NÚÑEZ", "jose-nunez"),
        ("jose nunez", "jose-nunez"),
        ("bob", "bob-smith"),
        ("li", "li"),
        ("li wei", "li"),
        ("li-wei", "li-wei"),
    ],
    ids=[
        "exact-id", "exact-name", "upper-case-name", "extra-spaces", "id-in-other-case", "id-prefix",
        "name-prefix", "longer-name-prefix", "accent-forgiven", "accent-typed", "accent-and-case",
        "unaccented-full-name", "first-name", "exact-id-beats-prefix", "exact-name-beats-prefix-of-id",
        "exact-id-beats-name-prefix",
    ],
)  # fmt: skip
def test_reference_found(typed: str, expected: str) -> None:
    """Whatever form the user types, the one reference it can mean is found."""
    assert resolve.reference(REG, typed).id == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("acme-data-analyst", "acme-data-analyst"),
        ("acme-d", "acme-data-analyst"),
        ("acme-b", "acme-bi-engineer"),
        ("globex", "globex-analyst"),
        ("GLOB", "globex-analyst"),
        ("societe", "societe-generale-quant"),
        ("Société Générale", "societe-generale-quant"),
    ],
    ids=["exact-id", "id-prefix", "other-id-prefix", "company", "company-prefix", "accent-forgiven", "accented"],
)
def test_application_found(typed: str, expected: str) -> None:
    """An application is found by id, company, or a unique prefix of either."""
    assert resolve.application(REG, typed).id == expected


def test_ambiguous_reference_lists_candidates_with_ids() -> None:
    """A prefix shared by two names is refused, naming both with their ids."""
    with pytest.raises(NotFoundError) as err:
        resolve.reference(REG, "jane")
    assert str(err.value) == (
        "reference 'jane' is ambiguous: it matches jane-doe (Jane Doe), janet-smith (Janet Smith). Use the id."
    )


def test_same_name_twice_is_ambiguous() -> None:
    """Two people with the same name are never guessed between."""
    reg = people(("jane-doe", "Jane Doe"), ("jane-doe-2", "Jane Doe"))
    with pytest.raises(NotFoundError, match=r"ambiguous: it matches jane-doe \(Jane Doe\), jane-doe-2 \(Jane Doe\)"):
        resolve.reference(reg, "jane doe")
    assert resolve.reference(reg, "jane-doe-2").id == "jane-doe-2"


def test_same_company_twice_is_ambiguous() -> None:
    """Two applications to one company need the id."""
    with pytest.raises(NotFoundError) as err:
        resolve.application(REG, "acme corp")
    assert str(err.value) == (
        "application 'acme corp' is ambiguous: it matches acme-data-analyst (Acme Corp), "
        "acme-bi-engineer (Acme Corp). Use the id."
    )


def test_many_candidates_are_capped() -> None:
    """A very ambiguous prefix lists ten candidates and counts the rest."""
    reg = people(*((f"sam-{i:02d}", f"Sam {i:02d}") for i in range(14)))
    with pytest.raises(NotFoundError, match=r"sam-09 \(Sam 09\) and 4 more\. Use the id\.$"):
        resolve.reference(reg, "sam")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Jane Dow", "jane-doe (Jane Doe)"),
        ("jnae", "jane-doe (Jane Doe), janet-smith (Janet Smith)"),
        ("jsoe", "jose-nunez (José Núñez)"),
        ("núñes", "jose-nunez (José Núñez)"),
    ],
    ids=["typo-in-surname", "transposed-first-name", "transposed-accented", "accented-typo"],
)
def test_unknown_reference_suggests(typed: str, suggested: str) -> None:
    """An unknown name is refused with the closest references as suggestions."""
    with pytest.raises(NotFoundError) as err:
        resolve.reference(REG, typed)
    assert str(err.value) == (
        f"no reference matches {typed!r}. Did you mean: {suggested}? ('refaudit ref list' shows your references.)"
    )


def test_suggestions_are_at_most_three() -> None:
    """However many are close, at most three are suggested."""
    reg = people(*((f"smith-{i}", f"Pat Smith{i}") for i in range(6)))
    with pytest.raises(NotFoundError) as err:
        resolve.reference(reg, "smyth")
    assert "Did you mean" in str(err.value)
    assert str(err.value).count("(Pat Smith") == 3


def test_unknown_with_nothing_close_has_no_suggestion() -> None:
    """Nothing alike: no 'did you mean', only where to look."""
    with pytest.raises(NotFoundError) as err:
        resolve.application(REG, "initech")
    assert str(err.value) == "no application matches 'initech'. ('refaudit app list' shows your applications.)"


def test_typo_in_company_suggests_it() -> None:
    """A misspelt company suggests the application."""
    with pytest.raises(NotFoundError, match=r"Did you mean: globex-analyst \(Globex\)\?"):
        resolve.application(REG, "glbex")


@pytest.mark.parametrize("typed", ["", "   "], ids=["empty", "blank"])
def test_nothing_typed(typed: str) -> None:
    """An empty REF is refused, saying what to type."""
    with pytest.raises(NotFoundError, match=r"^no reference given; type its id or name\.$"):
        resolve.reference(REG, typed)


def test_empty_registry() -> None:
    """With no references at all, the error says where to look, with no suggestion."""
    with pytest.raises(NotFoundError, match=r"^no reference matches 'jane'\. \('refaudit ref list'"):
        resolve.reference(Registry(), "jane")


# --- through the command line ---------------------------------------------------------


@pytest.fixture
def people_cli(runner: Runner, registry: Path) -> Path:
    for name in ("Jane Doe", "Janet Smith", "José Núñez"):
        runner.ok("ref", "add", name)
    runner.ok("app", "add", "Acme Corp", "--role", "Data Analyst", "--applied", "2026-10-01")
    runner.ok("app", "add", "Acme Corp", "--role", "BI Engineer", "--applied", "2026-10-02")
    return registry


def test_cli_accent_forgiven(runner: Runner, people_cli: Path) -> None:
    """`jose` finds José Núñez on the command line too."""
    assert json.loads(runner.ok("ref", "show", "jose", "--json").stdout)["name"] == "José Núñez"


def test_cli_ambiguous_reference(runner: Runner, people_cli: Path) -> None:
    """Ambiguous REF: exit 1, candidates with ids, nothing written."""
    before = people_cli.read_bytes()
    result = runner("feedback", "log", "jane", "--sentiment", "positive")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Reference 'jane' is ambiguous: it matches jane-doe (Jane Doe), janet-smith (Janet Smith). Use the id.\n"
    )
    assert people_cli.read_bytes() == before


def test_cli_ambiguous_application(runner: Runner, people_cli: Path) -> None:
    """Ambiguous APP: exit 1, both applications listed by id."""
    result = runner("app", "show", "acme")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: Application 'acme' is ambiguous: it matches acme-corp-data-analyst (Acme Corp), "
        "acme-corp-bi-engineer (Acme Corp). Use the id.\n"
    )


def test_cli_unknown_reference(runner: Runner, people_cli: Path) -> None:
    """Unknown REF: exit 1 with did-you-mean suggestions."""
    result = runner("ref", "show", "Jane Dow")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No reference matches 'Jane Dow'. Did you mean: jane-doe (Jane Doe)? "
        "('refaudit ref list' shows your references.)\n"
    )


def test_cli_unknown_application(runner: Runner, people_cli: Path) -> None:
    """Unknown APP: exit 1 with a suggestion."""
    result = runner("app", "show", "Acem Corp")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No application matches 'Acem Corp'. Did you mean: acme-corp-data-analyst (Acme Corp), "
        "acme-corp-bi-engineer (Acme Corp)? ('refaudit app list' shows your applications.)\n"
    )


# --- names as people use them: first names, surnames, honorifics, other scripts --------------------

NAMES = Registry(
    references=[
        Reference(id="dr-ingrid-olsen", name="Dr. Ingrid Olsen"),  # made before honorifics were left out
        Reference(id="li-na", name="李娜"),
        Reference(id="anne-weber", name="Prof. Anne Weber"),
        Reference(id="anne-lee", name="Anne Lee"),
        Reference(id="omar-haddad", name="Omar Haddad"),
        Reference(id="zuo-teng-jian", name="佐藤健"),
        Reference(id="ivan", name="Иван Петров"),
        Reference(id="sam-lee", name="Sam Lee-Wong"),
    ]
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ingrid", "dr-ingrid-olsen"),
        ("Ingrid Olsen", "dr-ingrid-olsen"),
        ("olsen", "dr-ingrid-olsen"),
        ("dr. ingrid olsen", "dr-ingrid-olsen"),
        ("haddad", "omar-haddad"),
        ("omar", "omar-haddad"),
        ("weber", "anne-weber"),
        ("anne weber", "anne-weber"),
        ("li na", "li-na"),
        ("Li Na", "li-na"),
        ("李娜", "li-na"),
        ("li", "li-na"),
        ("na", "li-na"),
        ("佐藤", "zuo-teng-jian"),
        ("jian", "zuo-teng-jian"),
        ("petrov", "ivan"),
        ("ivan petrov", "ivan"),
        ("Петров", "ivan"),
        ("ｉｎｇｒｉｄ", "dr-ingrid-olsen"),
    ],
    ids=["first-name-after-honorific", "name-without-honorific", "surname", "honorific-typed", "surname-2",
         "first-name", "surname-of-titled", "full-name-without-prof", "transliteration", "transliteration-caps",
         "cjk-typed", "transliterated-surname", "transliterated-given-name", "cjk-prefix", "transliterated-word",
         "cyrillic-surname-latin", "cyrillic-full-latin", "cyrillic-typed", "fullwidth-latin"],
)  # fmt: skip
def test_names_as_people_say_them(typed: str, expected: str) -> None:
    """A first name, a surname, a name without its title, or a transliteration finds the one person."""
    assert resolve.reference(NAMES, typed).id == expected


def test_ambiguous_first_name_lists_the_candidates() -> None:
    """Two Annes: the first name alone is refused, naming both with their ids."""
    with pytest.raises(NotFoundError) as err:
        resolve.reference(NAMES, "anne")
    assert str(err.value) == (
        "reference 'anne' is ambiguous: it matches anne-weber (Prof. Anne Weber), anne-lee (Anne Lee). Use the id."
    )


def test_ambiguous_surname_lists_the_candidates() -> None:
    """A surname two people share (one hyphenated) is a whole word of both: refused with both."""
    with pytest.raises(NotFoundError, match=r"'lee' is ambiguous: it matches anne-lee \(Anne Lee\), sam-lee"):
        resolve.reference(NAMES, "lee")


def test_a_prefix_still_wins_over_a_whole_word() -> None:
    """Resolver order: a unique prefix decides before whole words are tried, so old queries keep their answer."""
    reg = people(("lee-chan", "Lee Chan"), ("anne-lee", "Anne Lee"))
    assert resolve.reference(reg, "lee").id == "lee-chan"
    assert resolve.reference(reg, "chan").id == "lee-chan"


@pytest.mark.parametrize("typed", ["mr", "\x00", "%s%n", "../../", "\u202eollen", "🙂", "'; DROP TABLE", "a" * 5000])
def test_hostile_or_title_only_queries_are_refused(typed: str) -> None:
    """A title no one starts with, control characters, emoji or a paste gone wrong match no one, never crash."""
    with pytest.raises(NotFoundError):
        resolve.reference(NAMES, typed)


@pytest.mark.parametrize(
    ("name", "expected_id"),
    [("Dr. Ingrid Olsen", "ingrid-olsen"), ("Prof. Dr. Anne Weber", "anne-weber"), ("Mx Sam Lee", "sam-lee"),
     ("MRS. Jo Park", "jo-park"), ("李娜", "li-na"), ("佐藤健", "zuo-teng-jian"), ("Dr", "dr"),
     ("Drew Barry", "drew-barry"), ("Ms", "ms")],
    ids=["dr", "prof-dr", "mx", "mrs-caps", "chinese", "japanese", "title-only", "dr-prefix-of-name", "ms-only"],
)  # fmt: skip
def test_ids_leave_honorifics_out_and_transliterate(
    runner: Runner, registry: Path, name: str, expected_id: str
) -> None:
    """`ref add` makes the id from the name without its title, transliterating other scripts."""
    assert runner.ok("ref", "add", name).stdout == f"{expected_id}\n"


def test_cli_finds_people_by_first_name_and_transliteration(runner: Runner, registry: Path) -> None:
    """`app add --ref ingrid --ref "li na"` finds Dr. Ingrid Olsen and 李娜."""
    runner.ok("ref", "add", "Dr. Ingrid Olsen")
    runner.ok("ref", "add", "李娜")
    runner.ok("app", "add", "Acme", "--role", "A", "--ref", "ingrid", "--ref", "li na", "--ref", "olsen")
    assert '"references": [\n    "ingrid-olsen",\n    "li-na"\n  ]' in runner.ok("app", "show", "acme", "--json").stdout


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("ing", "ingmar-berg"), ("li na", "li-nakamura"), ("ingrid", "dr-ingrid-olsen"), ("李", "li-na")],
    ids=["prefix-as-written-wins", "prefix-beats-transliteration", "new-spelling-when-nothing-else",
         "cjk-prefix-as-written"],
)  # fmt: skip
def test_queries_that_resolved_before_keep_their_answer(typed: str, expected: str) -> None:
    """Names as written are tried before other spellings, so older queries keep finding the same person."""
    reg = people(("dr-ingrid-olsen", "Dr. Ingrid Olsen"), ("ingmar-berg", "Ingmar Berg"), ("li-na", "李娜"),
                 ("li-nakamura", "Li Nakamura"))  # fmt: skip
    assert resolve.reference(reg, typed).id == expected
