"""From placement timelines to SSDA903 episodes, after three last adjustments.

1. ``rebalance`` nudges the placements in force at as-of toward the county's placement mix
   (``params.PLACEMENT_MIX``): the drawn flow lands within a few points of it, and swapping a few
   dozen current placements for ones of an under-represented group (where the child's age and
   legal status allow) brings every group to its share.
2. ``fix_code_years`` keeps each episode's codes valid in every collection year it is open in:
   semi-independent accommodation (H5) still open on 31 March 2025 becomes registered supported
   accommodation (K3) that day, and an "other" placement (Z1) still open then ends with a move.
3. ``fix_temporaries`` drops any temporary placement an edit left stranded (a child returns from
   a temporary placement to the placement they left, and a period never ends in one),
   ``fix_adoption_carers`` keeps A3/A5 (placed with the current foster carers) for a move
   straight from those carers, and
   ``fix_postcodes`` makes two different placements in a row look different to the 903, and keeps
   only a child placed with parents at their home postcode.

``cut`` then makes one episode per stretch with one legal status and one placement, with the RNE
that says what changed (S, L, P, T, B, U), REC X1 between episodes and the period's REC at its
end, and a reason for every placement change the DfE asks one for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nwd.synth import params, places
from nwd.synth.care_history import CareHistory, PeriodPlan
from nwd.synth.placements import LAST_OLD_CODE_DAY, PlacementMaker
from nwd.synth.timeline import Timeline, age_on, pick

MOVE_REASONS = ("CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "STAND", "ALLEG", "CLOSE", "APPRR", "OTHER")
MOVE_REASON_WEIGHTS = (0.42, 0.14, 0.09, 0.08, 0.05, 0.03, 0.02, 0.03, 0.01, 0.13)


@dataclass(slots=True)
class EpisodeRow:
    person: int
    period: int
    decom: int
    dec: int | None
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    rec: str
    reason_place_change: str
    home_post: str
    pl_post: str
    urn: str
    provider: int | None
    in_area: bool
    regulated: bool
    weekly_cost: float | None
    stay: int | None


def current_placement(period: PeriodPlan, on: int, maker: PlacementMaker) -> int:
    """The placement in force on a day, a temporary one read as the placement around it."""
    candidates = [(d, i) for d, i in period.places if d <= on]
    for _, index in reversed(candidates):
        if not maker.rows[index].temporary:
            return index
    return period.places[0][1]


def _eligible(group: str, period: PeriodPlan, since: int, age: int, as_of: int) -> bool:
    if group in {"kinship_fostering", "in_house_fostering", "agency_fostering"}:
        return True
    if group in {"in_house_residential", "private_residential"}:
        return age >= 10
    if group == "secure":
        return age >= 12 and as_of - since <= 120
    if group == "supported":
        return age >= 16
    if group == "with_parents":
        return period.ls_on(since) in {"C1", "C2"} and all(ls in {"C1", "C2"} for d, ls in period.ls if d >= since)
    if group == "other":
        return age >= 12
    return False  # adoption is never made up: it comes from the route


def rebalance(care: CareHistory, maker: PlacementMaker, timeline: Timeline, rng: np.random.Generator) -> int:
    """Swap current placements between groups until the mix at as-of matches PLACEMENT_MIX. Returns swaps."""
    as_of = timeline.end
    people = care.people.rows
    current: list[tuple[PeriodPlan, int, str]] = []
    for period in care.periods:
        if period.is_open:
            index = current_placement(period, as_of, maker)
            current.append((period, index, maker.rows[index].group))
    total = len(current)
    if not total:
        return 0
    counts = dict.fromkeys(params.PLACEMENT_MIX, 0)
    for _, _, group in current:
        counts[group] += 1
    target = {g: round(share * total) for g, share in params.PLACEMENT_MIX.items()}
    need = {g: target[g] - counts[g] for g in params.PLACEMENT_MIX}
    swaps = 0
    order = rng.permutation(total)
    for k in order:
        period, index, group = current[int(k)]
        placement = maker.rows[index]
        if need[group] >= 0 or placement.stay is not None or group == "adoption":
            continue
        since = min(d for d, i in period.places if i == index)
        age = age_on(people[period.person].dob, since)
        wanted = sorted((g for g in need if need[g] > 0 and _eligible(g, period, since, age, as_of)),
                        key=lambda g: (-need[g], g))
        if not wanted:
            continue
        new_group = wanted[0]
        replacement = maker.make(new_group, since, age, period.ls_on(since), people[period.person].home_post,
                                 long_term=since - period.start > 270)
        period.places = [(d, replacement.index if i == index else i) for d, i in period.places]
        need[group] += 1
        need[new_group] -= 1
        swaps += 1
    return swaps


def _runs(period: PeriodPlan) -> list[tuple[int, int, int]]:
    """(from, to, placement) for each entry of the placement timeline; 'to' is NEVER when open."""
    out = []
    for k, (d, index) in enumerate(period.places):
        following = period.places[k + 1][0] if k + 1 < len(period.places) else period.end
        out.append((d, following, index))
    return out


def fix_code_years(care: CareHistory, maker: PlacementMaker, timeline: Timeline) -> None:
    """No H5 or Z1 episode may still be open on 1 April 2025, when 2025-26 drops both codes."""
    if timeline.end <= LAST_OLD_CODE_DAY:
        return
    people = care.people.rows
    for period in care.periods:
        # A temporary placement across the change would leave the child returning to a placement
        # under a code the new year does not have: the short break is dropped instead.
        for start, end, index in _runs(period):
            if maker.rows[index].temporary and start <= LAST_OLD_CODE_DAY < end:
                around = current_placement(period, start - 1, maker)
                if maker.rows[around].place in {"H5", "Z1"}:
                    period.places = [(d, i) for d, i in period.places if d != start]
                    period.tidy()
                break
        while True:
            # Any stretch of H5 or Z1 still going after 31 March 2025, whether it runs across the
            # day or starts after it (a return from a hub stay to the placement before it).
            offending = [(start, end, index) for start, end, index in _runs(period)
                         if maker.rows[index].place in {"H5", "Z1"} and end > LAST_OLD_CODE_DAY]
            if not offending:
                break
            start, end, index = offending[0]
            placement = maker.rows[index]
            on = max(start, LAST_OLD_CODE_DAY)
            if placement.place == "H5":
                new = maker.registered(placement, on)
                new.move_reason = "PLACE" if new.carer == placement.carer else "CLOSE"
            else:
                age = age_on(people[period.person].dob, on)
                ls = period.ls_on(on)
                group = care.choose_group(age, ls, period.route, people[period.person].uasc, False)
                group = group if group != "other" else "in_house_fostering"
                new = maker.make(group, on, age, ls, people[period.person].home_post)
                new.move_reason = "CLOSE"  # unregistered provision closed by the 2025 change
            period.places = [(d, new.index if (i == index and d > LAST_OLD_CODE_DAY) else i)
                             for d, i in period.places]
            if start <= LAST_OLD_CODE_DAY:
                period.places.append((LAST_OLD_CODE_DAY, new.index))
            period.tidy()


def fix_temporaries(care: CareHistory, maker: PlacementMaker) -> None:
    """A temporary placement sits between two stretches of the same placement, with no change of
    legal status around it, and a period does not end in one (DfE rules 380, 381, 383)."""
    for period in care.periods:
        changed = True
        while changed:
            changed = False
            entries = period.places
            for k, (d, index) in enumerate(entries):
                if not maker.rows[index].temporary:
                    continue
                before = entries[k - 1] if k > 0 else None
                after = entries[k + 1] if k + 1 < len(entries) else None
                ok = before is not None and not maker.rows[before[1]].temporary
                if after is None:
                    ok = ok and period.is_open
                else:
                    ok = ok and after[1] == before[1] and not any(d <= x <= after[0] for x, _ in period.ls)
                    place, days = maker.rows[index].place, after[0] - d
                    ok = ok and days <= {"T1": 42, "T3": 21, "T4": 7}.get(place, 60)
                if not ok:
                    period.places = entries[:k] + entries[k + 1:]
                    period.tidy()
                    changed = True
                    break


def fix_adoption_carers(care: CareHistory, maker: PlacementMaker) -> None:
    """Placed for adoption with the current foster carers (A3, A5) only straight from those carers'
    placement: where an edit (a hub stay, a swap) put someone else in between, the placement is
    with new adopters (A4, A6). The DfE's rule 217 wants A3 and A5 to start with RNE S, T or U."""
    for period in care.periods:
        for k, (_, index) in enumerate(period.places):
            placement = maker.rows[index]
            if placement.place in {"A3", "A5"} and k and maker.rows[period.places[k - 1][1]].carer != placement.carer:
                placement.place = "A4" if placement.place == "A3" else "A6"


