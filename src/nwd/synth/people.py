"""The young people: one table for every child the county's records name (decision 0001).

A person is made with what the generator needs to know at once (date of birth, sex, whether an
unaccompanied asylum-seeking child) and given a name, identifiers and a home postcode at the same
time, so that every row is complete however the person came into the county. (Whether a girl in care
is a mother, the 903's MOTHER and MC_DOB, is drawn once her care is known: ``nwd.synth.outcomes``.)

Unique pupil numbers: a child under school age has none and is recorded UN1, as the 903 asks (at
as-of: the DfE's rule 209 allows UN1 while the child was not 4 by the 31 August before the year);
an unaccompanied child who has never been to a state school in England is UN2; a few others are
UN5 (the sources that collate UPNs hold none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from nwd.synth import names, places
from nwd.synth.timeline import birthday, day, pick

# ETHNIC shares (England's looked-after children, leaning to a mostly White British county).
ETHNIC = ("WBRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
          "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")
ETHNIC_SHARES = (0.79, 0.045, 0.005, 0.01, 0.025, 0.01, 0.012, 0.025, 0.003, 0.003, 0.002, 0.005,
                 0.005, 0.012, 0.004, 0.002, 0.01, 0.003, 0.025)
UASC_ETHNIC = ("AOTH", "BAFR", "OOTH", "BOTH", "MOTH")
UASC_ETHNIC_SHARES = (0.36, 0.34, 0.2, 0.05, 0.05)


@dataclass(slots=True)
class PersonPlan:
    index: int
    dob: int
    sex: str  # M or F here; written as the 903's 1 or 2 (casework.choices.Sex)
    given_name: str
    family_name: str
    preferred_name: str
    gender: str
    ethnicity: str
    disability: bool
    uasc: bool
    home_post: str
    upn: str
    nhs_number: str
    uasc_ceased: int | None = None
    restricted: bool = False
    mother: bool | None = None  # MOTHER: asked of looked-after girls (nwd.synth.outcomes.mothers)
    mother_child_dob: int | None = None  # MC_DOB
    hub: int | None = None  # the hub whose area the young person lives in, for service young people


class People:
    def __init__(self, rng: np.random.Generator, n_hubs: int, as_of: int) -> None:
        self.rng = rng
        self.n_hubs = n_hubs
        self.rows: list[PersonPlan] = []
        self.upns: set[str] = set()
        # The DfE's rule 209: UN1 only for a child not yet 4 on the 31 August before the collection
        # year; the latest year the county is returned in is the one as-of falls in.
        as_of_date = day(as_of)
        year = as_of_date.year if as_of_date.month >= 4 else as_of_date.year - 1
        self.school_age_cutoff = dt.date(year - 1, 8, 31).toordinal()

    def add(self, dob: int, uasc: bool = False, hub: int | None = None, male_share: float = 0.54) -> PersonPlan:
        rng = self.rng
        male = rng.random() < (0.92 if uasc else male_share)
        sex = "M" if male else "F"
        given, family, preferred = names.person_name(rng, sex)
        gender_draw = rng.random()
        if gender_draw < 0.015:
            gender = "non_binary"
        elif gender_draw < 0.02:
            gender = "other"
        elif gender_draw < 0.05:
            gender = "not_stated"
        else:
            gender = "boy" if male else "girl"
        if uasc:
            ethnicity = UASC_ETHNIC[pick(rng, UASC_ETHNIC_SHARES)]
            home_post = ""
        else:
            ethnicity = ETHNIC[pick(rng, ETHNIC_SHARES)]
            if hub is None:
                hub = int(rng.integers(self.n_hubs))
            home_post = places.postcode_for_hub(hub, self.n_hubs, rng)
        upn = self._upn(dob, uasc)
        nhs = names.nhs_number(rng) if rng.random() < (0.6 if uasc else 0.93) else ""
        person = PersonPlan(
            index=len(self.rows), dob=dob, sex=sex, given_name=given, family_name=family,
            preferred_name=preferred, gender=gender, ethnicity=ethnicity,
            disability=bool(rng.random() < 0.09), uasc=uasc, home_post=home_post, upn=upn, nhs_number=nhs,
            hub=hub,
        )
        self.rows.append(person)
        return person

    def _upn(self, dob: int, uasc: bool) -> str:
        rng = self.rng
        if birthday(dob, 4) > self.school_age_cutoff:
            return "UN1"  # not of school age
        if rng.random() >= (0.6 if uasc else 0.97):
            return "UN2" if uasc else "UN5"
        while True:
            upn = names.upn(rng, day(dob).year + 5)
            if upn not in self.upns:
                self.upns.add(upn)
                return upn

    def child_ids(self) -> list[str]:
        """Council child ids: six-digit numbers in no particular order, one per person."""
        n = len(self.rows)
        numbers = self.rng.choice(900_000, size=n, replace=False) + 100_000 if n <= 900_000 else np.arange(n)
        return [str(int(v)) for v in numbers]
