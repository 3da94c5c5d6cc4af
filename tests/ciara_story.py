"""Ciara Walsh's search, typed through the command line as it happens, day-first (Ireland).

> Ciara, a senior hospital pharmacist in Cork, looks for a new post from September to
> November 2026 with five references: Declan Murphy (her former chief pharmacist), Siobhán
> Kelly (a ward manager she worked beside), Dr. Paul Fitzgerald (her university lecturer),
> Tom Daly (her contact at the locum agency) and Aisling Byrne (a friend and colleague). A
> friend's mock call hears Declan glowing; an agency recruiter reads out, word for word, the
> damaging reference he gave St James's. Two people on two applications pass on that Siobhán
> was "lukewarm", "hesitant". An old recruiter's story about Paul meets HR's first-hand
> praise. Tom is on three applications that end without an offer after the reference check.
> A reference-checking service finds Aisling positive but slow and tired of being asked.
> Limerick offers; she accepts and withdraws from the rest.

``type_story(runner, until)`` types every event up to ``until`` (ISO day) on its own day
(``REFAUDIT_TODAY``): dates are typed day-first (``02/09/2026``, read through ``dates.order:
dmy`` set once with ``refaudit config set``) or as ``2 Sept 2026``. It returns the registry's id
for each report named here (``r1`` …) and the warnings ``app add``/``app update`` printed.
"""

from __future__ import annotations

from datetime import date

from tests.conftest import CHEAP_KDF, Runner

