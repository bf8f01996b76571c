"""Reading a council's SSDA903 return (CSV files or the XML form) into clean frames.

``read_files`` never raises for anything wrong with the files themselves: an empty file, a file
whose columns fit no table, a date that is not a real date all come back as ``Problem`` entries
naming the file, row and column, so the importer and the web page can show a full report and the
data officer can fix everything in one go.

Each table's frame has the 903 columns (dates as ``pl.Date``; codes trimmed and upper-cased;
blanks null) and ``_file``, ``_row`` and ``_year`` (see ``nwd.returns.schema``). Files of the same
table are stacked, so a folder of several years' returns gives one frame per table.

The collection year of a file is taken from, in order: the caller; the file's name or its folder's
("Episodes 2024-25.csv", "2024-25/Episodes.csv"); a YEAR column in the file (the DfE's convention:
YEAR 2025 is the year ending 31 March 2025, that is 2024-25); the dates in the file (the latest
episode start or end, missing episode, review...); the other files of its folder.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from nwd.returns.codes import collection_year_of, year_start
from nwd.returns.problems import ERROR, WARNING, Problem, problem
from nwd.returns.schema import (
    DATE_COLUMNS,
    FILE_COL,
    OPTIONAL_COLUMNS,
    ROW_COL,
    TABLES,
    YEAR_COL,
    detect_table,
    normalise_column,
)
from nwd.returns.values import clean_column, date_text, looks_like_date
from nwd.returns.xml_form import XmlFormError, read_xml

SUFFIXES = (".csv", ".xml")

# For a date that is not a real date, the DfE's own rule number where it has one.
DATE_RULES = {
    ("Header", "DOB"): "102",
    ("Header", "MC_DOB"): "171",
    ("Episodes", "DECOM"): "141",
    ("Episodes", "DEC"): "147",
    ("Missing", "MIS_START"): "1004",
    ("Missing", "MIS_END"): "1005",
    ("UASC", "DUC"): "104",
    ("Reviews", "REVIEW"): "166",
    ("AD1", "DATE_INT"): "112",
    ("AD1", "DATE_MATCH"): "113",
    ("PlacedAdoption", "DATE_PLACED"): "115",
    ("PlacedAdoption", "DATE_PLACED_CEASED"): "116",
    ("SWEpisodes", "SW_DECOM"): "SW04STG1",
    ("SWEpisodes", "SW_DEC"): "SW05STG1",
}

# The dates whose latest value tells which collection year a file is for.
ACTIVITY_DATES = {
    "Episodes": ("DECOM", "DEC"),
    "Missing": ("MIS_START", "MIS_END"),
    "Reviews": ("REVIEW",),
    "PlacedAdoption": ("DATE_PLACED", "DATE_PLACED_CEASED"),
    "AD1": ("DATE_INT", "DATE_MATCH"),
    "SWEpisodes": ("SW_DECOM", "SW_DEC"),
    "DoLo": ("DOLO_START", "DOLO_END"),
}

_YEAR_PAIR = re.compile(r"(?<!\d)(20\d\d)\s*[-_/ ]?\s*(\d\d)(?!\d)")
_YEAR_PAIR_LONG = re.compile(r"(?<!\d)(20\d\d)\s*[-_/ ]\s*(20\d\d)(?!\d)")


@dataclass(frozen=True)
class SourceFile:
    """What the reader made of one file."""

    name: str
    path: Path
    form: str
    table: str | None
    rows: int
    collection_year: str | None
    year_from: str | None


@dataclass
class ReadResult:
    """The tables read, the problems found, and notices (things done that a person should know)."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def years(self) -> list[str]:
        """The collection years found, oldest first."""
        found: set[str] = set()
        for frame in self.tables.values():
            found.update(y for y in frame[YEAR_COL].unique().to_list() if y is not None)
        return sorted(found)


