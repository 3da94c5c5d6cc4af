"""A realistic sample registry for ``refaudit demo``: pure and deterministic.

``build_demo(today)`` always returns the same registry for the same ``today``: every
date is relative to it and the only randomness is a ``random.Random`` with a fixed seed.

The sample is built so that the audit has something to say about every reference:

- Jane Doe (manager) is hurting: Sam at Hays heard her say Alex "struggled with
  deadlines" after Acme's reference check (credible negative: drop), and she was on
  three other late rejections (pattern);
- Priya Natarajan (colleague) is lukewarm: two credible lukewarm reports from different
  reporters corroborate each other (drop), and she is on Globex's reference check (swap);
- Marcus Webb (client) never answers: two no-responses (watch, unreachable: reach him);
- Elena García's bank only confirms dates (policy-limited);
- Tom Becker (mentor) has never been tested (untested);
- Kevin Liu (former report) was given on four applications this month (overused);
- Dr Helen Park (academic) has not been in touch for months (stale), her consent
  is more than a year old, and an employer's mixed report makes her watch;
- Bob Smith, David Okafor and Rachel Adams are doing Alex good (keep).

And the story: Alex applied to Acme (Data Analyst) via Hays and gave Jane Doe and Bob
Smith. Acme reached the reference check and then said no: "went with a candidate with
more experience". A week later Sam at Hays told Alex that Jane "said I struggled with
deadlines". The Acme interviewer suggested Globex, which is hiring — and Globex is now
at the reference check, with Priya on it, not yet briefed: swap or brief her.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from refaudit.model import Application, Briefing, Feedback, Reference, Registry, Said, feedback_id, unique_id
from refaudit.text import slugify

OWNER = "Alex Candidate"
_Ago = Callable[[int], date]  # ago(n): the day n days before the demo's today
_SEED = 20261125


def build_demo(today: date) -> Registry:
    """The sample registry as it stands on ``today``."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    references = _references(ago)
    applications = _applications(ago)
    _add_filler(applications, ago, random.Random(_SEED))
    feedback = _feedback(ago)
    registry = Registry(
        owner=OWNER,
        references=references,
        applications=sorted(applications, key=lambda a: (a.applied_on, a.id)),
        feedback=feedback,
        feedback_seq=len(feedback),
    )
    registry.check_integrity()
    return registry