def fix_postcodes(care: CareHistory, maker: PlacementMaker) -> None:
    """Two different placements in a row must differ in PLACE, PLACE_PROVIDER, PL_POST or URN,
    or the 903 would read the move as no move at all: a second carer from the same agency at the
    same postcode is given the next postcode along in the district (two back-to-back stays in one
    hub merge). And only a child placed with parents (P1) is placed at their home postcode (DfE
    rule 392d): a foster carer in the child's own postcode is moved to the next one along."""
    people = care.people.rows
    for period in care.periods:
        home = people[period.person].home_post
        for _, index in period.places:
            placement = maker.rows[index]
            if placement.place != "P1" and home and placement.pl_post == home:
                placement.pl_post = places.next_postcode(home)
        k = 1
        while k < len(period.places):
            previous, current = maker.rows[period.places[k - 1][1]], maker.rows[period.places[k][1]]
            if previous.identity != current.identity:
                k += 1
                continue
            if previous.stay is not None and current.stay is not None:
                period.places[k] = (period.places[k][0], previous.index)
                period.tidy()
                continue
            current.pl_post = places.next_postcode(current.pl_post)
            if current.pl_post == home and current.place != "P1":
                current.pl_post = places.next_postcode(current.pl_post)
            k += 1


def cut(care: CareHistory, maker: PlacementMaker, rng: np.random.Generator) -> list[EpisodeRow]:
    """One 903 episode per stretch of one legal status and one placement, period by period."""
    people = care.people.rows
    rows: list[EpisodeRow] = []
    for person_index in sorted(care.by_person):
        person = people[person_index]
        for period_index in care.by_person[person_index]:
            period = care.periods[period_index]
            days = sorted({d for d, _ in period.ls} | {d for d, _ in period.places})
            stretches = []
            for k, d in enumerate(days):
                stretches.append((d, days[k + 1] if k + 1 < len(days) else None, period.ls_on(d), period.place_on(d)))
            first = len(rows)
            for k, (decom, dec, ls, index) in enumerate(stretches):
                placement = maker.rows[index]
                if k == 0:
                    rne = "S"
                else:
                    before = rows[-1]
                    previous = maker.rows[stretches[k - 1][3]]
                    ls_changed = ls != before.ls
                    moved = placement.identity != previous.identity
                    same_carer = placement.carer == previous.carer
                    if ls_changed and not moved:
                        rne = "L"
                    elif moved and not ls_changed:
                        rne = "T" if same_carer else "P"
                    elif moved:
                        rne = "U" if same_carer else "B"
                    else:
                        raise AssertionError(f"episode {decom} of period {period.index} changes nothing")
                rows.append(EpisodeRow(
                    person=person_index, period=period_index, decom=decom, dec=dec, rne=rne, ls=ls, cin=period.cin,
                    place=placement.place, place_provider=placement.provider_code, rec="", reason_place_change="",
                    home_post=person.home_post, pl_post=placement.pl_post, urn=placement.urn,
                    provider=placement.provider, in_area=placement.in_area, regulated=placement.regulated,
                    weekly_cost=placement.weekly_cost, stay=placement.stay,
                ))
            episodes = rows[first:]
            for k, episode in enumerate(episodes):
                if k + 1 < len(episodes):
                    following = episodes[k + 1]
                    episode.rec = "X1"
                    if following.rne in {"P", "T", "B", "U"} and episode.place[0] != "T" \
                            and following.place[0] != "T":
                        incoming = maker.rows[stretches[k + 1][3]]
                        if incoming.move_reason:
                            episode.reason_place_change = incoming.move_reason
                        elif following.place == "R5":
                            episode.reason_place_change = "CUSTOD"
                        elif following.rne in {"T", "U"}:
                            episode.reason_place_change = "PLACE"
                        else:
                            episode.reason_place_change = MOVE_REASONS[pick(rng, MOVE_REASON_WEIGHTS)]
                elif not period.is_open:
                    episode.dec = period.end
                    episode.rec = period.rec
    return rows


__all__ = ["EpisodeRow", "cut", "fix_adoption_carers", "fix_code_years", "fix_postcodes", "fix_temporaries",
           "rebalance"]
