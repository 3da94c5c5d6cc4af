"""ref add / list / show / edit / status / remove, and every bad input they refuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Runner

ALL_FIELDS = [
    "--relationship", "manager", "--org", "Acme Corp", "--title", "Engineering Manager",
    "--worked-with", "the data platform team at Acme",
    "--email", "jane@example.com", "--email", "jane@home.example", "--phone", "+1 555 0100",
    "--phone", "+1 555 0101", "--link", "https://www.linkedin.com/in/jane-doe", "--name-prefix", "Dr.",
    "--name-suffix", "PhD", "--known-since", "2019-03-01",
    "--consent-on", "2026-01-10", "--tag", "technical", "--tag", "leadership",
    "--note", "Led the data platform team I was on.",
]  # fmt: skip


def test_add_prints_id_derived_from_name(runner: Runner, registry: Path) -> None:
    """ref add prints the id it made from the name."""
    assert runner.ok("ref", "add", "Jane Doe").stdout == "jane-doe\n"


def test_round_trip_of_every_field(runner: Runner, registry: Path) -> None:
    """Every field given to ref add comes back from ref show --json, dates ISO, phone as text."""
    runner.ok("ref", "add", "Jane Doe", *ALL_FIELDS)
    data = json.loads(runner.ok("ref", "show", "jane-doe", "--json").stdout)
    assert data["verdict"]["recommendation"] == "keep"  # the audit's entry: see test_audit_cli
    assert data | {"added_on": "x", "verdict": "v"} == {
        "id": "jane-doe", "name": "Jane Doe", "name_prefix": "Dr.", "name_suffix": "PhD",
        "relationship": "manager", "organization": "Acme Corp", "title": "Engineering Manager",
        "worked_with": "the data platform team at Acme",
        "email": "jane@example.com", "emails": ["jane@home.example"], "phone": "+1 555 0100",
        "phones": ["+1 555 0101"], "links": ["https://www.linkedin.com/in/jane-doe"],
        "known_since": "2019-03-01", "consent_on": "2026-01-10", "status": "active", "status_on": None,
        "status_note": None,
        "tags": ["technical", "leadership"], "notes": "Led the data platform team I was on.",
        "added_on": "x", "applications": [], "feedback": [], "verdict": "v",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "expected_id"),
    [("José Ñúñez", "jose-nunez"), ("O'Brien", "o-brien"), ("李雷", "li-lei")],
    ids=["accents", "apostrophe", "cjk"],
)
def test_international_names_work_everywhere(runner: Runner, registry: Path, name: str, expected_id: str) -> None:
    """Names with accents, apostrophes and CJK characters get a stable id and show intact."""
    assert runner.ok("ref", "add", name).stdout.strip() == expected_id
    assert name in runner.ok("ref", "list").stdout
    assert json.loads(runner.ok("ref", "show", expected_id, "--json").stdout)["name"] == name


def test_id_is_stable_across_edits_and_unique(runner: Runner, registry: Path) -> None:
    """Renaming keeps the id; a second person with the same name gets a suffix."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("ref", "edit", "jane-doe", "--name", "Jane Doe-Smith")
    assert runner.ok("ref", "add", "Jane Doe").stdout == "jane-doe-2\n"
    names = {r["id"]: r["name"] for r in json.loads(runner.ok("ref", "list", "--json").stdout)}
    assert names == {"jane-doe": "Jane Doe-Smith", "jane-doe-2": "Jane Doe"}


def test_explicit_id_and_clash(runner: Runner, registry: Path) -> None:
    """--id sets the id; a taken id is refused with exit 1."""
    assert runner.ok("ref", "add", "Jane Doe", "--id", "jd").stdout == "jd\n"
    result = runner("ref", "add", "Other", "--id", "jd")
    assert result.exit_code == 1
    assert "already used" in result.stderr


def test_list_hides_dropped_unless_asked(runner: Runner, registry: Path) -> None:
    """ref list shows all but dropped; --status all and --status dropped show them."""
    runner.ok("ref", "add", "Jane Doe")
    runner.ok("ref", "add", "Bob Smith")
    runner.ok("ref", "status", "bob", "dropped", "--note", "lukewarm twice")
    ids = lambda *a: [r["id"] for r in json.loads(runner.ok("ref", "list", "--json", *a).stdout)]  # noqa: E731
    assert ids() == ["jane-doe"]
    assert ids("--status", "all") == ["jane-doe", "bob-smith"]
    assert ids("--status", "dropped") == ["bob-smith"]
    bob = json.loads(runner.ok("ref", "show", "bob", "--json").stdout)
    assert bob["status"] == "dropped" and bob["status_note"] == "lukewarm twice" and "status_on" in bob


def test_list_empty_is_friendly(runner: Runner, registry: Path) -> None:
    """An empty registry says how to add a reference."""
    assert "ref add" in runner.ok("ref", "list").stdout


