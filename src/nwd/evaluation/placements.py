"""What each care episode counts as: its placement group, and whether it began a placement move.

Both are worked out for every episode at once from the episodes sorted by young person and DECOM,
because both depend on the episodes around each one: a temporary placement (T0-T4) takes the group
of the placement around it (``nwd.codelists.groups`` leaves that to whoever counts), and a return from
a temporary placement to the placement before it is not a move.
"""

from __future__ import annotations

import numpy as np

from nwd.codelists.codes import TEMPORARY_PLACE
from nwd.codelists.groups import RESIDENTIAL_GROUPS, PlacementGroup, placement_group

# RNE codes that mean the placement changed (P, T, B, U); S starts care and L is legal status only.
MOVE_RNE = frozenset({"P", "T", "B", "U"})
RESIDENTIAL = frozenset(g.value for g in RESIDENTIAL_GROUPS)


def _sorted(young_person_id: np.ndarray, decom: np.ndarray) -> bool:
    if len(decom) < 2:
        return True
    same = young_person_id[1:] == young_person_id[:-1]
    return bool(np.all((young_person_id[1:] > young_person_id[:-1]) | (same & (decom[1:] >= decom[:-1]))))


def episode_groups(young_person_id, period_id, place, place_provider) -> np.ndarray:
    """The placement group of each episode (as text), temporary placements folded in.

    A temporary placement takes the group of the episode before it in the same period of care, or
    failing that the one after it; alone in its period it is "other". Episodes must be sorted by
    young person and DECOM (``nwd.evaluation.queries.load`` sorts them).
    """
    n = len(place)
    pairs = {}
    groups = np.empty(n, dtype=object)
    temporary = np.zeros(n, dtype=bool)
    for i in range(n):
        key = (place[i], place_provider[i])
        if key not in pairs:
            group = placement_group(place[i], place_provider[i])
            pairs[key] = group.value if group is not None else None
        groups[i] = pairs[key]
        temporary[i] = groups[i] is None
    if not temporary.any():
        return groups
    index = np.arange(n)
    known = np.where(~temporary, index, -1)
    before = np.maximum.accumulate(known)  # last known episode at or before i
    known_rev = np.where(~temporary, index, n)
    after = np.minimum.accumulate(known_rev[::-1])[::-1]  # first known episode at or after i
    for i in np.flatnonzero(temporary):
        j = before[i]
        if j >= 0 and period_id[j] == period_id[i]:
            groups[i] = groups[j]
            continue
        k = after[i]
        groups[i] = groups[k] if k < n and period_id[k] == period_id[i] else PlacementGroup.OTHER.value
    return groups


def placement_moves(young_person_id, period_id, decom, rne, place, place_provider, urn) -> np.ndarray:
    """True for each episode that began a placement move.

    A move is an episode whose RNE says the placement changed (P, T, B or U) and that follows an
    earlier episode of the same period of care. Not moves: the first episode of a period (that is an
    entry to care), a move into a temporary placement, and the return from a temporary placement to
    the placement held before it (same PLACE, provider and URN). Episodes must be sorted.
    """
    if not _sorted(young_person_id, decom):
        raise ValueError("Episodes must be sorted by young person and DECOM.")
    n = len(rne)
    moves = np.zeros(n, dtype=bool)
    if n < 2:
        return moves
    temporary = np.array([p in TEMPORARY_PLACE for p in place], dtype=bool)
    changed = np.array([r in MOVE_RNE for r in rne], dtype=bool)
    same_period = np.r_[False, period_id[1:] == period_id[:-1]]
    moves = changed & same_period & ~temporary
    # The return from a temporary placement to the placement before it.
    prev_temp = np.r_[False, temporary[:-1]]
    two_back_same_period = np.r_[False, False, period_id[2:] == period_id[:-2]]
    same_place = np.r_[
        False,
        False,
        (place[2:] == place[:-2]) & (place_provider[2:] == place_provider[:-2]) & (urn[2:] == urn[:-2]),
    ]
    returning = same_period & prev_temp & two_back_same_period & same_place
    return moves & ~returning