# (day the user types it, report name or "", command). Dates in commands are day-first.
EVENTS: list[tuple[str, str, tuple[str, ...]]] = [
    # 2025: an earlier application with Paul, and a recruiter's story about him.
    ("2025-02-01", "", ("ref", "add", "Paul Fitzgerald", "--name-prefix", "Dr.", "-r", "academic",
                        "--title", "Lecturer in Pharmacy Practice", "--org", "University College Cork",
                        "--consent-on", "01/02/2025")),
    ("2025-02-10", "", ("app", "add", "Boots Ireland", "--role", "Pharmacist Manager", "--id", "boots-2025",
                        "--applied", "10/02/2025", "--via", "PharmaPeople", "--ref", "paul")),
    ("2025-02-24", "", ("app", "update", "boots-2025", "--stage", "reference-check", "--on", "24/02/2025")),
    ("2025-03-10", "", ("app", "update", "boots-2025", "--outcome", "rejected", "--on", "10/03/2025")),
    ("2025-03-12", "r1", ("feedback", "log", "paul", "--sentiment", "negative", "--source", "recruiter",
                          "--certainty", "direct", "--app", "boots-2025", "--reporter", "Pádraig at PharmaPeople",
                          "--quote", "said she was disorganised in the lab", "--on", "12 March 2025")),
    # September 2026: five references agree; the search starts.
    ("2026-09-01", "", ("ref", "edit", "paul", "--consent-on", "01/09/2026")),
    ("2026-09-01", "", ("ref", "add", "Declan Murphy", "-r", "manager", "--title", "Chief Pharmacist (retired)",
                        "--org", "Mercy University Hospital", "--worked-with", "the pharmacy department at the Mercy",
                        "--consent-on", "01/09/2026")),
    ("2026-09-01", "", ("ref", "add", "Siobhán Kelly", "-r", "colleague", "--title", "Clinical Nurse Manager",
                        "--org", "Cork University Hospital", "--consent-on", "01/09/2026")),
    ("2026-09-01", "", ("ref", "add", "Tom Daly", "-r", "client", "--title", "Placement manager",
                        "--org", "MedLocums Ireland", "--consent-on", "01/09/2026")),
    ("2026-09-01", "", ("ref", "add", "Aisling Byrne", "-r", "colleague", "--title", "Senior Pharmacist",
                        "--org", "Cork University Hospital", "--consent-on", "01/09/2026")),
    ("2026-09-02", "", ("app", "add", "Mater Misericordiae", "--role", "Senior Pharmacist", "--id", "mater",
                        "--applied", "02/09/2026", "--ref", "declan", "--ref", "tom")),
    ("2026-09-04", "", ("app", "add", "Beaumont Hospital", "--role", "Senior Pharmacist", "--id", "beaumont",
                        "--applied", "04/09/2026", "--ref", "siobhan", "--ref", "aisling")),
    ("2026-09-07", "", ("app", "add", "University Hospital Galway", "--role", "Senior Pharmacist", "--id", "uhg",
                        "--applied", "7 Sept 2026", "--ref", "tom", "--ref", "paul")),
    ("2026-09-10", "", ("app", "add", "St James's Hospital", "--role", "Senior Pharmacist, Oncology",
                        "--id", "stjames", "--applied", "10/09/2026", "--via", "HealthStaff Recruitment",
                        "--ref", "declan", "--ref", "aisling")),
    ("2026-09-14", "", ("app", "add", "Bon Secours Cork", "--role", "Senior Pharmacist", "--id", "bon-secours",
                        "--applied", "14/09/2026", "--ref", "siobhan", "--ref", "tom")),
    ("2026-09-16", "", ("app", "update", "mater", "--stage", "interview", "--on", "16/09/2026")),
    ("2026-09-18", "", ("app", "update", "beaumont", "--stage", "interview", "--on", "18/09/2026")),
    ("2026-09-20", "r2", ("feedback", "log", "declan", "--sentiment", "positive", "--source", "mock-call",
                          "--reporter", "Niamh, a friend from college",
                          "--quote", "couldn't speak highly enough of her", "--on", "20/09/2026")),
    ("2026-09-21", "", ("app", "add", "University Hospital Limerick", "--role", "Senior Pharmacist, Surgery",
                        "--id", "limerick", "--applied", "21/09/2026", "--ref", "paul", "--ref", "aisling")),
    ("2026-09-21", "", ("app", "update", "uhg", "--stage", "interview", "--on", "21/09/2026")),
    ("2026-09-23", "", ("app", "update", "mater", "--stage", "reference-check", "--on", "23/09/2026")),
    ("2026-09-24", "", ("app", "update", "stjames", "--stage", "interview", "--on", "24/09/2026")),
    ("2026-09-28", "", ("app", "update", "beaumont", "--stage", "reference-check", "--on", "28/09/2026")),
    ("2026-09-29", "", ("app", "update", "bon-secours", "--stage", "interview", "--on", "29/09/2026")),
    ("2026-10-01", "", ("app", "update", "uhg", "--stage", "reference-check", "--on", "01/10/2026")),
    ("2026-10-01", "", ("app", "add", "Tallaght University Hospital", "--role", "Senior Pharmacist",
                        "--id", "tallaght", "--applied", "01/10/2026", "--ref", "tom", "--ref", "siobhan")),
    ("2026-10-02", "", ("app", "update", "mater", "--outcome", "rejected", "--reason-kind", "none-given",
                        "--on", "02/10/2026")),
    ("2026-10-05", "", ("app", "update", "stjames", "--stage", "reference-check", "--on", "05/10/2026")),
    ("2026-10-05", "", ("app", "add", "South Infirmary Victoria", "--role", "Pharmacist, Medicines Information",
                        "--id", "sivuh", "--applied", "05/10/2026", "--ref", "aisling", "--ref", "paul")),
    ("2026-10-06", "", ("app", "update", "limerick", "--stage", "interview", "--on", "06/10/2026")),
    ("2026-10-08", "", ("app", "update", "bon-secours", "--stage", "reference-check", "--on", "08/10/2026")),
    ("2026-10-09", "", ("app", "update", "beaumont", "--outcome", "rejected", "--reason", "an internal candidate",
                        "--reason-kind", "internal-candidate", "--on", "09/10/2026")),
    ("2026-10-12", "", ("app", "add", "HSE Community Pharmacy Services", "--role", "Senior Pharmacist",
                        "--id", "hse-community", "--applied", "12/10/2026", "--ref", "declan", "--ref", "siobhan")),
    ("2026-10-12", "r3", ("feedback", "log", "siobhan", "--sentiment", "lukewarm", "--source", "recruiter",
                          "--certainty", "hearsay", "--app", "beaumont", "--reporter", "Orla at HealthStaff",
                          "--quote", "heard the ward manager was lukewarm", "--on", "12/10/2026")),
    ("2026-10-13", "", ("app", "update", "stjames", "--outcome", "rejected", "--reason-kind", "none-given",
                        "--on", "13/10/2026")),
    ("2026-10-14", "", ("app", "update", "uhg", "--outcome", "rejected", "--on", "14/10/2026")),
    ("2026-10-15", "r4", ("feedback", "log", "declan", "--sentiment", "negative", "--source", "recruiter",
                          "--certainty", "verbatim", "--app", "stjames", "--reporter", "Orla at HealthStaff",
                          "--quote", "I wouldn't put her in charge of a dispensary; she went to pieces under pressure",
                          "--on", "15/10/2026")),
    ("2026-10-15", "", ("app", "update", "tallaght", "--stage", "interview", "--on", "15/10/2026")),
    ("2026-10-16", "r5", ("feedback", "log", "paul", "--sentiment", "positive", "--source", "employer",
                          "--certainty", "direct", "--app", "uhg", "--reporter", "HR at UHG",
                          "--quote", "Dr Fitzgerald's reference was excellent", "--on", "16/10/2026")),
    ("2026-10-16", "", ("app", "update", "limerick", "--stage", "reference-check", "--on", "16/10/2026")),
    ("2026-10-16", "", ("app", "update", "hse-community", "--swap", "declan=aisling", "--on", "16/10/2026")),
    ("2026-10-16", "", ("ref", "status", "declan", "dropped", "--on", "16/10/2026")),
    ("2026-10-19", "", ("app", "update", "sivuh", "--stage", "interview", "--on", "19/10/2026")),
    ("2026-10-20", "", ("app", "update", "bon-secours", "--outcome", "rejected", "--reason-kind", "none-given",
                        "--on", "20/10/2026")),
    ("2026-10-22", "r6", ("feedback", "log", "siobhan", "--sentiment", "lukewarm", "--source", "contact",
                          "--certainty", "direct", "--app", "bon-secours", "--reporter", "Ronan, a mutual friend",
                          "--quote", "she sounded hesitant when they rang her", "--on", "22/10/2026")),
    ("2026-10-26", "", ("app", "update", "tallaght", "--stage", "reference-check", "--on", "26/10/2026")),
    ("2026-10-27", "r7", ("feedback", "log", "aisling", "--sentiment", "positive", "--source", "reference-service",
                          "--certainty", "verbatim", "--app", "limerick", "--reporter", "Veritas Checks",
                          "--fatigue", "--quote", "very positive, but took ten days to return the form "
                          "and said she has been asked a lot lately", "--on", "27/10/2026")),
    ("2026-10-30", "r8", ("feedback", "log", "paul", "--sentiment", "positive", "--source", "employer",
                          "--certainty", "direct", "--app", "limerick", "--reporter", "HR at UHL",
                          "--quote", "his reference was one of the best we've had", "--on", "30/10/2026")),
    ("2026-11-02", "r9", ("feedback", "log", "siobhan", "--sentiment", "lukewarm", "--source", "recruiter",
                          "--certainty", "hearsay", "--app", "tallaght", "--reporter", "orla at healthstaff",
                          "--quote", "lukewarm again, apparently", "--on", "02/11/2026")),
    ("2026-11-03", "", ("app", "add", "University Hospital Kerry", "--role", "Senior Pharmacist", "--id", "kerry",
                        "--applied", "03/11/2026", "--ref", "paul", "--ref", "aisling")),
    ("2026-11-04", "r10", ("feedback", "log", "siobhan", "--sentiment", "positive", "--source", "reference-service",
                           "--certainty", "verbatim", "--reporter", "Veritas Checks",
                           "--quote", "reliable and caring; would gladly work with her again", "--on", "04/11/2026")),
    ("2026-11-06", "", ("app", "update", "tallaght", "--outcome", "rejected", "--on", "06/11/2026")),
    ("2026-11-06", "", ("app", "update", "limerick", "--outcome", "offer", "--on", "06/11/2026")),
    ("2026-11-10", "", ("app", "update", "limerick", "--outcome", "accepted", "--thanked", "paul",
                        "--on", "10/11/2026")),
    ("2026-11-11", "", ("app", "update", "hse-community", "--outcome", "withdrawn", "--on", "11/11/2026")),
    ("2026-11-11", "", ("app", "update", "sivuh", "--outcome", "withdrawn", "--on", "11/11/2026")),
    ("2026-11-11", "", ("app", "update", "kerry", "--outcome", "withdrawn", "--on", "11/11/2026")),
]  # fmt: skip

LAST_DAY = EVENTS[-1][0]
OWNER = "Ciara Walsh"


def type_story(runner: Runner, until: str) -> tuple[dict[str, str], dict[str, str]]:
    """Type every event up to ``until`` (ISO day), each on its day; the report ids and the warnings given.

    ``dates.order: dmy`` goes into the user's own config file (``refaudit config set``), as
    Ciara would do once; the conftest points the user config folder at the test's folder.
    """
    ids: dict[str, str] = {}
    warnings: dict[str, str] = {}
    first: dict[str, str | None] = {"REFAUDIT_TODAY": EVENTS[0][0]}
    runner.ok("config", "set", "dates.order", "dmy", env=first)
    runner.ok("init", *CHEAP_KDF, "--owner", OWNER, env=first)
    for day, name, command in EVENTS:
        if date.fromisoformat(day) > date.fromisoformat(until):
            break
        result = runner.ok(*command, env={"REFAUDIT_TODAY": day})
        if name:
            ids[name] = result.stdout.strip()
        if command[0] == "app" and result.stderr:
            warnings[f"{day} {' '.join(command[:3])}"] = result.stderr
    return ids, warnings
