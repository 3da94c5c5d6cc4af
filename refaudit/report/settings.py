"""The ``report:`` section of the settings, as one typed and checked value.

``Settings.report`` (``refaudit.settings``) reads the section once, through
``ReportSettings.from_section``; ``settled`` then fixes the paper size for one report, and
the result is passed to everything that needs it: the contents builder and, through the
contents, the renderer. ``auto`` (the shipped paper) is Letter where the locale's territory
is the US or Canada, A4 elsewhere; ``--paper`` wins over the setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from refaudit.errors import ValidationError
from refaudit.report.redact import clean

if TYPE_CHECKING:
    from refaudit.settings import Scoring

PAPERS = ("A4", "Letter", "A5", "Legal")
LETTER_TERRITORIES = ("US", "CA")


def paper_for(territory: str | None) -> str:
    """The paper ``auto`` means for a locale's territory (``US`` in ``en_US.UTF-8``)."""
    return "Letter" if (territory or "").upper() in LETTER_TERRITORIES else "A4"


def territory(locale_name: str | None) -> str | None:
    """``en_US.UTF-8`` -> ``US``; ``C``, ``POSIX`` or nothing -> None."""
    if not locale_name:
        return None
    base = locale_name.split(".", 1)[0].split("@", 1)[0]
    _, sep, country = base.partition("_")
    return country.upper() if sep and country.isalpha() else None


@dataclass(frozen=True)
class ReportSettings:
    """The ``report:`` section, checked; ``paper`` is as configured (``auto`` or a size) until ``settled``."""

    paper: str
    title: str
    confidentiality: str
    evidence_per_reference: int
    evidence_total: int
    actions_per_reference: int
    actions_total: int
    compact_above: int
    sections_max: int
    references_listed: int
    applications_listed: int
    months_listed: int
    risk_chart_rows: int
    debrief_items: int
    # The audit's risk thresholds, drawn on the risk chart (settings.py has checked their type).
    watch_risk: float
    drop_risk: float

    @classmethod
    def from_section(cls, section: object, scoring: Scoring) -> ReportSettings:
        """Check the raw ``report:`` section (``Settings.report`` calls this once)."""
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

        return cls(
            paper=_paper_text(section.get("paper")),  # its value checked when settled: --paper wins over it
            title=text("title"),
            confidentiality=text("confidentiality"),
            evidence_per_reference=count("evidence_per_reference"),
            evidence_total=count("evidence_total"),
            actions_per_reference=count("actions_per_reference"),
            actions_total=count("actions_total"),
            compact_above=count("compact_above"),
            sections_max=count("sections_max"),
            references_listed=count("references_listed"),
            applications_listed=count("applications_listed"),
            months_listed=count("months_listed"),
            risk_chart_rows=count("risk_chart_rows"),
            debrief_items=count("debrief_items"),
            watch_risk=scoring.watch_risk,
            drop_risk=scoring.drop_risk,
        )

    def settled(self, *, territory: str | None = None, paper: str | None = None) -> ReportSettings:
        """These settings with the paper of one report: ``paper`` (``--paper``) or the setting, ``auto``
        read from the locale's ``territory``."""
        return replace(self, paper=_paper(paper if paper is not None else self.paper, territory))

    @property
    def thresholds(self) -> dict[str, float]:
        return {"watch": self.watch_risk, "drop": self.drop_risk}


def _paper_text(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"config: report.paper {value!r} is not one of: auto, {', '.join(PAPERS)}.")
    return value


def _paper(value: object, where: str | None) -> str:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return paper_for(where)
    matches = [p for p in PAPERS if isinstance(value, str) and p.lower() == value.strip().lower()]
    if not matches:
        raise ValidationError(f"config: report.paper {value!r} is not one of: auto, {', '.join(PAPERS)}.")
    return matches[0]
