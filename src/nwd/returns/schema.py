"""The shape of the SSDA903 return: its tables, their columns in the DfE's order, and their kinds.

The reader uses this to tell a file's table from its columns (councils name their files as they
like), the writer to put the columns in the DfE's order, and the checker to know which columns hold
dates. Frames that pass between the modules carry these columns plus three of ours:

- ``_file``: the file a row came from (or the source that built it, such as "database");
- ``_row``: the row number a data officer sees in a spreadsheet (header row 1, first data row 2);
- ``_year``: the collection year the row belongs to, written "2025-26".
"""

from __future__ import annotations

from nwd.codelists.codes import LAST_YEAR, year_start

TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}

# The file name the DfE's guidance and most councils use for each table.
FILE_NAMES: dict[str, str] = {name: f"{name}.csv" for name in TABLES}

# Collection years (by the calendar year they start in) in which a table is part of the return.
TABLE_YEARS: dict[str, tuple[int, int]] = {
    "SWEpisodes": (2023, LAST_YEAR),
    "DoLo": (2026, LAST_YEAR),
}

# Columns holding dates, read as dd/mm/yyyy (the DfE's form) or yyyy-mm-dd.
DATE_COLUMNS = frozenset(
    {
        "DOB",
        "MC_DOB",
        "DECOM",
        "DEC",
        "MIS_START",
        "MIS_END",
        "DUC",
        "REVIEW",
        "DATE_INT",
        "DATE_MATCH",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "SW_DECOM",
        "SW_DEC",
        "DOLO_START",
        "DOLO_END",
    }
)

# Columns kept as written (only trimmed). CHILD is the council's own id; DATE_PERM may be a partial
# date such as "zz/05/2019" when the day is not known, so it is not parsed as a date.
VERBATIM_COLUMNS = frozenset({"CHILD", "DATE_PERM"})

# Columns a file may lack with only a warning: the DfE added them over the years, and an older
# extract without them can still be read. Any other missing column is an error.
OPTIONAL_COLUMNS = frozenset(
    {"UPN", "MOTHER", "MC_DOB", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"}
)

# Names councils' systems and the XML form use for 903 columns.
ALIASES = {"CHILDID": "CHILD", "PL": "PLACE", "CHILD_ID": "CHILD"}

# Our own columns, carried beside the 903 ones.
FILE_COL = "_file"
ROW_COL = "_row"
YEAR_COL = "_year"
META_COLUMNS = (FILE_COL, ROW_COL, YEAR_COL)


def table_in_year(table: str, collection_year: str) -> bool:
    """Whether ``table`` is part of the return in ``collection_year``."""
    first, last = TABLE_YEARS.get(table, (0, LAST_YEAR))
    return first <= year_start(collection_year) <= last


def columns_for_year(table: str, collection_year: str) -> tuple[str, ...]:
    """The columns of ``table`` in ``collection_year``, in the DfE's order.

    The column sets have been stable since 2016-17; the function exists so that a year that
    changes them is one edit here, not a hunt through the writer and the checks.
    """
    return TABLES[table]


def normalise_column(name: str) -> str:
    """A column name as the 903 spells it: trimmed, upper case, aliases resolved."""
    text = name.strip().lstrip("\ufeff").strip().upper().replace(" ", "_")
    return ALIASES.get(text, text)


def detect_table(columns: list[str] | tuple[str, ...]) -> str | None:
    """The table whose columns these are, or None.

    CHILD and DOB appear in most tables, so the choice is made on the other columns: the table
    with the largest share of its own columns present wins, and at least half of them must be.
    Extra columns (LA, YEAR, a council's own) do not stop a match.
    """
    present = {normalise_column(c) for c in columns}
    if "CHILD" not in present:
        return None
    best: tuple[float, int, str] | None = None
    for table, table_columns in TABLES.items():
        own = [c for c in table_columns if c not in ("CHILD", "DOB")]
        found = sum(1 for c in own if c in present)
        share = found / len(own)
        if share < 0.5:
            continue
        key = (share, found, table)
        if best is None or key[:2] > best[:2]:
            best = key
    return None if best is None else best[2]