def test_edit_changes_only_given_fields(runner: Runner, registry: Path) -> None:
    """ref edit changes the options given and leaves the rest."""
    runner.ok("ref", "add", "Jane Doe", *ALL_FIELDS)
    runner.ok("ref", "edit", "jane", "--title", "Director")
    data = json.loads(runner.ok("ref", "show", "jane", "--json").stdout)
    assert data["title"] == "Director" and data["email"] == "jane@example.com"


def test_remove_asks_and_needs_yes_without_terminal(runner: Runner, registry: Path) -> None:
    """ref remove without --yes and without a terminal refuses (exit 1) and changes nothing."""
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    result = runner("ref", "remove", "jane")
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert registry.read_bytes() == before
    assert "Removed Jane Doe (jane-doe)" in runner.ok("ref", "remove", "jane", "--yes").stdout
    assert runner.ok("ref", "list", "--json").stdout.strip() == "[]"


BAD_INPUTS = [
    (["ref", "add", ""], 1, "Name must not be empty"),
    (["ref", "add", "   "], 1, "Name must not be empty"),
    (["ref", "add", "Jane", "--email", "jane(at)example"], 1, "'jane(at)example' is not an email address"),
    (["ref", "add", "Jane", "--known-since", "2999-01-01"], 1, "2999-01-01 is in the future"),
    (["ref", "add", "Jane", "--consent-on", "2999-01-01"], 1, "2999-01-01 is in the future"),
    (["ref", "add", "Jane", "--relationship", "boss"], 2, "'boss' is not one of"),
    (["ref", "add", "x" * 10_000], 1, "10,000 characters long; at most 200"),
    (["ref", "add", "Jane\x1b[31mRed"], 1, "control character U+001B"),
    (["ref", "add", "Jane\x00"], 1, "control character U+0000"),
    (["ref", "add", "Jane", "--known-since", "01/02/2020"], 2, "'01/02/2020' is ambiguous: 1 February 2020"),
    (["ref", "add", "Jane", "--known-since", "32/01/2020"], 2, "'32/01/2020' is not a date"),
    (["ref", "add", "Jane", "--known-since", "2020-02-30"], 2, "'2020-02-30' is not a date"),
    (["ref", "add", "Jane", "--phone", "call me maybe"], 1, "'call me maybe' is not a phone number"),
    (["ref", "add", "Jane", "--id", "../../etc/passwd"], 1, "is not a valid id"),
    (["ref", "add", "Jane", "--id", "UPPER"], 1, "is not a valid id"),
    (["ref", "add", "Jane", "--note", "n" * 5001], 1, "at most 5,000"),
    (["ref", "show", "nobody"], 1, "No reference matches 'nobody'"),
    (["ref", "status", "jane-doe", "gone"], 2, "'gone' is not one of"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_INPUTS, ids=[f"bad{i}" for i in range(len(BAD_INPUTS))])
def test_bad_input_is_refused_and_registry_unchanged(
    runner: Runner, registry: Path, args: list[str], code: int, message: str
) -> None:
    """Bad input exits 1 or 2 with a message naming the value; the registry stays byte-identical."""
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    result = runner(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert registry.read_bytes() == before


def test_every_command_has_help_with_an_example(runner: Runner) -> None:
    """Every command's --help has a summary and an Example block."""
    from refaudit.cli import cli

    def walk(group: object, path: list[str]) -> list[list[str]]:
        import click

        found = []
        assert isinstance(group, click.Group)
        for name, cmd in group.commands.items():
            found.append([*path, name])
            if isinstance(cmd, click.Group):
                found.extend(walk(cmd, [*path, name]))
        return found

    for path in walk(cli, []):
        out = runner.ok(*path, "--help").stdout
        assert "Example" in out, path


def test_help_does_not_import_the_renderer() -> None:
    """'refaudit --help' stays fast: neither weasyprint nor jinja2 is imported."""
    import subprocess
    import sys

    code = "import sys; from refaudit.cli import main; sys.argv=['refaudit','--help']\n"
    code += "try: main()\nexcept SystemExit: pass\n"
    code += "print(sorted(m for m in ('weasyprint','jinja2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_json_keys_are_stable_whatever_is_filled_in(runner: Runner, registry: Path) -> None:
    """A reference with only a name has the same JSON keys as a full one, empty ones null or []."""
    runner.ok("ref", "add", "Jane Doe", *ALL_FIELDS)
    runner.ok("ref", "add", "Bob Smith")
    full, bare = json.loads(runner.ok("ref", "list", "--json").stdout)
    assert full.keys() == bare.keys()
    assert bare["email"] is None and bare["tags"] == []


def test_adding_a_namesake_warns(runner: Runner, registry: Path) -> None:
    """A second reference with the same name is added with a suffixed id and a note on stderr."""
    runner.ok("ref", "add", "Jane Doe")
    result = runner.ok("ref", "add", "jane  doe")
    assert result.stdout == "jane-doe-2\n"
    assert "Note: you already have Jane Doe (jane-doe)" in result.stderr


def test_edit_without_options_changes_nothing(runner: Runner, registry: Path) -> None:
    """ref edit with nothing to change is refused and writes nothing."""
    runner.ok("ref", "add", "Jane Doe")
    before = registry.read_bytes()
    result = runner("ref", "edit", "jane")
    assert result.exit_code == 1 and "Nothing to change" in result.stderr
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("佐藤健", "Note: the id zuo-teng-jian is 佐藤健 written in Latin letters; "
         "'refaudit ref edit zuo-teng-jian --id NEW' gives them the id you would type.\n"),
        ("José Ñúñez", ""),
    ],
    ids=["romanised", "accents-only"],
)  # fmt: skip
def test_a_romanised_id_says_how_to_choose_another(runner: Runner, registry: Path, name: str, note: str) -> None:
    """A name in another script gets its id by rule (Japanese may read as Chinese); a note says how to change it."""
    result = runner.ok("ref", "add", name)
    assert result.stderr == note


