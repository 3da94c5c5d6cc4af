"""`refaudit draft`: every kind of message, its formats, its templates, and what it refuses."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shlex
import stat
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from refaudit import drafts, messages, service, settings, store, vault
from refaudit.demo import build_demo
from refaudit.errors import RefauditError, UsageError
from refaudit.model import Application, Reference, Registry
from refaudit.report import long_date
from tests.conftest import NAUGHTY_STRINGS, PASSPHRASE, Runner

TODAY = date.today()
STRESS = os.environ.get("REFAUDIT_STRESS") == "1"  # make stress: every naughty string, not every fourth


def write(path: Path, reg: Registry) -> Path:
    """Save ``reg`` as a new registry at ``path`` (cheap KDF, no recovery key)."""
    access = service.Access(
        store=store.Store(path),
        unlock=lambda blob: vault.unlock_passphrase(blob, PASSPHRASE),
        now=lambda: datetime.now(UTC),
    )
    service.init(access, PASSPHRASE, vault.MIN_KDF, recovery=False, registry=reg)
    return path


@pytest.fixture
def demo(registry_path: Path) -> Registry:
    """The demo registry as of today, saved where the CLI looks."""
    reg = build_demo(TODAY)
    write(registry_path, reg)
    return reg


def naughty() -> list[str]:
    lines = NAUGHTY_STRINGS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


# --- every kind on the demo registry -------------------------------------------------------

KIND_CASES = [
    # kind, TARGET and options, the person it goes to (name, email) or None, words it must contain
    ("ask", ["tom"], ("Tom Becker", "tom@example.org"), ["Hi Tom,", "Would you be a reference for me?"]),
    ("consent", ["helen"], ("Dr Helen Park", "h.park@example.edu"), ["Hi Dr Park,", "May I still give your name"]),
    (
        "brief",
        ["globex", "--ref", "priya"],
        ("Priya Natarajan", "priya.n@example.com"),
        ["Hi Priya,", "Globex may call you about me (Data Analyst)", "reference check stage"],
    ),
    (
        "thank",
        ["relecloud", "--ref", "bob"],
        ("Bob Smith", "bob.smith@example.com"),
        ["Hi Bob,", "Senior Data Analyst role at Relecloud", "I was offered the job"],
    ),
    ("debrief", ["contoso"], None, ["Reporting Analyst role at Contoso", "main reason", "other roles"]),
    ("follow-up", ["alpine"], None, ["Reporting Analyst role at Alpine Ski House", "through Michael Page"]),
]


@pytest.mark.parametrize(("kind", "args", "to", "words"), KIND_CASES, ids=[c[0] for c in KIND_CASES])
def test_every_kind_names_the_right_person_company_and_role(
    runner: Runner, demo: Registry, kind: str, args: list[str], to: tuple[str, str] | None, words: list[str]
) -> None:
    """Each kind is addressed to the right person (To: only when an address is known) and signed by the owner."""
    out = runner.ok("draft", kind, *args).stdout
    if to is None:
        assert out.startswith("Subject: ")
    else:
        assert out.startswith(f"To: {to[0]} <{to[1]}>\nSubject: ")
    for word in words:
        assert word in out
    assert out.endswith("\nAlex Candidate\n")


def test_a_brief_reads_in_full_as_written(runner: Runner, demo: Registry) -> None:
    """The brief: who may call, the stage, the role, the points to stress and the last criticism."""
    out = runner.ok("draft", "brief", "globex", "--ref", "priya", "--emphasis", "SQL depth").stdout
    assert out == (
        "To: Priya Natarajan <priya.n@example.com>\n"
        "Subject: Globex may call you about me (Data Analyst)\n"
        "\n"
        "Hi Priya,\n"
        "\n"
        "Thank you again for being one of my references. I am at the reference check stage for the Data "
        "Analyst role at Globex, and I gave your name, so they may call or email you in the next few days.\n"
        "\n"
        "What the role needs most, and what would help if you could speak to it:\n"
        "- SQL depth\n"
        "\n"
        "Recent interviewers said I could do better here; anything you can say about it would help:\n"
        "- Could show more SQL depth in the take-home exercise\n"
        "\n"
        "I am happy to send you the job description, or to talk it through before they call. Please let me "
        "know if the next few days are a bad time to take a call. I will tell you how it goes.\n"
        "\n"
        "Thank you,\n"
        "Alex Candidate\n"
    )


@pytest.mark.parametrize(("kind", "args", "to", "words"), KIND_CASES, ids=[c[0] for c in KIND_CASES])
def test_no_draft_includes_private_notes_reported_words_or_stated_reasons(
    runner: Runner, demo: Registry, kind: str, args: list[str], to: object, words: object
) -> None:
    """Notes (reference, application, status, feedback), quotes and employers' reasons stay out of every message."""
    out = runner.ok("draft", kind, *args).stdout
    private = [r.notes for r in demo.references] + [r.status_note for r in demo.references]
    private += [a.notes for a in demo.applications] + [a.reason for a in demo.applications]
    private += [f.notes for f in demo.feedback] + [f.quote for f in demo.feedback]
    leaked = [text for text in private if text and text in out]
    assert leaked == []


