"""``Verdict``: the audit's judgement of one reference, as ``audit --json`` prints it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, overload

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


class Reasons(Sequence[str]):
    """A verdict's reasons, worded the first time they are read, and kept.

    The audit decides from claims; the sentences are only needed where they are shown (``audit``
    prints them all, a report the first few of the references it has sections for, ``next`` and
    ``lineup`` hardly any). Equal to any sequence holding the same sentences. The words come from
    the records the audit read (the as-of view shares them with the registry): read the reasons
    before changing those records, as every command does.
    """

    __slots__ = ("_said", "_word")

    def __init__(self, word: Callable[[], list[str]]) -> None:
        self._word: Callable[[], list[str]] | None = word
        self._said: list[str] | None = None

    def _sentences(self) -> list[str]:
        if self._said is None:
            assert self._word is not None
            self._said, self._word = self._word(), None
        return self._said

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._sentences()[index]

    def __len__(self) -> int:
        return len(self._sentences())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._sentences() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return repr(self._sentences())


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
    reasons: Sequence[str] = field(default_factory=list)  # a list, or the audit's ``Reasons``
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
