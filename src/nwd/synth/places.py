"""Places and organisations: hub towns, postcodes, provider and partner names.

Towns and postcodes are real places (a place is not a person, and the DfE looks the 903's postcodes
up: ``nwd.synth.postcodes`` says where they come from); every organisation name is made up from
word lists so that no provider, school or team in the county is a real one.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from nwd.synth import postcodes

# (hub name, town): the first two are the council's own (domain: Breckland at Dereham, Norwich).
HUB_TOWNS = (
    ("Breckland hub", "Dereham"), ("Norwich hub", "Norwich"), ("West Norfolk hub", "King's Lynn"),
    ("Yarmouth hub", "Great Yarmouth"), ("Thetford hub", "Thetford"), ("North Norfolk hub", "Cromer"),
    ("Swaffham hub", "Swaffham"), ("Wymondham hub", "Wymondham"), ("Diss hub", "Diss"),
    ("North Walsham hub", "North Walsham"), ("Fakenham hub", "Fakenham"),
    ("Downham Market hub", "Downham Market"), ("Attleborough hub", "Attleborough"),
    ("Aylsham hub", "Aylsham"), ("Hunstanton hub", "Hunstanton"), ("Sheringham hub", "Sheringham"),
    ("Watton hub", "Watton"), ("Holt hub", "Holt"), ("Long Stratton hub", "Long Stratton"),
    ("Acle hub", "Acle"), ("Loddon hub", "Loddon"), ("Harleston hub", "Harleston"),
    ("Hingham hub", "Hingham"), ("Reepham hub", "Reepham"), ("Stalham hub", "Stalham"),
)

# Postcode districts in the council's area (brief: NR1..NR35, PE30..PE38, IP20..IP26; NR32 and NR33,
# Lowestoft, are in Suffolk and left out).
IN_AREA_DISTRICTS = tuple(postcodes.IN_AREA)
# Each of the first two hubs serves its side of the county; further hubs share them out.
BRECKLAND_SIDE = ("NR19", "NR20", "NR9", "NR16", "NR17", "NR18", "IP24", "IP25", "IP26", "IP22", "PE30",
                  "PE31", "PE32", "PE33", "PE34", "PE35", "PE36", "PE37", "PE38", "NR21", "NR22", "NR23")
HUB_DISTRICT = {"Dereham": "NR19", "Norwich": "NR3"}
# Districts beyond the county where out-of-area placements are.
OUT_OF_AREA_DISTRICTS = tuple(postcodes.OUT_OF_AREA)

_ADJECTIVES = (
    "Oak", "Willow", "Beech", "Cedar", "Rowan", "Hazel", "Maple", "Elm", "Birch", "Ash", "Holly",
    "Meadow", "River", "Harbour", "Heath", "Brook", "Field", "Orchard", "Bridge", "Hill", "Valley",
    "Marsh", "Fen", "Broad", "Lark", "Wren", "Kestrel", "Heron", "Swan", "Otter", "Linden", "Alder",
    "Juniper", "Bramble", "Clover", "Heather", "Moss", "Fern", "Sorrel", "Thistle",
)
_HOME_NOUNS = ("House", "Lodge", "View", "Lea", "Court", "Grange", "Cottage", "Place", "Barn", "Mews")
_COMPANY_NOUNS = ("Care", "Childcare", "Pathways", "Futures", "Horizons", "Homes", "Support", "Care Group",
                  "Young People's Services", "Residential Care")
_AGENCY_NOUNS = ("Fostering", "Foster Care", "Family Placements", "Fostering Services", "Foster Families")
_CHARITY_NOUNS = ("Trust", "Children's Charity", "Foundation", "Young People's Trust", "Housing Association")
_SCHOOL_NOUNS = ("Academy", "High School", "School", "College", "Community School")
_COUNCIL_PLACES = ("Eastmarsh", "Westfen", "Northwold", "Southbrook", "Highmere", "Lowfield", "Ashwold",
                   "Oakmere", "Fenwick", "Brackenshire", "Wolding", "Marshland", "Harrowdale", "Kestrelby")


def _pick(rng: np.random.Generator, values):
    return values[int(rng.integers(len(values)))]


class NameBook:
    """Made-up organisation names, never the same twice."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        for _ in range(200):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        n = 2
        base = make()
        while f"{base} {n}" in self.used:
            n += 1
        self.used.add(f"{base} {n}")
        return f"{base} {n}"

    def home(self, owner: str | None = None) -> str:
        home = self._unique(lambda: f"{_pick(self.rng, _ADJECTIVES)} {_pick(self.rng, _HOME_NOUNS)}")
        return f"{home} ({owner})" if owner else home

    def company(self) -> str:
        return self._unique(lambda: f"{_pick(self.rng, _ADJECTIVES)} {_pick(self.rng, _COMPANY_NOUNS)} Ltd")

    def agency(self) -> str:
        return self._unique(lambda: f"{_pick(self.rng, _ADJECTIVES)} {_pick(self.rng, _AGENCY_NOUNS)}")

    def charity(self) -> str:
        return self._unique(lambda: f"{_pick(self.rng, _ADJECTIVES)} {_pick(self.rng, _CHARITY_NOUNS)}")

    def school(self) -> str:
        return self._unique(lambda: f"{_pick(self.rng, _ADJECTIVES)} {_pick(self.rng, _SCHOOL_NOUNS)}")

    def council(self) -> str:
        return self._unique(lambda: f"{_pick(self.rng, _COUNCIL_PLACES)} County Council")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def hub_districts(hub_index: int, n_hubs: int) -> tuple[str, ...]:
    """The postcode districts of the part of the county a hub serves (all of it for a lone hub)."""
    if n_hubs == 1:
        return IN_AREA_DISTRICTS
    if n_hubs == 2:
        west = BRECKLAND_SIDE
        return west if hub_index == 0 else tuple(d for d in IN_AREA_DISTRICTS if d not in west)
    share = tuple(d for i, d in enumerate(IN_AREA_DISTRICTS) if i % n_hubs == hub_index % len(IN_AREA_DISTRICTS))
    return share or IN_AREA_DISTRICTS


