"""Redaction that cannot leak: the red team's names in every field, and the gate that fails closed.

The property test generates names in many scripts and forms and embeds them everywhere a
shared report prints free text; an oracle independent of the lexicon checks the HTML. A few
real PDFs are rendered and read back with pypdf.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from refaudit import gate, service, store, vault
from refaudit import settings as conf
from refaudit.lexicon import _NO_SPACE_RUN, leaks
from refaudit.model import Application, Feedback, Reference, Registry, Said
from refaudit.report.redact import Privacy, Redactor, identity_lexicon
from refaudit.text import fold
from tests.conftest import PASSPHRASE, Runner

AS_OF = date(2026, 11, 30)
SETTINGS = conf.load(None)


def red_team() -> Registry:
    """Every leak of the red team's report (issue 23), in one registry."""
    return Registry(
        owner="Pieter van den Berg",
        references=[
            Reference(id="anna", name="Anna Lee-Smith", relationship="manager", organization="Anna Lee Consulting",
                      phone="+1 555 010 7788", email="alsmith@example.com", title="Lead"),
            Reference(id="nana", name="李娜", relationship="colleague", email="pvdberg@example.com"),
            Reference(id="zw", name="Zo\u00ade Wil\u200bliams", relationship="mentor"),
        ],
        applications=[
            Application(id="acme", company="Acme Corp", role="Analyst", applied_on=date(2026, 10, 1), via="Hays Talent",
                        references=["anna", "nana"], outcome="rejected", stage="reference-check",
                        closed_on=date(2026, 11, 1), reason="Smith was lukewarm; 李娜说她很忙",
                        leads=[Said("Hays Talent has a role at Globex"), Said("call 555–010–7788 again")],
                        criticism=[Said("pvdberg never answered"), Said("Li Na was slow")]),
        ],
        feedback=[
            Feedback(id="f1", reference="anna", reported_on=date(2026, 10, 20), sentiment="negative",
                     source="recruiter", reporter="sam o'neill from hays", application="acme",
                     quote="Lee-Smith said 555\u00a0010\u2009 7788 was her number; Smith again"),
            Feedback(id="f2", reference="nana", reported_on=date(2026, 10, 21), sentiment="lukewarm",
                     source="employer", reporter="王伟", application="acme", quote="王伟说李娜还可以"),
        ],
    )  # fmt: skip


def html_of(reg: Registry, *, anonymous: bool) -> str:
    options = service.ReportOptions(fmt="html", redact=True, anonymous=anonymous)
    return service.render_report(reg, SETTINGS, AS_OF, options).decode("utf-8")


def visible(html: str) -> str:
    return "\n".join(text for _, text in gate.html_texts(html))


_FORBIDDEN = {
    "redact": ["Anna", "Smith", "Lee-Smith", "李娜", "Li Na", "pvdberg", "alsmith", "555–010–7788", "7788", "o'neill",
               "Neill", "王伟", "Wang Wei", "Zoe", "Williams", "Pieter", "Berg", "@example.com"],
    "anonymous": ["Acme", "Hays", "Anna Lee Consulting", "Consulting"],
}  # fmt: skip


@pytest.mark.parametrize("anonymous", [False, True], ids=["redact", "anonymous"])
def test_no_leak_of_the_red_team_survives_in_the_html(anonymous: bool) -> None:
    """Each leak of the red team's report, gone from the HTML (text and attributes)."""
    text = fold(visible(html_of(red_team(), anonymous=anonymous)))
    for secret in _FORBIDDEN["redact"] + (_FORBIDDEN["anonymous"] if anonymous else []):
        assert fold(secret) not in text, secret


