"""A Google Contacts CSV export (contacts.google.com → Export → Google CSV).

Two layouts are in use: the current one (``First Name``, ``Last Name``,
``Organization Name``, ``Organization Title``, ``E-mail 1 - Value``, ``Phone 1 -
Value``) and the older one (``Name``, ``Given Name``, ``Family Name``,
``Organization 1 - Name``, ``Organization 1 - Title``). A cell holding several values
separates them with `` ::: ``; the first is taken.
"""

from __future__ import annotations

from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop import contacts, csvfile
from refaudit.interop.records import Incoming, Item, Skip
from refaudit.interop.source import Text
from refaudit.interop.sources import ImportSource, Options, any_header

_MARKERS = ("E-mail 1 - Value", "Phone 1 - Value", "Organization 1 - Name", "Organization Name", "Given Name")


def is_header(cells: list[str]) -> bool:
    names = {c.strip() for c in cells}
    return any(m in names for m in _MARKERS) and bool(names & {"Name", "First Name", "Given Name"})


def read(text: Text, options: Options) -> Incoming:
    status, only = options.status or "resting", options.only
    table = csvfile.parse(text.text, text.name)
    if not is_header(table.header):
        raise ValidationError(
            f"{text.name!r} is not a Google Contacts CSV: no 'First Name' (or 'Name') and 'E-mail 1 - Value' columns."
        )
    index = {c.strip(): i for i, c in enumerate(table.header)}
    incoming = Incoming()
    people: list[Item[Any]] = []
    for number, cells in table.rows:
        where = f"{text.name}, row {number}"

        def cell(*columns: str, cells: list[str] = cells) -> str:
            for column in columns:
                i = index.get(column)
                if i is not None and i < len(cells) and cells[i].strip():
                    return cells[i].strip()
            return ""

        name = cell("Name") or " ".join(
            p
            for p in (
                cell("First Name", "Given Name"),
                cell("Middle Name", "Additional Name"),
                cell("Last Name", "Family Name"),
            )
            if p
        )
        if not name:
            incoming.skipped.append(Skip("references", len(people), where, "no name"))
            continue
        people.append(
            contacts.person(
                {
                    "name": name,
                    "email": contacts.first(cell("E-mail 1 - Value")),
                    "phone": contacts.first(cell("Phone 1 - Value")),
                    "organization": contacts.first(cell("Organization Name", "Organization 1 - Name")),
                    "title": contacts.first(cell("Organization Title", "Organization 1 - Title")),
                    "notes": cell("Notes"),
                },
                where,
            )
        )
    contacts.finish(people, text.name, status=status, only=only, into=incoming)
    return incoming


SOURCE = ImportSource("google", "contacts", "Google", lambda text: any_header(text, is_header), read)
