"""Lena Fischer's search, typed through the command line as it happens, day-first.

> Lena, a backend engineer in Berlin, gives four references: Jonas Weber (former team lead),
> Dr. Aiko Tanaka (PhD advisor), Marco Rossi (peer) and Sara Lind (current manager). A recruiter
> read out, word for word, what Jonas told an employer, after a friend's mock call had heard him
> glowing; three different people on three different applications passed on that Aiko was
> lukewarm; an old recruiter's negative about Marco met two employers' praise; Sara, on every
> application, took a week to answer. (Issue 21 of the project.)

``type_story(runner, until, config)`` types every event up to ``until`` (ISO day) in the order they
happened, each on its own day (``REFAUDIT_TODAY``), with dates typed day-first (``04/08/2026``, read
through ``dates.order: dmy`` in ``config``) or with dots (``15.09.2026``). It returns the
registry's id for each report, named as the issue names them (``f1`` … ``f10``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import CHEAP_KDF, Runner

CONFIG = "dates:\n  order: dmy\n"

# (day the user types it, report name or "", command). Dates in commands are day-first.
EVENTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("2024-12-01", "", ("ref", "add", "Marco Rossi", "-r", "colleague", "--org", "Nordwerk",
                        "--consent-on", "01/12/2024")),
    ("2024-12-10", "", ("app", "add", "Altwerk", "--role", "Backend Engineer", "--id", "altwerk-2025",
                        "--applied", "10/12/2024", "--ref", "marco")),
    ("2025-01-08", "", ("app", "update", "altwerk-2025", "--stage", "interview", "--on", "08/01/2025")),
    ("2025-01-20", "f2", ("feedback", "log", "marco", "--sentiment", "negative", "--source", "recruiter",
                          "--certainty", "direct", "--app", "altwerk-2025", "--reporter", "Anke at TalentBridge",
                          "--quote", "not a team player", "--on", "20/01/2025")),
    ("2025-01-28", "", ("app", "update", "altwerk-2025", "--outcome", "rejected", "--on", "28.01.2025")),
    ("2026-08-01", "", ("ref", "add", "Jonas Weber", "-r", "manager", "--title", "Former team lead",
                        "--org", "Nordwerk", "--consent-on", "01/08/2026")),
    ("2026-08-01", "", ("ref", "add", "Dr. Aiko Tanaka", "-r", "academic", "--title", "PhD advisor",
                        "--org", "TU Berlin", "--consent-on", "01/08/2026", "--id", "aiko-tanaka")),
    ("2026-08-01", "", ("ref", "add", "Sara Lind", "-r", "manager", "--title", "Engineering manager",
                        "--org", "Spreelabs", "--consent-on", "01/08/2026")),
    ("2026-08-01", "", ("ref", "edit", "marco", "--consent-on", "01/08/2026")),
    ("2026-08-04", "", ("app", "add", "Helio", "--role", "Backend Engineer", "--id", "helio",
                        "--applied", "04/08/2026", "--ref", "jonas", "--ref", "marco")),
    ("2026-08-06", "", ("app", "add", "Quanta", "--role", "Platform Engineer", "--id", "quanta",
                        "--applied", "06/08/2026", "--ref", "jonas", "--ref", "aiko")),
    ("2026-08-10", "f1", ("feedback", "log", "jonas", "--sentiment", "positive", "--source", "mock-call",
                          "--reporter", "Felix, a friend", "--quote", "the best lead I ever had on my team",
                          "--on", "10/08/2026")),
    ("2026-08-12", "", ("app", "add", "Brightline", "--role", "Backend Engineer", "--id", "brightline",
                        "--applied", "12/08/2026", "--ref", "aiko", "--ref", "sara")),
    ("2026-08-20", "", ("app", "add", "Kestrel", "--role", "Senior Backend Engineer", "--id", "kestrel",
                        "--applied", "20/08/2026", "--ref", "jonas", "--ref", "sara")),
    ("2026-09-01", "", ("app", "add", "Ostwind", "--role", "Backend Engineer", "--id", "ostwind",
                        "--applied", "01/09/2026", "--ref", "aiko", "--ref", "marco")),
    ("2026-09-01", "", ("app", "update", "helio", "--stage", "reference-check", "--on", "01/09/2026")),
    ("2026-09-05", "", ("app", "update", "quanta", "--stage", "reference-check", "--on", "05/09/2026")),
    ("2026-09-10", "", ("app", "update", "brightline", "--stage", "reference-check", "--on", "10/09/2026")),
    ("2026-09-15", "", ("app", "add", "Fernbahn", "--role", "Backend Engineer", "--id", "fernbahn",
                        "--applied", "15/09/2026", "--ref", "marco", "--ref", "sara")),
    ("2026-09-15", "", ("app", "update", "helio", "--outcome", "rejected", "--reason-kind", "none-given",
                        "--on", "15/09/2026")),
    ("2026-09-16", "f4", ("feedback", "log", "marco", "--sentiment", "positive", "--source", "employer",
                          "--app", "helio", "--reporter", "HR at Helio", "--quote", "his reference was strong",
                          "--on", "16/09/2026")),
    ("2026-09-20", "", ("app", "update", "kestrel", "--stage", "reference-check", "--on", "20/09/2026")),
    ("2026-09-22", "", ("app", "update", "quanta", "--outcome", "rejected", "--on", "22/09/2026")),
    ("2026-09-25", "", ("app", "update", "ostwind", "--stage", "reference-check", "--on", "25/09/2026")),
    ("2026-09-28", "f3", ("feedback", "log", "aiko", "--sentiment", "lukewarm", "--source", "contact",
                          "--certainty", "hearsay", "--app", "quanta", "--reporter", "Jan, a former labmate",
                          "--quote", "reserved", "--on", "28/09/2026")),
    ("2026-09-30", "", ("app", "update", "brightline", "--outcome", "rejected", "--reason-kind", "experience",
                        "--on", "30/09/2026")),
    ("2026-10-01", "", ("app", "add", "Lumen", "--role", "Backend Engineer", "--id", "lumen",
                        "--applied", "01/10/2026", "--ref", "sara", "--ref", "marco")),
    ("2026-10-03", "", ("app", "add", "Pixelwerk", "--role", "Backend Engineer", "--id", "pixelwerk",
                        "--applied", "03/10/2026", "--ref", "sara", "--ref", "aiko")),
    ("2026-10-05", "", ("app", "add", "Nordlicht", "--role", "Backend Engineer", "--id", "nordlicht",
                        "--applied", "05/10/2026", "--ref", "sara", "--ref", "jonas")),
    ("2026-10-06", "", ("app", "update", "kestrel", "--outcome", "rejected", "--reason-kind", "none-given",
                        "--on", "06/10/2026")),
    ("2026-10-08", "", ("app", "add", "Tannhaus", "--role", "Backend Engineer", "--id", "tannhaus",
                        "--applied", "08/10/2026", "--ref", "sara", "--ref", "marco")),
    ("2026-10-08", "f5", ("feedback", "log", "jonas", "--sentiment", "negative", "--source", "recruiter",
                          "--certainty", "verbatim", "--app", "kestrel", "--reporter", "Mia at Hunter & Co",
                          "--quote", "I wouldn't hire her as a senior again; she needs hand-holding on every design",
                          "--on", "08/10/2026")),
    ("2026-10-10", "", ("app", "add", "Glasfaser", "--role", "Backend Engineer", "--id", "glasfaser",
                        "--applied", "10/10/2026", "--ref", "sara", "--ref", "jonas")),
    ("2026-10-12", "", ("app", "update", "fernbahn", "--stage", "reference-check", "--on", "12/10/2026")),
    ("2026-10-12", "", ("app", "update", "lumen", "--stage", "interview", "--on", "12/10/2026")),
    ("2026-10-14", "", ("app", "update", "ostwind", "--outcome", "rejected", "--reason-kind", "none-given",
                        "--on", "14/10/2026")),
    ("2026-10-14", "", ("app", "update", "pixelwerk", "--stage", "interview", "--on", "14/10/2026")),
    ("2026-10-15", "f10", ("feedback", "log", "jonas", "--sentiment", "positive", "--source", "mock-call",
                           "--reporter", "Felix, a friend", "--quote", "brilliant, hire her", "--on", "15/10/2026")),
    ("2026-10-16", "", ("app", "update", "nordlicht", "--stage", "interview", "--on", "16/10/2026")),
    ("2026-10-20", "f6", ("feedback", "log", "aiko", "--sentiment", "lukewarm", "--source", "contact",
                          "--certainty", "hearsay", "--app", "ostwind", "--reporter", "Olga, a friend at Ostwind",
                          "--quote", "cautious", "--on", "20/10/2026")),
    ("2026-10-20", "f7", ("feedback", "log", "marco", "--sentiment", "positive", "--source", "employer",
                          "--app", "fernbahn", "--reporter", "the CTO at Fernbahn", "--quote", "glowing",
                          "--on", "20/10/2026")),
    ("2026-10-20", "", ("app", "update", "tannhaus", "--stage", "interview", "--on", "20/10/2026")),
    ("2026-10-22", "", ("app", "update", "glasfaser", "--stage", "interview", "--on", "22/10/2026")),
    ("2026-10-28", "f9", ("feedback", "log", "sara", "--sentiment", "positive", "--source", "employer",
                          "--app", "fernbahn", "--reporter", "HR at Fernbahn", "--fatigue",
                          "--quote", "very positive, but took a week to answer and sounded stretched",
                          "--on", "28/10/2026")),
    ("2026-11-02", "f8", ("feedback", "log", "aiko", "--sentiment", "lukewarm", "--source", "contact",
                          "--certainty", "hearsay", "--app", "brightline", "--reporter", "Theo from a meetup",
                          "--quote", "didn't go out on a limb", "--on", "02/11/2026")),
    ("2026-11-03", "", ("app", "update", "fernbahn", "--stage", "offer", "--outcome", "offer", "--on", "03/11/2026")),
    ("2026-11-06", "", ("app", "update", "fernbahn", "--outcome", "accepted", "--on", "06/11/2026")),
]  # fmt: skip

LAST_DAY = EVENTS[-1][0]


def config_file(folder: Path) -> Path:
    """Lena's config: day-first dates."""
    path = folder / "lena-config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def type_story(runner: Runner, until: str, config: Path) -> dict[str, str]:
    """Type every event up to ``until`` (ISO day) on its own day into a new registry; the report ids."""
    ids: dict[str, str] = {}
    env: dict[str, str | None] = {"REFAUDIT_CONFIG": str(config), "REFAUDIT_TODAY": EVENTS[0][0]}
    runner.ok("init", *CHEAP_KDF, env=env)
    for day, name, command in EVENTS:
        if date.fromisoformat(day) > date.fromisoformat(until):
            break
        result = runner.ok(*command, env={**env, "REFAUDIT_TODAY": day})
        if name:
            ids[name] = result.stdout.strip()
    return ids
