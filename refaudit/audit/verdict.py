"""``Verdict``: the audit's judgement of one reference, as ``audit --json`` prints it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from refaudit.audit.claims import Claim

RECOMMENDATIONS = ("keep", "watch", "drop")
FLAGS = (
    "untested",
    "overused",
    "fatigued",
    "stale",
    "unreachable",
    "policy-limited",
    "pattern",
    "contradicted",
    "user-dropped",
)
LEVEL = {rec: i for i, rec in enumerate(RECOMMENDATIONS)}


@dataclass(frozen=True)
class Verdict:
    """The audit's judgement of one reference."""

    id: str
    name: str
    status: str
    recommendation: str
    risk: float
    evidence_weight: float
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # every report the reasons cite
    uses: int = 0
    last_used: date | None = None
    # The reports that moved the recommendation (the report's ◆); a subset of ``evidence``.
    moved: list[str] = field(default_factory=list)
    # When a rule rather than the risk number set the recommendation: that rule, in words.
    rule: str | None = None
    # What the reasons are worded from, one claim per reason or part of one.
    claims: list[Claim] = field(default_factory=list)
    # How the reasons were worded from the claims (``audit.reword`` says them again, redacted).
    advice: str = field(default="", repr=False, compare=False)
    plain_number: bool = field(default=False, repr=False, compare=False)

    def claim(self, kind: str) -> Claim | None:
        """The first claim of ``kind``, if any."""
        return next((c for c in self.claims if c.kind == kind), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "recommendation": self.recommendation,
            "risk": self.risk,
            "evidence_weight": self.evidence_weight,
            "flags": list(self.flags),
            "reasons": list(self.reasons),
            "evidence": list(self.evidence),
            "moved": list(self.moved),
            "rule": self.rule,
            "claims": [c.to_json() for c in self.claims],
            "uses": self.uses,
            "last_used": self.last_used.isoformat() if self.last_used else None,
        }


def in_a_line(v: Verdict) -> str:
    """Why the recommendation, in one line: the rule and the reports that moved it, else the first reason."""
    if v.rule:
        ids = v.moved
        cited = f"(report {ids[0]})" if len(ids) == 1 else f"(reports {', '.join(ids)})"
        return f"{v.rule.rstrip('.')} {cited}." if ids else v.rule
    return v.reasons[0] if v.reasons else f"The audit says {v.recommendation}."
