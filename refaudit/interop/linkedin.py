"""LinkedIn's ``Connections.csv`` (Settings → Data privacy → Get a copy of your data).

The file opens with a few lines of notes before the header ``First Name, Last Name,
URL, Email Address, Company, Position, Connected On``; ``Connected On`` reads like
``12 Mar 2024`` and becomes ``known_since`` (you have known them at least since then).
``URL`` is the profile's address, the one stable identifier LinkedIn gives: it goes to
``links``.
"""

from __future__ import annotations

from typing import Any

from refaudit.errors import ValidationError
from refaudit.interop import contacts, csvfile, dates
from refaudit.interop.records import Incoming, Item, Skip, account
from refaudit.interop.source import Text
from refaudit.interop.sources import ImportSource, Options, any_header

COLUMNS = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")


def is_header(cells: list[str]) -> bool:
    names = {c.strip() for c in cells}
    return {"First Name", "Last Name", "Connected On"} <= names


def read(text: Text, options: Options) -> Incoming:
    status, only, order = options.status or "resting", options.only, options.date_order
    table = csvfile.parse(text.text, text.name, is_header=is_header)
    if not is_header(table.header):
        raise ValidationError(f"{text.name!r} is not LinkedIn's Connections.csv: no header with {', '.join(COLUMNS)}.")
    index = {c.strip(): i for i, c in enumerate(table.header)}
    incoming = Incoming()
    account(table.header, table.rows, lambda column: column in COLUMNS, incoming)
    people: list[Item[Any]] = []
    for number, cells in table.rows:
        where = f"{text.name}, row {number}"

        def cell(column: str, cells: list[str] = cells) -> str:
            i = index.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        name = contacts.joined(cell("First Name"), "", cell("Last Name"))
        if not name:
            incoming.skipped.append(Skip("references", len(people), where, "no name (a connection who left LinkedIn)"))
            continue
        connected = cell("Connected On")
        people.append(
            contacts.person(
                {
                    "name": name,
                    "emails": [cell("Email Address")],
                    "links": [cell("URL")],
                    "organization": cell("Company"),
                    "title": cell("Position"),
                    "known_since": dates.parse(connected, f"{where}, column Connected On", order=order)
                    if connected
                    else None,
                },
                where,
            )
        )
    contacts.finish(people, text.name, status=status, only=only, into=incoming)
    return incoming


SOURCE = ImportSource("linkedin", "contacts", "LinkedIn", lambda text: any_header(text, is_header), read)
