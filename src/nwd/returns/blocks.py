"""The tables of a return cut into blocks of children, so that an import holds one block's work at a time.

Stitching, checking and writing a return are per child (a child's history is its own; the rules
compare a child's rows with each other, never with another child's), so they can run on a block of
children after another: what they make of a block is what they would have made of those children
in the whole return. What costs memory (the stitched frames, the checks' working columns, the
rows planned for the database) then grows with the block, not with the file.

A block is the rows of every table whose CHILD is among the block's children (consecutive in
CHILD order), in the order they were read; rows without a CHILD go with the first block. Nothing
is copied but the block's own rows: each table is put in CHILD order once, as row numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl

from nwd.returns.schema import FILE_COL, ROW_COL, YEAR_COL
from nwd.returns.stitch import PER_CHILD_TABLES, PERIOD_TABLES, StitchResult, notices_for, stitch

# Children per block: small enough that a block's work is a few tens of MB, large enough that the
# per-block costs (a few queries per stage, a sort) stay small beside the rows.
BLOCK_CHILDREN = 20_000

SEQUENCE = "_read_order"  # a row's place in the table as read, while stitching in blocks

# Tables stitching puts in the order year, file, row (the rest keep the order read, which the blocks keep).
ORDERED_TABLES = frozenset(PERIOD_TABLES) | frozenset(PER_CHILD_TABLES)


@dataclass(frozen=True)
class _Index:
    """A table's row numbers in CHILD order: those without a CHILD first, then the rest by CHILD."""

    order: pl.Series
    blank: int  # how many rows have no CHILD (the first ``blank`` of ``order``)
    keys: pl.Series  # the CHILD of each row with one, in CHILD order


def child_blocks(tables: dict[str, pl.DataFrame], size: int = BLOCK_CHILDREN) -> Iterator[dict[str, pl.DataFrame]]:
    """The tables, a block of ``size`` children at a time (the whole of them when they fit in one)."""
    if size < 1:
        raise ValueError("a block holds at least one child")
    columns = [f.get_column("CHILD").drop_nulls().unique() for f in tables.values() if "CHILD" in f.columns]
    children = pl.concat(columns).unique().sort() if columns else pl.Series("CHILD", [], dtype=pl.Utf8)
    if children.len() <= size or any("CHILD" not in f.columns for f in tables.values()):
        yield tables
        return
    indexes = {name: _index(frame) for name, frame in tables.items()}
    for start in range(0, children.len(), size):
        first, last = children[start], children[min(start + size, children.len()) - 1]
        yield {name: _rows(tables[name], index, first, last, with_blank=start == 0)
               for name, index in indexes.items()}


def _index(frame: pl.DataFrame) -> _Index:
    child = frame.get_column("CHILD")
    order = child.arg_sort(nulls_last=False)
    blank = child.null_count()
    return _Index(order, blank, child.gather(order.slice(blank)))


def _rows(frame: pl.DataFrame, index: _Index, first: str, last: str, with_blank: bool) -> pl.DataFrame:
    """The rows whose CHILD is from ``first`` to ``last`` (and those without one), in the order read."""
    low = int(index.keys.search_sorted(first, side="left"))
    high = int(index.keys.search_sorted(last, side="right"))
    rows = index.order.slice(index.blank + low, high - low)
    if with_blank and index.blank:
        rows = pl.concat([index.order.slice(0, index.blank), rows])
    return frame.select(pl.all().gather(rows.sort()))


def stitch_in_blocks(tables: dict[str, pl.DataFrame], size: int | None = None) -> StitchResult:
    """``stitch`` a block of children at a time: the same tables (rows in the order stitching the whole
    gives: year, file, row), the same notices, and the same problems, each table's by file and row.

    Stitching's working frames (every row joined with its child's latest) then grow with the block;
    what is held whole is the stitched result, as compact as the tables read.
    """
    out = StitchResult()
    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in tables}
    tables = {name: frame.with_row_index(SEQUENCE) for name, frame in tables.items()}
    for block in child_blocks(tables, size or BLOCK_CHILDREN):
        stitched = stitch(block)
        for name, frame in stitched.tables.items():
            parts[name].append(frame)
        out.problems += stitched.problems
        for key, n in stitched.merged.items():
            out.merged[key] = out.merged.get(key, 0) + n
    for name, frames in parts.items():
        frame = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
        if len(frames) > 1:
            by = [YEAR_COL, FILE_COL, ROW_COL] if name in ORDERED_TABLES else [SEQUENCE]
            frame = frame.sort(by, nulls_last=False, maintain_order=True)
        out.tables[name] = frame.drop(SEQUENCE)
    order = {name: number for number, name in enumerate(tables)}
    out.problems.sort(key=lambda p: (order.get(p.table or "", len(order)), p.file or "", p.row or 0, p.rule))
    out.notices = notices_for(out.merged)
    return out
