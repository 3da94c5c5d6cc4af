"""The report's charts as data: coordinates in a fixed viewBox, and what each shows in words.

Pure. The templates only draw what is computed here; each chart also carries ``alt``, one
or two sentences saying what it shows, which the PDF gets as the figure's text alternative
(the SVG's ``<title>``) and as its visible caption.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from refaudit.model import Feedback

# Sentiments grouped for the table and the chart: positive, negative, everything else.
SENTIMENT_GROUP = {
    "positive": "positive",
    "negative": "negative",
    "neutral": "other",
    "lukewarm": "other",
    "mixed": "other",
    "no-response": "other",
    "declined": "other",
}
# The timeline's bars go further: lukewarm and mixed (faint praise, reservations: the signal the
# audit is about) stand apart from the neutral, unanswered and declined reports, in their own colour.
CHART_GROUP = {**SENTIMENT_GROUP, "lukewarm": "reserved", "mixed": "reserved"}
CHART_GROUPS = ("positive", "other", "reserved", "negative")  # stacked from the baseline up
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# The mark on a risk bar whose verdict a rule set rather than the number.
RULE_MARK = "†"


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


CHART_W = 640
TIMELINE_H = 200
_PLOT = {"left": 36.0, "right": 8.0, "top": 10.0, "bottom": 28.0}


def _nice_ceiling(value: int) -> int:
    """The smallest of 4, 8, 12, 20, 40, 80, 100, 200, … at or above ``value``: four even gridlines."""
    scale = 1
    while True:
        for step in (4, 8, 12, 20):
            if step * scale >= value:
                return step * scale
        scale *= 10


# A run of empty months longer than this is drawn as one marked break, not as empty slots.
MAX_EMPTY_MONTHS = 6


def timeline_chart(feedback: Sequence[Feedback], as_of: date) -> dict[str, Any]:
    """Reports per month (per quarter or year when the span is long), stacked by ``CHART_GROUP``.

    A run of empty periods covering more than ``MAX_EMPTY_MONTHS`` months takes one slot, drawn
    as a break (``gap``) that says which periods it leaves out.
    """
    if not feedback:
        return {"empty": True, "alt": "No reports yet.", "width": CHART_W, "height": TIMELINE_H}
    first = month_index(min(fb.reported_on for fb in feedback))
    last = month_index(as_of)
    span = last - first + 1
    months_per_bar, unit = (1, "month") if span <= 24 else (3, "quarter") if span <= 72 else (12, "year")
    first -= first % months_per_bar
    n = (last - first) // months_per_bar + 1
    bins = [Counter[str]() for _ in range(n)]
    for fb in feedback:
        bins[(month_index(fb.reported_on) - first) // months_per_bar][CHART_GROUP.get(fb.sentiment, "other")] += 1
    slots = _slots(bins, months_per_bar)
    top = _nice_ceiling(max(sum(b.values()) for b in bins))
    plot_w = CHART_W - _PLOT["left"] - _PLOT["right"]
    plot_h = TIMELINE_H - _PLOT["top"] - _PLOT["bottom"]
    slot = plot_w / len(slots)
    label_every = max(1, -(-len(slots) // 12))

    def when(i: int) -> tuple[int, int]:
        return divmod(first + i * months_per_bar, 12)

    bars = []
    for k, (start, stop) in enumerate(slots):
        left = _PLOT["left"] + k * slot
        if stop > start + 1:
            bars.append(_gap(left, slot, plot_h, _period_name(unit, *when(start)), _period_name(unit, *when(stop - 1))))
            continue
        bar = _bar(bins[start], left, slot, plot_h, top)
        year, month = when(start)
        label = (
            f"{MONTHS[month]} {year % 100:02d}" if unit == "month"
            else f"Q{month // 3 + 1} {year % 100:02d}" if unit == "quarter"
            else str(year)
        )  # fmt: skip
        bar["label"] = label if k % label_every == 0 or (k == len(slots) - 1 and len(slots) <= 12) else ""
        bar["period"] = _period_name(unit, year, month)
        bars.append(bar)
    busiest = max(range(n), key=lambda i: (sum(bins[i].values()), -i))
    return {
        "empty": False,
        "alt": _timeline_alt(len(feedback), bins, bars, unit, _period_name(unit, *when(busiest))),
        "width": CHART_W,
        "height": TIMELINE_H,
        "left": _PLOT["left"],
        "right": f"{CHART_W - _PLOT['right']:.1f}",
        "baseline": f"{_PLOT['top'] + plot_h:.1f}",
        "label_y": f"{_PLOT['top'] + plot_h + 16:.1f}",
        "bars": bars,
        "grid": _grid(top, plot_h),
        "unit": unit,
    }


def _slots(bins: Sequence[Counter[str]], months_per_bar: int) -> list[tuple[int, int]]:
    """The chart's slots as ``[start, stop)`` ranges of bins: one per bin, or one per long empty run."""
    slots: list[tuple[int, int]] = []
    i = 0
    while i < len(bins):
        j = i
        while j < len(bins) and not bins[j]:
            j += 1
        if (j - i) * months_per_bar > MAX_EMPTY_MONTHS:
            slots.append((i, j))
            i = j
        else:
            slots.append((i, i + 1))
            i += 1
    return slots


