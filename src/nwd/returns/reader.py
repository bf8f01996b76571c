"""Reading a council's SSDA903 return (CSV files or the XML form) into clean frames.

``read_files`` never raises for anything wrong with the files themselves: an empty file, a file
whose columns fit no table, a date that is not a real date all come back as ``Problem`` entries
naming the file, row and column, so the importer and the web page can show a full report and the
data officer can fix everything in one go.

Each table's frame has the 903 columns (dates as ``pl.Date``; codes trimmed and upper-cased;
blanks null) and ``_file``, ``_row`` and ``_year`` (see ``nwd.returns.schema``). Files of the same
table are stacked, so a folder of several years' returns gives one frame per table.

The collection year is found for each row, not each file (``nwd.returns.years``): from the row's
own dates as the DfE defines each table, with what the file says of its year (its name or its
folder's, "Episodes 2024-25.csv", "2024-25/Episodes.csv"; a YEAR column, YEAR 2025 being the year
ending 31 March 2025 as the DfE writes it) used where the dates fit it and reported where they do
not. Only the caller's ``collection_year`` overrides everything.

A file holding several councils' returns (an LA column with more than one value) is read one
council at a time: ``la`` names the council; without it nothing is read and the problem NWD-LA
lists them.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from nwd.codelists.codes import year_start
from nwd.returns import years as row_years
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
from nwd.returns.values import clean_column, date_text, looks_like_date, parse_date
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

# Columns naming the council a row belongs to, in regional extracts of several councils' returns.
LA_COLUMNS = ("LA", "LA_CODE", "LA_NAME", "LOCAL_AUTHORITY", "LEA")
YEAR_TEXT, LA_TEXT = "_YEAR_TEXT", "_LA_TEXT"

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
    collection_year: str | None  # the year, or "2019-20 to 2023-24" for a file of several
    year_from: str | None
    years: tuple[str, ...] = ()


@dataclass
class ReadResult:
    """The tables read, the problems found, and notices (things done that a person should know)."""

    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    councils: list[str] = field(default_factory=list)  # the values of an LA column, if any
    council: str | None = None  # the one read

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


def read_files(
    paths: Iterable[Path | str], collection_year: str | None = None, la: str | None = None
) -> ReadResult:
    """Read the return's files; a folder means every .csv and .xml file in it (and below it).

    ``collection_year`` ("2025-26"), when given, is the year of every row and overrides what the
    names, YEAR columns and dates suggest. ``la`` picks one council's rows from files with an LA
    column; it is needed when they hold several (``ReadResult.councils`` lists them).
    """
    if collection_year is not None:
        year_start(collection_year)  # raises ValueError with a plain message if malformed
    result = ReadResult()
    files = _expand(paths, result)
    names = _display_names(files)
    pending: list[_Pending] = []
    for path in files:
        pending.extend(_read_one(path, names[path], result))
    if not _choose_council(pending, la, result):
        return result
    _assign_years(pending, collection_year, result)
    frames: dict[str, list[pl.DataFrame]] = {}
    for item in pending:
        frame = item.frame.select([*TABLES[item.table], FILE_COL, ROW_COL, YEAR_COL])
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
                years=tuple(item.years),
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
    unique: list[Path] = []
    for p in files:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


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
    years: list[str] = field(default_factory=list)


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


def _plain_utf8(path: Path) -> bool | None:
    """Whether the file is UTF-8 (a BOM allowed) holding more than spaces, read a chunk at a time:
    such a file is read by polars from disk, never held whole in memory (a 200 MB return would be
    held three times over: its bytes, its text, its text encoded again). False: another encoding
    or nothing but spaces, which the in-memory path handles (and reports). None: unreadable."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = False
    try:
        with path.open("rb") as source:
            first = source.read(READ_CHUNK)
            if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return False
            chunk = first
            while chunk:
                decoder.decode(chunk)
                text = text or bool(chunk.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"))
                chunk = source.read(READ_CHUNK)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError:
        return None
    return text


READ_CHUNK = 4 * 1024 * 1024


def _read_csv(path: Path, name: str, result: ReadResult) -> list[_Pending]:
    if _plain_utf8(path):
        return _scan_csv(path, name, result)
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(problem("NWD-UNREADABLE", f"the file could not be opened ({exc.strerror})", file=name))
        return []
    text = _decode(data, name, result)
    del data
    if not text.strip():
        result.problems.append(
            problem("NWD-EMPTY-FILE", "the file is empty: it has no header row, so nothing was read from it",
                    file=name, severity=WARNING)
        )
        return []
    raw = text.encode("utf-8")
    del text
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
    return _shape(frame.lazy(), path, name, "csv", result)


def _scan_csv(path: Path, name: str, result: ReadResult) -> list[_Pending]:
    """A UTF-8 CSV file read from disk by polars' streaming engine, cleaned as it is read: what is
    held is the clean frame (dates as dates), not the file's text; the same problems and notices
    as the in-memory path (``_read_csv``), which is tried when polars cannot read the file so."""
    for ragged in (False, True):
        attempt = ReadResult()
        try:
            found = _shape(pl.scan_csv(path, infer_schema=False, truncate_ragged_lines=ragged), path, name, "csv",
                           attempt)
        except pl.exceptions.ComputeError:
            continue
        except Exception as exc:  # noqa: BLE001 - any parser failure is reported, not raised
            result.problems.append(problem("NWD-UNREADABLE", f"the file could not be read as CSV ({exc})", file=name))
            return []
        if ragged:
            result.problems.append(
                problem("NWD-RAGGED", "some rows have more cells than the header row has columns; "
                        "the extra cells were ignored", file=name, severity=WARNING)
            )
        result.problems.extend(attempt.problems)
        result.notices.extend(attempt.notices)
        return found
    result.problems.append(problem("NWD-UNREADABLE", "the file could not be read as CSV", file=name))
    return []


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
        schema: dict[str, type[pl.DataType]] = dict.fromkeys(TABLES[table], pl.Utf8)
        schema[ROW_COL] = pl.Int64
        frame = pl.DataFrame(table_rows, schema=schema, orient="row")
        pending.extend(_finish(frame.lazy(), table, path, name, "xml", result, meta={}))
    return pending


# ----------------------------------------------------------------------------------------------
# Shaping a frame of text into a 903 table


def _shape(frame: pl.LazyFrame, path: Path, name: str, form: str, result: ReadResult) -> list[_Pending]:
    names = frame.collect_schema().names()
    columns = [normalise_column(c) for c in names]
    duplicates = sorted({c for c in columns if columns.count(c) > 1 and c})
    if duplicates:
        result.problems.append(
            problem("NWD-DUPLICATE-COLUMN", f"the column {', '.join(duplicates)} appears more than once; "
                    "only the first was read", file=name)
        )
    keep: dict[str, str] = {}
    for original, normal in zip(names, columns):
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
    meta = {YEAR_TEXT: "YEAR"} if "YEAR" in keep else {}
    la_column = next((c for c in LA_COLUMNS if c in keep), None)
    if la_column:
        meta[LA_TEXT] = la_column
    extra = [c for c in keep if c not in TABLES[table] and c not in meta.values()]
    if extra:
        result.notices.append(
            f"{name}: read as the {table} table; the column{'s' if len(extra) > 1 else ''} "
            f"{', '.join(extra)} {'are' if len(extra) > 1 else 'is'} not part of the 903 and "
            f"{'were' if len(extra) > 1 else 'was'} ignored"
        )
    frame = frame.with_row_index(ROW_COL, offset=2).with_columns(
        pl.col(ROW_COL).cast(pl.Int64), *[pl.col(c).alias(m) for m, c in meta.items()]
    )
    return _finish(frame, table, path, name, form, result, meta=meta)


def _finish(
    frame: pl.LazyFrame,
    table: str,
    path: Path,
    name: str,
    form: str,
    result: ReadResult,
    meta: dict[str, str],
) -> list[_Pending]:
    columns = TABLES[table]
    present = frame.collect_schema().names()
    missing = [c for c in columns if c not in present]
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
    frame = frame.filter(~blank)
    dates = [c for c in columns if c in DATE_COLUMNS]
    cleaned = frame.select(
        [clean_column(c) for c in columns]
        + [pl.lit(name).alias(FILE_COL), pl.col(ROW_COL)]
        + [pl.col(m).cast(pl.Utf8).str.strip_chars().replace("", None).alias(m) for m in meta]
        + [_failed_date(c) for c in dates]
        + [pl.col("CHILD").str.strip_chars().alias(_BAD_CHILD)]
    ).collect(engine="streaming")
    result.problems.extend(_bad_dates(cleaned, table, name))
    cleaned = cleaned.drop([_bad(c) for c in dates] + [_BAD_CHILD])
    if cleaned.height == 0:
        result.notices.append(f"{name}: read as the {table} table, with no rows")
    item = _Pending(name=name, path=path, form=form, table=table, frame=cleaned)
    return [item]


_BAD_CHILD = "_bad_child"


def _bad(column: str) -> str:
    return f"_bad_{column}"


def _failed_date(column: str) -> pl.Expr:
    """The text of a date cell that did not clean to a date (null for the rest): kept while reading,
    so that only those few cells are looked at again (``_bad_dates``)."""
    text = pl.col(column).str.strip_chars()
    failed = parse_date(column).is_null() & text.ne("").fill_null(False)
    return pl.when(failed).then(text).otherwise(None).alias(_bad(column))


def _bad_dates(cleaned: pl.DataFrame, table: str, name: str) -> list[Problem]:
    """Cells of date columns with text that did not clean to a date (kept by ``_failed_date``).

    The dates are parsed once, by the cleaning; only the few rows where that gave nothing for a
    cell that has text are looked at again, to say whether the text is a date that does not exist
    or not a date at all.
    """
    found: list[Problem] = []
    for column in TABLES[table]:
        if column not in DATE_COLUMNS:
            continue
        suspects = cleaned.filter(pl.col(_bad(column)).is_not_null()).select(
            pl.col(ROW_COL), pl.col(_BAD_CHILD).alias("CHILD"), pl.col(_bad(column)).alias(column))
        if suspects.height == 0:
            continue
        bad = suspects.select(
            pl.col(ROW_COL),
            pl.col("CHILD").alias("_child"),
            pl.col(column).alias("_text"),
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


def _choose_council(pending: list[_Pending], la: str | None, result: ReadResult) -> bool:
    """Keep one council's rows of files with an LA column; False (and NWD-LA) when that cannot be done.

    Several councils' rows are never pooled into one: their children's ids may even collide.
    """
    found: set[str] = set()
    for item in pending:
        if LA_TEXT in item.frame.columns:
            found.update(v for v in item.frame.get_column(LA_TEXT).unique().to_list() if v is not None)
    result.councils = sorted(found)
    if not found:
        if la is not None:
            result.notices.append(f"no file has an LA column, so every row was read as {la}'s")
        return True
    if la is None:
        if len(found) == 1:
            result.council = result.councils[0]
            result.notices.append(f"every row's LA is {result.council}")
            return True
        result.problems.append(
            problem("NWD-LA", f"the files hold the returns of {len(found)} councils (LA column: "
                    f"{', '.join(result.councils)}); they are read one council at a time: say which, for "
                    f"example --la \"{result.councils[0]}\"")
        )
        pending.clear()
        return False
    wanted = _la_key(la)
    matches = [v for v in result.councils if _la_key(v) == wanted]
    if not matches:
        result.problems.append(
            problem("NWD-LA", f"no row has the LA {la}: the files hold {', '.join(result.councils)}")
        )
        pending.clear()
        return False
    result.council = matches[0]
    for item in pending:
        if LA_TEXT not in item.frame.columns:
            if len(found) > 1:
                result.notices.append(f"{item.name}: has no LA column, so its rows were read as {la}'s")
            continue
        key = pl.col(LA_TEXT).str.to_lowercase().str.replace_all(r"\s+", " ")
        blank = item.frame.filter(pl.col(LA_TEXT).is_null())
        if blank.height:
            result.problems.append(
                problem("NWD-LA", f"{blank.height} row{'s' if blank.height != 1 else ''} with the LA blank "
                        f"{'were' if blank.height != 1 else 'was'} left out (for example row "
                        f"{blank.get_column(ROW_COL)[0]})", file=item.name, severity=WARNING)
            )
        others = item.frame.filter(pl.col(LA_TEXT).is_not_null() & (key != wanted)).height
        item.frame = item.frame.filter(key == wanted)
        if others:
            result.notices.append(f"{item.name}: {others} rows of other councils were left out; "
                                  f"{item.frame.height} rows of {result.council} read")
    return True


def _la_key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower())


def _year_text(column: str) -> pl.Expr:
    """A start year (2025) as the collection year "2025-26"."""
    start = pl.col(column)
    return pl.when(start.is_null()).then(None).otherwise(
        start.cast(pl.Utf8) + pl.lit("-") + ((start + 1) % 100).cast(pl.Utf8).str.zfill(2)
    )


def _assign_years(pending: list[_Pending], given: str | None, result: ReadResult) -> None:
    """Give every row its collection year (``YEAR_COL``): see ``nwd.returns.years``."""
    for item in pending:
        if given is not None:
            item.frame = item.frame.with_columns(pl.lit(given).alias(YEAR_COL))
            item.year, item.year_from, item.years = given, "given", [given]
            continue
        _claims(item, result)
    if given is None:
        _year_column_convention(pending, result)
        dated = [i for i in pending if row_years.has_own_dates(i.table)]
        for item in dated:
            _by_dates(item, result)
        episodes = _children_by_year(i for i in dated if i.table == "Episodes")
        companions = _single_year_files(i for i in dated if i.table == "Episodes")
        others = sorted((i for i in pending if not row_years.has_own_dates(i.table)),
                        key=lambda i: i.table != "Header")
        header_known = _children_by_year([])
        for item in others:
            known = episodes if item.table == "Header" else _merged(episodes, header_known)
            _by_children(item, known, companions, result)
            if item.table == "Header":
                header_known = _children_by_year([item])
        _from_other_files(pending, result)
    for item in pending:
        if given is not None:
            continue
        item.frame = item.frame.with_columns(_year_text(row_years.OWN).alias(YEAR_COL))
        item.years = sorted(y for y in item.frame.get_column(YEAR_COL).unique().to_list() if y is not None)
        if len(item.years) == 1:
            item.year = item.years[0]
        elif item.years:
            item.year = f"{item.years[0]} to {item.years[-1]}"
        item.frame = item.frame.drop([c for c in item.frame.columns if c.startswith("_") and c not in
                                      (FILE_COL, ROW_COL, YEAR_COL)])


def _claims(item: _Pending, result: ReadResult) -> None:
    """What the file says of its year, per row (``_claim``): its YEAR column, else its name."""
    named = year_from_name(item.path)
    claim = pl.lit(row_years.start_of(named), dtype=pl.Int32)
    item.year_from = "name" if named else None
    if YEAR_TEXT in item.frame.columns:
        texts = item.frame.get_column(YEAR_TEXT).unique().to_list()
        mapping = {t: row_years.start_of(year_from_text(t)) for t in texts if t is not None}
        unreadable = sorted(t for t, y in mapping.items() if y is None)
        if unreadable:
            result.problems.append(
                problem("NWD-YEAR", f"the YEAR column holds {', '.join(unreadable[:3])}, which is not a "
                        "collection year (write 2025 or 2024-25)", file=item.name, severity=WARNING)
            )
        from_column = pl.col(YEAR_TEXT).replace_strict(mapping, default=None, return_dtype=pl.Int32)
        claim = pl.coalesce(from_column, claim)
        checked = from_column.is_not_null()
        item.year_from = "YEAR column"
    else:
        checked = pl.lit(False)
    item.frame = item.frame.with_columns(claim.alias(row_years.CLAIM), checked.alias("_checked"))


def _by_dates(item: _Pending, result: ReadResult) -> None:
    frame = row_years.with_bounds(item.frame, item.table)
    said_by = "the file's name" if item.year_from == "name" else "its YEAR column"
    unclaimed = frame.filter(pl.col(row_years.CLAIM).is_null())
    found = row_years.infer(unclaimed) if unclaimed.height else row_years.FileYears("none", None)
    frame, problems = row_years.by_dates(frame, item.table, item.name, said_by, found)
    result.problems.extend(problems)
    item.frame = frame
    if item.year_from is None and found.kind == "one":
        item.year_from = "dates"
        result.notices.append(f"{item.name}: collection year {row_years.text(found.year)}, the year its rows' "
                              "dates fit")
    elif item.year_from is None and found.kind == "several":
        item.year_from = "dates"
        result.notices.append(f"{item.name}: holds several collection years, to {row_years.text(found.year)}; "
                              "each row read in the latest year its own dates fit")


def _year_column_convention(pending: list[_Pending], result: ReadResult) -> None:
    """Read YEAR columns written as one number (2025) by the year's start instead of its end, as the
    DfE does, when the dated rows of the read plainly fit only that (``years.year_column_shift``)."""
    short = [i for i in pending if YEAR_TEXT in i.frame.columns and not _year_written_in_full(i)]
    dated = [row_years.with_bounds(i.frame, i.table).filter(pl.col("_checked")).select(
        row_years.LO, row_years.HI, row_years.CLAIM) for i in short if row_years.has_own_dates(i.table)]
    if not dated or not row_years.year_column_shift(pl.concat(dated)):
        return
    for item in short:
        item.frame = item.frame.with_columns(
            pl.when(pl.col("_checked")).then(pl.col(row_years.CLAIM) + 1).otherwise(pl.col(row_years.CLAIM))
            .alias(row_years.CLAIM))
    result.notices.append(
        f"{', '.join(i.name for i in short)}: the YEAR column counts each year by the year it starts in "
        "(2024 for 2024-25), not by the year it ends in as the DfE does: read so, since the rows' dates "
        "fit only that reading"
    )


def _year_written_in_full(item: _Pending) -> bool:
    """Whether the YEAR column writes years in full ("2024-25"), which leaves no doubt to resolve."""
    texts = [t for t in item.frame.get_column(YEAR_TEXT).unique().to_list() if t is not None]
    return bool(texts) and all(re.fullmatch(r"20\d\d\s*[-/]\s*(\d\d|20\d\d)", t) for t in texts)


def _children_by_year(items: Iterable[_Pending]) -> pl.DataFrame:
    """The (year, CHILD) pairs of the items' rows, once each: a frame, not Python sets, since a
    large return has a million children."""
    pairs = [item.frame.select(pl.col(row_years.OWN).cast(pl.Int32), pl.col("CHILD")).drop_nulls()
             for item in items]
    if not pairs:
        return pl.DataFrame(schema={row_years.OWN: pl.Int32, "CHILD": pl.Utf8})
    return pl.concat(pairs).unique()


def _merged(first: pl.DataFrame, second: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([first, second]).unique()


def _single_year_files(items: Iterable[_Pending]) -> dict[tuple[Path, str], int | None]:
    """Episodes files of one year by (folder, name without the table's word); None where two clash."""
    found: dict[tuple[Path, str], int | None] = {}
    for item in items:
        years = item.frame.get_column(row_years.OWN).drop_nulls().unique().to_list()
        key = (item.path.parent, row_years.name_key(item.path.stem))
        found[key] = years[0] if len(years) == 1 and key not in found else None
    return found


def _by_children(item: _Pending, known: pl.DataFrame, companions: dict[tuple[Path, str], int | None], result: ReadResult) -> None:
    """A table of one row per child (Header, UASC, OC2...): by the child's episodes."""
    frame = item.frame
    claimed = pl.col(row_years.CLAIM)
    unclaimed = frame.filter(claimed.is_null())
    if unclaimed.height == 0:
        item.frame = frame.with_columns(claimed.alias(row_years.OWN))
        return
    companion = companions.get((item.path.parent, row_years.name_key(item.path.stem)))
    children = unclaimed.select("CHILD").drop_nulls().unique()
    year = companion if companion is not None else _jaccard_year(children, known)
    if year is not None:
        how = "its Episodes file" if companion is not None else "the year whose episodes have the same children"
        item.frame = frame.with_columns(claimed.fill_null(pl.lit(year, dtype=pl.Int32)).alias(row_years.OWN))
        item.year_from = item.year_from or "episodes"
        result.notices.append(f"{item.name}: collection year {row_years.text(year)}, from {how}")
        return
    latest = known.join(children, on="CHILD", how="semi").group_by("CHILD").agg(
        pl.col(row_years.OWN).max().cast(pl.Int32).alias("_latest"))
    # A lookup, not a join: a join would copy every column of a million-row Header.
    latest_year = pl.col("CHILD").replace_strict(latest.get_column("CHILD"), latest.get_column("_latest"),
                                                 default=None, return_dtype=pl.Int32)
    item.frame = frame.with_columns(pl.coalesce(claimed, latest_year).alias(row_years.OWN))
    if item.frame.get_column(row_years.OWN).drop_nulls().len():
        item.year_from = item.year_from or "episodes"
        result.notices.append(f"{item.name}: each child's row read in the latest year of the child's episodes")


JACCARD_SHARE = 0.8  # as ``years.jaccard_year``'s default


def _jaccard_year(children: pl.DataFrame, known: pl.DataFrame) -> int | None:
    """``years.jaccard_year`` on frames: the year whose children are (nearly) these children."""
    found = children.height
    best, best_score = None, 0.0
    for (year,), theirs in known.group_by(row_years.OWN, maintain_order=True):
        both = theirs.join(children, on="CHILD", how="semi").height
        union = found + theirs.height - both
        score = both / union if union else 0.0
        if score > best_score:
            best, best_score = year, score
    return best if best_score >= JACCARD_SHARE else None


def _from_other_files(pending: list[_Pending], result: ReadResult) -> None:
    """Rows nothing else placed: the one year of the folder's other files, or of all files."""
    for item in pending:
        if item.frame.get_column(row_years.OWN).null_count() == 0:
            continue
        folder = {y for p in pending if p.path.parent == item.path.parent and p is not item
                  for y in p.frame.get_column(row_years.OWN).drop_nulls().unique().to_list()}
        every = {y for p in pending if p is not item
                 for y in p.frame.get_column(row_years.OWN).drop_nulls().unique().to_list()}
        for source, years in (("its folder", folder), ("the other files", every)):
            if len(years) == 1:
                year = next(iter(years))
                item.frame = item.frame.with_columns(
                    pl.col(row_years.OWN).fill_null(pl.lit(year, dtype=pl.Int32)))
                item.year_from = item.year_from or "other files"
                result.notices.append(f"{item.name}: collection year {row_years.text(year)} taken from {source}")
                break
        else:
            result.problems.append(
                problem("NWD-YEAR", "could not tell which collection year this file is for; put the year in "
                        "its name (for example Header_2025-26.csv) or give the year when importing",
                        file=item.name)
            )
