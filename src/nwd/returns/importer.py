"""Importing a council's SSDA903 return into the database, all of it or nothing.

``import_return(paths, ...)`` reads the files (``nwd.returns.reader``), stitches the years into one
history per child (``nwd.returns.stitch``), checks every row by its year's rules
(``nwd.returns.checks``) and the database's own limits (``nwd.returns.dbfit``), then writes it
(``nwd.returns.dbwrite``) in one transaction. It returns an ``ImportReport``: the same problems,
with the same words, whether the import ran from ``nwd import-903`` or the analyst's page.

- Any error and no ``skip_invalid``: nothing is written; the report lists every problem, so the
  data officer can fix them all in one go.
- ``skip_invalid``: the rows with errors are left out and listed (``ImportReport.skipped``), and so
  is the rest of that child's return (every table, every year): half a child's history would make
  periods of care and episode chains that the return never said. An error about a whole file (its
  table cannot be told, a column is missing, its year is unknown) leaves that file out.
- ``dry_run``: everything is checked and the changes counted, nothing is written.
- A failure while writing (the database refusing a row, the process stopped) rolls the whole
  import back: the database is as it was.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction

from nwd.access import audit
from nwd.access.models import Action
from nwd.returns import dbwrite
from nwd.returns.blocks import BLOCK_CHILDREN, child_blocks
from nwd.returns.checks import check_bounded
from nwd.returns.checks.base import RULES, UNLISTED_SCHEMA, Context
from nwd.returns.dbfit import fit_postcodes_counted, fit_problems, postcodes_notice
from nwd.returns.problems import Problem, one_per_cause, problem
from nwd.returns.reader import SourceFile, read_files
from nwd.returns.reporting import plural
from nwd.returns.schema import FILE_COL, ROW_COL, YEAR_COL
from nwd.returns.stitch import PERIOD_TABLES, notices_for, stitch

PERMISSION = "returns.import_903"


@dataclass(frozen=True)
class SkippedRow:
    """A row left out by ``--skip-invalid``, and the error that made it so (its own, or its child's)."""

    file: str | None
    row: int | None
    table: str
    child: str | None
    because: Problem

    @property
    def own(self) -> bool:
        """Whether the error is on this very row (else another row of the same child, or the file)."""
        return self.because.file == self.file and self.because.row == self.row


@dataclass
class ImportReport:
    """What an import found and did."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    counts: dict[str, dbwrite.Counts] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # rows per table after stitching (and skipping)
    seconds: dict[str, float] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)  # the write, stage by stage
    dry_run: bool = False
    skip_invalid: bool = False
    written: bool = False
    # Problems of the checks past the first KEPT_PER_RULE of a rule: counted, not kept.
    unlisted: Counter = field(default_factory=Counter)

    @property
    def errors(self) -> list[Problem]:
        """The errors listed (every one, up to KEPT_PER_RULE of each rule of the checks)."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(n for (_rule, severity), n in self.unlisted.items() if severity == "error")

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + sum(n for (_rule, severity), n in self.unlisted.items() if severity != "error")

    @property
    def refused(self) -> bool:
        """Errors were found and rows with errors were not to be skipped: nothing was written."""
        return bool(self.errors) and not self.skip_invalid

    @property
    def skipped_children(self) -> list[str]:
        return sorted({s.child for s in self.skipped if s.child})

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())

    def outcome(self) -> str:
        """One sentence: what happened."""
        if self.refused:
            return (f"Nothing was imported: the return has {plural(self.error_count, 'error')}. Fix them and "
                    "import again, or import skipping the rows with errors.")
        skipped = ""
        if self.skipped:
            skipped = (f", leaving out {plural(len(self.skipped), 'row')} "
                       f"({plural(len(self.skipped_children), 'child', 'children')}) with errors")
        if self.dry_run:
            return (f"Checked only, nothing was written{skipped}: importing would make "
                    f"{plural(self.changed, 'change')}.")
        if not self.changed:
            return f"Imported{skipped}: the database already held all of it, nothing changed."
        return f"Imported{skipped}: {plural(self.changed, 'record')} created, changed or removed."


