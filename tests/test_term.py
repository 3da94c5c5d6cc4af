"""Terminal output that fits: display widths, fitted tables, wrapping, NO_COLOR, closed pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from refaudit.cli import _term, cli
from refaudit.cli._term import Column, cut, table, width
from tests.conftest import PASSPHRASE, Runner

REFAUDIT = Path(sys.executable).with_name("refaudit")


def test_width_counts_display_columns() -> None:
    """CJK takes two columns, a combining accent none, an emoji sequence two."""
    assert [width(t) for t in ("abc", "李娜", "e\u0301", "👩\u200d👩\u200d👧", "")] == [3, 4, 1, 2, 0]


ASCII_WORDS = st.lists(
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=130), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(
    words=ASCII_WORDS,
    first=st.sampled_from(["", "  ", "   - ", "1. "]),
    rest=st.sampled_from(["", "  ", "     "]),
    limit=st.integers(min_value=40, max_value=100),
)
def test_plain_text_wraps_as_wcwidth_wraps_it(words: list[str], first: str, rest: str, limit: int) -> None:
    """Printable ASCII takes the standard library's textwrap (faster, wcwidth not loaded): the
    lines are exactly wcwidth's, long words and punctuation included."""
    import wcwidth

    text = " ".join(words)
    expected = wcwidth.wrap(text, limit, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COLUMNS", str(limit))
        assert _term.wrap(text, first, rest) == ("\n".join(expected) if expected else first.rstrip())
    assert width(text) == wcwidth.width(text, control_codes="ignore")


def test_text_that_is_not_plain_ascii_is_measured_by_display_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide character, an accent or an escape takes wcwidth's way: columns, not characters."""
    monkeypatch.setenv("COLUMNS", "40")
    wrapped = _term.wrap("李娜 " * 30, "  - ", "    ")
    assert all(len(line) < width(line) <= 40 for line in wrapped.splitlines())  # two columns a character
    assert width("e\u0301\t") == 1 and width("\x1b[1mbold\x1b[0m") == 4


def test_cut_never_splits_a_wide_character() -> None:
    """Cutting to N columns ends in … and never takes more than N columns."""
    assert cut("李娜李娜", 5) == "李娜…"
    assert cut("李娜李娜", 8) == "李娜李娜"
    assert cut("abcdef", 4) == "abc…"
    assert [width(cut("佐藤健 and more", n)) <= n for n in range(12)] == [True] * 12


ROWS = [
    ["li-na", "李娜", "colleague", "北京大学 Peking University", "active", "3", "1"],
    ["zuo-teng-jian", "佐藤健", "manager", "株式会社 Example", "active", "12", "4"],
    ["jane-doe", "Jane Doe", "manager", "Acme Corp", "resting", "0", "0"],
]
COLUMNS = [
    Column("ID", keep=9, min=10), Column("NAME", keep=8, min=10), Column("RELATIONSHIP", keep=3, min=7),
    Column("ORGANIZATION", keep=1, min=8), Column("STATUS", keep=6), Column("USES", keep=5, min=4),
    Column("REPORTS", keep=4, min=7),
]  # fmt: skip


def test_table_aligns_cjk_by_display_width() -> None:
    """With room, every column starts at the same display column on every line."""
    text, hidden = table(COLUMNS, ROWS, limit=None)
    assert hidden == []
    assert text == (
        "ID             NAME      RELATIONSHIP  ORGANIZATION                STATUS   USES  REPORTS\n"
        "-------------  --------  ------------  --------------------------  -------  ----  -------\n"
        "li-na          李娜      colleague     北京大学 Peking University  active   3     1\n"
        "zuo-teng-jian  佐藤健    manager       株式会社 Example            active   12    4\n"
        "jane-doe       Jane Doe  manager       Acme Corp                   resting  0     0"
    )


@pytest.mark.parametrize("limit", [80, 60, 40, 30])
def test_table_fits_the_terminal(limit: int) -> None:
    """At any width, no line is wider than the terminal; CJK counted double."""
    text, _ = table(COLUMNS, [[c * 3 for c in row] for row in ROWS], limit=limit)
    assert max(width(line) for line in text.splitlines()) <= limit


def test_table_cuts_long_cells_then_drops_the_least_useful_columns() -> None:
    """At 60 columns the organisation goes and a long id is cut with …; at 40 three columns are left out."""
    text, hidden = table(COLUMNS, ROWS, limit=60)
    assert hidden == ["ORGANIZATION"]
    assert text == (
        "ID            NAME      RELATIONSHIP  STATUS   USES  REPORTS\n"
        "------------  --------  ------------  -------  ----  -------\n"
        "li-na         李娜      colleague     active   3     1\n"
        "zuo-teng-ji…  佐藤健    manager       active   12    4\n"
        "jane-doe      Jane Doe  manager       resting  0     0"
    )
    text, hidden = table(COLUMNS, ROWS, limit=40)
    assert hidden == ["RELATIONSHIP", "ORGANIZATION", "REPORTS"]
    assert text.splitlines()[0] == "ID             NAME      STATUS   USES"


@pytest.fixture
def cjk_registry(runner: Runner, registry: Path) -> Path:
    runner.ok("ref", "add", "李娜", "-r", "colleague", "--org", "北京大学 Peking University, School of Economics")
    runner.ok("ref", "add", "佐藤健", "-r", "manager", "--org", "株式会社エグザンプル・ホールディングス")
    runner.ok("ref", "add", "Jane Doe", "-r", "manager", "--org", "Acme Corp")
    runner.ok("app", "add", "株式会社エグザンプル", "--role", "データアナリスト", "--ref", "li", "--ref", "jane")
    runner.ok(
        "feedback", "log", "li na", "-s", "lukewarm", "--source", "recruiter", "--reporter", "王先生 at Hays",
        "--quote", "她说：我需要很多指导，" * 5, "--app", "zhu",
    )  # fmt: skip
    return registry


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("command", [["ref", "list"], ["app", "list"], ["feedback", "list"], ["history"]])
def test_lists_fit_80_and_40_columns(runner: Runner, cjk_registry: Path, command: list[str], columns: int) -> None:
    """Every list fits the terminal's width (COLUMNS), CJK names included; --wide shows every column."""
    result = runner.ok(*command, env={"COLUMNS": str(columns)})
    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= columns
    assert lines[0].startswith(("ID", "TIME", "SUMMARY"))
    wide = runner.ok(*command, "--wide", env={"COLUMNS": str(columns)})
    assert "…" not in wide.stdout
    assert wide.stderr == ""


def test_a_narrow_terminal_says_what_was_left_out(runner: Runner, cjk_registry: Path) -> None:
    """Columns left out are named on stderr, with how to see them."""
    result = runner.ok("feedback", "list", env={"COLUMNS": "40"})
    assert result.stderr == (
        "(APPLICATION, SOURCE, CERTAINTY, REPORTER, QUOTE left out to fit 40 columns; --wide shows every column.)\n"
    )
    assert result.stdout.splitlines()[2].startswith("f1  ")


def test_app_show_wraps_long_lines(runner: Runner, cjk_registry: Path) -> None:
    """`app show` wraps the quote and long fields within 100 columns."""
    out = runner.ok("app", "show", "zhu").stdout
    assert max(width(line) for line in out.splitlines()) <= 100


# --- colour ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "coloured"),
    [({}, True), ({"NO_COLOR": "1"}, False), ({"NO_COLOR": "yes"}, False), ({"TERM": "dumb"}, False)],
    ids=["terminal", "no-color", "no-color-any-value", "term-dumb"],
)
def test_no_color_and_dumb_terminals(cjk_registry: Path, env: dict[str, str], coloured: bool) -> None:
    """On a colour terminal audit colours its verdicts; NO_COLOR (any value) and TERM=dumb turn it off."""
    base = {"NO_COLOR": None, "TERM": "xterm-256color"}
    result = CliRunner().invoke(cli, ["audit"], env={**base, **env}, color=True, catch_exceptions=False)
    assert result.exit_code == 0
    assert ("\x1b[" in result.output) is coloured