def read_files(paths: Iterable[Path | str], collection_year: str | None = None) -> ReadResult:
    """Read the return's files; a folder means every .csv and .xml file in it (and below it).

    ``collection_year`` ("2025-26"), when given, is the year of every file and overrides what the
    names and contents suggest.
    """
    if collection_year is not None:
        year_start(collection_year)  # raises ValueError with a plain message if malformed
    result = ReadResult()
    files = _expand(paths, result)
    names = _display_names(files)
    pending: list[_Pending] = []
    for path in files:
        pending.extend(_read_one(path, names[path], result))
    _assign_years(pending, collection_year, result)
    frames: dict[str, list[pl.DataFrame]] = {}
    for item in pending:
        frame = item.frame
        if not item.per_row:
            frame = frame.with_columns(pl.lit(item.year, dtype=pl.Utf8).alias(YEAR_COL))
        frame = frame.select([*TABLES[item.table], FILE_COL, ROW_COL, YEAR_COL])
        frames.setdefault(item.table, []).append(frame)
        result.files.append(
            SourceFile(
                name=item.name,
                path=item.path,
                form=item.form,
                table=item.table,
                rows=frame.height,
                collection_year=item.year,
                year_from=item.year_from,
            )
        )
    for table, parts in frames.items():
        result.tables[table] = pl.concat(parts, how="vertical") if len(parts) > 1 else parts[0]
    return result


def empty_table(table: str) -> pl.DataFrame:
    """A frame with no rows and the columns and types the reader gives ``table``."""
    schema: dict[str, pl.DataType] = {
        c: (pl.Date() if c in DATE_COLUMNS else pl.Utf8()) for c in TABLES[table]
    }
    schema.update({FILE_COL: pl.Utf8(), ROW_COL: pl.Int64(), YEAR_COL: pl.Utf8()})
    return pl.DataFrame(schema=schema)


def combine(results: Iterable[ReadResult]) -> ReadResult:
    """Several reads (for example one per year, each with its own ``collection_year``) as one."""
    out = ReadResult()
    frames: dict[str, list[pl.DataFrame]] = {}
    for result in results:
        out.problems.extend(result.problems)
        out.notices.extend(result.notices)
        out.files.extend(result.files)
        for table, frame in result.tables.items():
            frames.setdefault(table, []).append(frame)
    for table, parts in frames.items():
        out.tables[table] = pl.concat(parts, how="vertical")
    return out


# ----------------------------------------------------------------------------------------------
# Files


def _expand(paths: Iterable[Path | str], result: ReadResult) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                result.problems.append(
                    problem("NWD-NO-FILES", "the folder holds no .csv or .xml file", file=str(path),
                            severity=WARNING)
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            result.problems.append(problem("NWD-NO-FILE", "there is no such file or folder", file=str(path)))
    seen: set[Path] = set()
    return [p for p in files if not (p.resolve() in seen or seen.add(p.resolve()))]


def _display_names(files: list[Path]) -> dict[Path, str]:
    """The file name, or folder/name where two files share a name (one folder per year)."""
    counts: dict[str, int] = {}
    for path in files:
        counts[path.name] = counts.get(path.name, 0) + 1
    return {p: (p.name if counts[p.name] == 1 else f"{p.parent.name}/{p.name}") for p in files}


@dataclass
class _Pending:
    """A table read from a file, waiting for its collection year."""

    name: str
    path: Path
    form: str
    table: str
    frame: pl.DataFrame
    year: str | None = None
    year_from: str | None = None
    per_row: bool = False


def _read_one(path: Path, name: str, result: ReadResult) -> list[_Pending]:
    if path.suffix.lower() == ".xml":
        return _read_xml(path, name, result)
    return _read_csv(path, name, result)


def _decode(data: bytes, name: str, result: ReadResult) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.notices.append(
            f"{name}: the file is not UTF-8; it was read as Windows-1252 (the usual Excel encoding)"
        )
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, name: str, result: ReadResult) -> list[_Pending]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(problem("NWD-UNREADABLE", f"the file could not be opened ({exc.strerror})", file=name))
        return []
    text = _decode(data, name, result)
    if not text.strip():
        result.problems.append(
            problem("NWD-EMPTY-FILE", "the file is empty: it has no header row, so nothing was read from it",
                    file=name, severity=WARNING)
        )
        return []
    raw = text.encode("utf-8")
    try:
        frame = pl.read_csv(io.BytesIO(raw), infer_schema=False)
    except pl.exceptions.ComputeError:
        try:
            frame = pl.read_csv(io.BytesIO(raw), infer_schema=False, truncate_ragged_lines=True)
        except Exception as exc:  # noqa: BLE001 - any parser failure is reported, not raised
            result.problems.append(problem("NWD-UNREADABLE", f"the file could not be read as CSV ({exc})", file=name))
            return []
        result.problems.append(
            problem("NWD-RAGGED", "some rows have more cells than the header row has columns; "
                    "the extra cells were ignored", file=name, severity=WARNING)
        )
    except Exception as exc:  # noqa: BLE001
        result.problems.append(problem("NWD-UNREADABLE", f"the file could not be read as CSV ({exc})", file=name))
        return []
    return _shape(frame, path, name, "csv", result)