def import_return(
    paths: Iterable[Path | str],
    *,
    collection_year: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    user=None,
    request=None,
    la: str | None = None,
    block_children: int = BLOCK_CHILDREN,
) -> ImportReport:
    """Read, stitch, check and (unless refused or a dry run) write a return; see the module docstring.

    ``user``, when given, must hold ``returns.import_903`` (PermissionDenied otherwise, before
    anything is read); the records written name them and the import is recorded in the audit log.
    ``la`` picks one council from files holding several (an LA column); without it such files are
    refused with NWD-LA, which lists them.

    After reading, the return is stitched, checked and written ``block_children`` children at a
    time (``nwd.returns.blocks``), so memory grows with the block, not the file: the checked block
    waits on disk (a temporary Parquet file) until every block is checked and the import is known
    to go ahead, and every block is written in the one transaction. The report is the same
    whatever the block size (tested).
    """
    if user is not None and not (user.is_active and user.has_perm(PERMISSION)):
        raise PermissionDenied(PERMISSION)
    report = ImportReport(dry_run=dry_run, skip_invalid=skip_invalid)
    clock = _Clock(report.seconds)
    read = read_files(paths, collection_year, la=la)
    report.files, report.notices = read.files, list(read.notices)
    clock.lap("read")
    with tempfile.TemporaryDirectory(prefix="nwd-903-blocks-") as spill:
        found = _check_in_blocks(read.tables, block_children, Path(spill), report.seconds)
        read.tables.clear()  # the years as read are no longer needed: free them before the write
        report.notices += notices_for(found.merged)
        checked, report.unlisted, unlisted_errors = found.capped()
        problems = [*read.problems, *one_per_cause(read.problems, [
            *found.stitch_problems, *checked, *found.year_problems, *found.fit_problems])]
        report.problems = sorted(dict.fromkeys(problems), key=lambda p: (p.file or "", p.row or 0, p.rule))
        del problems, checked
        if report.refused:
            return report
        with transaction.atomic():
            started = time.perf_counter()
            _write_in_blocks(report, found.blocks, unlisted_errors, user=user, dry_run=dry_run)
            report.written = not dry_run
            if user is not None and not dry_run:
                _audit(request, user, report)
            report.seconds["write" if not dry_run else "plan"] = round(time.perf_counter() - started, 2)
    return report


@dataclass
class _Found:
    """What checking the blocks found, by where it came from (kept apart so that the problems come
    out in the order checking the whole return at once gives them), and where the blocks wait."""

    blocks: list[Path] = field(default_factory=list)
    stitch_problems: list[Problem] = field(default_factory=list)
    checked: list[Problem] = field(default_factory=list)
    year_problems: list[Problem] = field(default_factory=list)
    fit_problems: list[Problem] = field(default_factory=list)
    merged: dict[tuple[str, str], int] = field(default_factory=dict)
    unlisted: Counter = field(default_factory=Counter)
    unlisted_errors: list[pl.DataFrame] = field(default_factory=list)

    def trim(self) -> None:
        """Keep at most KEPT_PER_RULE of each rule's problems of the checks (the first by file and row);
        the rest counted, and for errors their keys kept (``without_invalid``). Done after each block,
        so a return with an error on every row holds a few thousand problems, not one set a block."""
        kept: list[Problem] = []
        listed: Counter = Counter()
        past: list[tuple] = []
        for p in sorted(dict.fromkeys(self.checked), key=lambda p: (p.file or "", p.row or 0, p.rule)):
            key = (p.rule, p.severity)
            if listed[key] < KEPT_PER_RULE:
                listed[key] += 1
                kept.append(p)
                continue
            self.unlisted[key] += 1
            if p.is_error:
                past.append((p.rule, p.table, p.file, p.row, p.child))
        if past:
            self.unlisted_errors.append(pl.DataFrame(past, schema=UNLISTED_SCHEMA, orient="row"))
        self.checked = kept

    def capped(self) -> tuple[list[Problem], Counter, pl.DataFrame | None]:
        """The checks' problems kept, the count of the rest by rule and severity, the keys of the rest's errors."""
        self.trim()
        frames = [f for f in self.unlisted_errors if f.height]
        return self.checked, self.unlisted, (pl.concat(frames) if frames else None)


