"""``python -m benchmarks`` (``make bench``): run the benchmarks and print one table.

Example:
    python -m benchmarks                                 # everything (under ten minutes on 2 cores)
    python -m benchmarks --quick                         # fewer repeats, no stress report
    python -m benchmarks --only store --only commands --tier heavy
    python -m benchmarks --markdown docs/PERFORMANCE.md  # also rewrite the tables there (make bench does)
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import harness, suites

BEGIN = "<!-- bench:begin (written by python -m benchmarks --markdown; do not edit by hand) -->"
END = "<!-- bench:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; skip the stress report")
    parser.add_argument(
        "--only",
        action="append",
        choices=suites.SUITES,
        metavar="NAME",
        help=f"run only this suite (repeatable): {', '.join(suites.SUITES)}",
    )
    parser.add_argument(
        "--tier", action="append", choices=suites.TIERS, help="run only this tier (repeatable; default: all)"
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="PATH",
        help="rewrite the results between the bench markers in this file (make bench: docs/PERFORMANCE.md)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    info = harness.machine()
    rows = suites.run_all(suites.Plan.make(args.quick), args.only or suites.SUITES, args.tier or suites.TIERS)
    took = time.perf_counter() - started

    print()
    print(harness.text_table(rows))
    notes = harness.footnotes(rows)
    if notes:
        print()
        for n in notes:
            print(f"- {n}")
    print()
    for key, value in info.items():
        print(f"{key}: {value}")
    print(f"run: {when}, {'quick' if args.quick else 'full'}, took {took:.0f} s")
    missed = [r for r in rows if r.series is not None and r.cells()[-1] == "MISSED"]
    if missed:
        print(f"{len(missed)} target(s) missed: see docs/PERFORMANCE.md for causes and fixes.")

    if args.markdown:
        write_markdown(args.markdown, rows, notes, info, f"{when}, {'quick' if args.quick else 'full'} run, "
                                                          f"took {took:.0f} s")  # fmt: skip
        print(f"table written to {args.markdown}")
    return 0


def write_markdown(path: Path, rows: list[harness.Row], notes: list[str], info: dict[str, str], run: str) -> None:
    """Replace what lies between the bench markers in ``path``; everything else stays byte for byte.

    The markers must be there, once each and in order: the page's hand-written sections are
    never rewritten, and a page without them is refused rather than appended to.
    """
    block = [BEGIN, "", harness.markdown_table(rows), ""]
    block += [f"- {n}" for n in notes]
    block += ["", "Machine:", ""] + [f"- {k}: {v}" for k, v in info.items()] + [f"- run: {run}", "", END]
    path.write_text(replace_between_markers(path.read_text(encoding="utf-8"), "\n".join(block)), encoding="utf-8")


def replace_between_markers(text: str, block: str) -> str:
    """``text`` with its one BEGIN … END span replaced by ``block`` (which carries both markers)."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise SystemExit(f"the page must hold each bench marker once, {BEGIN!r} before {END!r}; nothing written")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + block + tail


if __name__ == "__main__":
    sys.exit(main())
