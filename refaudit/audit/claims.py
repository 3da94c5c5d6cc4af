"""Claims: what a rule found, as data (``Claim``), and the level and flag it sets (``Finding``).

The rules (``rules.py``) produce findings; the sentences of a verdict are worded from their
claims (``wording.py``). ``audit --json`` prints the claims beside the reasons, and a test
checks every kind against the registry it was made from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Every kind of claim, and what it asserts (the same list is in docs/schemas/records.schema.json).
CLAIM_KINDS = {
    "risk": "the risk number, from the reports in feedback, against the watch and drop lines",
    "latest-praise": "the newest credible positive report (feedback[0]) on its day",
    "credible-negative": "a credible negative report (feedback[0]), not outweighed",
    "negative-outweighed": "a negative report (feedback[0]) followed by enough credible positives (the rest)",
    "newer-credible-word": "an old credible negative (feedback[0]) followed by newer credible positives (the rest)",
    "weak-negative": "a negative report that is not credible (feedback[0])",
    "reservations": "credible lukewarm or mixed reports (feedback)",
    "reservations-corroborated": "credible lukewarm or mixed reports, corroborated (numbers.pattern: 1 by the pattern)",
    "converging": "numbers.count independent adverse reports (feedback), the count last rising on `on`",
    "contradicted": "friends' praise (all feedback but the last) against a credible employer-side adverse report",
    "weighed-in-favour": "credible positive reports (feedback) weighed against a watch or drop",
    "unreachable": "failed attempts to reach them (feedback), numbers.attempts in all",
    "policy-limited": "dates-only answers (feedback)",
    "untested": "no reports at all",
    "untested-dates-only": "only dates-only answers (feedback)",
    "on-record": "a credible report (feedback[0]) that changed nothing",
    "rumour": "an adverse report that is not credible (feedback[0]), cited by no other claim (numbers.independent: "
    "the independent adverse reports already counted, which it does not add to, or 0 below converge_watch)",
    "overused": "on numbers.recent applications in the window, or numbers.live open ones at interview or later",
    "fatigued": "a fatigue report (feedback[0]) within scoring.fatigue_days",
    "stale": "no contact since `on` (numbers.days days)",
    "late-losses": "the comparison of late losses with them (k of n) and without them (m of p)",
    "user-dropped": "you marked them dropped on `on`",
}


@dataclass(frozen=True, slots=True)
class Claim:
    """One thing a rule found: its kind, the reports and applications it rests on, its day, its numbers."""

    kind: str
    feedback: tuple[str, ...] = ()
    applications: tuple[str, ...] = ()
    on: date | None = None
    numbers: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "feedback": list(self.feedback),
            "applications": list(self.applications),
            "on": self.on.isoformat() if self.on else None,
            "numbers": dict(self.numbers),
        }


@dataclass(frozen=True, slots=True, eq=False)
class Finding:
    """A rule's finding: the level it raises the recommendation to (``""``: none), its claim, the
    flag it sets if any, and the rule in words when it can set the recommendation. Two findings are
    the same only when they are one object (``in``, ``index`` and ``remove`` on lists of them)."""

    level: str
    claim: Claim
    flag: str | None = None
    rule: str | None = None
    # The reports that set the level, when not all the claim cites do (it also cites the other side).
    setting: tuple[str, ...] | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return self.claim.feedback

    @property
    def moving(self) -> tuple[str, ...]:
        return self.claim.feedback if self.setting is None else self.setting