def _check_in_blocks(tables: dict[str, pl.DataFrame], block_children: int, spill: Path,
                     seconds: dict[str, float]) -> _Found:
    """Stitch and check each block of children; each checked block is written to ``spill``."""
    found = _Found()
    spent = Counter()
    for number, part in enumerate(child_blocks(tables, block_children)):
        started = time.perf_counter()
        stitched = stitch(part)
        for key, n in stitched.merged.items():
            found.merged[key] = found.merged.get(key, 0) + n
        found.stitch_problems += stitched.problems
        middle = time.perf_counter()
        checked = check_bounded(stitched.tables, examples=KEPT_PER_RULE)
        found.checked += checked.problems
        found.unlisted.update(checked.unlisted)
        found.unlisted_errors.append(checked.unlisted_errors)
        found.trim()
        found.year_problems += within_each_year(part)
        found.fit_problems += fit_problems(stitched.tables)
        block = stitched.tables
        if "Header" in block and "Header" in part:
            block["Header"] = latest_mother_answer(block["Header"], part["Header"])
        folder = spill / f"{number:05d}"
        folder.mkdir()
        for order, (table, frame) in enumerate(block.items()):
            frame.write_parquet(folder / f"{order:02d}-{table}.parquet")
        found.blocks.append(folder)
        spent["stitch"] += middle - started
        spent["check"] += time.perf_counter() - middle
        del part, stitched, checked, block
    seconds.update({stage: round(spent[stage], 2) for stage in ("stitch", "check")})
    return found


def _write_in_blocks(report: ImportReport, blocks: list[Path], unlisted_errors: pl.DataFrame | None, *,
                     user, dry_run: bool) -> None:
    """Leave out what errors leave out, fit the postcodes and write (or plan) each block in turn; the
    caller holds the transaction."""
    counts: dict[str, dbwrite.Counts] = {}
    rows: dict[str, int] = {}
    postcodes = 0
    merged_into: dict[str, str] = {}
    exclusions = Exclusions(report.errors, unlisted_errors) if report.errors else None
    for folder in blocks:
        tables = {path.stem.split("-", 1)[1]: pl.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}
        if exclusions is not None:
            tables, skipped = exclusions.apply(tables)
            report.skipped += skipped
        if "Episodes" in tables:
            tables["Episodes"], cut = fit_postcodes_counted(tables["Episodes"])
            postcodes += cut
        for table, frame in tables.items():
            rows[table] = rows.get(table, 0) + frame.height
        writer = dbwrite.Writer(user=user, dry_run=dry_run)
        write_tables(writer, tables)
        for name, c in writer.counts.items():
            total = counts.setdefault(name, dbwrite.Counts())
            total.created, total.updated = total.created + c.created, total.updated + c.updated
            total.unchanged, total.deleted = total.unchanged + c.unchanged, total.deleted + c.deleted
            total.withdrawn += c.withdrawn
        merged_into.update(writer.merged_into)
        for stage, spent in writer.seconds.items():
            report.stage_seconds[stage] = round(report.stage_seconds.get(stage, 0) + spent, 2)
        del tables, writer
    report.skipped.sort(key=lambda s: (s.child or "", s.file or "", s.row or 0))
    report.counts = counts
    report.rows = rows
    notice = postcodes_notice(postcodes)
    if notice:
        report.notices.append(notice)
    if merged_into:
        report.notices.append(merged_notice(merged_into))
    for name, c in counts.items():
        if c.withdrawn:
            report.notices.append(
                f"{name.capitalize()}: {plural(c.withdrawn, 'row')} of the return {'match' if c.withdrawn > 1 else 'matches'} "
                f"{'records' if c.withdrawn > 1 else 'a record'} withdrawn in nwd as entered in error: "
                f"{'they stay' if c.withdrawn > 1 else 'it stays'} withdrawn and {'are' if c.withdrawn > 1 else 'is'} "
                "not imported again")
    for table in sorted(set(rows) - IMPORTED_TABLES):
        if rows[table]:
            report.notices.append(f"{table}: read and checked, but not imported: the database has no record for "
                                  f"this table yet")


MERGED_NAMED = 10  # the merged children a notice names; the rest are counted


