"""The report in words: the summary's opening paragraph and the three lines of what to do now.

Pure, built from the verdicts and the as-of view only: the main finding (who is hurting
the job seeker, or that nobody is), the evidence behind it (the reports against them and
the late rejections they were on), and the one thing to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from refaudit import audit
from refaudit.audit import Verdict
from refaudit.model import Registry
from refaudit.report.redact import Redactor, clean

# What "watch" means, in the same words everywhere. The verdicts engineer is moving the one
# definition into refaudit/audit.py; until it lands, this is the report's single copy.
# What watch means, in the words audit and next use (one sentence, refaudit.audit.WATCH_MEANS),
# set inside a sentence here: "for Priya, give them only alongside … with a mock call."
WATCH_MEANS = audit.WATCH_MEANS[:1].lower() + audit.WATCH_MEANS[1:].rstrip(".")
_ADVERSE = ("negative", "mixed", "lukewarm", "no-response")
_LATE = ("reference-check", "offer")


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural_form or word + 's')}"


def names_list(names: Sequence[str], limit: int = 3) -> str:
    if len(names) <= limit:
        shown = list(names)
        if len(shown) <= 1:
            return "".join(shown)
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    return ", ".join(names[:limit]) + f" and {len(names) - limit:,} more"


class Story:
    """The words the summary opens with, for one audit."""

    def __init__(
        self,
        ordered: Sequence[Verdict],
        rows: Sequence[dict[str, Any]],
        seen: Registry,
        red: Redactor,
        picks: Sequence[dict[str, Any]],
        actions: Sequence[dict[str, Any]],
    ) -> None:
        self.ordered, self.rows, self.seen, self.red = ordered, rows, seen, red
        self.picks, self.actions = picks, actions
        self.drop = [r for r in rows if r["recommendation"] == "drop"]
        self.watch = [r for r in rows if r["recommendation"] == "watch"]

    def paragraph(self) -> list[str]:
        """Three or four sentences: the main finding, the evidence behind it, the one thing to do."""
        if self.drop:
            names = names_list([r["name"] for r in self.drop])
            finding = f"{names} {'is' if len(self.drop) == 1 else 'are'} hurting your applications."
            evidence = self._evidence(self.drop[0])
            todo = f"The one thing to do: stop giving {names}"
            todo += f", and give {self._lineup()} instead." if self.picks else "."
        elif self.watch:
            names = names_list([r["name"] for r in self.watch])
            verb = "needs" if len(self.watch) == 1 else "need"
            finding = f"No reference is clearly hurting you, but {names} {verb} watching."
            evidence = self._evidence(self.watch[0])
            todo = f"The one thing to do: {self._watch_todo()}"
        else:
            reports = sum(r["reports"] for r in self.rows)
            positive = sum(r["positive"] for r in self.rows)
            finding = (
                f"On the evidence so far, none of your {plural(len(self.rows), 'reference')} is hurting you."
                if self.rows
                else "No references are recorded yet."
            )
            evidence = (
                [f"{positive:,} of the {plural(reports, 'report')} on file {_be(positive)} positive."]
                if reports
                else []
            )
            todo = (
                f"The one thing to do: give {self._lineup()} on your next application."
                if self.picks
                else self._first_action()
            )
        return [finding, *evidence, todo] if todo else [finding, *evidence]

    def headline(self) -> list[dict[str, str]]:
        """What to do now, in three lines: drop, watch, next."""
        lines = []
        if self.drop:
            names = names_list([r["name"] for r in self.drop])
            text = f"Stop giving {names} as {'a reference' if len(self.drop) == 1 else 'references'}"
            adverse = sum(r["adverse"] for r in self.drop)
            text += f" ({plural(adverse, 'credible report')} against them on file)." if adverse else "."
            lines.append({"label": "Drop", "text": text})
        else:
            lines.append(
                {
                    "label": "Drop",
                    "text": "Nobody needs dropping: no reference is doing you harm on the evidence so far.",
                }
            )
        if self.watch:
            text = self._watch_todo(headline=True)
            lines.append({"label": "Watch", "text": text[0].upper() + text[1:]})
        else:
            lines.append({"label": "Watch", "text": "Nobody is on watch."})
        if self.picks:
            lines.append({"label": "Next", "text": f"Give {self._lineup(5)} on your next application."})
        elif self.actions:
            first = self.actions[0]
            lines.append({"label": "Next", "text": f"{first['label']}: {first['reason']}"})
        else:
            lines.append({"label": "Next", "text": "Nothing is due."})
        return lines

    def _watch_todo(self, headline: bool = False) -> str:
        """Watch's advice, in its usual words, for everyone on watch; those employers could not
        reach are to be called first."""
        names = names_list([r["name"] for r in self.watch])
        advice = f"{names}: {WATCH_MEANS}." if headline else f"for {names}, {WATCH_MEANS}."
        far = [r["name"] for r in self.watch if "unreachable" in self.ordered[r["index"] - 1].flags]
        if not far:
            return advice
        call = (
            f"call {names_list(far)}: employers could not reach {'them' if len(far) == 1 else 'them all'}, "
            "so confirm their number, email and availability."
        )
        return f"{call} {advice[0].upper()}{advice[1:]}"

    def _lineup(self, limit: int = 3) -> str:
        return names_list([p["name"] for p in self.picks], limit=limit)

    def _first_action(self) -> str:
        if not self.actions:
            return ""
        first = self.actions[0]
        return f"The one thing to do: {first['label'].lower()} — {first['reason']}"

    def _evidence(self, row: dict[str, Any]) -> list[str]:
        """The reports against this reference, and the late rejections they were on."""
        verdict = self.ordered[row["index"] - 1]
        cited = set(verdict.evidence) | set(verdict.moved)
        against = [
            fb for fb in self.seen.feedback
            if fb.reference == verdict.id and fb.id in cited and fb.sentiment in _ADVERSE
        ]  # fmt: skip
        out = []
        if against:
            # The report the deciding rule rests on first (the audit lists those first), else the newest.
            by_id = {fb.id: fb for fb in against}
            deciding = [by_id[i] for i in verdict.moved if i in by_id]
            newest = deciding[0] if deciding else max(against, key=lambda fb: fb.reported_on)
            who = self.red.reporter(newest) or {"employer": "an employer", "recruiter": "a recruiter"}.get(
                newest.source, f"a {newest.source} source"
            )
            said = f": “{self.red.text(newest.quote)}”" if newest.quote else ""
            more = f" ({plural(len(against), 'report')} against them in all)" if len(against) > 1 else ""
            stop = "" if said.endswith((".”", "!”", "?”")) and not more else "."
            if newest.sentiment == "no-response":
                tries = f" after {newest.attempts} attempts" if (newest.attempts or 1) > 1 else ""
                out.append(f"On {newest.reported_on.isoformat()} {who} said they could not reach them{tries}{more}.")
            else:
                out.append(
                    f"On {newest.reported_on.isoformat()} {who} relayed a {newest.sentiment} report{said}{more}{stop}"
                )
        late = [a for a in self.seen.applications if verdict.id in a.references and a.stage in _LATE and not a.is_open]
        lost = [a for a in late if a.outcome in ("rejected", "ghosted")]
        if lost:
            out.append(
                f"{len(lost)} of the {plural(len(late), 'application')} that reached the reference check with "
                f"{row['name']} on {'it' if len(late) == 1 else 'them'} ended without an offer."
            )
        if not out and verdict.rule:
            out.append(f"The audit's rule: {self.red.text(verdict.rule)}")
        if not out and verdict.reasons:
            out.append(clean(verdict.reasons[0]))  # a shared copy words it redacted (contents._shared_reasons)
        return out


def _be(n: int) -> str:
    return "is" if n == 1 else "are"
