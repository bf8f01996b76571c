"""Reading episodes as stretches of care: temporary placements folded, X1 breaks not exits."""

import numpy as np

from nwd.codelists.groups import PlacementGroup as G
from nwd.forecast.counts import count
from nwd.forecast.histories import segments
from nwd.forecast.inputs import clean_episodes
from nwd.forecast.states import (
    CENSORED,
    ENDED_OTHER,
    ENDED_RETURNED_HOME,
    GROUP_INDEX,
    LEFT_CARE,
    MOVED,
    RETURNED_HOME,
)

from .conftest import D, episodes

DOB = D(2010, 5, 1)
FOSTER = GROUP_INDEX[G.IN_HOUSE_FOSTERING]
HOME = GROUP_INDEX[G.PRIVATE_RESIDENTIAL]


def read(*rows):
    clean = clean_episodes(episodes(*rows))
    segs, adjusted = segments(clean)
    return clean, segs, adjusted


def test_a_week_in_hospital_is_folded_into_the_placement_around_it():
    clean, segs, _ = read(
        ("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "X1"),
        ("a", DOB, D(2020, 3, 1), D(2020, 3, 8), "T1", None, "X1", "T"),
        ("a", DOB, D(2020, 3, 8), D(2020, 9, 1), "U6", "PR1", "E4A", "T"),
    )
    assert segs.select("START", "END", "GROUP", "KIND").rows() == [
        (D(2020, 1, 1), D(2020, 9, 1), FOSTER, ENDED_RETURNED_HOME)
    ]


def test_a_period_starting_with_a_temporary_placement_takes_the_next_group():
    _, segs, _ = read(
        ("a", DOB, D(2020, 1, 1), D(2020, 1, 5), "T4", None, "X1"),
        ("a", DOB, D(2020, 1, 5), D(2020, 9, 1), "K2", "PR4", "E8", "P"),
    )
    assert segs.select("START", "GROUP", "ENTRY").rows() == [(D(2020, 1, 1), HOME, True)]


def test_x1_is_not_an_exit_and_a_placement_change_is_a_move():
    clean, segs, _ = read(
        ("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "X1"),
        ("a", DOB, D(2020, 3, 1), D(2020, 5, 1), "U6", "PR1", "X1", "L"),  # legal status only
        ("a", DOB, D(2020, 5, 1), D(2020, 9, 1), "K2", "PR4", "E8", "P"),
    )
    assert segs.select("START", "END", "GROUP", "KIND", "DEST").rows() == [
        (D(2020, 1, 1), D(2020, 5, 1), FOSTER, MOVED, HOME),
        (D(2020, 5, 1), D(2020, 9, 1), HOME, ENDED_OTHER, None),
    ]
    counts = count(segs, D(2020, 12, 31), D(2019, 1, 1))
    assert counts.entries.sum() == 1
    assert counts.events[:, FOSTER, HOME].sum() == 1
    assert counts.events[:, FOSTER, [RETURNED_HOME, LEFT_CARE]].sum() == 0
    assert counts.events[:, HOME, LEFT_CARE].sum() == 1


def test_a_same_day_placement_inside_a_period_is_not_two_moves():
    _, segs, _ = read(
        ("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "X1"),
        ("a", DOB, D(2020, 3, 1), D(2020, 3, 1), "K2", "PR4", "X1", "P"),
        ("a", DOB, D(2020, 3, 1), D(2020, 9, 1), "U6", "PR1", "E8", "P"),
    )
    assert segs.select("GROUP", "KIND").rows() == [(FOSTER, ENDED_OTHER)]


def test_a_broken_chain_is_censored_and_the_next_stay_is_not_an_entry():
    _, segs, adjusted = read(
        ("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "X1"),
        ("a", DOB, D(2020, 6, 1), D(2020, 9, 1), "U6", "PR1", "E8", "P"),
    )
    assert segs.select("KIND", "ENTRY").rows() == [(CENSORED, True), (ENDED_OTHER, False)]
    notes = {e.reason.split(":")[0] for e in adjusted}
    assert "ends X1 but no episode starts that day" in notes
    assert "a period of care starts with RNE other than S (its start is missing)" in notes


def test_a_reentry_after_going_home_is_a_new_entry():
    _, segs, _ = read(
        ("a", DOB, D(2020, 1, 1), D(2020, 3, 1), "U6", "PR1", "E4A"),
        ("a", DOB, D(2020, 6, 1), D(2020, 9, 1), "U6", "PR1", "E8", "S"),
    )
    assert segs["ENTRY"].to_list() == [True, True]
    assert np.array_equal(segs["KIND"].to_numpy(), [ENDED_RETURNED_HOME, ENDED_OTHER])
