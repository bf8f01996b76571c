"""The rules of unlawful placements at their boundaries (nwd.placements.lawfulness: pure, no database)."""

from __future__ import annotations

import datetime as dt

from nwd.placements.lawfulness import (
    SIXTEEN_SEVENTEEN_FROM,
    UNDER_16_FROM,
    Placement,
    Rule,
    breaches,
    placement_days,
)

D = dt.date
ONE = dt.timedelta(days=1)


def rules_of(placement: Placement, on: dt.date) -> dict[Rule, tuple[dt.date, dt.date, int, bool]]:
    return {b.rule: (b.start, b.end, b.days, b.ongoing) for b in breaches(placement, on)}


def test_under_16_in_supported_accommodation_from_9_september_2021():
    born = D(2008, 1, 1)  # 13 in 2021
    on = D(2022, 1, 1)
    ended_the_day_before = Placement(born, D(2021, 6, 1), UNDER_16_FROM, "H5", registered=False)
    assert rules_of(ended_the_day_before, on) == {}  # its last day was 8/9/2021: before the rule
    ends_a_day_later = Placement(born, D(2021, 6, 1), UNDER_16_FROM + ONE, "H5", registered=False)
    assert rules_of(ends_a_day_later, on) == {Rule.UNDER_16: (UNDER_16_FROM, UNDER_16_FROM, 1, False)}
    starts_on_the_day = Placement(born, UNDER_16_FROM, None, "P2", registered=True)
    assert rules_of(starts_on_the_day, D(2021, 9, 18)) == {Rule.UNDER_16: (UNDER_16_FROM, D(2021, 9, 18), 10, True)}


def test_registered_supported_accommodation_is_unlawful_under_16_but_not_at_16():
    born = D(2010, 5, 1)
    k3 = Placement(born, D(2025, 4, 1), None, "K3", registered=True)
    assert rules_of(k3, D(2025, 6, 1)) == {Rule.UNDER_16: (D(2025, 4, 1), D(2025, 6, 1), 62, True)}
    older = Placement(D(2008, 5, 1), D(2025, 4, 1), None, "K3", registered=True)
    assert rules_of(older, D(2025, 6, 1)) == {}


def test_a_registered_childrens_home_is_lawful_and_an_unregistered_one_is_not():
    born = D(2012, 1, 1)
    assert rules_of(Placement(born, D(2024, 1, 1), None, "K2", registered=True), D(2024, 2, 1)) == {}
    unregistered = rules_of(Placement(born, D(2024, 1, 1), None, "K2", registered=False), D(2024, 2, 1))
    assert unregistered == {Rule.UNDER_16: (D(2024, 1, 1), D(2024, 2, 1), 32, True)}
    assert set(rules_of(Placement(born, D(2025, 5, 1), None, "Z11", registered=True), D(2025, 6, 1))) == {Rule.UNDER_16}
    for place in ("U4", "P1", "K1", "R2", "S1", "A4"):  # foster care, parents, secure, hospital, school, adoption
        assert rules_of(Placement(born, D(2024, 1, 1), None, place, registered=False), D(2024, 2, 1)) == {}, place


def test_16th_birthday_during_an_unregistered_placement_after_28_october_2023():
    born = D(2008, 3, 10)  # 16 on 10/3/2024
    placement = Placement(born, D(2024, 1, 1), None, "H5", registered=False)
    found = rules_of(placement, D(2024, 4, 9))
    assert found[Rule.UNDER_16] == (D(2024, 1, 1), D(2024, 3, 9), 69, False)  # to the day before the birthday
    assert found[Rule.SIXTEEN_SEVENTEEN] == (D(2024, 3, 10), D(2024, 4, 9), 31, True)  # from the birthday on


def test_16th_birthday_during_registered_supported_accommodation_ends_the_breach():
    born = D(2008, 3, 10)
    placement = Placement(born, D(2024, 1, 1), None, "K3", registered=True)
    assert rules_of(placement, D(2024, 4, 9)) == {Rule.UNDER_16: (D(2024, 1, 1), D(2024, 3, 9), 69, False)}


def test_16th_birthday_during_an_unregistered_placement_before_28_october_2023():
    born = D(2006, 3, 10)  # 16 on 10/3/2022: unregistered supported accommodation was still lawful at 16
    placement = Placement(born, D(2022, 1, 1), D(2022, 6, 1), "H5", registered=False)
    assert rules_of(placement, D(2023, 1, 1)) == {Rule.UNDER_16: (D(2022, 1, 1), D(2022, 3, 9), 68, False)}


def test_16_and_17_either_side_of_28_october_2023():
    born = D(2006, 6, 1)  # 17 in October 2023
    before = Placement(born, D(2023, 5, 1), SIXTEEN_SEVENTEEN_FROM, "H5", registered=False)
    assert rules_of(before, D(2024, 1, 1)) == {}  # the last night was 27/10/2023
    across = Placement(born, D(2023, 5, 1), SIXTEEN_SEVENTEEN_FROM + 3 * ONE, "H5", registered=False)
    assert rules_of(across, D(2024, 1, 1)) == {
        Rule.SIXTEEN_SEVENTEEN: (SIXTEEN_SEVENTEEN_FROM, SIXTEEN_SEVENTEEN_FROM + 2 * ONE, 3, False)}
    after = Placement(born, SIXTEEN_SEVENTEEN_FROM, None, "Z12", registered=False)
    assert rules_of(after, D(2023, 11, 6)) == {Rule.SIXTEEN_SEVENTEEN: (SIXTEEN_SEVENTEEN_FROM, D(2023, 11, 6), 10, True)}
    registered = Placement(born, SIXTEEN_SEVENTEEN_FROM, None, "K3", registered=True)
    assert rules_of(registered, D(2023, 11, 6)) == {}


def test_the_18th_birthday_ends_the_breach():
    born = D(2006, 1, 15)  # 18 on 15/1/2024
    placement = Placement(born, D(2023, 12, 1), None, "P2", registered=False)
    assert rules_of(placement, D(2024, 3, 1)) == {Rule.SIXTEEN_SEVENTEEN: (D(2023, 12, 1), D(2024, 1, 14), 45, False)}


def test_a_29_february_birthday_is_1_march_in_other_years():
    born = D(2008, 2, 29)  # 16 on 29/2/2024 (a leap year); 17 on 1/3/2025
    found = rules_of(Placement(born, D(2024, 1, 1), None, "H5", registered=False), D(2024, 3, 31))
    assert found[Rule.UNDER_16][1] == D(2024, 2, 28)
    found = rules_of(Placement(born, D(2025, 1, 1), None, "Z13", registered=False), D(2025, 3, 5))
    assert Rule.UNDER_16 not in found and found[Rule.SIXTEEN_SEVENTEEN][0] == D(2025, 1, 1)


def test_days_lasted():
    assert placement_days(D(2024, 1, 1), None, D(2024, 1, 1)) == 1
    assert placement_days(D(2024, 1, 1), D(2024, 1, 11), D(2025, 1, 1)) == 10
    assert placement_days(D(2024, 1, 2), None, D(2024, 1, 1)) == 0
