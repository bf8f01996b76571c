"""An import in blocks of children (``nwd.returns.blocks``, issue 11 #5: memory bounded whatever the
file) gives exactly what the import of the whole return at once gives: the same problems, notices,
counts, skipped rows, and the same records in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import transaction

from nwd.returns import importer
from nwd.returns.blocks import child_blocks
from nwd.returns.importer import import_return
from tests.returns.dbstate import imported_models
from tests.returns.real_shaped import council_folder

pytestmark = pytest.mark.django_db

WHOLE = 10**9  # children per block: the whole return in one
SMALL = 50  # children per block: the return's 900 children in 18 blocks


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    """Five years of a council's return in one folder, with its errors, warnings, repeats and conflicts."""
    return council_folder(tmp_path_factory.mktemp("council") / "903")


def outcome(report: importer.ImportReport) -> dict:
    return {
        "problems": report.problems, "notices": report.notices, "counts": report.counts, "rows": report.rows,
        "skipped": report.skipped, "unlisted": report.unlisted, "files": report.files, "refused": report.refused,
        "errors": report.error_count, "warnings": report.warning_count,
    }


def records() -> dict[str, list[tuple]]:
    """Every imported record by its fields, keys to other records replaced by those records' own fields:
    the same records whatever order (and so primary keys) the blocks made them in."""
    models = [m for m in imported_models() if not m.__name__.startswith("Historical")]
    cache: dict[tuple, tuple] = {}

    def natural(model, pk) -> tuple | None:
        if pk is None:
            return None
        if (model, pk) not in cache:
            cache[(model, pk)] = row(model, model._default_manager.filter(pk=pk).values().get())
        return cache[(model, pk)]

    def row(model, values: dict) -> tuple:
        out = []
        for f in model._meta.concrete_fields:
            if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            value = values[f.attname]
            out.append((f.name, natural(f.related_model, value) if f.is_relation else value))
        return tuple(out)

    return {m._meta.label: sorted((row(m, v) for v in m._default_manager.values()), key=repr) for m in models}


def run(folder, block_children: int, **options) -> tuple[dict, dict]:
    """The report and the records an import leaves, then rolled back."""
    with transaction.atomic():
        report = import_return([folder], block_children=block_children, **options)
        state = records()
        transaction.set_rollback(True)
    return outcome(report), state


def test_the_blocks_cover_every_row_once_in_the_order_read():
    frame = pl.DataFrame({"CHILD": ["C", None, "A", "B", "A", "D", None, "C"], "n": list(range(8))})
    blocks = list(child_blocks({"Episodes": frame, "Header": frame.head(0)}, size=2))
    assert [b["Episodes"].get_column("n").to_list() for b in blocks] == [[1, 2, 3, 4, 6], [0, 5, 7]]
    assert all(b["Header"].height == 0 for b in blocks)
    assert list(child_blocks({"Episodes": frame}, size=4)) == [{"Episodes": frame}]  # fits in one: as it is


def test_a_dry_run_in_blocks_reports_exactly_what_the_whole_return_does(council):
    whole, nothing = run(council, WHOLE, dry_run=True)
    assert whole["refused"] and whole["errors"] > 100 and whole["notices"]  # a real return's problems
    assert run(council, SMALL, dry_run=True) == (whole, nothing)


def test_an_import_in_blocks_writes_exactly_the_same_records(council):
    whole, written = run(council, WHOLE, skip_invalid=True)
    assert whole["skipped"] and sum(c.created for c in whole["counts"].values()) > 1000
    assert written["casework.YoungPerson"] and written["care.CareEpisode"]
    assert run(council, SMALL, skip_invalid=True) == (whole, written)


def test_an_import_in_blocks_over_records_already_there_changes_the_same(council):
    import_return([council], skip_invalid=True)  # the return already imported once...
    again = run(council, WHOLE, skip_invalid=True)  # ...imported again changes nothing
    assert again[0]["counts"] and not sum(c.changed for c in again[0]["counts"].values())
    assert run(council, SMALL, skip_invalid=True) == again


def test_past_each_rules_examples_the_counts_and_the_rows_left_out_are_the_same(council, monkeypatch):
    """With few examples kept per rule, the examples listed may be other rows of the same rule, but the
    counts by rule and the rows left out by ``--skip-invalid`` are the same."""
    monkeypatch.setattr(importer, "KEPT_PER_RULE", 3)
    whole, written = run(council, WHOLE, skip_invalid=True)
    small, small_written = run(council, SMALL, skip_invalid=True)
    assert whole["unlisted"] and small["unlisted"] == whole["unlisted"]
    assert (small["errors"], small["warnings"]) == (whole["errors"], whole["warnings"])
    assert {(s.file, s.row) for s in small["skipped"]} == {(s.file, s.row) for s in whole["skipped"]}
    assert small["counts"] == whole["counts"] and small_written == written


def test_stitching_in_blocks_gives_the_same_tables_notices_and_problems(council):
    from nwd.returns.blocks import stitch_in_blocks
    from nwd.returns.reader import read_files
    from nwd.returns.stitch import stitch

    tables = read_files([council]).tables
    # Rows repeated later in their files, some with another date of birth: stitching's own problems.
    header, episodes = tables["Header"], tables["Episodes"]
    tables["Header"] = pl.concat([header, header.gather_every(9).with_columns(
        pl.col("DOB") - pl.duration(days=1), pl.col("_row") + 100_000)])
    tables["Episodes"] = pl.concat([episodes, episodes.gather_every(11).with_columns(pl.col("_row") + 100_000)])
    whole, blocks = stitch(tables), stitch_in_blocks(tables, size=SMALL)
    assert list(blocks.tables) == list(whole.tables)
    for name, frame in whole.tables.items():
        assert blocks.tables[name].equals(frame), name
    assert blocks.notices == whole.notices and whole.notices
    assert {p.rule for p in whole.problems} >= {"203", "NWD-DUPLICATE"}
    assert sorted(blocks.problems, key=repr) == sorted(whole.problems, key=repr)
    assert stitch_in_blocks(tables, size=WHOLE).problems == blocks.problems  # in one order whatever the blocks


def test_the_forecast_reads_a_return_in_blocks_as_it_reads_it_whole(council, monkeypatch):
    from nwd.forecast import from_903
    from nwd.returns import blocks

    whole = from_903.load(council)
    monkeypatch.setattr(blocks, "BLOCK_CHILDREN", SMALL)
    small = from_903.load(council)
    assert small.episodes.equals(whole.episodes) and whole.episodes.height > 1000
    assert (small.notes, small.as_of, small.description) == (whole.notes, whole.as_of, whole.description)