def _contact(runner: Runner) -> dict[str, object]:
    data = json.loads(runner.ok("ref", "show", "jane-doe", "--json").stdout)
    return {k: data[k] for k in ("email", "emails", "phone", "phones", "links")}


def test_repeated_contact_options_replace_the_set_and_empty_clears_it(runner: Runner, registry: Path) -> None:
    """A repeated --phone on edit replaces every phone (the first is the main one); --phone '' clears them all."""
    runner.ok("ref", "add", "Jane Doe", "--phone", "+1 555 0100", "--phone", "+1 555 0101", "--email", "a@x.com")
    runner.ok("ref", "edit", "jane", "--phone", "+44 20 7946 0958", "--phone", "+1 555 0100", "--phone", "+1 555 0100")
    assert _contact(runner) == {
        "email": "a@x.com", "emails": [], "phone": "+44 20 7946 0958", "phones": ["+1 555 0100"], "links": [],
    }  # fmt: skip
    runner.ok("ref", "edit", "jane", "--email", "b@x.com", "--email", "A@X.com", "--email", "a@x.com")
    runner.ok(
        "ref", "edit", "jane", "--link", "https://www.linkedin.com/in/jane-doe", "--link", "https://janedoe.example"
    )
    assert _contact(runner) == {
        "email": "b@x.com", "emails": ["A@X.com"], "phone": "+44 20 7946 0958", "phones": ["+1 555 0100"],
        "links": ["https://www.linkedin.com/in/jane-doe", "https://janedoe.example"],
    }  # fmt: skip
    runner.ok("ref", "edit", "jane", "--phone", "", "--link", "")
    assert _contact(runner) == {"email": "b@x.com", "emails": ["A@X.com"], "phone": None, "phones": [], "links": []}


def test_show_lists_every_phone_email_link_and_the_honorific(runner: Runner, registry: Path) -> None:
    """ref show prints the prefix, the suffix, and the other emails, phones and links beside the first."""
    runner.ok(
        "ref", "add", "Omar Haddad", "--name-prefix", "Dr.", "--name-suffix", "Jr.", "--email", "omar@acme.example",
        "--email", "omar@home.example", "--phone", "+1 555 0101", "--phone", "+1 555 0102",
        "--link", "https://www.linkedin.com/in/omar-haddad",
    )  # fmt: skip
    shown = runner.ok("ref", "show", "omar-haddad").stdout
    assert shown.splitlines()[:11] == [
        "Name:         Omar Haddad", "Id:           omar-haddad", "Relationship: other",
        "Prefix:       Dr.", "Suffix:       Jr.", "Email:        omar@acme.example",
        "Other emails: omar@home.example", "Phone:        +1 555 0101", "Other phones: +1 555 0102",
        "Links:        https://www.linkedin.com/in/omar-haddad", "Status:       active",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--link", "javascript:alert(1)",
         "Error: Link 'javascript:alert(1)' is not a web address like https://www.linkedin.com/in/jane-doe.\n"),
        ("--link", "https://exa mple.com",
         "Error: Link 'https://exa mple.com' is not a web address like https://www.linkedin.com/in/jane-doe.\n"),
        ("--phone", "call me", "Error: Phone 'call me' is not a phone number"),
        ("--email", "jane@", "Error: Email 'jane@' is not an email address like jane@example.com.\n"),
        ("--name-prefix", "Dr." * 20, "Error: Name-prefix is 60 characters long; at most 40 are accepted.\n"),
    ],
    ids=["script-link", "space-in-link", "second-phone", "second-email", "long-prefix"],
)  # fmt: skip
def test_a_bad_second_value_is_refused_and_nothing_written(
    runner: Runner, registry: Path, option: str, value: str, message: str
) -> None:
    """Each repeated value is checked like the first; one bad one refuses the whole edit (exit 1)."""
    runner.ok("ref", "add", "Jane Doe", "--phone", "+1 555 0100")
    before = registry.read_bytes()
    first = ["--phone", "+1 555 0199"] if option == "--phone" else []  # a good first value does not save the rest
    result = runner("ref", "edit", "jane", *first, option, value)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert registry.read_bytes() == before