def _read_xml(path: Path, name: str, result: ReadResult) -> list[_Pending]:
    try:
        rows = read_xml(path)
    except XmlFormError as exc:
        result.problems.append(problem("NWD-XML", str(exc), file=name))
        return []
    except OSError as exc:
        result.problems.append(problem("NWD-UNREADABLE", f"the file could not be opened ({exc.strerror})", file=name))
        return []
    if rows.children == 0:
        result.problems.append(
            problem("NWD-EMPTY-FILE", "the XML file holds no CHILD element, so nothing was read from it",
                    file=name, severity=WARNING)
        )
        return []
    pending: list[_Pending] = []
    for table, table_rows in rows.tables.items():
        schema = dict.fromkeys(TABLES[table], pl.Utf8)
        schema[ROW_COL] = pl.Int64
        frame = pl.DataFrame(table_rows, schema=schema, orient="row")
        pending.extend(_finish(frame, table, path, name, "xml", result, year_column=None))
    return pending


# ----------------------------------------------------------------------------------------------
# Shaping a frame of text into a 903 table


def _shape(frame: pl.DataFrame, path: Path, name: str, form: str, result: ReadResult) -> list[_Pending]:
    columns = [normalise_column(c) for c in frame.columns]
    duplicates = sorted({c for c in columns if columns.count(c) > 1 and c})
    if duplicates:
        result.problems.append(
            problem("NWD-DUPLICATE-COLUMN", f"the column {', '.join(duplicates)} appears more than once; "
                    "only the first was read", file=name)
        )
    keep: dict[str, str] = {}
    for original, normal in zip(frame.columns, columns):
        if normal and normal not in keep:
            keep[normal] = original
    frame = frame.select([pl.col(orig).alias(norm) for norm, orig in keep.items()])
    table = detect_table(list(keep))
    if table is None:
        shown = ", ".join(keep) or "none"
        result.problems.append(
            problem("NWD-UNKNOWN-TABLE",
                    f"its columns ({shown}) match no 903 table; a 903 file needs a CHILD column and the "
                    "columns of one table, such as DECOM, RNE, LS for Episodes (is it comma-separated?)",
                    file=name)
        )
        return []
    extra = [c for c in keep if c not in TABLES[table]]
    if extra:
        result.notices.append(
            f"{name}: read as the {table} table; the column{'s' if len(extra) > 1 else ''} "
            f"{', '.join(extra)} {'are' if len(extra) > 1 else 'is'} not part of the 903 and "
            f"{'were' if len(extra) > 1 else 'was'} ignored"
        )
    year_column = frame.get_column("YEAR") if "YEAR" in keep else None
    frame = frame.with_row_index(ROW_COL, offset=2).with_columns(pl.col(ROW_COL).cast(pl.Int64))
    return _finish(frame, table, path, name, form, result, year_column=year_column)


