"""Placement groups: the ten kinds of placement the forecast, the costs and the reports count by.

A 903 placement is a PLACE code with a PLACE_PROVIDER; what it costs and how long children stay
depends mostly on the pair (a children's home run by the council costs about half a private one).
This is the one place the pair is mapped to a group. Temporary placements (T0-T4) have no group of
their own: whoever counts folds them into the placement around them.
"""

from __future__ import annotations

from enum import StrEnum

from nwd.codelists.codes import TEMPORARY_PLACE


class PlacementGroup(StrEnum):
    KINSHIP_FOSTERING = "kinship_fostering"
    IN_HOUSE_FOSTERING = "in_house_fostering"
    AGENCY_FOSTERING = "agency_fostering"
    IN_HOUSE_RESIDENTIAL = "in_house_residential"
    PRIVATE_RESIDENTIAL = "private_residential"
    SECURE = "secure"
    SUPPORTED = "supported"
    WITH_PARENTS = "with_parents"
    ADOPTION = "adoption"
    OTHER = "other"

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]


GROUP_LABELS = {
    PlacementGroup.KINSHIP_FOSTERING: "Kinship fostering",
    PlacementGroup.IN_HOUSE_FOSTERING: "In-house fostering",
    PlacementGroup.AGENCY_FOSTERING: "Independent fostering agency",
    PlacementGroup.IN_HOUSE_RESIDENTIAL: "In-house residential",
    PlacementGroup.PRIVATE_RESIDENTIAL: "Private or voluntary residential",
    PlacementGroup.SECURE: "Secure",
    PlacementGroup.SUPPORTED: "Supported or semi-independent",
    PlacementGroup.WITH_PARENTS: "Placed with parents",
    PlacementGroup.ADOPTION: "Placed for adoption",
    PlacementGroup.OTHER: "Other",
}

PUBLIC_PROVIDERS = frozenset({"PR1", "PR2", "PR3"})
RESIDENTIAL_PLACE = frozenset({"K2", "R1", "S1"})
RESIDENTIAL_GROUPS = frozenset(
    {PlacementGroup.IN_HOUSE_RESIDENTIAL, PlacementGroup.PRIVATE_RESIDENTIAL, PlacementGroup.SECURE}
)


def placement_group(place: str, provider: str | None) -> PlacementGroup | None:
    """The group of a PLACE and PLACE_PROVIDER pair; None for a temporary placement (T0-T4).

    A missing or unknown provider is read as the commoner, cheaper case: public for fostering and
    residential care. Unknown PLACE codes are "other", never an error: the checker reports them.
    """
    place = (place or "").strip().upper()
    provider = (provider or "").strip().upper()
    public = provider in PUBLIC_PROVIDERS or provider == ""
    if place in TEMPORARY_PLACE:
        return None
    if place in {"U1", "U2", "U3"}:
        return PlacementGroup.KINSHIP_FOSTERING
    if place in {"U4", "U5", "U6"}:
        return PlacementGroup.IN_HOUSE_FOSTERING if public else PlacementGroup.AGENCY_FOSTERING
    if place in RESIDENTIAL_PLACE:
        return PlacementGroup.IN_HOUSE_RESIDENTIAL if public else PlacementGroup.PRIVATE_RESIDENTIAL
    if place == "Z11":
        return PlacementGroup.PRIVATE_RESIDENTIAL
    if place in {"K1", "R5"}:
        return PlacementGroup.SECURE
    if place in {"H5", "K3", "P2", "Z12"}:
        return PlacementGroup.SUPPORTED
    if place == "P1":
        return PlacementGroup.WITH_PARENTS
    if place in {"A3", "A4", "A5", "A6"}:
        return PlacementGroup.ADOPTION
    return PlacementGroup.OTHER
