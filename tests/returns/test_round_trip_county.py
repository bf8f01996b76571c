"""Round trip on the synthetic county: every year exported, imported into an emptied database, the
same records back, field by field.

The county (fixture ``county``, scale 1) is exported year by year with the exporter; the county is
then deleted (``nwd.synth.writer.delete_county``, inside the test's transaction, so it is back for
the next test) and the export imported. What the export carries must come back as it was:
the episodes (every 903 field) and their periods of care, the children's 903 fields, missing
episodes (as dates: the 903 has no times), reviews, OC2 and OC3. What it does not carry (names,
hub stays, costs, missing episodes while not looked after) is not compared.

The county's return has no errors, so ``skip_invalid`` leaves no child out (it is given so that,
were the generator to regress, the test would say which children and why rather than import nothing).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from nwd.codelists.codes import year_bounds
from nwd.returns import dbframes
from nwd.returns.exporter import _missing_while_looked_after, build_year, write_year, years_held
from nwd.returns.importer import import_return
from tests.returns import dbstate

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def records(first_day) -> dict[str, pl.DataFrame]:
    """What an export of every year from ``first_day`` carries, as frames (CHILD keys, no primary keys)."""
    from nwd.care.models import CarePeriod
    from nwd.casework.models import YoungPerson

    episodes = dbframes.episodes().filter(pl.col("DEC").is_null() | (pl.col("DEC") >= first_day))
    children = episodes.select("CHILD").unique()
    people = YoungPerson.objects.filter(child_id__in=children["CHILD"].to_list())
    missing = _missing_while_looked_after(dbframes.missing(people_missing(people)), dbframes.episodes())
    missing = missing.filter(pl.col("MIS_END").is_null() | (pl.col("MIS_END") >= first_day)).join(
        children, on="CHILD", how="semi")
    periods = pl.DataFrame(
        list(CarePeriod.objects.filter(start__gte=first_day).values_list("young_person__child_id", "start", "end")),
        schema={"CHILD": pl.Utf8, "start": pl.Date, "end": pl.Date}, orient="row")
    people_rows = list(people.values_list("child_id", "date_of_birth", "sex", "ethnicity", "upn", "uasc", "mother",
                                          "mother_child_dob"))
    return {
        "Episodes": episodes.sort("CHILD", "DECOM"),
        "Header": pl.DataFrame(people_rows, orient="row", schema={
            "CHILD": pl.Utf8, "DOB": pl.Date, "SEX": pl.Utf8, "ETHNIC": pl.Utf8, "UPN": pl.Utf8, "UASC": pl.Boolean,
            "MOTHER": pl.Boolean, "MC_DOB": pl.Date,
        }).sort("CHILD"),
        "Missing": missing.sort("CHILD", "MIS_START"),
        "Periods": periods.join(children, on="CHILD", how="semi").sort("CHILD", "start"),
        "Reviews": dbframes.reviews().filter(pl.col("REVIEW") >= first_day).join(children, on="CHILD", how="semi")
        .sort("CHILD", "REVIEW"),
        "OC2": dbframes.oc2().sort("_year", "CHILD"),
        "OC3": dbframes.oc3().sort("_year", "CHILD"),
    }


def as_last_returned(episodes: pl.DataFrame, last_year: str) -> pl.DataFrame:
    """Episodes as the return carries them: PLACE_PROVIDER and URN blank where the rules of the last
    year the episode is returned in record none (Z1 to 2024-25; H5's URN to 2022-23, P2's to
    2023-24; ``nwd.returns.writer.without_what_the_year_forbids``). Those the export cannot carry."""
    from nwd.codelists.codes import collection_year_of
    from nwd.returns.writer import without_what_the_year_forbids

    returned_in = pl.col("DEC").map_elements(collection_year_of, return_dtype=pl.Utf8).fill_null(last_year)
    parts = [without_what_the_year_forbids(part.drop("_last_year"), year)
             for (year,), part in episodes.with_columns(returned_in.alias("_last_year")).group_by("_last_year")]
    return pl.concat(parts).sort("CHILD", "DECOM")


def people_missing(people):
    from nwd.events.models import MissingEpisode

    return MissingEpisode.objects.filter(young_person__in=people)


def without(frame: pl.DataFrame, children: list[str]) -> pl.DataFrame:
    return frame.filter(~pl.col("CHILD").is_in(children))


def test_importing_an_export_of_the_county_gives_back_its_records(county, tmp_path: Path):
    from nwd.synth.writer import delete_county

    years = years_held()
    assert len(years) >= 10
    for year in years:
        write_year(build_year(year), tmp_path / year)
    first_day = year_bounds(years[0])[0]
    before = records(first_day)
    assert before["Episodes"].height > 5000 and before["Missing"].height > 100

    delete_county()
    assert sum(dbstate.counts().values()) == 0
    report = import_return([tmp_path], skip_invalid=True)
    assert report.written
    skipped = report.skipped_children
    assert skipped == [], [p.message for p in report.errors][:20]
    assert before["Header"]["MOTHER"].sum() >= 5  # a few mothers, whose MC_DOB comes back too
    after = records(first_day)

    before["Episodes"] = as_last_returned(before["Episodes"], years[-1])
    for table in ("Episodes", "Header", "Missing", "Periods", "Reviews", "OC2", "OC3"):
        expected, found = without(before[table], skipped), without(after[table], skipped)
        if table in ("OC2", "OC3"):  # a year's outcomes are in that year's return only if the child is in it
            expected = expected.join(found.select("CHILD", "_year"), on=["CHILD", "_year"], how="semi")
            assert found.height >= 0.95 * without(before[table], skipped).height, table
        assert found.height == expected.height, table
        mismatched = expected.join(found, on=expected.columns, how="anti", nulls_equal=True)
        assert mismatched.height == 0, f"{table}: {mismatched.head(5)}"

    # And importing the same export again changes nothing.
    checksum = dbstate.checksum()
    again = import_return([tmp_path], skip_invalid=True)
    assert again.changed == 0 and dbstate.checksum() == checksum