def _references(ago: _Ago) -> list[Reference]:
    start = ago(370)
    return [
        Reference(
            id="jane-doe", name="Jane Doe", relationship="manager", organization="Northwind Traders",
            title="Analytics Manager", email="jane.doe@example.com", phone="+1 555 0100",
            known_since=date(2019, 3, 1), consent_on=ago(200), tags=["technical", "long-tenure"],
            notes="Managed me for three years on the Northwind reporting team.", added_on=start,
        ),
        Reference(
            id="bob-smith", name="Bob Smith", relationship="colleague", organization="Northwind Traders",
            title="Senior Data Analyst", email="bob.smith@example.com", phone="+1 555 0101",
            known_since=date(2019, 5, 13), consent_on=ago(120), tags=["technical", "sql"],
            notes="Sat next to me; we built the sales dashboards together.", added_on=start,
        ),
        Reference(
            id="david-okafor", name="David Okafor", relationship="manager", organization="Contoso Pharma",
            title="Head of Business Intelligence", email="d.okafor@example.org", phone="+1 555 0102",
            known_since=date(2021, 9, 6), consent_on=ago(150), tags=["leadership"],
            notes="My manager on the Contoso contract; happy to take calls any time.", added_on=start,
        ),
        Reference(
            id="priya-natarajan", name="Priya Natarajan", relationship="colleague",
            organization="Fabrikam Analytics", title="Data Engineer", email="priya.n@example.com",
            phone="+1 555 0103", known_since=date(2021, 1, 11), consent_on=ago(90), tags=["engineering"],
            added_on=start,
        ),
        Reference(
            id="marcus-webb", name="Marcus Webb", relationship="client", organization="Tailwind Logistics",
            title="Operations Director", email="marcus.webb@example.com", phone="+1 555 0104",
            known_since=date(2022, 2, 1), tags=["client-facing"],
            notes="Client on the route-planning project. Travels a lot.", added_on=start,
        ),
        Reference(
            id="elena-garcia", name="Elena García", relationship="manager", organization="Woodgrove Bank",
            title="Risk Reporting Lead", email="elena.garcia@example.org", phone="+1 555 0105",
            known_since=date(2020, 6, 15), consent_on=ago(160), tags=["finance"],
            notes="Woodgrove HR handles all reference calls.", added_on=start,
        ),
        Reference(
            id="tom-becker", name="Tom Becker", relationship="mentor", organization="Data Mentors Network",
            title="Principal Data Scientist", email="tom@example.org", phone="+1 555 0106",
            known_since=date(2023, 4, 20), consent_on=ago(55), tags=["mentor"],
            notes="Met through the mentoring scheme; monthly calls.", added_on=ago(60),
        ),
        Reference(
            id="kevin-liu", name="Kevin Liu", relationship="report", organization="Northwind Traders",
            title="Junior Analyst", email="kevin.liu@example.com", phone="+1 555 0107",
            known_since=date(2022, 8, 1), consent_on=ago(140), tags=["leadership"],
            notes="Reported to me for 18 months.", added_on=ago(150),
        ),
        Reference(
            id="helen-park", name="Dr Helen Park", relationship="academic", organization="State University",
            title="Associate Professor of Statistics", email="h.park@example.edu", phone="+1 555 0108",
            known_since=date(2014, 9, 1), consent_on=ago(400), tags=["academic", "statistics"],
            notes="Supervised my master's thesis.", added_on=start,
        ),
        Reference(
            id="rachel-adams", name="Rachel Adams", relationship="personal", organization="Lucerne Publishing",
            title="Editor", email="rachel.adams@example.com", phone="+1 555 0109",
            known_since=date(2012, 1, 1), consent_on=ago(100), tags=["character"],
            notes="Friend from the volunteer literacy programme.", added_on=start,
        ),
    ]  # fmt: skip