def merged_notice(merged_into: dict[str, str]) -> str:
    """What the report says of the return's children merged in nwd into another record."""
    pairs = sorted(merged_into.items())
    named = ", ".join(f"CHILD {former} into {now}" for former, now in pairs[:MERGED_NAMED])
    more = f" and {len(pairs) - MERGED_NAMED} more" if len(pairs) > MERGED_NAMED else ""
    return (f"{plural(len(pairs), 'child')} of the return {'were' if len(pairs) > 1 else 'was'} merged in nwd into "
            f"another record ({named}{more}): their rows were imported into that record, and no new record was made. "
            "If the council's system still has both, merge them there too.")


# Problems of each rule of the checks kept in the report (and its CSV); the rest are counted. Enough
# for any real return, and a bound on memory for a file with an error on each of millions of rows.
KEPT_PER_RULE = 1000


IMPORTED_TABLES = frozenset({"Header", "UASC", "Episodes", "Missing", "Reviews", "OC2", "OC3"})

# Rules about rows of one year that stitching would merge away before ``check`` saw them: a child
# twice in a year's Header (or UASC, OC2...), two episodes or missing episodes of a year overlapping.
WITHIN_A_YEAR = ("INT31", "INT32", "INT33", "INT34", "INT35", "INT36", "501", "574")


def latest_mother_answer(header: pl.DataFrame, as_read: pl.DataFrame) -> pl.DataFrame:
    """The stitched Header (each child's latest row) with MOTHER and MC_DOB from the latest year that
    answered MOTHER, and that year in ``_mother_year``.

    MOTHER is asked of children looked after in the year only: a care leaver's later rows leave it
    blank (the DfE's rule 628), which says nothing about whether she is a mother, so the latest
    answer stands (``nwd.returns.dbwrite.young_people`` keeps what the database holds when there is none).
    """
    answers = (
        as_read.filter(pl.col("MOTHER").is_not_null() & pl.col("CHILD").is_not_null())
        .sort([YEAR_COL, FILE_COL, ROW_COL], nulls_last=False, maintain_order=True)
        .unique("CHILD", keep="last", maintain_order=True)
        .select("CHILD", pl.col("MOTHER").alias("_mother"), pl.col("MC_DOB").alias("_mc_dob"),
                pl.col(YEAR_COL).alias("_mother_year"))
    )
    joined = header.join(answers, on="CHILD", how="left")
    blank = pl.col("MOTHER").is_null()
    return joined.with_columns(
        pl.when(blank).then(pl.col("_mother")).otherwise(pl.col("MOTHER")).alias("MOTHER"),
        pl.when(blank).then(pl.col("_mc_dob")).otherwise(pl.col("MC_DOB")).alias("MC_DOB"),
        pl.when(blank).then(pl.col("_mother_year")).otherwise(pl.col(YEAR_COL)).alias("_mother_year"),
    ).drop("_mother", "_mc_dob")


def within_each_year(tables: dict[str, pl.DataFrame]) -> list[Problem]:
    """The WITHIN_A_YEAR rules on each year's rows as read, before stitching."""
    needed = {RULES[r].table for r in WITHIN_A_YEAR} | {"Header"}  # the rules' tables, and the Header for DOB
    tables = {name: _one_copy(frame) if name in PERIOD_TABLES else frame
              for name, frame in tables.items() if name in needed}
    years = sorted({y for frame in tables.values() for y in frame.get_column(YEAR_COL).unique().to_list() if y})
    found: list[Problem] = []
    for year in years:
        context = Context({name: frame.filter(pl.col(YEAR_COL) == year) for name, frame in tables.items()}, year)
        for rule_id in WITHIN_A_YEAR:
            rule = RULES[rule_id]
            if rule.applies_in(year) and context.has(rule.table):
                found.extend(rule.func(context, rule))
    return found


def _one_copy(frame: pl.DataFrame) -> pl.DataFrame:
    """An episode (or missing episode) repeated exactly within a year is one (stitching warns of it,
    NWD-DUPLICATE), not an episode overlapping itself (rules 501, 574)."""
    return frame.unique([c for c in frame.columns if c not in (FILE_COL, ROW_COL)], keep="first", maintain_order=True)


