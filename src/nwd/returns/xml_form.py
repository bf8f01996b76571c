"""The XML form of the 903 return, read into the same rows as the CSV tables.

In the XML form each child is one ``CHILD`` element. Its ``HEADER`` holds the child's own items
(``CHILDID``, ``SEX``, ``DOB``, ``ETHNIC``, ``UPN``, ``MOTHER``, ``MC_DOB``, the UASC items and the
care leaver (OC3) and adoption (AD1) items) and the repeating groups ``AREVIEW``, ``AMISSING``,
``OC2``, ``PERMANENCE`` and ``AD_PLACED``; each ``EPISODE`` sits beside the ``HEADER``. Item names
are the CSV column names except ``CHILDID`` (CHILD) and ``PL`` (PLACE).

The reader is tolerant of where a group sits: any group element inside a ``CHILD`` makes a row of
its table, carrying the child's id and date of birth. Rows are numbered by the line the element
starts on, which is what a data officer can find in a text editor.

Parsing uses expat directly (not ElementTree) for the line numbers, and refuses a DOCTYPE: a
return has no need of one, and refusing it closes the door on entity-expansion attacks.
"""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path

from nwd.returns.schema import ALIASES, ROW_COL, TABLES

# Repeating group element -> table.
GROUPS = {
    "EPISODE": "Episodes",
    "AREVIEW": "Reviews",
    "AMISSING": "Missing",
    "OC2": "OC2",
    "PERMANENCE": "PrevPerm",
    "AD_PLACED": "PlacedAdoption",
    "SWEPISODE": "SWEpisodes",
    "SW_EPISODE": "SWEpisodes",
    "DOLO": "DoLo",
}

# Child-level items that, when any is present, make a row of these tables.
CHILD_LEVEL_TABLES = {
    "UASC": ("DUC",),
    "OC3": ("IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
}


class XmlFormError(Exception):
    """The file is not XML a 903 reader can use; the message says why in plain words."""


@dataclass
class _Record:
    tag: str
    line: int
    items: dict[str, str] = field(default_factory=dict)


@dataclass
class XmlRows:
    """Rows per table (each a dict of column -> text, plus the line number under ``_row``)."""

    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    children: int = 0

    def add(self, table: str, row: dict[str, object]) -> None:
        self.tables.setdefault(table, []).append(row)


def read_xml(path: Path) -> XmlRows:
    """Read an XML return into rows per table. Raises XmlFormError for a broken file."""
    parser = xml.parsers.expat.ParserCreate()
    rows = XmlRows()
    stack: list[str] = []
    text: list[str] = []
    child: list[_Record] = []  # the open CHILD, if any
    groups: list[_Record] = []  # open groups inside it
    finished: list[_Record] = []  # groups of the open child, closed

    def start(tag: str, _attrs: dict[str, str]) -> None:
        stack.append(tag)
        text.clear()
        name = tag.upper()
        if name == "CHILD" and not child:
            child.append(_Record(tag=name, line=parser.CurrentLineNumber))
        elif child and name in GROUPS:
            groups.append(_Record(tag=name, line=parser.CurrentLineNumber))

    def end(tag: str) -> None:
        stack.pop()
        name = tag.upper()
        value = "".join(text).strip()
        text.clear()
        if not child:
            return
        if name == "CHILD" and not stack_has_child():
            _emit_child(child.pop(), finished, rows)
            finished.clear()
            groups.clear()
            return
        if groups and name == groups[-1].tag:
            finished.append(groups.pop())
            return
        if name in GROUPS or name in ("HEADER",):
            return
        column = ALIASES.get(name, name)
        target = groups[-1] if groups else child[-1]
        if value:
            target.items[column] = value

    def stack_has_child() -> bool:
        return any(t.upper() == "CHILD" for t in stack)

    def chars(data: str) -> None:
        text.append(data)

    def doctype(*_args: object) -> None:
        raise XmlFormError("the XML file declares a DOCTYPE, which a 903 return never needs")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except xml.parsers.expat.ExpatError as exc:
        raise XmlFormError(
            f"the file is not well-formed XML ({xml.parsers.expat.errors.messages.get(exc.code, exc)}"
            f" at line {exc.lineno})"
        ) from None
    return rows


def _emit_child(record: _Record, groups: list[_Record], rows: XmlRows) -> None:
    rows.children += 1
    own = record.items
    identity = {"CHILD": own.get("CHILD"), "DOB": own.get("DOB")}
    header: dict[str, object] = {column: own.get(column) for column in TABLES["Header"]}
    header[ROW_COL] = record.line
    rows.add("Header", header)
    uasc_flag = own.get("UASC", "").strip()
    if uasc_flag == "1" or own.get("DUC"):
        row: dict[str, object] = {column: own.get(column) for column in TABLES["UASC"]}
        row[ROW_COL] = record.line
        rows.add("UASC", row)
    for table, items in CHILD_LEVEL_TABLES.items():
        if table == "UASC":
            continue
        if any(own.get(item) for item in items):
            row = {column: own.get(column) for column in TABLES[table]}
            row[ROW_COL] = record.line
            rows.add(table, row)
    for group in groups:
        table = GROUPS[group.tag]
        merged = {**identity, **group.items}
        row = {column: merged.get(column) for column in TABLES[table]}
        row[ROW_COL] = group.line
        rows.add(table, row)
