"""The printable report's contents: registry, verdicts and actions -> plain data to print.

Pure: no I/O, no clock, no Jinja. Everything the report shows is decided here, charts
included (as coordinates), so the templates only lay things out. ``build_contents`` works
in steps, one function each:

1. the registry as it stood on the day (``refaudit.asof.view``, nothing else);
2. the references, most urgent first, and who is printed how (``redact.Redactor``);
3. one row per reference, and a section for those that matter (all of them in a small
   registry);
4. the words first: the narrative paragraph and what to do now (``narrative``);
5. the applications one by one and what employers said (``report.applications``), the charts,
   and the metadata.

Big registries are summarised rather than printed in full: per-reference evidence, the
applications, the debriefs and the risk chart are capped by the ``report:`` settings, and
what is left out is counted.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from refaudit import __version__, asof, audit
from refaudit.actions import Action
from refaudit.audit import Pick, Verdict
from refaudit.audit.scoring import ADVERSE
from refaudit.model import SENTIMENTS, Application, Feedback, Reference, Registry
from refaudit.report import narrative
from refaudit.report.applications import applications_part, debriefs_part, iso, natural, track_part
from refaudit.report.charts import LONG_MONTHS, SENTIMENT_GROUP, risk_chart, timeline_chart
from refaudit.report.redact import Privacy, Redactor, clean
from refaudit.report.settings import ReportSettings
from refaudit.text import fold

if TYPE_CHECKING:
    from refaudit.settings import Settings

RECOMMENDATIONS = tuple(reversed(audit.RECOMMENDATIONS))  # most urgent first: the report's order
_SEVERITY = {rec: i for i, rec in enumerate(RECOMMENDATIONS)}
ACTION_LABELS = {
    "brief": "Brief",
    "drop": "Drop",
    "debrief": "Ask for a debrief",
    "follow-up": "Follow up",
    "thank": "Thank",
    "rest": "Give a rest",
    "test": "Test",
    "reach": "Reach",
    "swap": "Swap",
    "refresh-consent": "Refresh consent",
    "mark-ghosted": "Mark ghosted",
    "apply-more": "Apply more",
}
_MIN_EVIDENCE = 3
_COMPACT_REASONS = 2
_ATTENTION = ("drop", "watch", "unknown")


@dataclass(frozen=True)
class _Share:
    """How many evidence and action rows each reference's section prints."""

    evidence: int
    evidence_floor: int
    actions: int
    reasons: int | None
    cited: int  # the most reports the reasons cite that one section prints (the rest are summarised)


def long_date(day: date) -> str:
    return f"{day.day} {LONG_MONTHS[day.month - 1]} {day.year}"