def _applications(ago: _Ago) -> list[Application]:
    """The applications the story and the audit's findings rest on."""
    return [
        # The story.
        Application(
            id="acme-data-analyst", company="Acme Corp", role="Data Analyst", applied_on=ago(45), via="Hays",
            references=["jane-doe", "bob-smith"], stage="reference-check", outcome="rejected",
            reason="went with a candidate with more experience",
            criticism=[Said("Could show more SQL depth in the take-home exercise")],
            leads=[Said("Globex is hiring data analysts — the interviewer suggested asking for Maria Chen")],
            briefed=[Briefing("jane-doe", ago(26)), Briefing("bob-smith", ago(26))],
            updated_on=ago(20), closed_on=ago(20),
        ),
        Application(
            id="globex-data-analyst", company="Globex", role="Data Analyst", applied_on=ago(15),
            references=["david-okafor", "priya-natarajan"], stage="reference-check",
            briefed=[Briefing("david-okafor", ago(2))], notes="Lead from the Acme interviewer.",
            updated_on=ago(2),
        ),
        # Offers: one recent (thank them), one in the spring (thanked).
        Application(
            id="relecloud-senior-data-analyst", company="Relecloud", role="Senior Data Analyst",
            applied_on=ago(50), via="Robert Half", references=["david-okafor", "bob-smith"], stage="offer",
            outcome="offer", briefed=[Briefing("david-okafor", ago(20)), Briefing("bob-smith", ago(20))],
            notes="Negotiating the start date.", updated_on=ago(8), closed_on=ago(8),
        ),
        Application(
            id="lucerne-publishing-bi-analyst", company="Lucerne Publishing", role="BI Analyst",
            applied_on=ago(240), references=["david-okafor", "helen-park", "rachel-adams"], stage="offer",
            outcome="offer",
            briefed=[Briefing("helen-park", ago(203)), Briefing("david-okafor", ago(203)),
                     Briefing("rachel-adams", ago(203))],
            notes="Turned it down: the salary was well below market.", updated_on=ago(205), closed_on=ago(205),
        ),
        # Jane's other late rejections.
        Application(
            id="contoso-reporting-analyst", company="Contoso", role="Reporting Analyst", applied_on=ago(40),
            via="Michael Page", references=["jane-doe", "tom-becker"], stage="reference-check",
            outcome="rejected", updated_on=ago(12), closed_on=ago(12),
        ),
        Application(
            id="fabrikam-analytics-engineer", company="Fabrikam", role="Analytics Engineer", applied_on=ago(130),
            references=["jane-doe", "bob-smith"], stage="reference-check", outcome="rejected",
            reason="decided not to proceed after speaking to referees", updated_on=ago(100), closed_on=ago(100),
        ),
        Application(
            id="tailspin-toys-product-analyst", company="Tailspin Toys", role="Product Analyst",
            applied_on=ago(190), via="Hays", references=["jane-doe", "rachel-adams"], stage="reference-check",
            outcome="rejected", updated_on=ago(160), closed_on=ago(160),
        ),
        # Priya, lukewarm.
        Application(
            id="fourth-coffee-data-analyst", company="Fourth Coffee", role="Data Analyst", applied_on=ago(95),
            references=["priya-natarajan", "bob-smith"], stage="reference-check", outcome="rejected",
            reason="a stronger candidate on stakeholder management", criticism=[Said("Give more business context")],
            updated_on=ago(70), closed_on=ago(70),
        ),
        # Marcus, unreachable.
        Application(
            id="proseware-operations-analyst", company="Proseware", role="Operations Analyst",
            applied_on=ago(110), references=["marcus-webb", "david-okafor"], stage="reference-check",
            outcome="rejected", reason="role filled internally", updated_on=ago(88), closed_on=ago(88),
        ),
        Application(
            id="trey-research-data-analyst", company="Trey Research", role="Data Analyst", applied_on=ago(60),
            via="Harnham", references=["marcus-webb", "bob-smith"], stage="reference-check",
            outcome="withdrawn", notes="Withdrew: they wanted five days a week in the office.",
            updated_on=ago(38), closed_on=ago(38),
        ),
        # Elena, policy-limited.
        Application(
            id="adventure-works-risk-analyst", company="Adventure Works", role="Risk Analyst",
            applied_on=ago(100), references=["elena-garcia", "david-okafor"], stage="reference-check",
            outcome="rejected", reason="went with an internal candidate", updated_on=ago(78), closed_on=ago(78),
        ),
        Application(
            id="coho-winery-finance-analyst", company="Coho Winery", role="Finance Analyst", applied_on=ago(260),
            references=["elena-garcia", "rachel-adams"], stage="reference-check", outcome="eliminated",
            updated_on=ago(230), closed_on=ago(230),
        ),
        # Kevin, given four times this month.
        Application(
            id="wingtip-toys-bi-developer", company="Wingtip Toys", role="BI Developer", applied_on=ago(3),
            references=["kevin-liu", "david-okafor"],
        ),
        Application(
            id="margies-travel-data-analyst", company="Margie's Travel", role="Data Analyst", applied_on=ago(6),
            via="Hays", references=["kevin-liu", "bob-smith"], stage="screening", updated_on=ago(4),
        ),
        Application(
            id="alpine-ski-house-reporting-analyst", company="Alpine Ski House", role="Reporting Analyst",
            applied_on=ago(24), via="Michael Page", references=["kevin-liu", "tom-becker"], stage="interview",
            updated_on=ago(18),
        ),
        Application(
            id="consolidated-messenger-analyst", company="Consolidated Messenger", role="Data Analyst",
            applied_on=ago(27), references=["kevin-liu"], stage="screening", outcome="rejected",
            reason="role put on hold", updated_on=ago(19), closed_on=ago(19),
        ),
        Application(
            id="wide-world-importers-analyst", company="Wide World Importers", role="Supply Chain Analyst",
            applied_on=ago(80), references=["kevin-liu", "david-okafor"], stage="final", outcome="rejected",
            reason="budget cut for the role", leads=[Said("Their logistics partner Tailwind may be hiring")],
            updated_on=ago(58), closed_on=ago(58),
        ),
        # Gone quiet: mark it ghosted.
        Application(
            id="blue-yonder-airlines-analyst", company="Blue Yonder Airlines", role="Revenue Analyst",
            applied_on=ago(70), via="Robert Half", references=["bob-smith", "rachel-adams"], stage="interview",
            updated_on=ago(55),
        ),
        # Helen's last use.
        Application(
            id="city-power-light-data-scientist", company="City Power & Light", role="Data Scientist",
            applied_on=ago(300), references=["helen-park", "bob-smith"], stage="interview", outcome="rejected",
            reason="looking for a PhD", updated_on=ago(280), closed_on=ago(280),
        ),
    ]  # fmt: skip