def test_the_finished_pdfs_hold_no_lexicon_entry(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """Real PDFs, read back with pypdf: no entry of the lexicon in their text or metadata."""
    for args in (
        ["ref", "add", "Anna Lee-Smith", "--phone", "+1 555 010 7788", "--org", "Anna Lee Consulting"],
        ["ref", "add", "李娜", "--id", "nana", "--email", "pvdberg@example.com"],
        ["app", "add", "Acme Corp", "--role", "Analyst", "--ref", "anna-lee-smith", "--ref", "nana", "--via", "Hays"],
        ["feedback", "log", "anna-lee-smith", "--sentiment", "negative", "--source", "recruiter",
         "--reporter", "sam o'neill from hays", "--quote", "Smith gave 555–010–7788; 李娜说好; pvdberg too"],
    ):  # fmt: skip
        runner.ok(*args)
    keyring = vault.unlock_passphrase(registry.read_bytes(), PASSPHRASE)
    reg = store.decode(vault.open_body(registry.read_bytes(), keyring))
    for flag, privacy in (("--redact", Privacy.REDACT), ("--anonymous", Privacy.ANONYMOUS)):
        out = tmp_path / f"{flag[2:]}.pdf"
        runner.ok("report", flag, "-o", str(out))
        reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
        texts = [page.extract_text() for page in reader.pages]
        texts += [str(v) for v in (reader.metadata or {}).values()]
        texts += [str(item.title) for item in _outline(reader.outline)]
        assert leaks(identity_lexicon(reg, privacy), texts, allowed=gate.own_words()) == []


def _outline(items: list[object]) -> list[pypdf.generic.Destination]:
    out: list[pypdf.generic.Destination] = []
    for item in items:
        if isinstance(item, list):
            out += _outline(item)
        else:
            assert isinstance(item, pypdf.generic.Destination)
            out.append(item)
    return out


# --- the gate ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>Smith said</p>", "a person's name survived the redaction, in the text"),
        ('<img alt="call 555–010–7788">', "a phone number survived the redaction, in an attribute (alt) of <img>"),
        ("<h2>李娜</h2>", "a person's name survived the redaction, in the text"),
    ],
    ids=["text", "attribute", "cjk-heading"],
)
def test_the_gate_names_the_kind_of_field_never_its_value(html: str, message: str) -> None:
    lexicon = identity_lexicon(red_team(), Privacy.REDACT)
    with pytest.raises(gate.LeakError) as caught:
        gate.check(lexicon, gate.html_texts(html), "the redacted report")
    assert str(caught.value) == (
        f"the redacted report was not written: {message}. This is a bug in refaudit; please report it "
        "(without the data)."
    )
    assert caught.value.exit_code == 1


def test_the_gate_ignores_the_stylesheet_and_refaudit_own_words() -> None:
    reg = Registry(references=[Reference(id="summary", name="Summary Smith")])
    html = "<style>.smith{}</style><h1>Summary</h1><p>S. S.</p>"
    gate.check(identity_lexicon(reg, Privacy.REDACT), gate.html_texts(html), "the redacted report")


@pytest.mark.parametrize("args", [["--format", "html", "-o", "out.html"], ["--format", "html", "-o", "-"]])
def test_a_leak_writes_nothing_and_exits_1(
    runner: Runner, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """A string that bypasses the redactor (here: reporters, as a bug would) stops the report: no file, no byte."""
    runner.ok("ref", "add", "Anna Lee-Smith")
    runner.ok("feedback", "log", "anna-lee-smith", "--sentiment", "negative", "--reporter", "Anna's boss Smith")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Redactor, "reporter", lambda self, fb: fb.reporter or "")
    result = runner("report", "--redact", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: The redacted report was not written: the name of someone who relayed a report survived the "
        "redaction, in the text. This is a bug in refaudit; please report it (without the data).\n"
    )
    assert not (tmp_path / "out.html").exists()


def test_calendar_redact_redacts_company_and_role(runner: Runner, registry: Path, tmp_path: Path) -> None:
    """ "Anna Lee Consulting" kept the name in a redacted calendar; now the company goes through the redactor."""
    runner.ok("ref", "add", "Anna Lee", "--phone", "+1 555 010 7788")
    runner.ok("app", "add", "Anna Lee Consulting", "--role", "Assistant to Anna", "--ref", "anna-lee",
              "--applied", "2026-01-05")  # fmt: skip
    out = tmp_path / "c.ics"
    runner.ok("calendar", "--redact", "-o", str(out), "--days", "366")
    text = out.read_text(encoding="utf-8").replace("\r\n ", "")
    assert "Anna" not in text and "Lee" not in text and "A. L. Consulting" in text


# --- the property: nothing identifying reaches the output, and the gate never fires on a clean one ---

_SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzéñüøåç",
    "cyrillic": "абвгдежзиклмнопрстуфхцчшэюя",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "han": (
        "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
        "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    ),
    "kana": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ",
    "hangul": (
        "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설"
        "마길연위표명기반왕금옥육인맹제모탁국"
    ),
    "thai": "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ",
}
_CASELESS = {"han", "kana", "hangul", "thai"}
_INVISIBLE = ["\u00ad", "\u200b", "\u2060", "\ufeff"]


