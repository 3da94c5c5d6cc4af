"""Redaction on its own: what --redact and --anonymous leave of people in free text and names."""

from __future__ import annotations

from datetime import date

import pytest

from refaudit.model import Application, Feedback, Reference, Registry
from refaudit.report.redact import Privacy, Redactor, initials, letter
from tests.conftest import NAUGHTY_STRINGS

DAY = date(2026, 3, 1)


def _registry() -> Registry:
    return Registry(
        owner="Alex Candidate",
        references=[
            Reference(id="ingrid-olsen", name="Dr. Ingrid Olsen", relationship="manager", organization="Zalando SE",
                      title="Design Manager", email="ingrid@zalando.example", phone="+49 30 1234567"),
            Reference(id="jose-nunez", name="José Ñúñez", relationship="colleague", organization="Acme Corp"),
            Reference(id="will-tan", name="Will Tan", relationship="mentor"),
        ],
        applications=[
            Application(id="acme", company="Acme Corp", role="Designer", applied_on=DAY, via="Hays",
                        references=["ingrid-olsen"]),
            Application(id="globex", company="Globex", role="Designer", applied_on=date(2026, 3, 2)),
        ],
        feedback=[
            Feedback(id="f1", reference="ingrid-olsen", reported_on=DAY, sentiment="lukewarm", source="recruiter",
                     reporter="Sam Jones at Hays", application="acme"),
        ],
    )  # fmt: skip


def _red(privacy: Privacy) -> Redactor:
    return Redactor(_registry(), privacy, order=["jose-nunez", "ingrid-olsen", "will-tan"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Ingrid Olsen said so", "I. O. said so"),
        ("Ingrid said so", "I. O. said so"),
        ("ask Dr Olsen", "ask I. O."),
        ("ask Prof. Olsen", "ask I. O."),
        ("OLSEN, again", "I. O., again"),
        ("Jose Nunez and josé", "J. Ñ. and J. Ñ."),
        ("Núñez wrote", "J. Ñ. wrote"),
        ("jose-nunez is the id", "J. Ñ. is the id"),
        ("Sam told Alex", "S. J. told A. C."),
        ("Sam Jones at Hays", "S. J. at Hays"),
        ("mail ingrid@zalando.example or +49 30 1234567", "mail [email] or [phone]"),
        ("on 2026-03-01 at 10:30", "on 2026-03-01 at 10:30"),
        ("Olsen's team", "I. O.'s team"),
        ("Olsenberg is a place", "Olsenberg is a place"),
    ],
    ids=[
        "full-name", "first-name-alone", "surname-after-title", "surname-after-prof", "capitals",
        "accent-folded", "surname-alone-accented", "id", "reporter-and-owner", "reporter-with-agency",
        "email-and-phone", "dates-stay", "possessive", "not-inside-a-word",
    ],
)  # fmt: skip
def test_redact_masks_every_form_of_a_known_name(text: str, expected: str) -> None:
    """Under --redact every form of a known person's name becomes their initials."""
    assert _red(Privacy.REDACT).text(text) == expected


def test_redact_masks_the_other_phones_and_the_links_too() -> None:
    """A second phone the registry knows is masked even when short; a profile link is masked as a link."""
    reg = _registry()
    reg.references[1].phones = ["0151 99"]
    reg.references[1].links = ["https://www.linkedin.com/in/jnunez"]
    red = Redactor(reg, Privacy.REDACT, order=["jose-nunez", "ingrid-olsen", "will-tan"])
    assert red.text("call 0151 99 or see https://www.linkedin.com/in/jnunez") == "call [phone] or see [link]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Ingrid Olsen said so", "Reference B said so"),
        ("Jose told Will", "Reference A told Reference C"),
        ("Sam Jones at Hays called", "a recruiter called"),
        ("Alex was at Acme Corp and Acme liked it", "the candidate was at Employer 1 and Employer 1 liked it"),
        ("the Design Manager at Zalando SE", "the [title] at [organisation]"),
        ("via Hays", "via [agency]"),
        ("Globex", "Employer 2"),
        ("rejected at acme (and globex)", "rejected at Employer 1 (and Employer 2)"),
    ],
    ids=[
        "reference",
        "first-names",
        "reporter",
        "owner-and-company",
        "title-and-organisation",
        "agency",
        "employer",
        "application-ids",
    ],
)
def test_anonymous_masks_people_employers_organisations_and_titles(text: str, expected: str) -> None:
    """Under --anonymous people are letters and roles, employers numbers; the rest is masked."""
    assert _red(Privacy.ANONYMOUS).text(text) == expected


