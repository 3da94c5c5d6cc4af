"""The printable report's context: registry, verdicts and actions -> plain data to print.

Pure: no I/O, no clock, no Jinja. Everything the report shows is decided here, charts
included (as coordinates), so the templates only lay things out. Redaction happens here
too: with ``redact=True`` no email, phone number, note or full name is put into the
context at all, so no template can leak one by mistake.

Big registries are summarised rather than printed in full: per-reference evidence, the
applications appendix, the debriefs and the risk chart are capped by the ``report:``
settings, and what is left out is counted. Above ``sections_max`` references, only that
many get a section of their own (those that need attention first, see ``_with_section``);
the table of all references still lists every one, in plain rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from refaudit import __version__
from refaudit.actions import Action
from refaudit.audit import Pick, Verdict
from refaudit.errors import ValidationError
from refaudit.model import Application, Feedback, Reference, Registry, fold

RECOMMENDATIONS = ("drop", "watch", "keep")
_SEVERITY = {rec: i for i, rec in enumerate(RECOMMENDATIONS)}
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
ACTION_LABELS = {
    "brief": "Brief",
    "drop": "Drop",
    "debrief": "Ask for a debrief",
    "follow-up": "Follow up",
    "thank": "Thank",
    "rest": "Give a rest",
    "test": "Test",
    "refresh-consent": "Refresh consent",
    "mark-ghosted": "Mark ghosted",
    "apply-more": "Apply more",
}
_MIN_EVIDENCE = 3
_COMPACT_REASONS = 2
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Controls (but tab and newline), lone surrogates and non-characters cannot go into HTML or
# a PDF string; the registry refuses most of them already, this is the belt to its braces.
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_WORD_RE = re.compile(r"\w+")
_EMAIL_RE = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,63}")
_PHONE_LIKE_RE = re.compile(r"\+?\d[\d ().\-/]{4,}\d")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_REPORTER_PERSON_RE = re.compile(r"\s+(?:at|from|of|@)\s+|\s*[(,/]", re.IGNORECASE)


@dataclass(frozen=True)
class ReportSettings:
    """The ``report:`` section of the settings, checked."""

    paper: str
    title: str
    confidentiality: str
    evidence_per_reference: int
    evidence_total: int
    actions_per_reference: int
    actions_total: int
    compact_above: int
    sections_max: int
    applications_listed: int
    months_listed: int
    risk_chart_rows: int
    debrief_items: int

    PAPERS = ("A4", "Letter", "A5", "Legal")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ReportSettings:
        section = settings.get("report")
        if not isinstance(section, Mapping):
            raise ValidationError("config: the report section is missing.")

        def count(key: str) -> int:
            value = section.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValidationError(f"config: report.{key} must be a whole number of at least 1, not {value!r}.")
            return value

        def text(key: str) -> str:
            value = section.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ValidationError(f"config: report.{key} must be text, not {value!r}.")
            return clean(value.strip())

        paper = section.get("paper")
        matches = [p for p in cls.PAPERS if isinstance(paper, str) and p.lower() == paper.strip().lower()]
        if not matches:
            raise ValidationError(f"config: report.paper {paper!r} is not one of: {', '.join(cls.PAPERS)}.")
        return cls(
            paper=matches[0],
            title=text("title"),
            confidentiality=text("confidentiality"),
            evidence_per_reference=count("evidence_per_reference"),
            evidence_total=count("evidence_total"),
            actions_per_reference=count("actions_per_reference"),
            actions_total=count("actions_total"),
            compact_above=count("compact_above"),
            sections_max=count("sections_max"),
            applications_listed=count("applications_listed"),
            months_listed=count("months_listed"),
            risk_chart_rows=count("risk_chart_rows"),
            debrief_items=count("debrief_items"),
        )


@dataclass(frozen=True)
class _Share:
    """How many evidence and action rows each reference's section prints."""

    evidence: int
    evidence_floor: int
    actions: int
    reasons: int | None


