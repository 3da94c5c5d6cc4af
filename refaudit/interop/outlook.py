"""Outlook's contacts CSV (File → Open & Export → Import/Export → Export to a file → CSV).

The classic desktop layout, also what Outlook.com exports: ``Title`` is the honorific
(Mr., Ms., Dr.), not the job title, which is ``Job Title``; ``First Name``, ``Middle
Name`` and ``Last Name`` are joined into the name, ``Suffix`` kept apart. Every
``E-mail … Address`` and every phone of the person (mobile, business, home, other; not
their assistant's, not a fax) is kept, ``Web Page`` goes to ``links``. Everything else
that holds a value (addresses, birthday, categories) is listed as left out.
"""

from __future__ import annotations

from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop import contacts, csvfile
from refaudit.interop.records import Incoming, Item, Skip, account
from refaudit.interop.source import Text
from refaudit.interop.sources import ImportSource, Options, any_header

EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
# The person's own numbers, the likeliest to answer first.
PHONES = (
    "Primary Phone", "Mobile Phone", "Business Phone", "Business Phone 2", "Home Phone", "Home Phone 2",
    "Other Phone", "Car Phone", "Radio Phone", "Callback", "Company Main Phone",
)  # fmt: skip
NAME = ("Title", "First Name", "Middle Name", "Last Name", "Suffix")
OTHER = ("Company", "Job Title", "Web Page", "Notes")


def is_header(cells: list[str]) -> bool:
    names = {c.strip() for c in cells}
    return {"First Name", "Last Name", "E-mail Address"} <= names and bool(names & {"Job Title", "Mobile Phone"})


# They repeat the name and the address (``Jane Doe (jane@example.com)``, ``SMTP``): read with the email.
EMAIL_DETAILS = tuple(f"E-mail{n} {what}" for n in ("", " 2", " 3") for what in ("Type", "Display Name"))
# What Outlook writes in a contact's empty fields: not values, so never listed as left out.
PLACEHOLDERS = {
    "Anniversary": "0/0/00", "Birthday": "0/0/00", "Gender": "Unspecified", "Priority": "Normal",
    "Private": "False", "Sensitivity": "Normal",
}  # fmt: skip


def reads(column: str) -> bool:
    return column in (*EMAILS, *EMAIL_DETAILS, *PHONES, *NAME, *OTHER)


def _without_placeholders(header: list[str], rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    blank = {i: PLACEHOLDERS[c.strip()] for i, c in enumerate(header) if c.strip() in PLACEHOLDERS}
    return [(n, ["" if blank.get(i) == v.strip() else v for i, v in enumerate(cells)]) for n, cells in rows]


def read(text: Text, options: Options) -> Incoming:
    status, only = options.status or "resting", options.only
    table = csvfile.parse(text.text, text.name, is_header=is_header)
    if not is_header(table.header):
        raise ValidationError(
            f"{text.name!r} is not an Outlook contacts CSV: no 'First Name', 'Last Name' and 'E-mail Address' columns."
        )
    index = {c.strip(): i for i, c in enumerate(table.header)}
    incoming = Incoming()
    account(table.header, _without_placeholders(table.header, table.rows), reads, incoming)
    people: list[Item[Any]] = []
    for number, cells in table.rows:
        where = f"{text.name}, row {number}"

        def cell(column: str, cells: list[str] = cells) -> str:
            i = index.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        name = contacts.joined(cell("First Name"), cell("Middle Name"), cell("Last Name"))
        if not name:
            incoming.skipped.append(Skip("references", len(people), where, "no name"))
            continue
        people.append(
            contacts.person(
                {
                    "name": name,
                    "name_prefix": cell("Title"),
                    "name_suffix": cell("Suffix"),
                    "organization": cell("Company"),
                    "title": cell("Job Title"),
                    "emails": [cell(c) for c in EMAILS],
                    "phones": [cell(c) for c in PHONES],
                    "links": [cell("Web Page")],
                    "notes": cell("Notes"),
                },
                where,
            )
        )
    contacts.finish(people, text.name, status=status, only=only, into=incoming)
    return incoming


SOURCE = ImportSource("outlook", "contacts", "Outlook", lambda text: any_header(text, is_header), read)