def _gap(left: float, slot: float, plot_h: float, since: str, until: str) -> dict[str, Any]:
    """A break in the time axis: no reports from ``since`` to ``until``."""
    cx = left + slot / 2
    base = _PLOT["top"] + plot_h
    return {
        "gap": True,
        "cx": f"{cx:.1f}",
        "x1": f"{cx - 4:.1f}",
        "x2": f"{cx + 4:.1f}",
        "y1": f"{base + 5:.1f}",
        "y2": f"{base - 5:.1f}",
        "label": "no reports",
        "period": f"{since} to {until}",
        "segments": [],
        "total": 0,
    }


def _bar(counts: Counter[str], left: float, slot: float, plot_h: float, top: int) -> dict[str, Any]:
    """One bar of the timeline: its segments stacked positive, other, reserved, negative from the baseline."""
    bar_w = slot * 0.7
    x = left + (slot - bar_w) / 2
    base = _PLOT["top"] + plot_h
    segments = []
    for group in CHART_GROUPS:
        h = plot_h * counts[group] / top
        if h > 0:
            base -= h
            segments.append({"group": group, "y": f"{base:.1f}", "h": f"{h:.1f}"})
    return {
        "gap": False,
        "x": f"{x:.1f}",
        "w": f"{bar_w:.1f}",
        "cx": f"{x + bar_w / 2:.1f}",
        "segments": segments,
        "total": sum(counts.values()),
    }


def _grid(top: int, plot_h: float) -> list[dict[str, str]]:
    """Horizontal lines at whole numbers of reports, a quarter of the scale apart."""
    grid = []
    for k in range(5):
        value = top * k / 4
        if value != int(value):
            continue
        y = _PLOT["top"] + plot_h - plot_h * k / 4
        grid.append({"y": f"{y:.1f}", "label": f"{int(value):,}"})
    return grid


def _timeline_alt(
    reports: int, bins: Sequence[Counter[str]], bars: Sequence[dict[str, Any]], unit: str, busiest: str
) -> str:
    """What the chart shows, in one sentence, for a screen reader."""
    totals = Counter[str]()
    for counts in bins:
        totals.update(counts)
    gaps = [b["period"] for b in bars if b["gap"]]
    skipped = f" (none from {', nor from '.join(gaps)}, drawn as a break)" if gaps else ""
    start = bars[0]["period"].split(" to ")[0]
    end = bars[-1]["period"].split(" to ")[-1]
    return (
        f"Bar chart of the {reports:,} report{'' if reports == 1 else 's'} per {unit}, "
        f"from {start} to {end}{skipped}: {totals['positive']:,} positive, "
        f"{totals['reserved']:,} lukewarm or mixed, {totals['negative']:,} negative and {totals['other']:,} other; "
        f"the most, {max(sum(b.values()) for b in bins):,}, in {busiest}."
    )


