"""A job tracker's CSV of applications (Huntr, Teal, a spreadsheet of your own).

Columns are recognised by the names trackers give them (``Company``, ``Job Title``,
``Status``, ``Date Applied``, ``URL``, ``Location``, ``Notes``); ``--map`` names the
others. ``Status`` becomes the stage and outcome; the posting's URL and location go
into the notes. Rows still on the wish list (``Wishlist``, ``Saved``) are not
applications yet: they are skipped and listed.
"""

from __future__ import annotations

from refaudit.errors import ValidationError
from refaudit.interop import csvfile, dates
from refaudit.interop.native import ALIASES, map_columns, row_dict, section_of
from refaudit.interop.records import ROW, Incoming, Skip, account, item
from refaudit.interop.source import Text
from refaudit.interop.sources import ImportSource, Options, any_header
from refaudit.printable import safe

ALIASES_TRACKER = {
    **ALIASES,
    "company_name": "company",
    "employer": "company",
    "job_title": "role",
    "title": "role",
    "position": "role",
    "job": "role",
    "job_position": "role",
    "date_applied": "applied_on",
    "applied": "applied_on",
    "application_date": "applied_on",
    "date": "applied_on",
    "stage": "status",
    "job_status": "status",
    "job_url": "url",
    "link": "url",
    "job_link": "url",
    "posting": "url",
    "city": "location",
    "agency": "via",
}
# What trackers call a state, as (stage, outcome); None: not applied yet, so not imported.
TRACKER_STATUSES: dict[str, tuple[str, str] | None] = {
    "wishlist": None,
    "saved": None,
    "bookmarked": None,
    "interested": None,
    "to apply": None,
    "applied": ("applied", "pending"),
    "submitted": ("applied", "pending"),
    "application submitted": ("applied", "pending"),
    "screen": ("screening", "pending"),
    "screening": ("screening", "pending"),
    "phone screen": ("screening", "pending"),
    "interview": ("interview", "pending"),
    "interviewing": ("interview", "pending"),
    "final": ("final", "pending"),
    "final round": ("final", "pending"),
    "reference check": ("reference-check", "pending"),
    "offer": ("offer", "offer"),
    "offered": ("offer", "offer"),
    "accepted": ("offer", "accepted"),
    "rejected": ("applied", "rejected"),
    "not selected": ("applied", "rejected"),
    "ghosted": ("applied", "ghosted"),
    "no response": ("applied", "ghosted"),
    "withdrawn": ("applied", "withdrawn"),
    "withdrew": ("applied", "withdrawn"),
}
_SOURCE_COLUMNS = ("status", "url", "location")


def is_header(cells: list[str]) -> bool:
    names = {ALIASES_TRACKER.get(k, k) for k in (c.strip().lower().replace(" ", "_").replace("-", "_") for c in cells)}
    return "company" in names and "role" in names and bool(names & {"status", "applied_on"}) and "name" not in names


def recognises(text: Text) -> bool:
    """A tracker's header; a file named applications.csv is refaudit's own export, read as such."""
    return any_header(text, is_header) and section_of(text.name) != "applications"


def read(text: Text, options: Options) -> Incoming:
    """Trackers carry columns of their own (salary, excitement, contacts): those are left out and listed."""
    mapping, order = options.mapping, options.date_order
    table = csvfile.parse(text.text, text.name)
    columns = map_columns(table, "applications", mapping, True, aliases=ALIASES_TRACKER, extra=_SOURCE_COLUMNS)
    incoming = Incoming(ignored=columns.ignored)
    header = {f: safe(h.strip()) for f, h in zip(columns.fields, table.header, strict=False)}
    named = {h.strip() for f, h in zip(columns.fields, table.header, strict=False) if f is not None}
    account(table.header, table.rows, lambda column: column in named, incoming)
    for number, cells in table.rows:
        where = f"{text.name}, row {number}"
        row = row_dict("applications", columns, cells, where)
        status = " ".join(str(row.pop("status", "applied")).lower().replace("-", " ").split())
        if status not in TRACKER_STATUSES:
            raise ValidationError(
                f"in {where}, column {header.get('status', 'status')}: {status!r} is not a status refaudit knows; "
                f"accepted: {', '.join(TRACKER_STATUSES)}."
            )
        state = TRACKER_STATUSES[status]
        if state is None:
            incoming.skipped.append(
                Skip("applications", len(incoming.applications), where, f"status {status!r}: not applied yet")
            )
            continue
        row["stage"], row["outcome"] = state
        extras = [f"Location: {row.pop('location')}" if "location" in row else "", row.pop("url", "")]
        notes = "\n".join(x for x in (row.get("notes", ""), *extras) if x)
        if notes:
            row["notes"] = notes
        if isinstance(row.get("applied_on"), str):
            label = header.get("applied_on", "applied_on")
            row["applied_on"] = dates.parse(row["applied_on"], f"{where}, column {label}", order=order)
        incoming.applications.append(item("applications", row, ROW, where))
    return incoming


SOURCE = ImportSource("tracker", "applications", "a job tracker", recognises, read)
