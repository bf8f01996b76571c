"""Placements and the providers that run them: PLACE and PLACE_PROVIDER codes, URNs, costs, areas.

A placement is made for a placement group (kinship fostering, a private children's home...) on a
day, and gets codes valid in that day's collection year: registered supported accommodation is K3
from April 2024 (H5 before), and from April 2025 unregistered placements are Z11-Z14 instead of Z1
(``split_for_code_years`` recodes a placement that runs across the change). The provider's code,
the Ofsted URN (blank where Ofsted registers nothing), the placement's postcode and its weekly cost
follow from the group, so each episode is correct by construction; the tests prove it.

Registered supported accommodation (K3) is always in the council's area: the DfE validator compares
the local authority of a K3 placement that has an Ofsted URN with the council's own (its rule 241;
see docs/ssda903.md), so an out-of-area K3 placement, which a council may well make, would be an
error there. Out-of-area supported accommodation is H5 (until March 2025) or unregistered (Z12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from nwd.synth import params, places
from nwd.synth.timeline import YEAR

K3_FROM = dt.date(2024, 4, 1).toordinal()  # registered supported accommodation (K3) from 2024-25
NEW_UNREGISTERED_FROM = dt.date(2025, 4, 1).toordinal()  # Z11-Z14 replace H5, P2 and Z1 in 2025-26
LAST_OLD_CODE_DAY = NEW_UNREGISTERED_FROM - 1  # H5 and Z1 must have ended by 31 March 2025
ADOPTION_AGENCY_URN = "XXXXXXX"  # the 903's URN for a regional adoption agency
NO_URN = frozenset({"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"})


@dataclass(slots=True)
class ProviderPlan:
    index: int
    name: str
    code: str  # PLACE_PROVIDER
    urn: str
    in_area: bool
    regulated: bool
    postcode: str
    kind: str


@dataclass(slots=True)
class PlacementPlan:
    index: int
    group: str
    place: str
    provider_code: str
    provider: int | None
    urn: str
    pl_post: str
    in_area: bool
    regulated: bool
    weekly_cost: float | None
    carer: int  # who cares for the child: the same carer across two placements makes RNE T or U
    temporary: bool = False
    stay: int | None = None  # the hub stay this placement records
    move_reason: str = ""  # REASON_PLACE_CHANGE for the move into this placement, when it is known

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What the 903 checker compares to see whether the placement changed."""
        return (self.place, self.provider_code, self.pl_post, self.urn)


def _urn(rng: np.random.Generator) -> str:
    return str(int(rng.integers(1_000_000, 10_000_000)))


class Providers:
    """The county's providers: its own services and homes, other councils, private and voluntary ones."""

    def __init__(self, scale: float, rng: np.random.Generator, book: places.NameBook) -> None:
        self.rng = rng
        self.rows: list[ProviderPlan] = []
        self.by_kind: dict[str, list[int]] = {}
        self._choices: dict[tuple[str, bool | None], list[int]] = {}
        n = max(1.0, scale)

        def add(kind: str, name: str, code: str, in_area: bool = True, regulated: bool = True,
                urn: str | None = None) -> int:
            row = ProviderPlan(len(self.rows), name, code, _urn(rng) if urn is None else urn, in_area, regulated,
                               places.any_postcode(in_area, rng), kind)
            self.rows.append(row)
            self.by_kind.setdefault(kind, []).append(row.index)
            return row.index

        add("fostering_own", "County Council fostering service", "PR1")
        add("adoption_own", "Regional adoption agency", "PR1", urn=ADOPTION_AGENCY_URN)
        for _ in range(max(1, round(3 * scale))):
            add("home_own", book.home(), "PR1")
        for _ in range(max(1, round(2 * scale))):
            add("supported_own", f"{book.home()} supported flats", "PR1")
        for _ in range(max(2, round(5 * scale))):
            council = book.council()
            add("council", council, "PR2", in_area=False)
        for _ in range(max(1, round(3 * n))):
            add("secure", f"{book.home()} secure children's home", "PR2", in_area=rng.random() < 0.25)
        companies = [book.company() for _ in range(max(3, round(12 * scale)))]
        for _ in range(max(6, round(45 * scale))):
            owner = companies[int(rng.integers(len(companies)))]
            add("home_private", book.home(owner), "PR4",
                in_area=rng.random() >= params.OUT_OF_AREA["private_residential"])
        for _ in range(max(1, round(5 * scale))):
            add("home_voluntary", book.home(book.charity()), "PR5",
                in_area=rng.random() >= params.OUT_OF_AREA["private_residential"])
        for _ in range(max(2, round(8 * scale))):
            add("agency_private", book.agency(), "PR4", in_area=rng.random() < 0.6)
        for _ in range(max(1, round(2 * scale))):
            add("agency_voluntary", book.agency(), "PR5", in_area=rng.random() < 0.6)
        for _ in range(max(2, round(12 * scale))):
            add("supported_private", f"{book.home()} ({book.company()})", "PR4",
                in_area=rng.random() >= params.OUT_OF_AREA["supported"])
        for _ in range(max(1, round(4 * scale))):
            add("supported_voluntary", f"{book.home()} ({book.charity()})", "PR5",
                in_area=rng.random() >= params.OUT_OF_AREA["supported"])
        for _ in range(max(1, round(2 * scale))):
            add("unregistered", f"{book.home()} ({book.company()})", "PR4", regulated=False,
                in_area=rng.random() < 0.5)
        for _ in range(max(1, round(2 * scale))):
            add("adoption_voluntary", f"{book.charity()} adoption", "PR5")
        add("nhs", "Adolescent mental health unit", "PR3", in_area=rng.random() < 0.5)
        add("yoi", "Young offender institution", "PR3", in_area=False)
        add("family_centre", f"{book.home()} family centre", "PR5")
        add("school_private", f"{book.school()} (residential)", "PR4", in_area=False)
        self.hub_provider: dict[int, int] = {}

    def add_hub(self, hub_index: int, name: str, urn: str, postcode: str) -> int:
        row = ProviderPlan(len(self.rows), name, "PR1", urn, True, True, postcode, "hub")
        self.rows.append(row)
        self.by_kind.setdefault("hub", []).append(row.index)
        self._choices.clear()
        self.hub_provider[hub_index] = row.index
        return row.index

    def pick(self, kind: str, in_area: bool | None = None) -> ProviderPlan:
        """A provider of a kind, in the council's area or out of it when that is asked and there is one."""
        key = (kind, in_area)
        choices = self._choices.get(key)
        if choices is None:
            choices = self.by_kind[kind]
            if in_area is not None:
                choices = [i for i in choices if self.rows[i].in_area == in_area] or choices
            self._choices[key] = choices
        return self.rows[choices[int(self.rng.integers(len(choices)))]]