def test_a_thank_you_before_the_end_says_it_is_still_going(runner: Runner, demo: Registry) -> None:
    """Thanking a reference on a pending application promises news instead of reporting an outcome."""
    out = runner.ok("draft", "thank", "globex", "--ref", "priya").stdout
    assert "Globex. It is still going, and I will let you know how it ends.\n\nThank you for taking the time;" in out


def test_a_message_without_an_owner_leaves_a_placeholder_to_sign(runner: Runner, registry_path: Path) -> None:
    """No owner in the registry: the sign-off is '[your name]', to fill in."""
    write(registry_path, Registry(references=[Reference(id="jane-doe", name="Jane Doe")]))
    assert runner.ok("draft", "ask", "jane").stdout.endswith("\nThank you,\n[your name]\n")


# --- formats -----------------------------------------------------------------------------


def test_eml_is_a_private_utf8_draft_a_mail_client_opens(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """-o x.eml writes RFC 5322 (To, Subject, UTF-8 text body) as 0600, warns on stderr, prints the path."""
    target = tmp_path / "thanks.eml"
    result = runner.ok("draft", "thank", "relecloud", "--ref", "bob", "-o", str(target))
    assert result.stdout == f"{target}\n"
    assert result.stderr == (
        f"Warning: {target} is NOT encrypted: it names your references in plain text. "
        "Keep it private and delete it when you are done.\n"
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    msg = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "Bob Smith <bob.smith@example.com>"
    assert msg["Subject"] == "Thank you — Relecloud (Senior Data Analyst)"
    assert msg["X-Unsent"] == "1"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    text = runner.ok("draft", "thank", "relecloud", "--ref", "bob").stdout
    assert msg.get_content().replace("\r\n", "\n") == text.split("\n\n", 1)[1]  # CRLF on the wire


def test_an_honorific_kept_apart_still_greets(runner: Runner, registry_path: Path) -> None:
    """A name_prefix (from a contacts import or --name-prefix) greets as the honorific in the name did."""
    write(registry_path, Registry(references=[Reference(id="omar", name="Omar Haddad", name_prefix="Dr.")]))
    assert "\nHi Dr. Haddad,\n" in runner.ok("draft", "ask", "omar").stdout


def test_eml_headers_are_rfc_2047_and_lines_at_most_76(tmp_path: Path) -> None:
    """A name and subject with accents come back from Python's parser as typed; every line is at most 76
    characters, the headers are 7-bit encoded words, the body quoted-printable."""
    draft = messages.Draft(
        "Elena García", "elena.garcia@example.com", "Gracias — Relecloud (Analista sénior de datos, Zürich)",
        "Hola Elena,\n\n" + "muchísimas gracias por la referencia, " * 8 + "de verdad.\n\nAlex\n",
    )  # fmt: skip
    raw = messages.as_eml(draft)
    assert b"=?utf-8?q?Elena_Garc=C3=ADa?= <elena.garcia@example.com>" in raw
    assert raw.isascii()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 76
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    [address] = msg["To"].addresses
    assert (address.display_name, address.addr_spec) == ("Elena García", "elena.garcia@example.com")
    assert msg["Subject"] == draft.subject
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    assert msg.get_content().replace("\r\n", "\n") == draft.body


def test_mailto_is_one_url_that_parses_back(runner: Runner, demo: Registry) -> None:
    """--format mailto prints one line: the address, the subject and the body (CRLF line breaks)."""
    url = runner.ok("draft", "consent", "helen", "--format", "mailto").stdout
    assert url.count("\n") == 1 and url.startswith("mailto:h.park@example.edu?subject=")
    parts = urlsplit(url.strip())
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    text = runner.ok("draft", "consent", "helen").stdout
    assert query["subject"] == ["May I still give your name as a reference?"]
    assert query["body"] == [text.split("\n\n", 1)[1].replace("\n", "\r\n")]


def test_text_can_be_written_to_a_private_file(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """-o with the text format writes what would be printed, 0600."""
    target = tmp_path / "ask.txt"
    runner.ok("draft", "ask", "tom", "-o", str(target))
    assert target.read_text(encoding="utf-8") == runner.ok("draft", "ask", "tom").stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# --- next shows the draft commands -----------------------------------------------------------


def test_next_gives_a_working_draft_command_for_every_message(runner: Runner, demo: Registry) -> None:
    """Every action of next that is a message carries 'draft', and that command writes it; the others carry null."""
    actions = json.loads(runner.ok("next", "--json").stdout)["actions"]
    messages_due = {"reach", "thank", "debrief", "follow-up", "refresh-consent"}  # a dropped Priya's swap: none
    kinds = {a["kind"] for a in actions}
    assert messages_due <= kinds
    for action in actions:
        if action["kind"] not in messages_due:
            assert action["draft"] is None
            continue
        argv = shlex.split(action["draft"])
        assert argv[:2] == ["refaudit", "draft"]
        assert runner.ok(*argv[1:]).stdout.startswith(("To: ", "Subject: "))


@pytest.mark.parametrize(
    ("kind", "ref", "app", "expected"),
    [
        ("brief", "jane-doe", "acme", "refaudit draft brief acme --ref jane-doe"),
        ("thank", "o'neil", "acme", "refaudit draft thank acme --ref 'o'\"'\"'neil'"),
        ("debrief", None, "acme", "refaudit draft debrief acme"),
        ("follow-up", None, "acme", "refaudit draft follow-up acme"),
        ("refresh-consent", "jane-doe", None, "refaudit draft consent jane-doe"),
        ("reach", "jane-doe", None, "refaudit draft consent jane-doe"),
        ("drop", "jane-doe", None, None),
        ("mark-ghosted", None, "acme", None),
        ("brief", None, "acme", None),
    ],
    ids=["brief", "quoted", "debrief", "follow-up", "consent", "reach", "drop", "ghosted", "incomplete"],
)
def test_draft_command_of_an_action(kind: str, ref: str | None, app: str | None, expected: str | None) -> None:
    """Message actions map to their draft (ids shell-quoted); other actions, or one lacking a target, to None."""

    class Action:
        def __init__(self) -> None:
            self.kind, self.reference, self.application = kind, ref, app

    assert drafts.draft_command(Action()) == expected


# --- refusals ------------------------------------------------------------------------------


def unchanged(registry_path: Path) -> bytes:
    return registry_path.read_bytes()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["brief", "globex"],
            2,
            "Error: Draft brief needs --ref REF, the reference it goes to; on Globex (Data Analyst): "
            "david-okafor (David Okafor), priya-natarajan (Priya Natarajan).",
        ),
        (
            ["brief", "globex", "--ref", "tom"],
            1,
            "Error: Tom Becker (tom-becker) was not given on Globex (Data Analyst); given there: "
            "david-okafor (David Okafor), priya-natarajan (Priya Natarajan). Record it first: "
            "refaudit app update globex-data-analyst --ref tom-becker",
        ),
        (["ask", "tom", "--ref", "bob"], 2, "Error: --ref goes with brief and thank only; draft ask writes to the "
         "reference it names."),
        (["thank", "relecloud", "--ref", "bob", "--emphasis", "x"], 2, "Error: --emphasis goes with brief only, "
         "not with thank."),
        (
            ["brief", "globex", "--ref", "priya", "--emphasis", "a\x1b[31mred"],
            1,
            "Error: --emphasis contains the control character U+001B; use plain text.",
        ),
        (
            ["brief", "globex", "--ref", "priya", "--emphasis", "  "],
            1,
            "Error: --emphasis '' is empty; say what the reference should stress, e.g. 'SQL depth'.",
        ),
        (
            ["brief", "globex", "--ref", "priya", *["--emphasis", "x"] * 11],
            1,
            "Error: --emphasis was given 11 times; at most 10 points are accepted.",
        ),
        (
            ["debrief", "globex"],
            1,
            "Error: Globex (Data Analyst) is still pending; a debrief asks why it ended. "
            "Use 'refaudit draft follow-up globex-data-analyst' to ask where it stands.",
        ),
        (
            ["follow-up", "relecloud"],
            1,
            "Error: Relecloud (Senior Data Analyst) has ended (offer); a follow-up asks where a pending "
            "application stands. Use 'refaudit draft debrief relecloud-senior-data-analyst' to ask why.",
        ),
        (
            ["ask", "{{ 7*7 }}"],
            1,
            "Error: No reference matches '{{ 7*7 }}'. ('refaudit ref list' shows your references.)",
        ),
        (["eml-less", "x"], 2, None),
        (["thank", "relecloud", "--ref", "bob", "--format", "eml"], 2,
         "Error: --format eml writes a file for your mail client; name it with -o, e.g. -o message.eml."),
    ],
    ids=["no-ref", "ref-not-given", "ref-on-ask", "emphasis-on-thank", "emphasis-control", "emphasis-empty",
         "emphasis-many", "debrief-pending", "follow-up-ended", "unknown-target", "unknown-kind", "eml-without-o"],
)  # fmt: skip
def test_refusals_are_one_line_with_the_right_code(
    runner: Runner, demo: Registry, registry_path: Path, args: list[str], code: int, message: str | None
) -> None:
    """Bad input: exit 1 or 2, one 'Error:' line naming the value, and the registry untouched."""
    before = unchanged(registry_path)
    result = runner("draft", *args)
    assert result.exit_code == code
    if message is None:  # Click's own usage error
        assert result.stderr.splitlines()[-1] == (
            "Error: Invalid value for 'KIND': 'eml-less' is not one of 'ask', 'brief', 'thank', 'debrief', "
            "'follow-up', 'consent', 'tell'."
        )
    else:
        assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert unchanged(registry_path) == before