def _finish(
    frame: pl.DataFrame,
    table: str,
    path: Path,
    name: str,
    form: str,
    result: ReadResult,
    year_column: pl.Series | None,
) -> list[_Pending]:
    columns = TABLES[table]
    missing = [c for c in columns if c not in frame.columns]
    for column in missing:
        severity = WARNING if column in OPTIONAL_COLUMNS else ERROR
        result.problems.append(
            problem("NWD-MISSING-COLUMN",
                    f"the {table} table needs a column {column}; it was read as blank", file=name,
                    column=None, severity=severity, table=table)
        )
    frame = frame.with_columns([pl.lit(None, dtype=pl.Utf8).alias(c) for c in missing])
    frame = frame.with_columns([pl.col(c).cast(pl.Utf8) for c in columns])
    # Rows with nothing in any 903 column (blank lines, a spreadsheet's empty rows) are dropped.
    blank = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in columns])
    if year_column is not None:
        frame = frame.with_columns(year_column.alias("_YEAR_TEXT"))
    frame = frame.filter(~blank)
    cleaned = frame.select(
        [clean_column(c) for c in columns]
        + [pl.lit(name).alias(FILE_COL), pl.col(ROW_COL)]
        + ([pl.col("_YEAR_TEXT")] if year_column is not None else [])
    )
    result.problems.extend(_bad_dates(frame, cleaned, table, name))
    if cleaned.height == 0:
        result.notices.append(f"{name}: read as the {table} table, with no rows")
    item = _Pending(name=name, path=path, form=form, table=table, frame=cleaned)
    return [item]


def _bad_dates(frame: pl.DataFrame, cleaned: pl.DataFrame, table: str, name: str) -> list[Problem]:
    """Cells of date columns with text that did not clean to a date (``cleaned`` is ``frame`` cleaned).

    The dates are parsed once, by the cleaning; only the few rows where that gave nothing for a
    cell that has text are looked at again, to say whether the text is a date that does not exist
    or not a date at all.
    """
    found: list[Problem] = []
    for column in TABLES[table]:
        if column not in DATE_COLUMNS:
            continue
        failed = cleaned.get_column(column).is_null() & frame.get_column(column).str.strip_chars().ne("").fill_null(False)
        if not failed.any():
            continue
        suspects = frame.filter(failed)
        bad = suspects.select(
            pl.col(ROW_COL),
            pl.col("CHILD").str.strip_chars().alias("_child"),
            pl.col(column).str.strip_chars().alias("_text"),
            looks_like_date(column).alias("_shape"),
            date_text(column).alias("_date_text"),
        ).filter(pl.col("_date_text").is_not_null())
        rule = DATE_RULES.get((table, column), "NWD-DATE")
        for row, child, text, shaped in bad.select("_row", "_child", "_text", "_shape").iter_rows():
            what = "not a real date" if shaped else "not a date: write it as dd/mm/yyyy"
            if shaped and _month_first(text):
                what += " (is it written month first? The 903 writes the day first: dd/mm/yyyy)"
            found.append(problem(rule, what, file=name, row=row, column=column, value=text,
                                 table=table, child=child))
    return found


def _month_first(text: str) -> bool:
    """Whether "04/13/2025" looks like a date written month first."""
    parts = re.split(r"[/.-]", text.split(" ")[0])
    return len(parts) == 3 and len(parts[0]) <= 2 and parts[1].isdigit() and int(parts[1]) > 12 >= int(parts[0] or 0)


# ----------------------------------------------------------------------------------------------
# Collection years


def year_from_name(path: Path) -> str | None:
    """"2024-25" from names such as "Episodes_2024-25.csv", "903 202425" or a folder "2024_2025"."""
    for part in (path.stem, path.parent.name):
        for match in _YEAR_PAIR_LONG.finditer(part):
            first, second = int(match[1]), int(match[2])
            if second == first + 1:
                return f"{first}-{second % 100:02d}"
        for match in _YEAR_PAIR.finditer(part):
            first, second = int(match[1]), int(match[2])
            if second == (first + 1) % 100:
                return f"{first}-{second:02d}"
    return None


