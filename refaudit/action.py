"""One action of ``next``: the ``Action`` record, the kinds in priority order, and the wording
helpers the sources of actions share (``actions.py`` composes them; ``action_sources.py`` finds them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from refaudit.audit import Verdict
from refaudit.model import Application

ACTION_KINDS = (
    "brief",
    "swap",
    "drop",
    "reach",
    "debrief",
    "follow-up",
    "withdraw",
    "thank",
    "tell",
    "rest",
    "test",
    "check-reference",
    "refresh-consent",
    "mark-ghosted",
    "apply-more",
    "recruit",
)


@dataclass(frozen=True)
class Action:
    """One thing to do, why, and the command that records it as done."""

    kind: str
    due: date
    reference: str | None
    application: str | None
    reason: str
    command: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "due": self.due.isoformat(),
            "reference": self.reference,
            "application": self.application,
            "reason": self.reason,
            "command": self.command,
        }


def level_of(verdicts: Mapping[str, Verdict], ref_id: str) -> str:
    verdict = verdicts.get(ref_id)
    return verdict.recommendation if verdict is not None else "keep"


def app_label(app: Application) -> str:
    return f"{app.company} ({app.role})"


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