RISK_ROW = 18.0
_RISK_LABEL_W = 200.0
_RISK_BAR_W = 340.0


def risk_chart(rows: Sequence[dict[str, Any]], thresholds: Mapping[str, float], limit: int) -> dict[str, Any]:
    """Risk per reference, highest first, as horizontal bars against the thresholds.

    A bar whose verdict a rule set rather than the number (``row["rule"]``) is marked
    ``RULE_MARK`` and its rule is listed under the chart, so that "WATCH 0.24" left of the
    0.30 line says why.
    """
    ranked = sorted(rows, key=lambda r: (-r["risk"], r["index"]))
    shown = ranked[:limit]
    top = 22.0
    bars = []
    for i, row in enumerate(shown):
        y = top + i * RISK_ROW
        name = row["name"]
        bars.append(
            {
                "label": name if len(name) <= 30 else name[:29] + "…",
                "y": f"{y:.1f}",
                "text_y": f"{y + RISK_ROW * 0.68:.1f}",
                "bar_y": f"{y + 3:.1f}",
                "bar_h": f"{RISK_ROW - 6:.1f}",
                "w": f"{max(1.0, _RISK_BAR_W * row['risk']):.1f}",
                "recommendation": row["recommendation"],
                "value": f"{row['badge']} {row['risk_text']}" + (f" {RULE_MARK}" if row.get("rule") else ""),
                "index": row["index"],
            }
        )
    x0 = _RISK_LABEL_W
    height = top + len(shown) * RISK_ROW + 22
    lines = [
        {
            "level": level,
            "x": f"{x0 + _RISK_BAR_W * value:.1f}",
            "label": f"{level} {value:.2f}",
        }
        for level, value in sorted(thresholds.items(), key=lambda kv: kv[1])
    ]
    ticks = [{"x": f"{x0 + _RISK_BAR_W * t / 4:.1f}", "label": f"{t / 4:.2f}"} for t in range(5)]
    ruled = [{"name": r["name"], "rule": r["rule"]} for r in shown if r.get("rule")]
    counts = Counter(r["recommendation"] for r in shown)
    alt = (
        f"Horizontal bars of the risk that each of {len(shown):,} reference{'' if len(shown) == 1 else 's'} hurts "
        f"you, highest first, against the thresholds {_thresholds_in_words(thresholds)}: "
        + ", ".join(f"{counts[rec]} {rec}" for rec in ("drop", "watch", "keep") if counts[rec])
        + (f"; highest {shown[0]['name']}, {shown[0]['risk_text']}." if shown else ".")
    )
    return {
        "empty": not shown,
        "alt": alt,
        "ruled": ruled,
        "mark": RULE_MARK,
        "width": CHART_W,
        "height": f"{height:.0f}",
        "x0": f"{x0:.1f}",
        "x1": f"{x0 + _RISK_BAR_W:.1f}",
        "value_x": f"{x0 + _RISK_BAR_W + 8:.1f}",
        "top": f"{top - 4:.1f}",
        "bottom": f"{top + len(shown) * RISK_ROW:.1f}",
        "tick_y": f"{top + len(shown) * RISK_ROW + 14:.1f}",
        "label_y": f"{top - 8:.1f}",
        "bars": bars,
        "lines": lines,
        "ticks": ticks,
        "hidden": len(ranked) - len(shown),
    }


def _thresholds_in_words(thresholds: Mapping[str, float]) -> str:
    return " and ".join(f"{level} at {value:.2f}" for level, value in sorted(thresholds.items(), key=lambda kv: kv[1]))


def _period_name(unit: str, year: int, month: int) -> str:
    """A bar's period in words, for the chart's text alternative: ``November 2026``, ``Q4 2026``, ``2026``."""
    if unit == "month":
        return f"{LONG_MONTHS[month]} {year}"
    return f"Q{month // 3 + 1} {year}" if unit == "quarter" else str(year)