def test_an_existing_file_needs_force(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """-o over an existing file is refused and the file kept; --force replaces it, still 0600."""
    target = tmp_path / "mine.txt"
    target.write_text("keep me\n")
    result = runner("draft", "ask", "tom", "-o", str(target))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {str(target)!r} already exists; refusing to overwrite it (use --force).\n",
    )
    assert target.read_text() == "keep me\n"
    runner.ok("draft", "ask", "tom", "-o", str(target), "--force")
    assert target.read_text().startswith("To: Tom Becker")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_a_folder_or_a_device_is_never_a_target(
    runner: Runner, demo: Registry, tmp_path: Path, force: list[str]
) -> None:
    """A folder and /dev/null are refused, with or without --force."""
    result = runner("draft", "ask", "tom", "-o", str(tmp_path), *force)
    only = "refaudit writes a draft only to a regular file. Nothing was written."
    assert (result.exit_code, result.stderr) == (1, f"Error: {str(tmp_path)!r} is a folder; {only}\n")
    result = runner("draft", "ask", "tom", "-o", os.devnull, *force)
    assert (result.exit_code, result.stderr) == (1, f"Error: '/dev/null' is a character device; {only}\n")


def test_the_registry_itself_is_never_a_target(runner: Runner, demo: Registry, registry_path: Path) -> None:
    """-o naming the registry (even with --force) is refused and the registry left as it was."""
    before = unchanged(registry_path)
    result = runner("draft", "ask", "tom", "-o", str(registry_path), "--force", "--format", "eml")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: Refusing to write over the registry's own file {str(registry_path)!r}; name another file.\n",
    )
    assert unchanged(registry_path) == before