def district_for_hub(hub_index: int, n_hubs: int, rng: np.random.Generator) -> str:
    """A postcode district in the part of the county a hub serves."""
    return _pick(rng, hub_districts(hub_index, n_hubs))


def district_of(postcode: str) -> str:
    """A postcode's district (outward code): "NR19 1BT" -> "NR19"."""
    return postcode.split(" ", 1)[0]


def is_in_area(postcode: str) -> bool:
    """Whether a postcode is in the council's area."""
    return district_of(postcode) in postcodes.IN_AREA


def _pool(district: str) -> tuple[str, ...]:
    return postcodes.IN_AREA.get(district) or postcodes.OUT_OF_AREA[district]


def postcode_in(district: str, rng: np.random.Generator) -> str:
    """A postcode of a district."""
    return _pick(rng, _pool(district))


def any_postcode(in_area: bool, rng: np.random.Generator) -> str:
    """A postcode in the council's area, or out of it: a district at random, then a postcode in it."""
    return postcode_in(_pick(rng, IN_AREA_DISTRICTS if in_area else OUT_OF_AREA_DISTRICTS), rng)


def postcode_for_hub(hub_index: int, n_hubs: int, rng: np.random.Generator) -> str:
    """A home postcode in the part of the county a hub serves."""
    return postcode_in(district_for_hub(hub_index, n_hubs, rng), rng)


def next_postcode(postcode: str) -> str:
    """Another postcode of the same district: the next one along (a neighbouring street)."""
    pool = _pool(district_of(postcode))
    return pool[(pool.index(postcode) + 1) % len(pool)] if postcode in pool else pool[0]
