"""One reader of care episodes into columns (``nwd.returns.dbframes.episode_columns``): the
exporter's Episodes frame and the forecast's input are both read through it and agree row by row."""

from __future__ import annotations

import polars as pl
import pytest

from nwd.care.models import CareEpisode
from nwd.forecast.from_database import episode_frame
from nwd.returns import dbframes
from nwd.returns.schema import TABLES
from tests.evaluation import builders as b
from tests.forecast.conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    ali = b.person(D(2009, 5, 1), child_id="A1", sex="1")
    b.care(ali, (D(2023, 1, 10), "U4", "PR1"), (D(2023, 6, 1), "T0"), end=D(2023, 9, 1), rec="E4A")
    bea = b.person(D(2011, 2, 3), child_id="B2", sex="2")
    b.care(bea, (D(2024, 2, 1), "K2", "PR4"))
    return ali, bea


def test_the_reader_gives_ids_child_person_and_episode_columns(records):
    frame = dbframes.episode_columns(person=("SEX", "DOB")).sort("CHILD", "DECOM")
    assert frame.columns == ["_row", "CHILD", "SEX", "DOB", *dbframes.EPISODE_FIELDS]
    assert frame.schema["DOB"] == pl.Date and frame.schema["DECOM"] == pl.Date and frame.schema["DEC"] == pl.Date
    assert frame["_row"].to_list() == list(CareEpisode.objects.order_by("young_person__child_id", "decom")
                                           .values_list("pk", flat=True))
    assert frame.select("CHILD", "SEX", "DOB", "DECOM", "DEC", "PLACE", "PLACE_PROVIDER", "REC").rows() == [
        ("A1", "1", D(2009, 5, 1), D(2023, 1, 10), D(2023, 6, 1), "U4", "PR1", "X1"),
        ("A1", "1", D(2009, 5, 1), D(2023, 6, 1), D(2023, 9, 1), "T0", None, "E4A"),  # blank: null
        ("B2", "2", D(2011, 2, 3), D(2024, 2, 1), None, "K2", "PR4", None),
    ]


def test_the_exporter_and_the_forecast_read_the_same_episodes(records):
    exported = dbframes.episodes()
    assert exported.columns == list(TABLES["Episodes"])
    forecast = episode_frame(D(2025, 3, 31)).sort("CHILD", "DECOM")
    shared = [c for c in exported.columns if c in forecast.columns]
    assert len(shared) >= 9
    assert forecast.select(shared).equals(exported.select(shared))


def test_an_empty_queryset_gives_the_columns_and_no_rows():
    frame = dbframes.episodes(CareEpisode.objects.none())
    assert frame.height == 0 and frame.columns == list(TABLES["Episodes"])
    assert frame.schema["DECOM"] == pl.Date