# --- text --------------------------------------------------------------------------


def clean(text: str) -> str:
    """``text`` without the characters that HTML and PDF strings cannot hold."""
    return _UNPRINTABLE_RE.sub("", text)


def initials(name: str) -> str:
    """``Jane van Doe`` -> ``J. D.``, ``Anna Lee-Smith`` -> ``A. L.-S.``: first and last words."""
    words = [w for w in name.split() if _WORD_RE.search(w)]
    if not words:
        return "?"
    picked = words if len(words) <= 2 else [words[0], words[-1]]
    return " ".join("-".join(p[0].upper() + "." for p in _WORD_RE.findall(w)) for w in picked)


def long_date(day: date) -> str:
    return f"{day.day} {_LONG_MONTHS[day.month - 1]} {day.year}"


def iso(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _names_list(names: Sequence[str], limit: int = 3) -> str:
    if len(names) <= limit:
        shown = list(names)
        if len(shown) <= 1:
            return "".join(shown)
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    return ", ".join(names[:limit]) + f" and {len(names) - limit:,} more"


class Redactor:
    """Display names, and free text with names, ids, emails and phones taken out when redacting.

    Without redaction text is only cleaned. With it, each reference's full name (and its
    id, which is usually the name in slug form) becomes its initials wherever it appears,
    any email address becomes ``[email]`` and anything shaped like a phone number (seven
    digits or more, dates excepted) ``[phone]``. Whoever relayed a report is a person too:
    their name becomes initials the same way.
    Names are found by their first word, so a text is searched only for the names that
    could be in it: fast even with a thousand references.
    """

    def __init__(self, registry: Registry, *, enabled: bool) -> None:
        self.enabled = enabled
        self._display = {r.id: initials(r.name) if enabled else clean(r.name) for r in registry.references}
        self._by_word: dict[str, list[tuple[re.Pattern[str], str]]] = defaultdict(list)
        self._always: list[tuple[re.Pattern[str], str]] = []
        self._phones: set[str] = set()
        if not enabled:
            return
        targets: list[tuple[str, str]] = []
        for ref in registry.references:
            short = initials(ref.name)
            targets.append((ref.name, short))
            targets.append((ref.id, short))
            if ref.phone:
                self._phones.add(re.sub(r"\D", "", ref.phone))
        owner = registry.owner
        if owner:
            targets.append((owner, initials(owner)))
        for reporter in {f.reporter for f in registry.feedback if f.reporter}:
            targets.append((reporter, initials(reporter)))
            # "Sam at Hays": the person is named in other texts without the agency.
            person = _REPORTER_PERSON_RE.split(reporter, maxsplit=1)[0].strip()
            if person and person != reporter and len(person) >= 3:
                targets.append((person, initials(person)))
        # Longest first, so that "Jane van Doe" is replaced before "Jane".
        for text, short in sorted(targets, key=lambda t: -len(t[0])):
            parts = text.split()
            if not parts:
                continue
            body = r"\s+".join(re.escape(p) for p in parts)
            pattern = re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)
            words = _WORD_RE.findall(text)
            if words:
                self._by_word[words[0].casefold()].append((pattern, short))
            else:
                self._always.append((pattern, short))

    def name(self, ref_id: str) -> str:
        return self._display.get(ref_id, "?" if self.enabled else ref_id)

    def person(self, name: str | None) -> str | None:
        """A person's name that is not a reference's (the owner's)."""
        if name is None:
            return None
        return initials(name) if self.enabled else clean(name)

    def text(self, value: str | None) -> str:
        if not value:
            return ""
        text = clean(value)
        if not self.enabled:
            return text
        text = _EMAIL_RE.sub("[email]", text)
        text = _PHONE_LIKE_RE.sub(self._phone, text)
        words = {w.casefold() for w in _WORD_RE.findall(text)}
        for word in sorted(words & self._by_word.keys()):
            for pattern, short in self._by_word[word]:
                text = pattern.sub(short, text)
        for pattern, short in self._always:
            text = pattern.sub(short, text)
        return text

    def _phone(self, match: re.Match[str]) -> str:
        found = match.group()
        digits = re.sub(r"\D", "", found)
        if digits in self._phones:
            return "[phone]"
        if len(digits) < 7 or _DATE_RE.fullmatch(found.strip()):
            return found
        return "[phone]"


