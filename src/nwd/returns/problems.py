"""What is wrong with a return, said so that a data officer can find and fix it.

Every step (reading, stitching, checking) reports through the same ``Problem``: the file and the
spreadsheet row a person sees, the column, the value as written, the rule and a sentence in plain
English. The importer and the web page show these as they are, so the words are written here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row, file or child.

    ``row`` is the row number a spreadsheet shows (the header is row 1, the first data row is
    row 2); for the XML form it is the line the element starts on. ``rule`` is a short id: the
    DfE's own rule number (for example "357") where our rule is theirs, otherwise an id of ours
    starting "NWD-". ``table`` and ``child`` let the importer skip or group rows.
    """

    file: str | None
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    severity: Severity = ERROR
    table: str | None = None
    child: str | None = None

    def __str__(self) -> str:
        return self.message

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def describe(value: object) -> str:
    """A value as a data officer would see it in the message: quoted, or "blank"."""
    if value is None:
        return "blank"
    text = str(value)
    if text == "":
        return "blank"
    if hasattr(value, "strftime"):
        text = value.strftime("%d/%m/%Y")
    return f"'{text}'"


def where(file: str | None, row: int | None, column: str | None, value: object = None) -> str:
    """The start of a message: "Episodes.csv row 14, DEC '31/02/2024'"."""
    place = file or "the return"
    if row is not None:
        place += f" row {row}"
    if column:
        place += f", {column} {describe(value)}"
    return place


def problem(
    rule: str,
    text: str,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    severity: Severity = ERROR,
    table: str | None = None,
    child: str | None = None,
) -> Problem:
    """Build a Problem whose message names the place, the value, what is wrong and the rule."""
    shown = None if value is None else (value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value))
    if column and not shown and text.startswith("is blank"):
        # "URN blank: is blank, ..." says it twice; keep "URN blank: ..." only.
        text = text[len("is blank"):].lstrip(":, ") or "must not be blank"
    message = f"{where(file, row, column, value)}: {text} (rule {rule})"
    return Problem(
        file=file,
        row=row,
        column=column,
        value=shown,
        rule=rule,
        message=message,
        severity=severity,
        table=table,
        child=child,
    )


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
