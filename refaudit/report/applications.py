"""The report's later parts: what employers said (the debriefs, grouped), the track record,
and the applications one by one, each capped by the ``report:`` settings with what is left
out counted. Pure, like ``contents.py``, which calls them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from refaudit import asof
from refaudit.applications import said_on
from refaudit.model import Application, Feedback, Registry
from refaudit.report.charts import MONTHS, SENTIMENT_GROUP, month_index
from refaudit.report.redact import Redactor
from refaudit.report.settings import ReportSettings
from refaudit.text import fold

if TYPE_CHECKING:
    from refaudit.settings import Settings

_WORD_RE = re.compile(r"\w+")


def iso(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


def natural(text: str) -> tuple[str, int]:
    """``f10`` after ``f9``: feedback ids sort by their number."""
    match = re.fullmatch(r"(\D*)(\d+)", text)
    return (match.group(1), int(match.group(2))) if match else (text, -1)


def _group_key(text: str) -> str:
    return " ".join(_WORD_RE.findall(fold(text)))


def debriefs_part(apps: Sequence[Application], red: Redactor, limit: int) -> dict[str, Any]:
    newest = sorted(apps, key=lambda a: (a.closed_on or a.last_change, a.applied_on, a.id), reverse=True)

    def grouped(items: Iterable[tuple[str, Application, date | None]]) -> tuple[list[dict[str, Any]], int]:
        groups: dict[str, dict[str, Any]] = {}
        for text, app, day in items:
            key = _group_key(text) or text
            group = groups.setdefault(key, {"text": red.text(text), "count": 0, "companies": [], "date": ""})
            group["count"] += 1
            group["date"] = max(group["date"], iso(day)) if day else group["date"]
            company = red.company(app.company)
            if company not in group["companies"]:
                group["companies"].append(company)
        ordered = sorted(groups.values(), key=lambda g: -g["count"])  # stable: newest first among equals
        for g in ordered:
            extra = len(g["companies"]) - 4
            g["where"] = ", ".join(g["companies"][:4]) + (f" and {extra} more" if extra > 0 else "")
        return ordered[:limit], max(0, len(ordered) - limit)

    reasons, reasons_more = grouped((a.reason, a, a.closed_on) for a in newest if a.reason and not a.is_open)
    criticism, criticism_more = grouped((c.text, a, said_on(a, c)) for a in newest for c in a.criticism)
    leads_all = [
        {"text": red.text(lead.text), "company": red.company(a.company), "date": iso(said_on(a, lead) or a.last_change)}
        for a in newest
        for lead in a.leads
    ]
    leads_all.sort(key=lambda lead: lead["date"], reverse=True)  # stable: newest application first on a day
    return {
        "reasons": reasons,
        "reasons_more": reasons_more,
        "criticism": criticism,
        "criticism_more": criticism_more,
        "leads": leads_all[:limit],
        "leads_more": max(0, len(leads_all) - limit),
        "empty": not (reasons or criticism or leads_all),
    }


_OUTCOME_COLUMNS = (
    ("pending", ("pending",)),
    ("offer", ("offer", "accepted")),
    ("rejected", ("rejected", "eliminated")),
    ("ghosted", ("ghosted",)),
    ("withdrawn", ("withdrawn",)),
)

_COLUMN_OF = {outcome: column for column, outcomes in _OUTCOME_COLUMNS for outcome in outcomes}

# Applications in the track-record chapter, newest first: each distinct day one was given on costs an
# audit of the whole registry, so a big registry's report lists the most recent ones (the CLI lists all).
_TRACK_ROWS = 40


def track_part(registry: Registry, settings: Settings, as_of: date, red: Redactor) -> dict[str, Any]:
    """The track record: each ended application, the audit's call on its references the day they were
    given, and how it ended (newest first), with the summary line."""
    from refaudit.audit.track import track_record

    record = track_record(registry, settings, as_of, limit=_TRACK_ROWS)
    apps = {a.id: a for a in registry.applications}
    rows = [
        {
            "company": red.company(e.company),
            "applied": apps[e.id].applied_on.isoformat() if e.id in apps else "",
            "given": [
                {"name": red.name(g.reference), "on": g.on.isoformat(), "call": g.recommendation} for g in e.given
            ],
            "outcome": e.outcome,
            "offer": e.offer,
        }
        for e in reversed(record.applications)
    ]
    ended = sum(1 for a in asof.view(registry, as_of).applications if a.outcome != "pending")
    return {"rows": rows, "summary": record.summary(), "more": max(0, ended - len(rows)), **record.counts()}


def applications_part(
    apps: Sequence[Application], feedback: Sequence[Feedback], red: Redactor, cfg: ReportSettings
) -> dict[str, Any]:
    """One row per application: references given, stage reached, outcome, what was reported about whom."""
    said: dict[str, list[Feedback]] = defaultdict(list)
    for fb in feedback:
        if fb.application:
            said[fb.application].append(fb)
    newest = sorted(apps, key=lambda a: (a.applied_on, a.id), reverse=True)
    rows = []
    for a in newest[: cfg.applications_listed]:
        reports = sorted(said[a.id], key=lambda fb: (fb.reported_on, natural(fb.id)))
        rows.append(
            {
                "company": red.company(a.company),
                "role": "" if red.anonymous else red.text(a.role),
                "applied": a.applied_on.isoformat(),
                "references": ", ".join(red.name(r) for r in a.references) or "—",
                "stage": a.stage,
                "outcome": a.outcome,
                "reason_kind": a.reason_kind or "",
                "reason": red.text(a.reason),
                "reported": [
                    {
                        "who": red.name(fb.reference),
                        "sentiment": fb.sentiment,
                        "group": SENTIMENT_GROUP.get(fb.sentiment, "other"),
                        "by": red.reporter(fb) or fb.source,
                    }
                    for fb in reports
                ],
            }
        )
    by_month: dict[int, Counter[str]] = defaultdict(Counter)
    totals = Counter[str]()
    for a in apps:
        bucket = by_month[month_index(a.applied_on)]
        bucket["total"] += 1
        column = _COLUMN_OF.get(a.outcome)
        if column is not None:
            bucket[column] += 1
            totals[column] += 1
    months = sorted(by_month)[-cfg.months_listed :]
    month_rows = [
        {
            "month": f"{MONTHS[m % 12]} {m // 12}",
            **{c: by_month[m][c] for c, _ in _OUTCOME_COLUMNS},
            "total": by_month[m]["total"],
        }
        for m in months
    ]
    return {
        "rows": rows,
        "total": len(apps),
        "hidden": max(0, len(apps) - len(rows)),
        "months": month_rows,
        "months_hidden": max(0, len(by_month) - len(months)),
        "months_hidden_applications": len(apps) - sum(by_month[m]["total"] for m in months),
        "outcomes": [{"outcome": c, "count": totals[c]} for c, _ in _OUTCOME_COLUMNS],
        "columns": [c for c, _ in _OUTCOME_COLUMNS],
    }