# --- templates ------------------------------------------------------------------------------


def config_with(tmp_path: Path, folder: str) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(f"messages:\n  dir: {json.dumps(folder)}\n", encoding="utf-8")
    return config


def test_messages_dir_overrides_some_templates_and_keeps_the_rest(
    runner: Runner, demo: Registry, tmp_path: Path
) -> None:
    """A template in messages.dir (relative to the config file) wins; kinds it lacks come from the shipped folder."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "ask.txt.j2").write_text("Subject: Hello {{ reference.name }}\n\nShort and sweet.\n")
    config = config_with(tmp_path, "mine")
    assert runner.ok("--config", str(config), "draft", "ask", "tom").stdout == (
        "To: Tom Becker <tom@example.org>\nSubject: Hello Tom Becker\n\nShort and sweet.\n"
    )
    assert "May I still give your name" in runner.ok("--config", str(config), "draft", "consent", "helen").stdout


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("No subject here\n", "must start with a line 'Subject: …' and a subject."),
        ("Subject: {{ reference.nmae }}\n", "failed on line 1: 'dict object' has no attribute 'nmae'."),
        ("Subject: {{ ''.__class__.__mro__[1].__subclasses__() }}\n", "failed on line 1: access to attribute "
         "'__class__' of 'str' object is unsafe."),
        ("Subject: hi\n\nDear {{ reference.name }},\n{{ 1/0 }}\n", "failed on line 4: ZeroDivisionError: "
         "division by zero."),
        ("Subject: hi\n{% for i in range(99999) %}{{ 'x' * 99999 }}{% endfor %}\n", "wrote more than 1,048,576 "
         "bytes (messages.max_output); nothing was written."),
        ("Subject: {% if %}\n", "has an error on line 1: Expected an expression, got 'end of statement block'."),
    ],
    ids=["no-subject", "misspelt", "sandbox", "runtime-error", "too-much-output", "syntax"],
)  # fmt: skip
def test_a_broken_or_hostile_template_is_an_error_naming_it(
    runner: Runner, demo: Registry, tmp_path: Path, template: str, error: str
) -> None:
    """A template that does not say its subject, misspells a variable or reaches for Python's internals is refused."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "ask.txt.j2").write_text(template)
    result = runner("--config", str(config_with(tmp_path, str(tmp_path / "mine"))), "draft", "ask", "tom")
    assert result.exit_code == 1
    assert result.stderr == f"Error: The message template {tmp_path / 'mine' / 'ask.txt.j2'} {error}\n"


