"""A Google Contacts CSV export (contacts.google.com → Export → Google CSV).

Two layouts are in use: the current one (``First Name``, ``Middle Name``, ``Last Name``,
``Name Prefix``, ``Name Suffix``, ``Organization Name``, ``Organization Title``,
``E-mail 1 - Value``, ``Phone 1 - Value``, ``Website 1 - Value``) and the older one
(``Name``, ``Given Name``, ``Additional Name``, ``Family Name``, ``Organization 1 - Name``,
``Organization 1 - Title``). A cell holding several values separates them with `` ::: ``;
every email, phone and website of every numbered column is kept.
"""

from __future__ import annotations

import re
from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop import contacts, csvfile
from refaudit.interop.records import Incoming, Item, Skip, account
from refaudit.interop.source import Text
from refaudit.interop.sources import ImportSource, Options, any_header

_MARKERS = ("E-mail 1 - Value", "Phone 1 - Value", "Organization 1 - Name", "Organization Name", "Given Name")
_NUMBERED = re.compile(r"(E-mail|Phone|Website) \d+ - Value")
_READ = {
    "Name", "First Name", "Given Name", "Middle Name", "Additional Name", "Last Name", "Family Name",
    "Name Prefix", "Name Suffix", "Organization Name", "Organization 1 - Name", "Organization Title",
    "Organization 1 - Title", "Notes",
}  # fmt: skip


def is_header(cells: list[str]) -> bool:
    names = {c.strip() for c in cells}
    return any(m in names for m in _MARKERS) and bool(names & {"Name", "First Name", "Given Name"})


def reads(column: str) -> bool:
    return column in _READ or bool(_NUMBERED.fullmatch(column))


def read(text: Text, options: Options) -> Incoming:
    status, only = options.status or "resting", options.only
    table = csvfile.parse(text.text, text.name)
    if not is_header(table.header):
        raise ValidationError(
            f"{text.name!r} is not a Google Contacts CSV: no 'First Name' (or 'Name') and 'E-mail 1 - Value' columns."
        )
    index = {c.strip(): i for i, c in enumerate(table.header)}
    numbered = {kind: [i for i, c in enumerate(table.header) if re.fullmatch(rf"{kind} \d+ - Value", c.strip())]
                for kind in ("E-mail", "Phone", "Website")}  # fmt: skip
    incoming = Incoming()
    account(table.header, table.rows, reads, incoming)
    people: list[Item[Any]] = []
    for number, cells in table.rows:
        where = f"{text.name}, row {number}"

        def cell(*columns: str, cells: list[str] = cells) -> str:
            for column in columns:
                i = index.get(column)
                if i is not None and i < len(cells) and cells[i].strip():
                    return cells[i].strip()
            return ""

        def every(kind: str, cells: list[str] = cells) -> list[str]:
            return [v for i in numbered[kind] if i < len(cells) for v in contacts.several(cells[i])]

        name = cell("Name") or contacts.joined(
            cell("First Name", "Given Name"), cell("Middle Name", "Additional Name"), cell("Last Name", "Family Name")
        )
        if not name:
            incoming.skipped.append(Skip("references", len(people), where, "no name"))
            continue
        organizations = contacts.several(cell("Organization Name", "Organization 1 - Name"))
        titles = contacts.several(cell("Organization Title", "Organization 1 - Title"))
        people.append(
            contacts.person(
                {
                    "name": name,
                    "name_prefix": cell("Name Prefix"),
                    "name_suffix": cell("Name Suffix"),
                    "emails": every("E-mail"),
                    "phones": every("Phone"),
                    "links": every("Website"),
                    "organization": organizations[0] if organizations else None,
                    "title": titles[0] if titles else None,
                    "notes": cell("Notes"),
                },
                where,
            )
        )
    contacts.finish(people, text.name, status=status, only=only, into=incoming)
    return incoming


SOURCE = ImportSource("google", "contacts", "Google", lambda text: any_header(text, is_header), read)
