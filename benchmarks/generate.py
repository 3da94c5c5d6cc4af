"""Deterministic benchmark registries: *typical*, *heavy* and *stress*.

``build(tier, today)`` always returns the same registry for the same tier and day: the
only randomness is a ``random.Random`` seeded per tier. Text has the lengths people type
(names of a dozen characters, notes and quotes of a sentence or a paragraph), some of it
accented or non-Latin, and every enum value of the model appears in every tier.

Nobody types 20,000 applications: a registry that big was imported (``refaudit import``,
all or nothing), so its change log is short: the creation and one import line per year.
Sizes are about those of ``refaudit demo``'s records: a few hundred bytes each.

``ensure(tier)`` writes the registry to ``benchmarks/.data/<tier>.refaudit`` with the
default KDF parameters (what users pay) and the passphrase ``bench``, and reuses the file
while ``GENERATOR_VERSION`` and the bench day are unchanged.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from refaudit import history, store, vault
from refaudit.model import (
    CERTAINTIES,
    FEEDBACK_SOURCES,
    OUTCOMES,
    REFERENCE_STATUSES,
    RELATIONSHIPS,
    SENTIMENTS,
    STAGES,
    Application,
    Briefing,
    Feedback,
    Reference,
    Registry,
    Said,
    unique_id,
)
from refaudit.text import slugify

# Bump whenever the generated content changes: cached registries are rebuilt.
GENERATOR_VERSION = 3  # 2: bodies in the JSON-flow form store.encode writes since the format note; 3: uids
PASSPHRASE = "bench"
# A fixed day keeps every run identical; commands are run with --as-of / --date set to it.
BENCH_DAY = date(2026, 11, 1)
DATA_DIR = Path(__file__).resolve().parent / ".data"


@dataclass(frozen=True)
class Tier:
    name: str
    references: int
    applications: int
    feedback: int
    years: int  # how far back the job hunt goes
    seed: int


TIERS = {
    "typical": Tier("typical", 12, 150, 60, 1, 1101),
    "heavy": Tier("heavy", 100, 2_000, 2_000, 3, 2202),
    "stress": Tier("stress", 1_000, 20_000, 20_000, 8, 3303),
}

# --- vocabulary ---------------------------------------------------------------------

_FIRST = (
    "Jane", "Bob", "Priya", "Marcus", "Elena", "Tom", "Kevin", "Helen", "David", "Rachel", "José",
    "Zoë", "Aïcha", "Søren", "Mei", "Oluwaseun", "Chloé", "Dmitri", "Anaïs", "Rahul", "Fatima",
    "Björn", "Yuki", "Lars", "Ngozi", "Mateo", "Sinéad", "Kwame", "Ingrid", "Hiroshi", "李", "Ana",
)  # fmt: skip
_LAST = (
    "Doe", "Smith", "Natarajan", "Webb", "García", "Becker", "Liu", "Park", "Okafor", "Adams",
    "Müller", "Núñez", "O'Brien", "Kowalski", "Andersson", "Dubois", "Rossi", "Tanaka", "Haddad",
    "Nguyen", "Fernández", "Schmidt", "Ivanova", "Mensah", "Lindqvist", "Moreau", "Kaur", "伟",
)  # fmt: skip
_ORGS = (
    "Northwind Traders", "Contoso Pharma", "Fabrikam Bank", "Globex", "Initech", "Umbrella Health",
    "Stark Logistics", "Wayne Analytics", "Tyrell Systems", "Soylent Foods", "Wonka Retail",
    "Hooli", "Vandelay Industries", "Cyberdyne Research", "Aperture Labs", "Massive Dynamic",
    "Université de Lyon", "Acme Corp", "Blue Sun Energy", "Oscorp Digital", "Gringotts Finance",
)  # fmt: skip
_COMPANIES = (
    *_ORGS,
    "Monsters Inc", "Duff Brewing", "Krusty Media", "Pied Piper", "Dunder Mifflin", "Bluth Company",
    "Prestige Worldwide", "Sterling Cooper", "Los Pollos Hermanos", "Nakatomi Trading", "Zorg Industries",
    "Virtucon", "Weyland-Yutani", "Black Mesa", "InGen", "Octan", "Rekall", "Yoyodyne", "Genco Pura",
)  # fmt: skip
_ROLES = (
    "Data Analyst", "Senior Data Analyst", "BI Developer", "Analytics Engineer", "Data Scientist",
    "Reporting Lead", "Product Analyst", "Insights Manager", "Analytics Consultant", "Data Engineer",
    "Head of Analytics", "Marketing Analyst", "Financial Analyst", "Operations Analyst",
)  # fmt: skip
_TITLES = (
    "Analytics Manager", "Senior Data Analyst", "Head of Business Intelligence", "Team Lead",
    "Director of Finance", "Professor of Statistics", "VP Engineering", "Product Owner", "Founder",
    "Operations Manager", "Principal Consultant", "Lecturer", "Account Director",
)  # fmt: skip
_AGENCIES = ("Hays", "Michael Page", "Robert Half", "Harvey Nash", "Reed", "Adecco", "Randstad", "Hudson")
_REPORTERS = (
    "Sam at Hays", "the hiring manager", "Lena from HR", "the recruiter", "a friend at the company",
    "Omar (Michael Page)", "the reference-check service", "my former colleague", "the interviewer",
)  # fmt: skip
_TAGS = ("technical", "leadership", "sql", "long-tenure", "client-facing", "academic", "recent", "startup")
_TOPICS = (
    "reliability", "deadlines", "teamwork", "communication", "technical depth", "sql", "leadership",
    "attitude", "attendance", "ownership", "stakeholders", "growth",
)  # fmt: skip
_WORDS = (
    "said", "that", "the", "candidate", "was", "always", "reliable", "and", "delivered", "on", "time",
    "although", "sometimes", "struggled", "with", "deadlines", "when", "priorities", "changed", "quickly",
    "worked", "well", "in", "a", "team", "of", "analysts", "built", "dashboards", "for", "sales",
    "finance", "needed", "more", "support", "than", "expected", "would", "hire", "again", "without",
    "hesitation", "strong", "SQL", "skills", "clear", "communicator", "could", "improve", "stakeholder",
    "management", "left", "on", "good", "terms", "after", "three", "years", "reporting", "platform",
    "migration", "led", "projects", "mentored", "juniors", "missed", "some", "meetings", "late", "2024",
    "very", "positive", "overall", "but", "hesitant", "about", "seniority", "level", "confirmed", "dates",
    "title", "only", "policy", "does", "not", "allow", "comments", "enthusiastic", "recommendation",
)  # fmt: skip
_REASONS = (
    "went with a candidate with more experience",
    "the role was filled internally",
    "the budget for the position was frozen",
    "another candidate had deeper domain knowledge",
    "concerns raised during the reference check",
    "not enough stakeholder-management experience for the level",
    "the team decided to hire at a more senior level after all",
)  # fmt: skip


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """Words up to a length drawn between ``low`` and ``high`` characters, as a sentence."""
    target = rng.randint(low, high)
    words: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, low: int, high: int) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    size = 0
    while size < target:
        part = _sentence(rng, 40, 140)
        parts.append(part)
        size += len(part) + 1
    return " ".join(parts)


def _cycled(values: tuple[str, ...], i: int, rng: random.Random) -> str:
    """Every value once first (so each appears even in a small tier), then at random."""
    return values[i] if i < len(values) else rng.choice(values)


# --- the registry -------------------------------------------------------------------------


def build(tier: str, today: date) -> Registry:
    """The registry of ``tier`` as it stands on ``today``; the same every time."""
    spec = TIERS[tier]
    rng = random.Random(spec.seed)
    span = spec.years * 365
    start = today - timedelta(days=span)

    def day_between(a: date, b: date) -> date:
        return a + timedelta(days=rng.randint(0, max(0, (b - a).days)))

    reg = Registry(owner="Alex Candidate")

    taken: set[str] = set()
    for i in range(spec.references):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if rng.random() < 0.15:
            name = "Dr " + name
        ref_id = unique_id(slugify(name), taken, "ref")
        taken.add(ref_id)
        added = day_between(start - timedelta(days=30), today - timedelta(days=30))
        org = rng.choice(_ORGS)
        status = (
            _cycled(REFERENCE_STATUSES, i, rng)
            if i < len(REFERENCE_STATUSES)
            else rng.choices(REFERENCE_STATUSES, (8, 1, 1))[0]
        )
        ref = Reference(
            id=ref_id,
            name=name,
            relationship=_cycled(RELATIONSHIPS, i, rng),
            organization=org,
            title=rng.choice(_TITLES),
            email=f"{ref_id.replace('-', '.')}@{slugify(org).replace('-', '')}.example.com"
            if rng.random() < 0.9
            else None,
            phone=f"+{rng.choice((1, 44, 33, 49))} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.8
            else None,
            known_since=added - timedelta(days=rng.randint(200, 4000)),
            consent_on=day_between(added, today) if rng.random() < 0.85 else None,
            status=status,
            status_on=day_between(added, today) if status != "active" else None,
            status_note=_sentence(rng, 30, 120) if status != "active" else None,
            tags=rng.sample(_TAGS, rng.randint(0, 3)),
            notes=_paragraph(rng, 40, 250) if rng.random() < 0.8 else None,
            added_on=added,
        )
        reg.references.append(ref)

    ref_ids = [r.id for r in reg.references]
    app_taken: set[str] = set()
    # References given most often: a person's list is short, so weight the first ones up.
    popularity = [1.0 / (1 + (k % 40)) for k in range(len(ref_ids))]
    for i in range(spec.applications):
        company = rng.choice(_COMPANIES)
        role = rng.choice(_ROLES)
        applied = day_between(start, today)
        app_id = unique_id(slugify(f"{company} {role}"), app_taken, "app")
        app_taken.add(app_id)
        given = list(dict.fromkeys(rng.choices(ref_ids, popularity, k=rng.randint(1, 4))))
        outcome = _cycled(OUTCOMES, i, rng)
        stage = _cycled(STAGES, i, rng)
        closed = outcome != "pending"
        updated = day_between(applied, min(today, applied + timedelta(days=90)))
        app = Application(
            id=app_id,
            company=company,
            role=role,
            applied_on=applied,
            via=rng.choice(_AGENCIES) if rng.random() < 0.5 else None,
            references=given,
            stage=stage,
            outcome=outcome,
            reason=rng.choice(_REASONS) + (". " + _sentence(rng, 20, 120) if rng.random() < 0.4 else "")
            if outcome in ("rejected", "eliminated")
            else None,
            criticism=[Said(_sentence(rng, 40, 160)) for _ in range(rng.randint(0, 2))]
            if outcome in ("rejected", "eliminated")
            else [],
            leads=[Said(f"{rng.choice(_COMPANIES)} is hiring {rng.choice(_ROLES).lower()}s")]
            if rng.random() < 0.2
            else [],
            briefed=[Briefing(r, day_between(applied, updated)) for r in given if rng.random() < 0.6],
            notes=_paragraph(rng, 30, 200) if rng.random() < 0.4 else None,
            updated_on=updated,
            closed_on=updated if closed else None,
        )
        reg.applications.append(app)
    reg.applications.sort(key=lambda a: (a.applied_on, a.id))

    for i in range(spec.feedback):
        app = rng.choice(reg.applications) if rng.random() < 0.85 else None
        ref_id = rng.choice(app.references) if app else rng.choice(ref_ids)
        low = app.applied_on if app else start
        reported = day_between(low, min(today, low + timedelta(days=120)))
        sentiment = _cycled(SENTIMENTS, i, rng)
        fb = Feedback(
            id=f"f{i + 1}",
            reference=ref_id,
            application=app.id if app else None,
            reported_on=reported,
            source=_cycled(FEEDBACK_SOURCES, i, rng),
            reporter=rng.choice(_REPORTERS) if rng.random() < 0.7 else None,
            sentiment=sentiment,
            certainty=_cycled(CERTAINTIES, i, rng),
            quote=_sentence(rng, 30, 200) if sentiment not in ("no-response", "declined") else None,
            topics=rng.sample(_TOPICS, rng.randint(0, 3)),
            notes=_paragraph(rng, 30, 200) if rng.random() < 0.2 else None,
        )
        reg.feedback.append(fb)
    reg.feedback.sort(key=lambda f: (f.reported_on, int(f.id[1:])))
    reg.feedback_seq = spec.feedback

    history.append(reg, datetime.combine(start, time(9), tzinfo=UTC), "init", "created the registry")
    for year in range(spec.years):
        day = min(today, start + timedelta(days=365 * (year + 1)))
        added = sum(1 for a in reg.applications if a.applied_on <= day)
        added += sum(1 for f in reg.feedback if f.reported_on <= day)
        history.append(reg, datetime.combine(day, time(18), tzinfo=UTC), "import", f"imported {added} record(s)")

    reg.check_integrity()
    return reg


# --- files on disk ------------------------------------------------------------------------


def _stamp(tier: str) -> str:
    kdf = vault.DEFAULT_KDF
    return json.dumps(
        {"generator": GENERATOR_VERSION, "day": BENCH_DAY.isoformat(), "tier": tier,
         "kdf": [kdf.memory_kib, kdf.passes, kdf.lanes]}
    )  # fmt: skip


def path_for(tier: str) -> Path:
    return DATA_DIR / f"{tier}.refaudit"


def ensure(tier: str) -> Path:
    """The encrypted registry of ``tier`` on disk, built when missing or out of date.

    Beside it, ``<tier>.sample`` names a reference and an application to run commands on.
    """
    path = path_for(tier)
    stamp_path, sample_path = path.with_suffix(".stamp"), path.with_suffix(".sample")
    if (
        path.exists()
        and sample_path.exists()
        and stamp_path.exists()
        and stamp_path.read_text(encoding="utf-8") == _stamp(tier)
    ):
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    reg = build(tier, BENCH_DAY)
    # What `feedback log` is run on: the latest application and the first reference given on it.
    latest = reg.applications[-1]
    sample = {"reference": latest.references[0], "application": latest.id}
    sample_path.write_text(json.dumps(sample), encoding="utf-8")
    keyring, _ = vault.create(PASSPHRASE, vault.DEFAULT_KDF, recovery=True)
    # As this version saves it: every record with its uid. A body without them is an older
    # registry's, which gets them derived (an HMAC per record) on every open until it is saved.
    reg = store.decode(store.encode(reg), keyring.data_key)
    blob = vault.seal(keyring, store.encode(reg))
    for old in (path, path.with_name(path.name + ".bak")):
        old.unlink(missing_ok=True)
    store.Store(path).create(blob, lambda data: None)
    stamp_path.write_text(_stamp(tier), encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m benchmarks.generate: build every tier, print sizes
    for name in TIERS:
        p = ensure(name)
        print(f"{name:8} {p.stat().st_size / 1e6:8.2f} MB  {p}")