def test_a_template_that_runs_too_long_is_stopped(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """Nested loops that would run for hours are stopped at messages.time_limit: one clean line, exit 1."""
    (tmp_path / "mine").mkdir()
    slow = "Subject: hi\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"
    (tmp_path / "mine" / "ask.txt.j2").write_text(slow)
    config = tmp_path / "config.yaml"
    config.write_text(f"messages:\n  dir: {json.dumps(str(tmp_path / 'mine'))}\n  time_limit: 1\n", encoding="utf-8")
    started = time.monotonic()
    result = runner("--config", str(config), "draft", "ask", "tom")
    assert time.monotonic() - started < 10
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: The message template {tmp_path / 'mine' / 'ask.txt.j2'} ran longer than 1 s (messages.time_limit) "
        "and was stopped; nothing was written.\n",
    )


@pytest.mark.parametrize(
    ("setting", "error"),
    [
        ("time_limit: 0", "messages.time_limit is 0; it must be a number of seconds above 0 and at most 600."),
        ("time_limit: forever", "messages.time_limit must be a whole number, not 'forever'."),
        ("max_output: -1", "messages.max_output is -1; it must be a whole number of bytes from 1 to 67,108,864."),
    ],
)  # fmt: skip
def test_template_limits_are_checked(runner: Runner, demo: Registry, tmp_path: Path, setting: str, error: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"messages:\n  {setting}\n", encoding="utf-8")
    result = runner("--config", str(config), "draft", "ask", "tom")
    assert (result.exit_code, result.stderr) == (1, f"Error: Config: {error}\n")


def test_messages_dir_must_be_a_folder(runner: Runner, demo: Registry, tmp_path: Path) -> None:
    """messages.dir naming nothing is refused with the setting's name."""
    result = runner("--config", str(config_with(tmp_path, "{{ 7*7 }}")), "draft", "ask", "tom")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: Config: messages.dir '{{ 7*7 }}' is not a folder; name a folder of message templates "
        "(ask.txt.j2, brief.txt.j2, …) or leave it empty for the shipped ones.\n",
    )


# --- hostile text ---------------------------------------------------------------------------