@pytest.mark.parametrize(
    ("args", "env", "terminal", "coloured"),
    [
        ([], {"FORCE_COLOR": "1"}, False, True),
        ([], {"FORCE_COLOR": "0"}, False, False),
        ([], {"FORCE_COLOR": ""}, False, False),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),
        ([], {"FORCE_COLOR": "3", "TERM": "dumb"}, False, True),
        (["--color", "always"], {"NO_COLOR": "1", "TERM": "dumb"}, False, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, True, False),
        (["--color", "auto"], {}, False, False),
    ],
    ids=["force-on-a-pipe", "force-0", "force-empty", "no-color-beats-force", "force-beats-dumb",
         "always-beats-everything", "never-beats-everything", "auto-pipe"],
)  # fmt: skip
def test_color_option_and_force_color_follow_the_precedence(
    cjk_registry: Path, args: list[str], env: dict[str, str], terminal: bool, coloured: bool
) -> None:
    """--color > NO_COLOR > FORCE_COLOR (not 0) > TERM=dumb > is a terminal."""
    base = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm-256color"}
    result = CliRunner().invoke(cli, [*args, "audit"], env={**base, **env}, color=terminal, catch_exceptions=False)
    assert result.exit_code == 0
    assert ("\x1b[" in result.output) is coloured