def build_contents(
    registry: Registry,
    verdicts: Iterable[Verdict],
    actions: Iterable[Action],
    settings: Settings,
    as_of: date,
    *,
    redact: bool = False,
    anonymous: bool = False,
    lineup: Iterable[Pick] = (),
    cfg: ReportSettings | None = None,
    label: str | None = None,
    with_settings: bool = False,
) -> dict[str, Any]:
    """Everything the report templates print, as plain data (see the module docstring).

    ``cfg`` is the report settings checked once by the caller (checked here when absent);
    ``label`` names the registry on the cover when it has no owner (its file name).
    """
    cfg = cfg or settings.report.settled()
    privacy = Privacy.ANONYMOUS if anonymous else Privacy.REDACT if redact else Privacy.PLAIN
    # 1. What was known on the day: statuses, stages, outcomes, reports.
    seen = asof.view(registry, as_of)
    refs = {r.id: r for r in seen.references}
    apps = seen.applications
    app_by_id = {a.id: a for a in apps}
    # 2. Most urgent first (anonymous letters follow this order), and what is due.
    ordered = _ordered(verdicts, seen)
    red = Redactor(registry, privacy, order=[v.id for v in ordered])
    if red.enabled:  # a shared copy's reasons are worded with the people already replaced
        ordered = _shared_reasons(ordered, seen, settings, as_of, red)
    action_rows = [_action_row(act, red, app_by_id, as_of) for act in actions]
    # 3. Rows, and sections for those that matter.
    picks_in = list(lineup)
    rows, compact = _rows(ordered, seen, action_rows, red, cfg, picks_in)
    # "credible reports against them": a rumour the audit cites (converging, weak) is not one.
    scoring = settings.scoring
    adverse: dict[str, set[str]] = {}  # reference id -> its credible adverse reports
    for fb in seen.feedback:
        if fb.sentiment in ADVERSE and audit.credible(fb, scoring):
            adverse.setdefault(fb.reference, set()).add(fb.id)
    for verdict, row in zip(ordered, rows, strict=True):
        row["adverse"] = len(adverse.get(verdict.id, set()) & set(verdict.evidence))
    # Anchors are made up ("ref-3"): an id is usually the name in slug form.
    anchors = {v.id: row["anchor"] for v, row in zip(ordered, rows, strict=True)}
    for row in action_rows:
        row["anchor"] = anchors.get(row.pop("reference_id") or "")
    counts = {rec: sum(1 for r in rows if r["recommendation"] == rec) for rec in RECOMMENDATIONS}
    picks = _picks(picks_in, refs, anchors, red)
    all_feedback = [fb for fb in seen.feedback if fb.reference in anchors]
    # 4. The words first.
    story = narrative.Story(ordered, rows, seen, red, picks, action_rows)
    owner = red.owner(label)
    return {
        "title": cfg.title,
        "paper": cfg.paper,
        "owner": owner,
        "period": _period(all_feedback, apps),
        "as_of": as_of.isoformat(),
        "as_of_long": long_date(as_of),
        "confidentiality": cfg.confidentiality,
        "redacted": red.enabled,
        "anonymous": red.anonymous,
        "generator": f"refaudit {__version__}",
        "watch_means": narrative.WATCH_MEANS,
        "counts": counts,
        "totals": {
            "references": len(rows),
            "reports": len(all_feedback),
            "applications": len(apps),
            "open_applications": sum(1 for a in apps if a.is_open),
        },
        "narrative": story.paragraph(),
        "headline": story.headline(),
        "lineup": picks,
        "top_actions": action_rows[:5],
        "actions_total": len(action_rows),
        "references": rows,
        "listed": rows[: cfg.references_listed],
        "unlisted": _unlisted(rows[cfg.references_listed :]),
        "sections": [r for r in rows if r["section"]],
        "attention": _attention(rows, {anchors[p.id] for p in picks_in if p.id in anchors}),
        "light_table": len(rows) > cfg.compact_above,
        "compact": compact,
        "thresholds": cfg.thresholds,
        "timeline": timeline_chart(all_feedback, as_of),
        "risk_chart": risk_chart(rows, cfg.thresholds, cfg.risk_chart_rows),
        "debriefs": debriefs_part(apps, red, cfg.debrief_items),
        "applications": applications_part(apps, seen.feedback, red, cfg),
        "track": track_part(registry, settings, as_of, red),
        "settings_sections": _settings_sections(settings) if with_settings else [],
        "metadata": _metadata(cfg, owner, red, as_of, counts, len(rows)),
    }


def _ordered(verdicts: Iterable[Verdict], seen: Registry) -> list[Verdict]:
    """Most urgent first; within a verdict, those a credible negative report speaks against
    (the strongest evidence a coach can have), then by risk and name."""
    names = {r.id: r.name for r in seen.references}
    negative = {fb.id for fb in seen.feedback if fb.sentiment == "negative"}
    return sorted(
        (v for v in verdicts if v.id in names),
        key=lambda v: (
            _SEVERITY.get(v.recommendation, 3),
            not negative.intersection(v.evidence),
            -float(v.risk),
            fold(names[v.id]),
            v.id,
        ),
    )


def _shared_reasons(
    ordered: list[Verdict], seen: Registry, settings: Settings, as_of: date, red: Redactor
) -> list[Verdict]:
    """The verdicts with their reasons worded again from their claims, against the day's case with
    every reporter, quote and employer already redacted: never by masking finished sentences."""
    case = audit.Case.of(seen, settings, as_of)
    entries = {
        # anonymous: no reporter, so the wording says who by their role ("A recruiter (verbatim)")
        i: replace(f, reporter=None if red.anonymous else red.reporter(f) or None, quote=red.text(f.quote) or None)
        for i, f in case.entries.items()
    }
    apps = {i: replace(a, id=red.text(a.id), company=red.company(a.company)) for i, a in case.apps_by_id.items()}
    shared = replace(
        case,
        entries=entries,
        feedback={ref_id: [entries[f.id] for f in fs] for ref_id, fs in case.feedback.items()},
        apps_by_id=apps,
    )
    # Worded when read, as the audit's own: only the references the report has room for.
    return [replace(v, reasons=audit.Reasons(functools.partial(audit.reword, v, shared))) for v in ordered]


