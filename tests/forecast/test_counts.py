"""Exposure and events, counted by hand on small histories."""

import numpy as np

from nwd.codelists.groups import PlacementGroup as G
from nwd.forecast.counts import count
from nwd.forecast.histories import segments
from nwd.forecast.inputs import clean_episodes
from nwd.forecast.states import GROUP_INDEX, LEFT_CARE, RETURNED_HOME

from .conftest import D, episodes

FOSTER = GROUP_INDEX[G.IN_HOUSE_FOSTERING]


def counted(rows, as_of, window_start, **kwargs):
    clean = clean_episodes(episodes(*rows), as_of=as_of)
    segs, _ = segments(clean)
    return count(segs, as_of, window_start, **kwargs)


def test_exposure_is_split_at_the_birthday_and_the_exit_counted_at_its_age():
    # Born 1 March 2010: 9 until 28 February 2020 inclusive, 10 from 1 March 2020.
    counts = counted([("a", D(2010, 3, 1), D(2020, 1, 1), D(2020, 4, 10), "U6", "PR1", "E4A")],
                     as_of=D(2020, 12, 31), window_start=D(2019, 1, 1))
    assert counts.exposure[9, FOSTER] == 31 + 29  # January, and February 2020 (a leap year)
    assert counts.exposure[10, FOSTER] == 31 + 9  # March, and 1-9 April
    assert counts.exposure.sum() == 100
    assert counts.events[10, FOSTER, RETURNED_HOME] == 1
    assert counts.events.sum() == 1
    assert counts.entries[9, FOSTER] == 1


def test_only_days_and_events_inside_the_window_count():
    counts = counted([("a", D(2008, 6, 1), D(2019, 12, 1), D(2020, 2, 1), "U6", "PR1", "E8")],
                     as_of=D(2020, 12, 31), window_start=D(2020, 1, 1))
    assert counts.exposure.sum() == 31  # January 2020 only
    assert counts.events[:, FOSTER, LEFT_CARE].sum() == 1
    assert counts.entries.sum() == 0  # came into care before the window


def test_leaving_at_18_is_ageing_not_an_exit_and_makes_a_care_leaver():
    dob = D(2002, 7, 15)
    rows = [
        ("on-birthday", dob, D(2019, 1, 1), D(2020, 7, 15), "U6", "PR1", "E8"),
        ("day-before", dob, D(2019, 1, 1), D(2020, 7, 14), "U6", "PR1", "E17"),
    ]
    counts = counted(rows, as_of=D(2021, 3, 31), window_start=D(2018, 4, 1))
    assert counts.events.sum() == 0
    assert counts.exposure[17, FOSTER] == 366 + 365  # 15/7/2019 to the birthday (2020 is a leap year), and a day less
    assert counts.exposure[:17].sum() + counts.exposure[17].sum() == counts.exposure.sum()
    assert len(counts.care_leaver_days_to_21) == 2
    assert (counts.care_leaver_days_to_21 == (D(2023, 7, 15) - D(2021, 4, 1)).days).all()


def test_the_starting_population_and_their_next_birthdays():
    rows = [
        ("seventeen", D(2004, 6, 10), D(2020, 1, 1), None, "U6", "PR1", None),
        ("ten", D(2011, 1, 1), D(2020, 1, 1), None, "K2", "PR4", None),
        ("gone", D(2011, 1, 1), D(2020, 1, 1), D(2021, 3, 31), "U6", "PR1", "E8"),
    ]
    counts = counted(rows, as_of=D(2021, 3, 31), window_start=D(2018, 4, 1))
    assert counts.jump_off == D(2021, 4, 1)
    assert counts.stock[16, FOSTER] == 1 and counts.stock[10, GROUP_INDEX[G.PRIVATE_RESIDENTIAL]] == 1
    assert counts.stock.sum() == 2
    assert sorted(zip(counts.stock_age, counts.stock_days_to_birthday)) == [
        (10, (D(2022, 1, 1) - D(2021, 4, 1)).days), (16, (D(2021, 6, 10) - D(2021, 4, 1)).days)
    ]
    later = counted(rows, as_of=D(2021, 7, 1), window_start=D(2018, 4, 1))
    seventeen = later.stock_age == 17
    assert list(later.stock_days_to_birthday[seventeen]) == [(D(2022, 6, 10) - D(2021, 7, 2)).days]
    assert np.array_equal(later.stock_state[seventeen], [FOSTER])


def test_support_at_home_ending_in_care_is_an_event_into_care(small_county):
    clean = clean_episodes(small_county.episodes)
    segs, _ = segments(clean)
    counts = count(segs, clean.as_of, D(2021, 4, 1), small_county.spells)
    assert counts.with_service_data
    assert counts.exposure[:, -1].sum() > 0
    assert counts.stock[:, -1].sum() > 0