def test_anonymous_names_follow_the_table_order_and_employers_the_application_order() -> None:
    """Reference A is the first row of the references table; Employer 1 the first application."""
    red = _red(Privacy.ANONYMOUS)
    assert [red.name(r) for r in ("jose-nunez", "ingrid-olsen", "will-tan")] == [
        "Reference A", "Reference B", "Reference C",
    ]  # fmt: skip
    assert red.company("Acme Corp") == "Employer 1"
    assert red.company("globex") == "Employer 2"
    assert red.owner("registry.refaudit") == "the candidate"
    reg = _registry()
    assert red.reporter(reg.feedback[0]) == "a recruiter"
    assert red.organization(reg.references[0]) == ""
    assert red.title(reg.references[0]) == ""
    assert red.application(reg.applications[0]) == "Employer 1"


def test_redacted_reporters_are_initials_and_plain_text_is_only_cleaned() -> None:
    """--redact shows reporters as initials; without it the text is printed as typed (controls removed)."""
    reg = _registry()
    assert _red(Privacy.REDACT).reporter(reg.feedback[0]) == "S. J. at Hays"
    plain = _red(Privacy.PLAIN)
    assert plain.reporter(reg.feedback[0]) == "Sam Jones at Hays"
    assert plain.text("Ingrid\x07 Olsen") == "Ingrid Olsen"
    assert plain.name("ingrid-olsen") == "Dr. Ingrid Olsen"
    assert plain.owner() == "Alex Candidate"


def test_the_file_name_stands_in_for_a_missing_owner() -> None:
    """The cover names the registry's file when the registry has no owner."""
    reg = _registry()
    reg.owner = None
    assert Redactor(reg, Privacy.PLAIN).owner("job-search.refaudit") == "job-search.refaudit"
    assert Redactor(reg, Privacy.REDACT).owner("ingrid-olsen.refaudit") == "I. O..refaudit"


def test_a_replacement_is_never_matched_again() -> None:
    """Names are replaced in one pass: "Reference A" is not then taken for a person called "Reference"."""
    reg = Registry(references=[Reference(id="a", name="Ann Reference"), Reference(id="b", name="Bo A")])
    red = Redactor(reg, Privacy.ANONYMOUS, order=["a", "b"])
    assert red.text("Ann and Bo") == "Reference A and Reference B"


@pytest.mark.parametrize(
    ("name", "short"),
    [("Dr. Ingrid Olsen", "I. O."), ("Mx Sam Lee", "S. L."), ("Prof Anne Weber", "A. W."), ("Dr", "D."),
     ("Mrs. Jane van Doe", "J. D.")],
    ids=["dr", "mx", "prof", "only-a-title", "title-and-particle"],
)  # fmt: skip
def test_honorifics_are_never_initials(name: str, short: str) -> None:
    """ "I. O.", never "D. O."; a name that is only a title keeps it rather than vanish."""
    assert initials(name) == short