def year_from_text(text: str | None) -> str | None:
    """A YEAR cell as a collection year: "2024-25", "2024/25", or "2025" (the year ending March 2025)."""
    if text is None:
        return None
    value = text.strip()
    match = re.fullmatch(r"(20\d\d)\s*[-/]\s*(\d\d|20\d\d)", value)
    if match:
        first, second = int(match[1]), int(match[2]) % 100
        return f"{first}-{second:02d}" if second == (first + 1) % 100 else None
    match = re.fullmatch(r"(20\d\d)(\.0)?", value)
    if match:
        end = int(match[1])
        return f"{end - 1}-{end % 100:02d}"
    return None


def _year_from_contents(item: _Pending) -> str | None:
    dates = [c for c in ACTIVITY_DATES.get(item.table, ()) if c in item.frame.columns]
    if not dates or item.frame.height == 0:
        return None
    latest = item.frame.select(pl.max_horizontal([pl.col(c).max() for c in dates])).item()
    return None if latest is None else collection_year_of(latest)


def _assign_years(pending: list[_Pending], given: str | None, result: ReadResult) -> None:
    for item in pending:
        if given is not None:
            item.year, item.year_from = given, "given"
            continue
        named = year_from_name(item.path)
        if named:
            item.year, item.year_from = named, "name"
            continue
        if "_YEAR_TEXT" in item.frame.columns:
            texts = item.frame.get_column("_YEAR_TEXT").unique().to_list()
            mapping = {t: year_from_text(t) for t in texts if t is not None}
            years = {y for y in mapping.values() if y}
            unreadable = sorted(t for t, y in mapping.items() if y is None)
            if unreadable:
                result.problems.append(
                    problem("NWD-YEAR", f"the YEAR column holds {', '.join(unreadable[:3])}, which is not a "
                            "collection year (write 2025 or 2024-25)", file=item.name, severity=WARNING)
                )
            if len(years) == 1:
                item.year, item.year_from = years.pop(), "YEAR column"
                result.notices.append(
                    f"{item.name}: collection year {item.year} taken from its YEAR column "
                    "(a year such as 2025 is read as the year ending 31 March 2025)"
                )
                continue
            if len(years) > 1:
                item.year_from = "YEAR column"
                item.per_row = True
                item.frame = item.frame.with_columns(
                    pl.col("_YEAR_TEXT").replace_strict(mapping, default=None, return_dtype=pl.Utf8).alias(YEAR_COL)
                )
                result.notices.append(
                    f"{item.name}: holds several collection years ({', '.join(sorted(years))}), "
                    "each row's taken from its YEAR column"
                )
                continue
        found = _year_from_contents(item)
        if found:
            item.year, item.year_from = found, "contents"
            result.notices.append(
                f"{item.name}: collection year {found} worked out from the latest date in the file; "
                "put the year in the file name (for example Episodes_2025-26.csv) to be sure"
            )
    for item in pending:
        if item.year is not None or item.per_row:
            continue
        folder_years = {p.year for p in pending if p.year and p.path.parent == item.path.parent}
        all_years = {p.year for p in pending if p.year}
        for source, years in (("its folder", folder_years), ("the other files", all_years)):
            if len(years) == 1:
                item.year, item.year_from = next(iter(years)), "other files"
                result.notices.append(f"{item.name}: collection year {item.year} taken from {source}")
                break
        else:
            result.problems.append(
                problem("NWD-YEAR", "could not tell which collection year this file is for; put the year in "
                        "its name (for example Header_2025-26.csv) or give the year when importing",
                        file=item.name)
            )
    for item in pending:
        if "_YEAR_TEXT" in item.frame.columns:
            item.frame = item.frame.drop("_YEAR_TEXT")