_FILLER_COMPANIES = (
    "Litware", "Humongous Insurance", "Southridge Video", "VanArsdel", "Fourth Street Bank",
    "Graphic Design Institute", "Woodland Health", "Bellows College", "Northwind Health",
    "Wingtip Partners", "First Up Consultants", "Lamna Healthcare", "Nod Publishers",
    "Olympia Telecom", "Boulder Innovations", "Datum Corporation", "Fincher Architects",
    "Liberty Delightful", "Best For You Organics", "Fabrikam Residences", "Munson's Pickles",
)  # fmt: skip
_ROLES = (
    "Data Analyst", "Senior Data Analyst", "BI Analyst", "Reporting Analyst", "Product Analyst",
    "Analytics Engineer", "Insight Analyst",
)  # fmt: skip
_AGENCIES = (None, None, "Hays", "Robert Half", "Michael Page", "Harnham")
_REASONS = (
    "went with a candidate with more experience in healthcare",
    "position filled before interviews finished",
    "looking for stronger Python skills",
    "hiring freeze",
    None,
    None,
)
_CRITICISM = (
    "Be more concise when walking through past projects",
    "Quantify the impact of the dashboards you built",
    "Prepare questions about the team's data stack",
)
_LEADS = (
    "The hiring manager recommended applying to Datum Corporation",
    "Recruiter will pass my CV to a sister company",
)
# Long-standing references a filler application may name (never Helen: she is stale).
_FILLER_REFS = ("bob-smith", "david-okafor", "rachel-adams", "priya-natarajan")


def _add_filler(apps: list[Application], ago: _Ago, rng: random.Random) -> None:
    """Older, mostly early-stage applications: the everyday volume of a year's search."""
    taken = {a.id for a in apps}
    for company in _FILLER_COMPANIES:
        role = rng.choice(_ROLES)
        applied = rng.randint(45, 360)
        stage = rng.choices(("applied", "screening", "interview"), weights=(5, 3, 3))[0]
        outcome = rng.choices(("rejected", "ghosted", "withdrawn", "eliminated"), weights=(6, 3, 1, 1))[0]
        closed = max(31, applied - rng.randint(7, 35))
        refs = rng.sample(_FILLER_REFS, 2) if stage == "interview" else []
        app_id = unique_id(slugify(f"{company} {role}"), taken, "application")
        taken.add(app_id)
        app = Application(
            id=app_id, company=company, role=role, applied_on=ago(applied), via=rng.choice(_AGENCIES),
            references=refs, stage=stage, outcome=outcome, updated_on=ago(closed), closed_on=ago(closed),
        )  # fmt: skip
        if outcome == "rejected":
            app.reason = rng.choice(_REASONS)
            if stage == "interview" and rng.random() < 0.5:
                app.criticism = [Said(rng.choice(_CRITICISM))]
            if rng.random() < 0.25:
                app.leads = [Said(rng.choice(_LEADS))]
        apps.append(app)


