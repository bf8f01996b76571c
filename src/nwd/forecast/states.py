"""The forecast's state space: who can be where, and the columns flows are counted in.

A child under 18 is in one of eleven states: looked after in one of the ten placement groups of
``nwd.codelists.groups`` (the pair PLACE x PLACE_PROVIDER decides the group and with it the cost), or
supported at home by the service (the edge-of-care state the service exists to keep children in).
"Not looked after" is the outside: entrants come from it and exits go to it, so it needs no count.
Care leavers (18 to 20) are counted apart, because they only age: nobody moves them between states.

Flows out of a state are split into destination columns: the eleven states, then two ways of
leaving care. A planned return home (REC E4A) has its own column because the service promises more
of them; every other reason care ends (adoption, special guardianship, independent living...) is
one column, since none of them costs the council a placement afterwards.
"""

from __future__ import annotations

from nwd.codelists.groups import GROUP_LABELS, RESIDENTIAL_GROUPS, PlacementGroup

GROUPS: tuple[PlacementGroup, ...] = tuple(PlacementGroup)
N_GROUPS = len(GROUPS)
GROUP_INDEX = {group: index for index, group in enumerate(GROUPS)}

AT_HOME = N_GROUPS  # supported by the service at home
N_STATES = N_GROUPS + 1
RETURNED_HOME = N_STATES  # left care: planned return home (REC E4A)
LEFT_CARE = N_STATES + 1  # left care for any other reason; from AT_HOME: the service's support ended
N_COLUMNS = N_STATES + 2

STATE_NAMES: tuple[str, ...] = tuple(g.value for g in GROUPS) + ("at_home",)
STATE_LABELS: tuple[str, ...] = tuple(GROUP_LABELS[g] for g in GROUPS) + ("Supported at home by the service",)
COLUMN_NAMES: tuple[str, ...] = STATE_NAMES + ("returned_home", "left_care")

MAX_AGE = 17  # looked-after children are under 18
N_AGES = MAX_AGE + 1
CARE_LEAVER_AGES = (18, 20)  # counted (and costed) until the 21st birthday

DAYS_PER_YEAR = 365.25

# The step-down effect: from these placements, toward family and community settings.
STEP_DOWN_FROM = tuple(GROUP_INDEX[g] for g in GROUPS if g in RESIDENTIAL_GROUPS and g != PlacementGroup.SECURE)
FAMILY_SETTINGS = tuple(
    GROUP_INDEX[g]
    for g in (
        PlacementGroup.KINSHIP_FOSTERING,
        PlacementGroup.IN_HOUSE_FOSTERING,
        PlacementGroup.AGENCY_FOSTERING,
        PlacementGroup.SUPPORTED,
        PlacementGroup.WITH_PARENTS,
    )
) + (RETURNED_HOME,)

# How a stretch of care in one state ends, in the histories built from episodes.
MOVED = 0  # to another placement group, the same day
ENDED_RETURNED_HOME = 1  # care ended: planned return home (E4A)
ENDED_OTHER = 2  # care ended for another reason
CENSORED = 3  # still open, or the record stops without saying how (no event counted)

END_COLUMN = {ENDED_RETURNED_HOME: RETURNED_HOME, ENDED_OTHER: LEFT_CARE}

# Destination bands: where a child goes when they move is pooled over these ages (hazards are by
# single year of age). A band never straddles the start of the service's ages: see ``split_bands``.
DEFAULT_BANDS: tuple[tuple[int, int], ...] = ((0, 4), (5, 9), (10, 11), (12, 15), (16, 17))


def split_bands(bands: tuple[tuple[int, int], ...], at: int) -> tuple[tuple[int, int], ...]:
    """The bands with any band holding both ``at - 1`` and ``at`` cut in two at ``at``.

    Why: the service changes destinations for its ages only, so the ages it serves must be whole
    bands.
    """
    out: list[tuple[int, int]] = []
    for low, high in bands:
        if low < at <= high:
            out += [(low, at - 1), (at, high)]
        else:
            out.append((low, high))
    return tuple(out)


def check_bands(bands: tuple[tuple[int, int], ...]) -> None:
    """Raise ValueError unless the bands cover ages 0 to 17 once each, in order."""
    expected = 0
    for low, high in bands:
        if low != expected or high < low:
            raise ValueError(
                f"age bands must run from 0 to {MAX_AGE} without gaps or overlaps; "
                f"({low}, {high}) does not follow on from age {expected - 1}"
            )
        expected = high + 1
    if expected != N_AGES:
        raise ValueError(f"age bands must end at {MAX_AGE}; they end at {expected - 1}")


def band_of_age(bands: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """For each age 0..17, the index of its band."""
    check_bands(bands)
    return tuple(b for b, (low, high) in enumerate(bands) for _ in range(low, high + 1))