@st.composite
def names(draw: st.DrawFn) -> str:
    script = draw(st.sampled_from(sorted(_SCRIPTS)))
    letters = _SCRIPTS[script]
    size = (2, 3) if script in _CASELESS else (4, 8)

    def part() -> str:
        text = "".join(draw(st.lists(st.sampled_from(letters), min_size=size[0], max_size=size[1])))
        return text if script in _CASELESS else text.capitalize()

    if script in _CASELESS:
        return part()
    first, last = part(), part()
    joiner = draw(st.sampled_from([" ", " ", "-"]))
    return f"{first} {last}" + (f"{joiner}{part()}" if draw(st.booleans()) else "")


@st.composite
def written(draw: st.DrawFn, name: str) -> str:
    """The name as someone may type it: lower case, a part alone, with an invisible character inside."""
    form = draw(st.sampled_from(["whole", "lower", "part", "invisible"]))
    parts = re.split(r"[ \-]", name)
    if form == "lower":
        return name.lower()
    if form == "part":
        return draw(st.sampled_from(parts))
    if form == "invisible":
        chosen = draw(st.sampled_from(parts))
        at = len(chosen) // 2
        return chosen[:at] + draw(st.sampled_from(_INVISIBLE)) + chosen[at:]
    return name


@st.composite
def phones(draw: st.DrawFn) -> str:
    groups = [draw(st.text("0123456789", min_size=3, max_size=4)) for _ in range(3)]
    sep = draw(st.sampled_from(["–", "\u00a0", "\u2009", " ", "-", ".", " – "]))
    return "555" + sep + sep.join(groups)


def _oracle_tokens(name: str) -> list[str]:
    """What must never be seen again: each part of the name, folded, invisible characters removed."""
    clean = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return [fold(p) for p in re.split(r"[ \-]", clean) if len(p) >= 2]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a report takes minutes; the draws are printed
)
@given(data=st.data(), anonymous=st.booleans())
def test_generated_names_never_reach_a_shared_report(data: st.DataObject, anonymous: bool) -> None:
    ref_name, reporter, other = data.draw(names()), data.draw(names()), data.draw(names())
    phone = data.draw(phones())

    def mention(name: str) -> str:
        return data.draw(written(name))

    reg = Registry(
        owner=other,
        references=[
            Reference(id="r1", name=ref_name, relationship="manager", phone=phone,
                      organization=f"{mention(other)} Ltd", notes=f"met {mention(reporter)} via {mention(other)}",
                      tags=[mention(ref_name)]),
            Reference(id="r2", name="Bo Kim", relationship="colleague"),
        ],
        applications=[
            Application(id="a1", company=f"{mention(ref_name)} Consulting", role="Analyst", applied_on=date(2026, 9, 1),
                        via=f"{mention(reporter)} Agency", references=["r1", "r2"], stage="reference-check",
                        outcome="rejected", closed_on=date(2026, 10, 1), reason=f"{mention(ref_name)} was slow",
                        leads=[Said(f"ask {mention(reporter)} on {phone}")],
                        criticism=[Said(f"{mention(other)} said no")],
                        notes=f"{mention(ref_name)} and {mention(reporter)}"),
        ],
        feedback=[
            Feedback(id="f1", reference="r1", reported_on=date(2026, 9, 20), sentiment="negative", source="recruiter",
                     reporter=mention(reporter), application="a1",
                     quote=f"“{mention(ref_name)}” said {mention(other)} is on {phone}", topics=[mention(ref_name)],
                     notes=f"{mention(reporter)} called"),
        ],
    )  # fmt: skip
    html = html_of(reg, anonymous=anonymous)  # the gate runs inside: it must not fire on a clean report
    text = fold("".join(c for c in visible(html) if unicodedata.category(c) != "Cf"))
    own = gate.own_words()
    typed_reporter = reg.feedback[0].reporter or ""  # only what the registry holds can be known to be a name
    for name in (ref_name, typed_reporter, other):
        for token in _oracle_tokens(name):
            if token in own:
                continue
            bounded = not _NO_SPACE_RUN.search(token)
            pattern = rf"(?<!\w){re.escape(token)}(?!\w)" if bounded else re.escape(token)
            assert not re.search(pattern, text), (name, token)
    digits = re.sub(r"\D", "", phone)
    assert digits not in re.sub(r"\D", "", text.replace(" ", ""))