def _rows(
    ordered: Sequence[Verdict],
    seen: Registry,
    action_rows: Sequence[dict[str, Any]],
    red: Redactor,
    cfg: ReportSettings,
    picks: Sequence[Pick],
) -> tuple[list[dict[str, Any]], bool]:
    """One row per reference, in ``ordered``; a full section for those that matter. Also: compact?"""
    refs = {r.id: r for r in seen.references}
    app_by_id = {a.id: a for a in seen.applications}
    feedback_by_ref: dict[str, list[Feedback]] = defaultdict(list)
    for fb in seen.feedback:
        feedback_by_ref[fb.reference].append(fb)
    actions_by_ref: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in action_rows:
        if row["reference_id"] is not None:
            actions_by_ref[row["reference_id"]].append(row)
    sectioned = _with_section(ordered, picks, cfg.sections_max)
    compact = len(ordered) > cfg.compact_above
    sections = max(1, len(sectioned))
    share = _Share(
        evidence=min(cfg.evidence_per_reference, cfg.evidence_total // sections),
        evidence_floor=1 if compact else _MIN_EVIDENCE,
        actions=max(1, min(cfg.actions_per_reference, cfg.actions_total // sections)),
        reasons=_COMPACT_REASONS if compact else None,
        # Compact sections (a registry past report.compact_above references) print no more cited
        # reports than their share, and at least three; full sections up to evidence_per_reference.
        cited=max(_MIN_EVIDENCE, min(cfg.evidence_per_reference, cfg.evidence_total // sections))
        if compact
        else cfg.evidence_per_reference,
    )
    rows = []
    for index, verdict in enumerate(ordered, start=1):
        ref = refs[verdict.id]
        fbs, acts = feedback_by_ref[ref.id], actions_by_ref[ref.id]
        if verdict.id in sectioned:
            rows.append(_reference_row(index, ref, verdict, fbs, acts, app_by_id, red, share))
        else:
            rows.append(_table_row(index, ref, verdict, fbs, red))
    return rows, compact


def _picks(
    picks: Sequence[Pick], refs: Mapping[str, Reference], anchors: Mapping[str, str], red: Redactor
) -> list[dict[str, Any]]:
    """The lineup as the report prints it: who (as redaction allows), where to read more, why."""
    return [
        {
            "name": red.name(p.id),
            "anchor": anchors.get(p.id),
            "relationship": refs[p.id].relationship if p.id in refs else "",
            "organization": red.organization(refs[p.id]) if p.id in refs else "",
            "reason": red.text(p.reason),
        }
        for p in picks
    ]


def _metadata(
    cfg: ReportSettings, owner: str | None, red: Redactor, as_of: date, counts: Mapping[str, int], references: int
) -> dict[str, Any]:
    """The PDF's document information (an anonymous copy names no author)."""
    subject = (
        f"Audit of {narrative.plural(references, 'job reference')} as of {as_of.isoformat()}: "
        f"keep {counts['keep']}, watch {counts['watch']}, drop {counts['drop']}"
    )
    return {
        "title": f"{cfg.title} — {owner}" if owner and not red.anonymous else cfg.title,
        "subject": subject,
        "author": None if red.anonymous else owner,
        "keywords": ["job references", "reference audit", "refaudit"],
        "created": as_of.isoformat(),
        "generator": f"refaudit {__version__}",
        "lang": "en",
    }


def _period(feedback: Sequence[Feedback], apps: Sequence[Application]) -> dict[str, Any]:
    """The span of days the evidence covers: the first application or report to the last."""
    days = [fb.reported_on for fb in feedback] + [a.applied_on for a in apps]
    days += [a.closed_on for a in apps if a.closed_on is not None]
    if not days:
        return {"empty": True, "text": "No evidence recorded yet."}
    first, last = min(days), max(days)
    return {"empty": False, "first": first.isoformat(), "last": last.isoformat(),
            "text": f"Evidence from {long_date(first)} to {long_date(last)}"}  # fmt: skip


def _action_row(act: Action, red: Redactor, apps: Mapping[str, Application], as_of: date) -> dict[str, Any]:
    return {
        "kind": act.kind,
        "label": ACTION_LABELS.get(act.kind, act.kind.replace("-", " ").capitalize()),
        "due": act.due.isoformat(),
        "overdue_days": max(0, (as_of - act.due).days),
        "who": red.name(act.reference) if act.reference else "",
        "application": red.application(apps.get(act.application)) if act.application else "",
        "reason": red.text(act.reason),
        # Shell command lines stay out of a shared copy: they name people by id.
        "command": None if red.enabled else clean(act.command),
        "reference_id": act.reference,
    }


def _with_section(ordered: Sequence[Verdict], lineup: Sequence[Pick], limit: int) -> set[str]:
    """The ids of the references that get a section: all of them, or ``limit`` of them.

    First the lineup (you are about to give them), then those that need attention (drop,
    watch, or flagged), most urgent first, then the other keeps in table order.
    """
    if len(ordered) <= limit:
        return {v.id for v in ordered}
    known = {v.id for v in ordered}
    attention = [v.id for v in ordered if v.recommendation in _ATTENTION or v.flags]
    rest = [v.id for v in ordered]
    chosen: dict[str, None] = {}
    for ref_id in [p.id for p in lineup if p.id in known] + attention + rest:
        if len(chosen) >= limit:
            break
        chosen.setdefault(ref_id)
    return set(chosen)


def _attention(rows: Sequence[dict[str, Any]], lineup_anchors: set[str]) -> dict[str, int]:
    """How many references need attention, how many of them have a section, and how many
    keeps have one only to fill the sections up (neither flagged nor in the lineup)."""

    def needs(r: dict[str, Any]) -> bool:
        return r["recommendation"] in _ATTENTION or bool(r["flags"])

    return {
        "total": sum(1 for r in rows if needs(r)),
        "shown": sum(1 for r in rows if r["section"] and needs(r)),
        "filler": sum(1 for r in rows if r["section"] and not needs(r) and r["anchor"] not in lineup_anchors),
    }


def _unlisted(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The references the table leaves out, summarised by advice: how many, their reports, their flags."""
    summary = []
    for rec in (*RECOMMENDATIONS, "unknown"):
        group = [r for r in rows if r["recommendation"] == rec]
        if not group:
            continue
        flags = Counter(f for r in group for f in r["flags"])
        summary.append(
            {
                "recommendation": rec,
                "badge": rec.upper(),
                "count": len(group),
                "active": sum(1 for r in group if r["status"] == "active"),
                "positive": sum(r["positive"] for r in group),
                "negative": sum(r["negative"] for r in group),
                "other": sum(r["other"] for r in group),
                "flags": ", ".join(f"{flag} {n:,}" for flag, n in flags.most_common()),
            }
        )
    return summary


def _table_row(index: int, ref: Reference, verdict: Verdict, feedback: list[Feedback], red: Redactor) -> dict[str, Any]:
    """What the table of all references prints about one reference."""
    groups = Counter(SENTIMENT_GROUP.get(fb.sentiment, "other") for fb in feedback)
    recommendation = verdict.recommendation if verdict.recommendation in _SEVERITY else "unknown"
    risk = min(1.0, max(0.0, float(verdict.risk)))
    return {
        "index": index,
        "anchor": f"ref-{index}",
        "section": False,
        "name": red.name(ref.id),
        "recommendation": recommendation,
        "badge": recommendation.upper(),
        "status": ref.status,
        "relationship": ref.relationship,
        "organization": red.organization(ref),
        "uses": int(verdict.uses),
        "last_used": iso(verdict.last_used),
        "positive": groups["positive"],
        "negative": groups["negative"],
        # The reports the audit cites against them: negative, mixed or lukewarm.
        "adverse": sum(
            1 for fb in feedback if fb.id in verdict.evidence and fb.sentiment in ("negative", "mixed", "lukewarm")
        ),
        "other": groups["other"],
        "reports": len(feedback),
        "flags": [clean(f) for f in verdict.flags],
        "risk": risk,
        "risk_text": f"{risk:.2f}",
        # Set by a rule rather than the number: the rule in words (the risk chart marks it).
        "rule": red.text(verdict.rule) if verdict.rule else None,
    }


def _reference_row(
    index: int,
    ref: Reference,
    verdict: Verdict,
    feedback: list[Feedback],
    actions: list[dict[str, Any]],
    apps: Mapping[str, Application],
    red: Redactor,
    share: _Share,
) -> dict[str, Any]:
    cited, moved = set(verdict.evidence) | set(verdict.moved), set(verdict.moved)
    newest = sorted(feedback, key=lambda fb: (fb.reported_on, natural(fb.id)), reverse=True)
    recommendation = verdict.recommendation if verdict.recommendation in _SEVERITY else "unknown"
    # The reports the reasons cite are printed (credible adverse evidence is never silent), up to
    # share.cited of them: those that moved the recommendation first, then the newest; what is
    # left is summarised by sentiment. The newest others fill the share.
    limit = max(share.evidence, 1)
    citing = [fb for fb in newest if fb.id in moved] + [fb for fb in newest if fb.id in cited - moved]
    picked = {fb.id for fb in citing[: share.cited]}
    picked |= {fb.id for fb in [fb for fb in newest if fb.id not in cited][: max(0, limit - len(picked))]}
    shown = [fb for fb in newest if fb.id in picked]
    left = [fb for fb in newest if fb.id not in picked]
    left_by = Counter(fb.sentiment for fb in left)
    details = [v for v in (red.title(ref), red.organization(ref)) if v]
    role = ", ".join(details)
    details = [v for v in (role, ref.relationship) if v]
    if ref.known_since and not red.anonymous:
        details.append(f"known since {iso(ref.known_since)}")
    details.append(f"consent given {iso(ref.consent_on)}" if ref.consent_on else "no consent date recorded")
    details.append(ref.status + (f" since {iso(ref.status_on)}" if ref.status_on else ""))
    if ref.tags:
        details.append("tags: " + ", ".join(red.text(t) for t in ref.tags))
    contact = [] if red.enabled else [clean(v) for v in (ref.email, ref.phone) if v]
    notes = [] if red.enabled else [clean(n) for n in (ref.notes, ref.status_note) if n]
    evidence = [_evidence_row(fb, fb.id in moved, apps, red) for fb in shown]
    return {
        **_table_row(index, ref, verdict, feedback, red),
        "section": True,
        "reasons": [clean(r) for r in verdict.reasons[: share.reasons]],
        "reasons_more": len(verdict.reasons) - len(verdict.reasons[: share.reasons]),
        "details": details,
        "contact": contact,
        "notes": notes,
        "actions": actions[: share.actions],
        "actions_more": max(0, len(actions) - share.actions),
        "evidence": evidence,
        "has_key": any(e["key"] for e in evidence),
        "evidence_more": len(left),
        # What the reports left out said, e.g. "40 negative, 12 lukewarm": a summary, not a list.
        "evidence_left": ", ".join(f"{left_by[s]:,} {s}" for s in SENTIMENTS if left_by[s]),
        "evidence_left_cited": sum(1 for fb in left if fb.id in cited),
        "watch": recommendation == "watch",
    }


def _evidence_row(fb: Feedback, key: bool, apps: Mapping[str, Application], red: Redactor) -> dict[str, Any]:
    app = apps.get(fb.application) if fb.application else None
    return {
        "id": fb.id,
        "date": fb.reported_on.isoformat(),
        "source": fb.source,
        "reporter": red.reporter(fb),
        "certainty": fb.certainty,
        "sentiment": fb.sentiment,
        "group": SENTIMENT_GROUP.get(fb.sentiment, "other"),
        "quote": red.text(fb.quote),
        "application": red.application(app),
        "topics": [red.text(t) for t in fb.topics],
        "key": key,
    }


def _settings_sections(settings: Settings) -> list[dict[str, Any]]:
    """The scoring, lineup and next settings used, flattened to ``key: value`` lines."""
    sections = []
    for name, title in (("scoring", "Scoring"), ("lineup", "Lineup"), ("next", "Actions due")):
        section = settings.get(name)
        if isinstance(section, Mapping) and section:
            sections.append({"name": name, "title": title, "rows": list(_flatten(section, ""))})
    return sections


def _flatten(data: Mapping[str, Any], prefix: str) -> Iterable[dict[str, Any]]:
    for key in data:
        value = data[key]
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
            continue
        if isinstance(value, list):
            text = ", ".join(clean(str(v)) for v in value) or "(none)"
        else:
            text = clean(str(value).lower() if isinstance(value, bool) else str(value))
        # A long value (a list of phrases) gets a row of its own across the table.
        yield {"key": clean(name), "value": text, "wide": len(text) > 30}