class PlacementMaker:
    """Makes placements that are right for the group, the day, the child's age and legal status."""

    def __init__(self, providers: Providers, rng: np.random.Generator, as_of: int) -> None:
        self.providers = providers
        self.rng = rng
        self.as_of = as_of
        self.rows: list[PlacementPlan] = []
        self._carer = 0

    def new_carer(self) -> int:
        self._carer += 1
        return self._carer

    def _postcode(self, in_area: bool) -> str:
        return places.any_postcode(in_area, self.rng)

    def _registered_supported(self, kind: str) -> ProviderPlan:
        """A provider of registered supported accommodation (K3) in the council's area (see above)."""
        provider = self.providers.pick(kind, True)
        return provider if provider.in_area else self.providers.pick("supported_own", True)

    def cost(self, group: str, on: int) -> float:
        median, sigma = params.WEEKLY_COST[group]
        years = (on - self.as_of) / YEAR
        value = median * float(np.exp(sigma * self.rng.standard_normal())) * (1 + params.COST_GROWTH) ** years
        return round(value, 2)

    def _add(self, **fields) -> PlacementPlan:
        row = PlacementPlan(index=len(self.rows), **fields)
        self.rows.append(row)
        return row

    def make(self, group: str, on: int, age: int, ls: str, home_post: str, long_term: bool = False,
             carer: int | None = None) -> PlacementPlan:
        """A new placement in ``group`` starting on ``on`` (an ordinal)."""
        rng = self.rng
        same_carer = carer is not None
        carer = self.new_carer() if carer is None else carer
        in_area = rng.random() >= params.OUT_OF_AREA[group]
        regulated = True
        provider: ProviderPlan | None = None
        if group == "kinship_fostering":
            place = "U1" if long_term else "U3"
            provider = self.providers.pick("fostering_own")
        elif group == "in_house_fostering":
            place = "U4" if long_term else "U6"
            provider = self.providers.pick("council") if rng.random() < 0.08 else self.providers.pick("fostering_own")
        elif group == "agency_fostering":
            place = "U4" if long_term else "U6"
            provider = self.providers.pick("agency_private" if rng.random() < 0.82 else "agency_voluntary")
        elif group == "in_house_residential":
            place = "K2"
            provider = self.providers.pick("home_own")
            in_area = provider.in_area
        elif group == "private_residential":
            draw = rng.random()
            if on >= NEW_UNREGISTERED_FROM and draw < 0.04:
                place, regulated = "Z11", False
                provider = self.providers.pick("unregistered")
            elif draw < 0.07:
                place = "S1"
                provider = self.providers.pick("school_private")
            elif draw < 0.09:
                place = "R1"
                provider = self.providers.pick("home_private")
            else:
                place = "K2"
                provider = self.providers.pick("home_voluntary" if draw > 0.92 else "home_private", in_area)
            in_area = provider.in_area
        elif group == "secure":
            if ls == "J1" and age >= 15 and rng.random() < 0.5:
                place = "R5"
                provider = self.providers.pick("yoi")
            else:
                place = "K1"
                provider = self.providers.pick("secure")
            in_area = provider.in_area
        elif group == "supported":
            unregistered = rng.random() < 0.15
            if on < K3_FROM:
                place, regulated = "H5", False
            elif not unregistered:
                place = "K3"
            elif on < NEW_UNREGISTERED_FROM:
                place, regulated = "H5", False
            else:
                place, regulated = "Z12", False
            kind = ("supported_own" if rng.random() < 0.15 else
                    "supported_private" if rng.random() < 0.78 else "supported_voluntary")
            if place == "K3":
                provider = self._registered_supported(kind)
            else:
                provider = self.providers.pick("unregistered" if place == "Z12" else kind, in_area)
            in_area = provider.in_area
        elif group == "with_parents":
            place = "P1"
        elif group == "adoption":
            # With a placement order (A5, A6) or consent (A3, A4); with the current foster carer
            # (A3, A5: the caller passes the foster carer) or not (A4, A6).
            by_order = ls in {"E1", "D1"}
            place = {(True, True): "A5", (True, False): "A6", (False, True): "A3", (False, False): "A4"}[
                (by_order, same_carer)]
            draw = rng.random()
            provider = self.providers.pick(
                "adoption_own" if draw < 0.7 else "adoption_voluntary" if draw < 0.9 else "council")
        else:  # other
            if age < 2 or (age >= 15 and rng.random() < 0.25):
                place = "R3"
                provider = self.providers.pick("family_centre")
            elif rng.random() < 0.3:
                place = "R2"
                provider = self.providers.pick("nhs")
            elif on >= NEW_UNREGISTERED_FROM:
                place, regulated = ("Z14", True) if rng.random() < 0.5 else ("Z13", False)
                provider = self.providers.pick("unregistered")
            else:
                place, regulated = "Z1", rng.random() < 0.5
                provider = self.providers.pick("unregistered")
            in_area = provider.in_area
        return self._finish(group, place, provider, on, in_area, regulated, home_post, carer)

    def _finish(self, group, place, provider, on, in_area, regulated, home_post, carer) -> PlacementPlan:
        code = "" if place in {"Z11", "Z12", "Z13", "Z14"} else ("PR0" if place == "P1" else provider.code)
        urn = "" if place in NO_URN else provider.urn
        if place == "P1":
            pl_post = home_post or self._postcode(True)
            in_area = places.is_in_area(pl_post)
        elif provider is not None and provider.kind.startswith(("home", "secure", "supported", "unregistered",
                                                                "nhs", "yoi", "family", "school", "hub")):
            pl_post = provider.postcode
        else:
            pl_post = self._postcode(in_area)
        return self._add(
            group=group, place=place, provider_code=code, provider=None if provider is None else provider.index,
            urn=urn, pl_post=pl_post, in_area=in_area, regulated=regulated,
            weekly_cost=self.cost(group, on), carer=carer,
        )

    def hub(self, hub_index: int, stay: int, on: int) -> PlacementPlan:
        """A looked-after young person's stay in a hub bed: K2, the council's own (PR1)."""
        provider = self.providers.rows[self.providers.hub_provider[hub_index]]
        row = self._finish("in_house_residential", "K2", provider, on, True, True, "", self.new_carer())
        row.stay = stay
        return row

    def temporary(self, on: int, days: int, around: PlacementPlan) -> PlacementPlan:
        """A temporary placement (T0-T4) inside ``around``: holiday cover, hospital, a short stay."""
        rng = self.rng
        if around.group in {"kinship_fostering", "in_house_fostering", "agency_fostering"} and days <= 21 \
                and rng.random() < 0.7:
            place = "T3"
        elif days <= 7 and rng.random() < 0.5:
            place = "T4"
        elif days <= 42 and rng.random() < 0.5:
            place = "T1"
        else:
            place = "T0"
        cost = None if place == "T1" else around.weekly_cost
        return self._add(
            group=around.group, place=place, provider_code="", provider=None, urn="",
            pl_post=self._postcode(rng.random() < 0.8), in_area=around.in_area, regulated=True,
            weekly_cost=cost, carer=self.new_carer(), temporary=True,
        )

    def registered(self, old: PlacementPlan, on: int) -> PlacementPlan:
        """Semi-independent accommodation (H5) still open on 31 March 2025 as registered supported
        accommodation (K3) from that day: H5 is not a code in 2025-26.

        In the council's area the provider registered: same carer and provider, so the new episode
        is RNE T (REASON_PLACE_CHANGE PLACE). Out of the area the young person moves to registered
        accommodation in the council's area (a new provider and carer: RNE P), as K3 is in area
        here (see above). (Z12, the unregistered alternative, cannot start before 1 April 2025, and
        an H5 episode ending on 1 April would be in the 2025-26 return.)
        """
        if old.in_area:
            return self._add(
                group=old.group, place="K3", provider_code=old.provider_code, provider=old.provider, urn=old.urn,
                pl_post=old.pl_post, in_area=True, regulated=True, weekly_cost=old.weekly_cost, carer=old.carer,
            )
        kind = self.providers.rows[old.provider].kind if old.provider is not None else "supported_private"
        provider = self._registered_supported(kind if kind.startswith("supported") else "supported_private")
        return self._add(
            group=old.group, place="K3", provider_code=provider.code, provider=provider.index, urn=provider.urn,
            pl_post=provider.postcode, in_area=True, regulated=True, weekly_cost=self.cost(old.group, on),
            carer=self.new_carer(),
        )