def test_letters_go_on_after_z() -> None:
    """The 27th reference is Reference AA."""
    assert [letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_hostile_text_in_names_and_quotes_is_masked_or_left_as_text() -> None:
    """Regex metacharacters and markup in names are matched literally."""
    reg = Registry(references=[Reference(id="x", name="A.* (B+) <i>")])
    red = Redactor(reg, Privacy.REDACT)
    assert red.text("said A.* (B+) <i> then ABC") == "said A. I.> then ABC"


def _blns() -> list[str]:
    lines = NAUGHTY_STRINGS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("privacy", [Privacy.REDACT, Privacy.ANONYMOUS], ids=["redact", "anonymous"])
def test_naughty_strings_as_names_and_as_text_never_break_redaction(privacy: Privacy) -> None:
    """Every naughty string, as a person's name and as free text: no error, and the known email never survives."""
    lines = _blns()
    reg = Registry(
        owner=lines[0],
        references=[Reference(id=f"r{i}", name=line) for i, line in enumerate(lines)],
        applications=[Application(id="a", company=lines[-1], role="x", applied_on=DAY, via=lines[1])],
        feedback=[Feedback(id="f1", reference="r0", reported_on=DAY, sentiment="mixed", reporter=lines[2])],
    )
    red = Redactor(reg, privacy, order=[f"r{i}" for i in range(len(lines))])
    for line in lines:
        out = red.text(f"{line} wrote to ingrid@zalando.example")
        assert "ingrid@zalando.example" not in out
        assert "[email]" in out


def _shared_reasons(privacy: Privacy) -> list[str]:
    """Ingrid's reasons in a report at ``privacy``, from the real audit."""
    from refaudit import audit, report, settings

    reg = _registry()
    reg.feedback.append(
        Feedback(id="f2", reference="ingrid-olsen", reported_on=date(2026, 3, 5), sentiment="negative",
                 source="recruiter", certainty="verbatim", reporter="Sam Jones at Hays", application="acme",
                 quote="Ingrid Olsen said: José Ñúñez carried the team, not Alex")
    )  # fmt: skip
    conf = settings.load(None)
    day = date(2026, 3, 10)
    verdicts = audit.audit(reg, conf, day)
    contents = report.build_contents(
        reg, verdicts, [], conf, day, redact=privacy is Privacy.REDACT, anonymous=privacy is Privacy.ANONYMOUS
    )
    first = contents["references"][0]  # the most urgent: Ingrid
    assert first["badge"] != "KEEP"
    return list(first["reasons"])


def test_shared_reasons_are_worded_with_people_already_replaced() -> None:
    """Under --redact and --anonymous the reasons are worded again from the verdict's claims, with the
    reporter, the quote and the employer already redacted: the sentence is whole, nobody is in it."""
    plain = _shared_reasons(Privacy.PLAIN)
    assert plain[0].startswith('Sam Jones at Hays (recruiter, verbatim) on 2026-03-05, about Acme Corp: "Ingrid Olsen')
    redacted = _shared_reasons(Privacy.REDACT)
    assert redacted[0].startswith(
        'S. J. at Hays (recruiter, verbatim) on 2026-03-05, about Acme Corp: "I. O. said: J. Ñ. carried the team, '
        'not A. C." (report f2)'
    )
    anonymous = _shared_reasons(Privacy.ANONYMOUS)
    assert anonymous[0].startswith(
        'A recruiter (verbatim) on 2026-03-05, about Employer 1: "Reference A said: Reference B carried the team, '
        'not the candidate" (report f2)'
    )
    for reasons in (redacted, anonymous):
        text = " ".join(reasons)
        for secret in ("Ingrid", "Olsen", "Sam Jones", "José", "Ñúñez", "Alex"):
            assert secret not in text, secret
        assert len(reasons) == len(plain)


def test_an_anonymous_late_loss_is_named_by_its_employer_once() -> None:
    """The late-loss comparison names each application "company (id, outcome)"; in an anonymous copy
    the id would only repeat "Employer 1", so it is left out."""
    from refaudit import audit, report, settings

    ref = Reference(id="nina-rao", name="Nina Rao", relationship="manager")
    apps = [
        Application(id=f"globex-{i}", company=f"Globex {i}", role="Analyst", applied_on=date(2026, 1, 5 + i),
                    references=["nina-rao"], stage="reference-check", outcome="rejected",
                    closed_on=date(2026, 2, 1 + i))
        for i in range(2)
    ]  # fmt: skip
    reg = Registry(references=[ref], applications=apps)
    conf = settings.load(None)
    day = date(2026, 3, 1)
    verdicts = audit.audit(reg, conf, day)
    [row] = report.build_contents(reg, verdicts, [], conf, day, anonymous=True)["references"]
    text = " ".join(row["reasons"])
    assert "(Employer 1 (rejected), Employer 2 (rejected))" in text
    assert "Globex" not in text and "globex" not in text