# --- the context -------------------------------------------------------------------


def build_context(
    registry: Registry,
    verdicts: Iterable[Verdict],
    actions: Iterable[Action],
    settings: Mapping[str, Any],
    as_of: date,
    *,
    redact: bool,
    lineup: Iterable[Pick] = (),
) -> dict[str, Any]:
    """Everything the report templates print, as plain data (see the module docstring)."""
    cfg = ReportSettings.from_settings(settings)
    red = Redactor(registry, enabled=redact)
    refs = {r.id: r for r in registry.references}
    apps = [a for a in registry.applications if a.applied_on <= as_of]
    app_by_id = {a.id: a for a in apps}
    feedback_by_ref: dict[str, list[Feedback]] = defaultdict(list)
    for fb in registry.feedback:
        if fb.reported_on <= as_of:
            feedback_by_ref[fb.reference].append(fb)
    actions = list(actions)
    actions_by_ref: dict[str, list[dict[str, Any]]] = defaultdict(list)
    action_rows = []
    for act in actions:
        row = _action_row(act, red, app_by_id, as_of)
        action_rows.append(row)
        if act.reference is not None:
            actions_by_ref[act.reference].append(row)

    ordered = sorted(
        (v for v in verdicts if v.id in refs),
        key=lambda v: (_SEVERITY.get(v.recommendation, 3), -float(v.risk), fold(refs[v.id].name), v.id),
    )
    # Above sections_max references, only those that matter most get a section.
    lineup = list(lineup)
    sectioned = _with_section(ordered, lineup, cfg.sections_max)
    # Share the evidence and action rows out among the sections: a big registry prints fewer
    # per reference, and above compact_above references only the two main reasons and the
    # main report.
    compact = len(ordered) > cfg.compact_above
    sections = max(1, len(sectioned))
    share = _Share(
        evidence=min(cfg.evidence_per_reference, cfg.evidence_total // sections),
        evidence_floor=1 if compact else _MIN_EVIDENCE,
        actions=max(1, min(cfg.actions_per_reference, cfg.actions_total // sections)),
        reasons=_COMPACT_REASONS if compact else None,
    )
    rows = []
    for index, verdict in enumerate(ordered, start=1):
        ref = refs[verdict.id]
        fbs, acts = feedback_by_ref[ref.id], actions_by_ref[ref.id]
        if verdict.id in sectioned:
            rows.append(_reference_row(index, ref, verdict, fbs, acts, app_by_id, red, share))
        else:
            rows.append(_table_row(index, ref, verdict, fbs, red))
    # Anchors are made up ("ref-3"): an id is usually the name in slug form.
    anchors = {v.id: row["anchor"] for v, row in zip(ordered, rows, strict=True)}
    for row in action_rows:
        row["anchor"] = anchors.get(row.pop("reference_id") or "")
    counts = {rec: sum(1 for r in rows if r["recommendation"] == rec) for rec in RECOMMENDATIONS}
    owner = red.person(registry.owner)
    picks = [
        {
            "name": red.name(p.id),
            "anchor": anchors.get(p.id),
            "relationship": refs[p.id].relationship if p.id in refs else "",
            "organization": red.text(refs[p.id].organization) if p.id in refs else "",
            "reason": red.text(p.reason),
        }
        for p in lineup
    ]
    thresholds = scoring_thresholds(settings)
    all_feedback = [fb for fbs in feedback_by_ref.values() for fb in fbs if fb.reference in anchors]
    subject = (
        f"Audit of {_plural(len(rows), 'job reference')} as of {as_of.isoformat()}: "
        f"keep {counts['keep']}, watch {counts['watch']}, drop {counts['drop']}"
    )
    return {
        "title": cfg.title,
        "owner": owner,
        "as_of": as_of.isoformat(),
        "as_of_long": long_date(as_of),
        "confidentiality": cfg.confidentiality,
        "redacted": redact,
        "generator": f"refaudit {__version__}",
        "counts": counts,
        "totals": {
            "references": len(rows),
            "reports": len(all_feedback),
            "applications": len(apps),
            "open_applications": sum(1 for a in apps if a.is_open),
        },
        "headline": _headline(rows, picks, action_rows),
        "lineup": picks,
        "top_actions": action_rows[:5],
        "actions_total": len(action_rows),
        "references": rows,
        "sections": [r for r in rows if r["section"]],
        "attention": _attention(rows, {anchors[p.id] for p in lineup if p.id in anchors}),
        "light_table": len(rows) > cfg.compact_above,
        "compact": compact,
        "thresholds": thresholds,
        "timeline": timeline_chart(all_feedback, as_of),
        "risk_chart": risk_chart(rows, thresholds, cfg.risk_chart_rows),
        "debriefs": _debriefs(apps, red, cfg.debrief_items),
        "applications": _applications(apps, red, cfg),
        "settings_sections": _settings_sections(settings),
        "metadata": {
            "title": f"{cfg.title} — {owner}" if owner else cfg.title,
            "subject": subject,
            "author": owner,
            "keywords": ["job references", "reference audit", "refaudit"],
            "created": as_of.isoformat(),
            "generator": f"refaudit {__version__}",
        },
    }


def _action_row(act: Action, red: Redactor, apps: Mapping[str, Application], as_of: date) -> dict[str, Any]:
    app = apps.get(act.application) if act.application else None
    return {
        "kind": act.kind,
        "label": ACTION_LABELS.get(act.kind, act.kind.replace("-", " ").capitalize()),
        "due": act.due.isoformat(),
        "overdue_days": max(0, (as_of - act.due).days),
        "who": red.name(act.reference) if act.reference else "",
        "application": f"{red.text(app.company)} ({red.text(app.role)})" if app else "",
        "reason": red.text(act.reason),
        # A command names the reference by id, usually the name in slug form.
        "command": None if red.enabled else clean(act.command),
        "reference_id": act.reference,
    }


_ATTENTION = ("drop", "watch", "unknown")


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
        "organization": red.text(ref.organization),
        "uses": int(verdict.uses),
        "last_used": iso(verdict.last_used),
        "positive": groups["positive"],
        "negative": groups["negative"],
        "other": groups["other"],
        "reports": len(feedback),
        "flags": [clean(f) for f in verdict.flags],
        "risk": risk,
        "risk_text": f"{risk:.2f}",
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
    key_ids = set(verdict.evidence)
    newest = sorted(feedback, key=lambda fb: (fb.reported_on, _natural(fb.id)), reverse=True)
    recommendation = verdict.recommendation if verdict.recommendation in _SEVERITY else "unknown"
    # However small the share, a drop or watch shows (up to 3 of) the reports behind it.
    floor = min(share.evidence_floor, len(key_ids)) if recommendation in ("drop", "watch") else 0
    limit = max(share.evidence, floor, 1)
    # The reports that moved the recommendation first, then the newest; printed newest first.
    picked = {fb.id for fb in sorted(newest, key=lambda fb: fb.id not in key_ids)[:limit]}
    shown = [fb for fb in newest if fb.id in picked]
    role = ", ".join(red.text(v) for v in (ref.title, ref.organization) if v)
    details = [v for v in (role, ref.relationship) if v]
    if ref.known_since:
        details.append(f"known since {iso(ref.known_since)}")
    details.append(f"consent given {iso(ref.consent_on)}" if ref.consent_on else "no consent date recorded")
    details.append(ref.status + (f" since {iso(ref.status_on)}" if ref.status_on else ""))
    if ref.tags:
        details.append("tags: " + ", ".join(red.text(t) for t in ref.tags))
    contact = [] if red.enabled else [clean(v) for v in (ref.email, ref.phone) if v]
    notes = [] if red.enabled else [clean(n) for n in (ref.notes, ref.status_note) if n]
    return {
        **_table_row(index, ref, verdict, feedback, red),
        "section": True,
        "reasons": [red.text(r) for r in verdict.reasons[: share.reasons]],
        "reasons_more": len(verdict.reasons) - len(verdict.reasons[: share.reasons]),
        "details": details,
        "contact": contact,
        "notes": notes,
        "actions": actions[: share.actions],
        "actions_more": max(0, len(actions) - share.actions),
        "evidence": [_evidence_row(fb, fb.id in key_ids, apps, red) for fb in shown],
        "evidence_more": len(newest) - len(shown),
        "key_evidence_more": sum(1 for fb in newest if fb.id in key_ids and fb.id not in picked),
    }


def _evidence_row(fb: Feedback, key: bool, apps: Mapping[str, Application], red: Redactor) -> dict[str, Any]:
    app = apps.get(fb.application) if fb.application else None
    return {
        "id": fb.id,
        "date": fb.reported_on.isoformat(),
        "source": fb.source,
        "certainty": fb.certainty,
        "sentiment": fb.sentiment,
        "group": SENTIMENT_GROUP.get(fb.sentiment, "other"),
        "quote": red.text(fb.quote),
        "application": f"{red.text(app.company)} ({red.text(app.role)})" if app else "",
        "topics": [red.text(t) for t in fb.topics],
        "key": key,
    }


def _natural(text: str) -> tuple[str, int]:
    """``f10`` after ``f9``: feedback ids sort by their number."""
    match = re.fullmatch(r"(\D*)(\d+)", text)
    return (match.group(1), int(match.group(2))) if match else (text, -1)


def _headline(
    rows: list[dict[str, Any]], picks: list[dict[str, Any]], actions: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """What to do now, in three lines: drop, watch, next."""
    drop = [r for r in rows if r["recommendation"] == "drop"]
    watch = [r for r in rows if r["recommendation"] == "watch"]
    lines = []
    if drop:
        names = _names_list([r["name"] for r in drop])
        negative = sum(r["negative"] for r in drop)
        text = f"Stop giving {names} as a reference{'' if len(drop) == 1 else 's'}"
        text += f" ({_plural(negative, 'negative report')} on file)." if negative else "."
        lines.append({"label": "Drop", "text": text})
    else:
        lines.append(
            {"label": "Drop", "text": "Nobody needs dropping: no reference is doing you harm on the evidence so far."}
        )
    if watch:
        names = _names_list([r["name"] for r in watch])
        lines.append({"label": "Watch", "text": f"Hold back {names} until more is known; "
                      "give them only with a trusted reference alongside."})  # fmt: skip
    else:
        lines.append({"label": "Watch", "text": "Nobody is on watch."})
    if picks:
        lines.append({"label": "Next", "text": f"Give {_names_list([p['name'] for p in picks], limit=5)} "
                      "on your next application."})  # fmt: skip
    elif actions:
        first = actions[0]
        lines.append({"label": "Next", "text": f"{first['label']}: {first['reason']}"})
    else:
        lines.append({"label": "Next", "text": "Nothing is due."})
    return lines


def scoring_thresholds(settings: Mapping[str, Any]) -> dict[str, float]:
    """The audit's watch and drop risk thresholds, whichever of the usual spellings the config uses."""
    scoring = settings.get("scoring")
    found: dict[str, float] = {}
    if not isinstance(scoring, Mapping):
        return found
    nested = scoring.get("thresholds")
    for level in ("watch", "drop"):
        candidates = [scoring.get(f"{level}_threshold"), scoring.get(f"{level}_at"), scoring.get(f"{level}_risk")]
        if isinstance(nested, Mapping):
            candidates.append(nested.get(level))
        for value in candidates:
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
                found[level] = float(value)
                break
    return found


# --- charts (coordinates in a fixed viewBox; the template draws them) ---------------

CHART_W = 640
TIMELINE_H = 200
_PLOT = {"left": 36.0, "right": 8.0, "top": 10.0, "bottom": 28.0}


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _nice_ceiling(value: int) -> int:
    """The smallest of 4, 8, 12, 20, 40, 80, 100, 200, … at or above ``value``: four even gridlines."""
    scale = 1
    while True:
        for step in (4, 8, 12, 20):
            if step * scale >= value:
                return step * scale
        scale *= 10


def timeline_chart(feedback: Sequence[Feedback], as_of: date) -> dict[str, Any]:
    """Reports per month (per quarter or year when the span is long), stacked by sentiment group."""
    if not feedback:
        return {"empty": True, "width": CHART_W, "height": TIMELINE_H}
    first = _month_index(min(fb.reported_on for fb in feedback))
    last = _month_index(as_of)
    span = last - first + 1
    months_per_bar, unit = (1, "month") if span <= 24 else (3, "quarter") if span <= 72 else (12, "year")
    first -= first % months_per_bar
    n = (last - first) // months_per_bar + 1
    bins = [Counter[str]() for _ in range(n)]
    for fb in feedback:
        bins[(_month_index(fb.reported_on) - first) // months_per_bar][SENTIMENT_GROUP.get(fb.sentiment, "other")] += 1
    top = _nice_ceiling(max(sum(b.values()) for b in bins))
    plot_w = CHART_W - _PLOT["left"] - _PLOT["right"]
    plot_h = TIMELINE_H - _PLOT["top"] - _PLOT["bottom"]
    slot = plot_w / n
    bar_w = slot * 0.7
    label_every = max(1, -(-n // 12))
    bars = []
    for i, counts in enumerate(bins):
        x = _PLOT["left"] + i * slot + (slot - bar_w) / 2
        base = _PLOT["top"] + plot_h
        segments = []
        for group in ("positive", "other", "negative"):
            h = plot_h * counts[group] / top
            if h > 0:
                base -= h
                segments.append({"group": group, "y": f"{base:.1f}", "h": f"{h:.1f}"})
        start = first + i * months_per_bar
        year, month = divmod(start, 12)
        label = (
            f"{_MONTHS[month]} {year % 100:02d}" if unit == "month"
            else f"Q{month // 3 + 1} {year % 100:02d}" if unit == "quarter"
            else str(year)
        )  # fmt: skip
        bars.append(
            {
                "x": f"{x:.1f}",
                "w": f"{bar_w:.1f}",
                "cx": f"{x + bar_w / 2:.1f}",
                "segments": segments,
                "total": sum(counts.values()),
                "label": label if i % label_every == 0 or (i == n - 1 and n <= 12) else "",
            }
        )
    grid = []
    for k in range(5):
        value = top * k / 4
        if value != int(value):
            continue
        y = _PLOT["top"] + plot_h - plot_h * k / 4
        grid.append({"y": f"{y:.1f}", "label": f"{int(value):,}"})
    return {
        "empty": False,
        "width": CHART_W,
        "height": TIMELINE_H,
        "left": _PLOT["left"],
        "right": f"{CHART_W - _PLOT['right']:.1f}",
        "baseline": f"{_PLOT['top'] + plot_h:.1f}",
        "label_y": f"{_PLOT['top'] + plot_h + 16:.1f}",
        "bars": bars,
        "grid": grid,
        "unit": unit,
    }


RISK_ROW = 18.0
_RISK_LABEL_W = 200.0
_RISK_BAR_W = 340.0


def risk_chart(rows: Sequence[dict[str, Any]], thresholds: Mapping[str, float], limit: int) -> dict[str, Any]:
    """Risk per reference, highest first, as horizontal bars against the thresholds."""
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
                "value": f"{row['badge']} {row['risk_text']}",
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
    return {
        "empty": not shown,
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


# --- what employers said, and the applications ---------------------------------------


def _group_key(text: str) -> str:
    return " ".join(_WORD_RE.findall(fold(text)))


def _debriefs(apps: Sequence[Application], red: Redactor, limit: int) -> dict[str, Any]:
    newest = sorted(apps, key=lambda a: (a.closed_on or a.last_change, a.applied_on, a.id), reverse=True)

    def grouped(items: Iterable[tuple[str, Application]]) -> tuple[list[dict[str, Any]], int]:
        groups: dict[str, dict[str, Any]] = {}
        for text, app in items:
            key = _group_key(text) or text
            group = groups.setdefault(key, {"text": red.text(text), "count": 0, "companies": []})
            group["count"] += 1
            company = red.text(app.company)
            if company not in group["companies"]:
                group["companies"].append(company)
        ordered = sorted(groups.values(), key=lambda g: -g["count"])  # stable: newest first among equals
        for g in ordered:
            extra = len(g["companies"]) - 4
            g["where"] = ", ".join(g["companies"][:4]) + (f" and {extra} more" if extra > 0 else "")
        return ordered[:limit], max(0, len(ordered) - limit)

    reasons, reasons_more = grouped((a.reason, a) for a in newest if a.reason and not a.is_open)
    criticism, criticism_more = grouped((c, a) for a in newest for c in a.criticism)
    leads_all = [
        {"text": red.text(lead), "company": red.text(a.company), "date": iso(a.closed_on or a.last_change)}
        for a in newest
        for lead in a.leads
    ]
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


def _applications(apps: Sequence[Application], red: Redactor, cfg: ReportSettings) -> dict[str, Any]:
    newest = sorted(apps, key=lambda a: (a.applied_on, a.id), reverse=True)
    rows = [
        {
            "company": red.text(a.company),
            "role": red.text(a.role),
            "applied": a.applied_on.isoformat(),
            "references": ", ".join(red.name(r) for r in a.references) or "—",
            "stage": a.stage,
            "outcome": a.outcome,
            "reason": red.text(a.reason),
        }
        for a in newest[: cfg.applications_listed]
    ]
    by_month: dict[int, Counter[str]] = defaultdict(Counter)
    for a in apps:
        bucket = by_month[_month_index(a.applied_on)]
        bucket["total"] += 1
        for column, outcomes in _OUTCOME_COLUMNS:
            if a.outcome in outcomes:
                bucket[column] += 1
    months = sorted(by_month)[-cfg.months_listed :]
    month_rows = [
        {
            "month": f"{_MONTHS[m % 12]} {m // 12}",
            **{c: by_month[m][c] for c, _ in _OUTCOME_COLUMNS},
            "total": by_month[m]["total"],
        }
        for m in months
    ]
    totals = Counter[str]()
    for a in apps:
        for column, outcomes in _OUTCOME_COLUMNS:
            if a.outcome in outcomes:
                totals[column] += 1
    return {
        "rows": rows,
        "total": len(apps),
        "hidden": max(0, len(apps) - len(rows)),
        "months": month_rows,
        "months_hidden": max(0, len(by_month) - len(months)),
        "outcomes": [{"outcome": c, "count": totals[c]} for c, _ in _OUTCOME_COLUMNS],
        "columns": [c for c, _ in _OUTCOME_COLUMNS],
    }


def _settings_sections(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
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
