"""What is wrong with a return, said so that a data officer can find and fix it.

Every step (reading, stitching, checking) reports through the same ``Problem``: the file and the
spreadsheet row a person sees, the column, the value as written, the rule and a sentence in plain
English. The importer and the web page show these as they are, so the words are written here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def one_per_cause(causes: Iterable[Problem], found: Iterable[Problem]) -> list[Problem]:
    """``found`` without the problems on a cell that one of ``causes`` already names.

    Why: a cell the reader cannot read (DECOM "31/02/2025", not a real date) is read as blank, so
    the checks that follow would report it again as blank ("DECOM blank"): two errors for one
    mistake, the second wrong. ``causes`` are the reader's problems; a later problem on the same
    file, row and column is their consequence and is left out.
    """
    named = {(p.file, p.row, p.column) for p in causes if p.column}
    return [p for p in found if (p.file, p.row, p.column) not in named]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


# How many problems of each rule a report lists (the command's --examples, the page's setting
# NWD_903_EXAMPLES_PER_RULE); the counts always cover every one, and the CSV report has them all.
EXAMPLES_PER_RULE = 20


@dataclass
class RuleTally:
    """The problems of one rule and severity: how many, and the first few as examples."""

    rule: str
    severity: Severity
    count: int = 0
    examples: list[Problem] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many are not among the examples."""
        return self.count - len(self.examples)


class ProblemTally:
    """Problems counted by rule, keeping only the first ``examples`` of each rule.

    What a report holds of a return with millions of problems: a count per rule and a few examples
    each, never every problem (a 200 MB file with an error on every row would otherwise keep
    millions of messages). Problems are added in the order they are to be listed (by file and row).
    """

    def __init__(self, problems: Iterable[Problem] = (), examples: int = EXAMPLES_PER_RULE) -> None:
        self.limit = max(0, examples)
        self.rules: dict[tuple[str, Severity], RuleTally] = {}
        for p in problems:
            self.add(p)

    def add(self, p: Problem) -> None:
        tally = self.rules.get((p.rule, p.severity))
        if tally is None:
            tally = self.rules[(p.rule, p.severity)] = RuleTally(p.rule, p.severity)
        tally.count += 1
        if len(tally.examples) < self.limit:
            tally.examples.append(p)

    def add_unlisted(self, counts: Mapping[tuple[str, Severity], int]) -> None:
        """Add the counts of problems that were counted but never built (``{(rule, severity): n}``)."""
        for (rule, severity), n in counts.items():
            tally = self.rules.setdefault((rule, severity), RuleTally(rule, severity))
            tally.count += n

    def by_rule(self, severity: Severity) -> list[RuleTally]:
        """The rules with problems of this severity, the commonest first (then by rule)."""
        return sorted((t for t in self.rules.values() if t.severity == severity), key=lambda t: (-t.count, t.rule))

    def count(self, severity: Severity) -> int:
        return sum(t.count for t in self.rules.values() if t.severity == severity)