def hostile_registry(text: str) -> Registry | None:
    """A registry with ``text`` as every name, company, role, note and criticism; None when the model refuses it."""
    try:
        ref = Reference.from_plain(
            {"id": "r", "name": text, "organization": text, "title": text, "notes": text, "email": "r@example.com"}
        )
        app = Application.from_plain(
            {"id": "a", "company": text, "role": text, "applied_on": TODAY - timedelta(days=20), "via": text,
             "references": ["r"], "stage": "reference-check", "notes": text, "criticism": [text]}
        )  # fmt: skip
        done = Application.from_plain(
            {"id": "b", "company": text, "role": text, "applied_on": TODAY - timedelta(days=20), "references": ["r"],
             "outcome": "rejected", "closed_on": TODAY - timedelta(days=2), "notes": text}
        )  # fmt: skip
    except RefauditError:
        return None
    return Registry(owner=ref.name, references=[ref], applications=[app, done])


def render_all(reg: Registry, emphasis: str) -> list[messages.Draft]:
    config = settings.load(None)
    cases = [("ask", "r", {}), ("consent", "r", {}), ("brief", "a", {"ref": "r", "emphasis": [emphasis]}),
             ("thank", "b", {"ref": "r"}), ("debrief", "b", {}), ("follow-up", "a", {})]  # fmt: skip
    out = []
    for kind, target, kw in cases:
        message = drafts.build(reg, config, TODAY, kind, target, **kw)  # type: ignore[arg-type]
        out.append(messages.render(message))
    return out


def check_formats(draft: messages.Draft) -> None:
    """The three formats of one draft hold it intact: the mailto URL and the .eml parse back to it."""
    parts = urlsplit(messages.as_mailto(draft))
    assert parts.scheme == "mailto" and unquote(parts.path) == (draft.to_email or "")
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert query == {"subject": [draft.subject], "body": [draft.body.replace("\n", "\r\n")]}
    msg = email.message_from_string(messages.as_eml(draft).decode("utf-8"), policy=email.policy.default)
    assert msg["Subject"].lstrip() == draft.subject  # a folded long word leaves the fold's space, as RFC 5322 says
    assert msg.get_content().replace("\r\n", "\n") == draft.body
    raw = messages.as_eml(draft)
    assert max(len(line) for line in raw.split(b"\r\n")) <= 76
    assert raw.split(b"\r\n\r\n")[0].isascii()  # RFC 2047: headers in encoded words, not 8-bit
    if draft.to_email:
        # RFC 2047 decoding (mail clients', and email.header's): the space between two encoded words
        # is folding, not text. (headerregistry's address parser keeps one there.)
        [(name, address)] = email.utils.getaddresses([email.message_from_bytes(raw)["To"]])
        decoded = str(email.header.make_header(email.header.decode_header(name)))
        assert (decoded, address) == (draft.to_name, draft.to_email)


def test_template_syntax_in_user_text_prints_literally() -> None:
    """A name, company and note such as '{{ 7*7 }}' is data: never run as a template."""
    reg = hostile_registry("{{ 7*7 }} {% raw %}{#")
    assert reg is not None
    for draft in render_all(reg, "{{ 7*7 }}"):
        assert "49" not in draft.subject + draft.body
        assert "{{ 7*7 }}" in draft.subject + draft.body
        check_formats(draft)


@pytest.mark.slow
def test_naughty_strings_in_every_template() -> None:
    """Every naughty string as names, companies, roles, notes, criticism and emphasis: no template execution,
    no traceback, notes kept out, and the mailto URL and .eml parse back to the same text."""
    rendered = 0
    lines = naughty()
    for text in lines if STRESS else lines[::4]:
        reg = hostile_registry(text)
        if reg is None:
            continue
        for draft in render_all(reg, text.strip()):
            assert text.strip() in draft.subject + draft.body or text.strip() in (draft.to_name or "")
            check_formats(draft)
            rendered += 1
    assert rendered > 6 * (400 if STRESS else 100)


def test_build_refuses_an_unknown_kind() -> None:
    """The pure builder names the kinds it writes."""
    with pytest.raises(UsageError, match=r"^unknown message kind 'send'; use one of: ask, brief, thank, debrief"):
        drafts.build(Registry(), settings.load(None), TODAY, "send", "x")


def test_dates_in_messages_are_written_out() -> None:
    """A follow-up names the day applied in words, e.g. '6 November 2026'."""
    reg = hostile_registry("Acme")
    assert reg is not None
    [*_, follow_up] = render_all(reg, "x")
    assert f"on {long_date(TODAY - timedelta(days=20))}" in follow_up.body