@dataclass
class _Report:
    days_ago: int
    reference: str
    sentiment: str
    source: str
    certainty: str
    application: str | None = None
    reporter: str | None = None
    quote: str | None = None
    topics: list[str] = field(default_factory=list)
    notes: str | None = None


_REPORTS = (
    # Jane Doe: the one who is hurting.
    _Report(13, "jane-doe", "negative", "recruiter", "direct", "acme-data-analyst", "Sam at Hays",
            "Said I struggled with deadlines.", ["reliability"],
            "Sam called a week after Acme said no; Acme's hiring manager told him."),
    _Report(10, "jane-doe", "mixed", "contact", "hearsay", "contoso-reporting-analyst", "Lee, ex-colleague at Contoso",
            "Heard my old manager was 'a bit guarded' when Contoso called.", ["reliability"]),
    _Report(150, "jane-doe", "positive", "reference", "direct", None, "Jane herself",
            "Told me over coffee she always 'sings my praises'."),
    _Report(155, "jane-doe", "lukewarm", "other", "inferred", "tailspin-toys-product-analyst", None,
            "Tailspin went quiet right after calling her; I assume it was lukewarm."),
    # Bob Smith: solid.
    _Report(19, "bob-smith", "positive", "employer", "direct", "acme-data-analyst", "Acme hiring manager",
            "Bob was very positive about my SQL work.", ["technical"]),
    _Report(7, "bob-smith", "positive", "recruiter", "verbatim", "relecloud-senior-data-analyst",
            "Dana at Robert Half", "Forwarded the reference notes: 'Reliable, sharp, a great teammate.'",
            ["teamwork", "technical"]),
    _Report(98, "bob-smith", "positive", "employer", "hearsay", "fabrikam-analytics-engineer", None,
            "A Fabrikam engineer mentioned Bob's reference was 'glowing'."),
    # David Okafor: the strongest.
    _Report(9, "david-okafor", "positive", "employer", "verbatim", "relecloud-senior-data-analyst",
            "Relecloud HR", "Your referees spoke very highly of you, David especially.", ["leadership"]),
    _Report(206, "david-okafor", "positive", "reference-service", "verbatim", None, "RefCheck Pro",
            "Outstanding analyst; would hire again without hesitation.", ["technical", "leadership"],
            "Ordered a mock reference check before the spring applications."),
    _Report(80, "david-okafor", "positive", "recruiter", "direct", "adventure-works-risk-analyst",
            "Omar at Michael Page", "David's reference was 'as good as they come'."),
    _Report(87, "david-okafor", "positive", "employer", "direct", "proseware-operations-analyst",
            "Proseware recruiter", "David's reference got you to the final round."),
    # Priya Natarajan: lukewarm.
    _Report(72, "priya-natarajan", "lukewarm", "employer", "direct", "fourth-coffee-data-analyst",
            "Fourth Coffee hiring manager", "She said I was 'fine — did what was asked'.", ["initiative"]),
    _Report(30, "priya-natarajan", "lukewarm", "reference-service", "verbatim", None, "RefCheck Pro",
            "Competent; would not necessarily rehire for a senior role.", ["seniority"]),
    _Report(240, "priya-natarajan", "positive", "contact", "inferred", None, "Ola, a mutual friend",
            "Priya spoke warmly of our project at a meetup."),
    # Marcus Webb: never answers.
    _Report(200, "marcus-webb", "positive", "reference", "verbatim", None, "Marcus himself",
            "Emailed: 'Happy to be a reference — you saved our route planning.'"),
    _Report(90, "marcus-webb", "no-response", "employer", "direct", "proseware-operations-analyst",
            "Proseware recruiter", "Left two voicemails for Marcus, no reply."),
    _Report(40, "marcus-webb", "no-response", "recruiter", "direct", "trey-research-data-analyst",
            "Nina at Harnham", "Couldn't get hold of your client reference all week."),
    # Elena García: policy.
    _Report(79, "elena-garcia", "declined", "employer", "verbatim", "adventure-works-risk-analyst",
            "Adventure Works HR", "Woodgrove Bank policy: we confirm dates of employment and title only."),
    _Report(232, "elena-garcia", "declined", "recruiter", "direct", "coho-winery-finance-analyst", None,
            "Woodgrove HR would only confirm my dates."),
    _Report(228, "elena-garcia", "positive", "contact", "hearsay", None, "A former Woodgrove colleague",
            "Elena said off the record she'd rehire me tomorrow."),
    # Kevin Liu: good, but given too often.
    _Report(57, "kevin-liu", "positive", "employer", "verbatim", "wide-world-importers-analyst",
            "Wide World Importers", "Kevin described you as the best lead he has had.", ["leadership"]),
    _Report(18, "kevin-liu", "positive", "reference", "direct", "consolidated-messenger-analyst",
            "Kevin himself", "Kevin said the caller asked about my management style and he 'raved'."),
    _Report(5, "kevin-liu", "positive", "recruiter", "hearsay", "margies-travel-data-analyst", "Sam at Hays",
            "Heard from the Margie's Travel team that the reference call went well."),
    # Dr Helen Park: good, but out of touch.
    _Report(204, "helen-park", "positive", "employer", "verbatim", "lucerne-publishing-bi-analyst",
            "Lucerne Publishing", "Dr Park's letter was outstanding."),
    _Report(282, "helen-park", "mixed", "employer", "direct", "city-power-light-data-scientist",
            "City Power & Light interviewer", "Strong statistics, but she thought I'd prefer research."),
    # Rachel Adams: personal reference.
    _Report(204, "rachel-adams", "positive", "other", "inferred", "lucerne-publishing-bi-analyst", None,
            "Got the Lucerne offer the day after Rachel's call."),
    _Report(158, "rachel-adams", "mixed", "contact", "hearsay", "tailspin-toys-product-analyst",
            "A friend of a friend at Tailspin", "Apparently she called me 'lovely, if a bit disorganised'."),
    _Report(100, "rachel-adams", "positive", "reference", "verbatim", None, "Rachel herself",
            "Sent me a copy of the letter she wrote: warm and specific."),
    _Report(236, "rachel-adams", "positive", "employer", "direct", "coho-winery-finance-analyst",
            "Coho Winery HR", "Rachel's character reference was lovely."),
    _Report(45, "bob-smith", "positive", "reference", "inferred", "trey-research-data-analyst", "Bob himself",
            "Bob said the Trey caller 'seemed happy'."),
    _Report(26, "bob-smith", "neutral", "employer", "direct", "trey-research-data-analyst", "Trey Research HR",
            "Bob confirmed my dates and role on the call; no opinion either way."),
    _Report(20, "kevin-liu", "positive", "mock-call", "direct", None, "Maya, a friend who did a mock call",
            "Kevin spoke warmly and in detail about how I led the team."),
)  # fmt: skip


def _feedback(ago: _Ago) -> list[Feedback]:
    """The reports, oldest first, numbered f1…fN in that order."""
    ordered = sorted(_REPORTS, key=lambda r: (-r.days_ago, r.reference))
    return [
        Feedback(
            id=feedback_id(i),
            reference=r.reference,
            application=r.application,
            reported_on=ago(r.days_ago),
            source=r.source,
            reporter=r.reporter,
            sentiment=r.sentiment,
            certainty=r.certainty,
            quote=r.quote,
            topics=list(r.topics),
            notes=r.notes,
        )
        for i, r in enumerate(ordered, start=1)
    ]