def test_a_bad_color_value_is_a_usage_error(cjk_registry: Path) -> None:
    """--color takes auto, always or never; anything else is exit 2 naming them."""
    result = CliRunner().invoke(cli, ["--color", "\x1b[31mred", "audit"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--color': '\\x1b[31mred' is not one of 'auto', 'always', 'never'.\n"
    )
    assert "\x1b" not in result.output


# --- closed pipes -------------------------------------------------------------------------------

READ_COMMANDS = [
    ["ref", "list"], ["ref", "show", "jane"], ["app", "list"], ["app", "show", "zhu"], ["feedback", "list"],
    ["history"], ["audit"], ["lineup"], ["next"], ["verify"], ["export"], ["export", "--format", "json"],
    ["completion", "bash"], ["--help"], ["--version"], ["ref", "list", "--json"],
]  # fmt: skip


def _env(registry: Path) -> dict[str, str]:
    return {**os.environ, "REFAUDIT_REGISTRY": str(registry), "REFAUDIT_PASSPHRASE": PASSPHRASE}


def test_every_read_command_exits_0_into_a_closed_pipe(cjk_registry: Path) -> None:
    """`refaudit X | head -1` where head has gone: exit 0, no traceback, for every read command."""
    procs = []
    for command in READ_COMMANDS:
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first byte: every write fails
        proc = subprocess.Popen(
            [str(REFAUDIT), *command], stdout=write_end, stderr=subprocess.PIPE, env=_env(cjk_registry)
        )
        os.close(write_end)
        procs.append((command, proc))
    for command, proc in procs:
        _, err = proc.communicate(timeout=60)
        stderr = err.decode()
        assert (proc.returncode, "Traceback" in stderr, "Exception ignored" in stderr) == (0, False, False), (
            command,
            stderr,
        )


def test_head_1_in_a_pipefail_script(cjk_registry: Path) -> None:
    """The line from the issue: `set -o pipefail; refaudit audit | head -1` succeeds."""
    script = f"set -o pipefail; {REFAUDIT} audit | head -1; {REFAUDIT} history | head -1"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=_env(cjk_registry), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Audit as of ")
    assert "TIME" in result.stdout


def test_a_broken_pipe_elsewhere_is_still_an_error(
    runner: Runner, cjk_registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a closed standard output is forgiven: a pipe to anything else breaking is a failure (exit 1)."""
    from refaudit import history

    def broken(entries: object) -> list[str]:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(history, "problems", broken)
    result = CliRunner().invoke(cli, ["history"])
    assert result.exit_code == 1


@pytest.mark.parametrize("value", ["-5", "0", "abc", "80x", "", "\x1b[31m", "99999999999999999999"])
def test_a_strange_columns_value_is_ignored(runner: Runner, cjk_registry: Path, value: str) -> None:
    """COLUMNS that is not a positive whole number is ignored (whole rows); a huge one is room enough."""
    result = runner.ok("ref", "list", env={"COLUMNS": value})
    assert result.stderr == ""
    assert cut("北京大学 Peking University, School of Economics", 40) in result.stdout
