"""docs/PERFORMANCE.md: its results are written by ``python -m benchmarks --markdown`` (``make bench``)
between two markers, and nothing else on the page is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.__main__ import BEGIN, END, replace_between_markers, write_markdown
from benchmarks.harness import Row, Series, Target

PAGE = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"


def test_the_performance_page_holds_each_marker_once_in_order() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1
    assert text.count(END) == 1
    assert text.index(BEGIN) < text.index(END)


def test_the_generator_rewrites_only_what_lies_between_the_markers(tmp_path: Path) -> None:
    """A copy of the real page: every byte before BEGIN and after END is kept; between them, the new table."""
    page = tmp_path / "PERFORMANCE.md"
    original = PAGE.read_text(encoding="utf-8")
    page.write_text(original, encoding="utf-8")
    rows = [Row("in process (CPU): next", "stress", Series([2.0, 2.2, 2.1]), 0.25, "(heavy, same run)",
                Target("≤ 11× heavy (linear)", max_ratio=11.0))]  # fmt: skip
    write_markdown(page, rows, ["a note"], {"cpu": "test"}, "2026-12-03 09:00 UTC, quick run, took 1 s")
    written = page.read_text(encoding="utf-8")
    head, tail = original.split(BEGIN)[0], original.split(END)[1]
    assert written.startswith(head + BEGIN)
    assert written.endswith(END + tail)
    between = written[len(head) : len(written) - len(tail)]
    assert (
        "| in process (CPU): next | stress | 2.10 s | 2.00 s–2.20 s (n=3) | — | 250 ms (heavy, same run) | 8.40× |"
        in between
    )
    assert "- a note" in between and "- cpu: test" in between and "- run: 2026-12-03 09:00 UTC" in between
    write_markdown(page, rows, ["a note"], {"cpu": "test"}, "2026-12-03 09:00 UTC, quick run, took 1 s")
    assert page.read_text(encoding="utf-8") == written  # the same run writes the same page


@pytest.mark.parametrize(
    "text",
    ["no markers at all\n", f"{BEGIN}\nonly the first\n", f"{END}\n{BEGIN}\n", f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n"],
    ids=["none", "no-end", "reversed", "twice"],
)
def test_a_page_without_its_markers_in_order_is_refused_and_left_alone(text: str, tmp_path: Path) -> None:
    page = tmp_path / "PERFORMANCE.md"
    page.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match="must hold each bench marker once"):
        write_markdown(page, [], [], {}, "run")
    assert page.read_text(encoding="utf-8") == text
    with pytest.raises(SystemExit):
        replace_between_markers(text, "x")