def write_tables(writer: dbwrite.Writer, tables: dict[str, pl.DataFrame]) -> None:
    """Every stage, in the order their keys need: children first, then what hangs on them."""
    header = tables.get("Header")
    if header is None or header.height == 0:
        return
    started = time.perf_counter()
    ids = dbwrite.young_people(writer, header, tables.get("UASC"))
    writer.seconds["young people"] = round(time.perf_counter() - started, 2)
    stages = (
        ("Episodes", dbwrite.episodes_and_periods),
        ("Missing", dbwrite.missing_episodes),
        ("Reviews", dbwrite.reviews),
        ("OC2", dbwrite.annual_outcomes),
        ("OC3", dbwrite.care_leaver_outcomes),
    )
    for table, stage in stages:
        frame = tables.get(table)
        if frame is not None and frame.height:
            started = time.perf_counter()
            stage(writer, frame.filter(pl.col("CHILD").is_in(list(ids))), ids)
            writer.seconds[table] = round(time.perf_counter() - started, 2)


def without_invalid(tables: dict[str, pl.DataFrame], errors: list[Problem],
                    unlisted: pl.DataFrame | None = None) -> tuple[dict[str, pl.DataFrame], list[SkippedRow]]:
    """The tables without the rows the errors are about, each child's whole return with them.

    ``unlisted`` holds the keys (rule, table, file, row, child) of the error rows past each rule's
    KEPT_PER_RULE: their children are left out too, each "because of" one shared problem per rule.
    """
    return Exclusions(errors, unlisted).apply(tables)


class Exclusions:
    """What errors leave out (see ``without_invalid``), worked out once and applied to each block."""

    def __init__(self, errors: list[Problem], unlisted: pl.DataFrame | None = None) -> None:
        self.by_child: dict[str, Problem] = {}
        self.by_row: dict[tuple[str, int], Problem] = {}
        self.by_file: dict[str, Problem] = {}
        self.at_row: dict[tuple[str | None, int | None], Problem] = {}
        for p in errors:
            if p.row is not None:
                self.at_row.setdefault((p.file, p.row), p)  # sorted by file and row: the first error of each is shown
            if p.child:
                self.by_child.setdefault(p.child, p)
            elif p.file and p.row is not None:
                self.by_row.setdefault((p.file, p.row), p)
            elif p.file:
                self.by_file.setdefault(p.file, p)
        if unlisted is not None and unlisted.height:
            shared = {rule: problem(rule, f"one of the errors of rule {rule} past the first {KEPT_PER_RULE} the "
                                          "report lists") for rule in unlisted.get_column("rule").unique().to_list()}
            for rule, file, row, child in unlisted.select("rule", "file", "row", "child").iter_rows():
                if child is not None:
                    self.by_child.setdefault(child, shared[rule])
                elif file and row is not None:
                    self.by_row.setdefault((file, row), shared[rule])
        self.children = list(self.by_child)
        self.files = list(self.by_file)
        self.rows = [f"{f}\x00{r}" for f, r in self.by_row]

    def apply(self, tables: dict[str, pl.DataFrame]) -> tuple[dict[str, pl.DataFrame], list[SkippedRow]]:
        kept: dict[str, pl.DataFrame] = {}
        skipped: list[SkippedRow] = []
        for table, frame in tables.items():
            mask = (
                pl.col("CHILD").is_in(self.children).fill_null(False)
                | pl.col(FILE_COL).is_in(self.files).fill_null(False)
                | pl.concat_str([pl.col(FILE_COL), pl.col(ROW_COL).cast(pl.Utf8)], separator="\x00").is_in(
                    self.rows).fill_null(False)
            )
            out = frame.filter(mask)
            kept[table] = frame.filter(~mask)
            for file, row, child in out.select(FILE_COL, ROW_COL, "CHILD").iter_rows():
                because = self.at_row.get((file, row)) or self.by_file.get(file) or self.by_child.get(child)
                skipped.append(SkippedRow(file, row, table, child, because))
        skipped.sort(key=lambda s: (s.child or "", s.file or "", s.row or 0))
        return kept, skipped


def _audit(request, user, report: ImportReport) -> None:
    files = ", ".join(f.name for f in report.files) or "no files"
    done = "; ".join(f"{name} +{c.created} ~{c.updated} -{c.deleted}" for name, c in report.counts.items())
    skipped = f"; {len(report.skipped)} rows skipped" if report.skipped else ""
    audit.record(request, Action.IMPORT, detail=f"SSDA903 import of {files}: {done}{skipped}"[:4000], user=user)


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.started = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self.started, 2)
        self.started = now
