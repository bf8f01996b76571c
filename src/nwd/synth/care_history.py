"""Periods of care for the county's looked-after children, ten years of them.

A period of care is drawn as a *route* (adoption, home, special guardianship, a child arrangements
order, staying until 18, or another ending) with a length, then filled in as two timelines: the
legal status from each day (``ls``) and the placement from each day (``places``). Episodes are cut
from the timelines later (``nwd.synth.episodes``), where each change of either becomes a new 903
episode with the RNE that says what changed. Keeping timelines rather than episodes makes the later
edits simple and safe: a hub stay is spliced into the placement timeline, a placement is swapped
for another, and the episodes are cut once, at the end.

The population is simulated from eighteen years before the history starts, so that the children
already in care ten years ago have the lengths of stay a steady flow gives them; only children
looked after at some time in the ten years are kept (with their whole history).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from nwd.synth import params
from nwd.synth.people import People, PersonPlan
from nwd.synth.placements import PlacementMaker, PlacementPlan
from nwd.synth.timeline import NEVER, YEAR, Timeline, age_on, birthday, day, pick

UASC_RISE = dt.date(2021, 12, 1).toordinal()  # the national transfer scheme became mandatory
OVERSAMPLE = 1.12  # entries drawn before calibration keeps the right share (see CareHistory.generate)
COURT_SHARE = (0.75, 0.72, 0.62, 0.45, 0.15)  # care proceedings (C1, C2) rather than section 20, by age band
FOSTERING = ("kinship_fostering", "in_house_fostering", "agency_fostering")


def age_band(age: int) -> int:
    for band, (low, high) in enumerate(params.ENTRY_AGE_BANDS):
        if low <= age < high:
            return band
    return len(params.ENTRY_AGE_BANDS) - 1


def placement_band(age: int) -> int:
    return 0 if age < 5 else 1 if age < 10 else 2 if age < 16 else 3


@dataclass(slots=True)
class PeriodPlan:
    index: int
    person: int
    start: int
    end: int  # the day the last episode ceased (DEC); NEVER while looked after at as-of
    rec: str  # why the period ended (REC); blank while open
    cin: str
    route: str
    ls: list[tuple[int, str]]  # (from day, legal status)
    places: list[tuple[int, int]]  # (from day, placement index)

    @property
    def is_open(self) -> bool:
        return self.end == NEVER

    def covers(self, on: int) -> bool:
        return self.start <= on < self.end

    def ls_on(self, on: int) -> str:
        days = [d for d, _ in self.ls]
        return self.ls[max(0, bisect_right(days, on) - 1)][1]

    def place_on(self, on: int) -> int:
        days = [d for d, _ in self.places]
        return self.places[max(0, bisect_right(days, on) - 1)][1]

    def tidy(self) -> None:
        """Sort both timelines, keep the last entry of a day, drop entries outside the period and
        entries that change nothing."""
        for name in ("ls", "places"):
            entries = sorted(getattr(self, name), key=lambda e: e[0])
            if not entries:
                continue
            kept: list[tuple[int, object]] = []
            for d, value in entries:
                if d < self.start or d >= self.end:
                    continue
                if kept and kept[-1][0] == d:
                    kept[-1] = (d, value)
                else:
                    kept.append((d, value))
            if not kept or kept[0][0] != self.start:
                first = next((v for d, v in entries if d <= self.start), entries[0][1])
                kept.insert(0, (self.start, first))
            deduped = [kept[0]]
            for d, value in kept[1:]:
                if value != deduped[-1][1]:
                    deduped.append((d, value))
            setattr(self, name, deduped)


@dataclass(slots=True)
class Sketch:
    start: int
    end: int  # planned end; beyond as-of means still looked after
    route: str
    remand: bool


class CareHistory:
    """Builds and holds every period of care in the county."""

    def __init__(self, timeline: Timeline, rng: np.random.Generator, people: People, maker: PlacementMaker,
                 scale: float) -> None:
        self.timeline = timeline
        self.rng = rng
        self.people = people
        self.maker = maker
        self.scale = scale
        self.periods: list[PeriodPlan] = []
        self.by_person: dict[int, list[int]] = {}

    # --- the population ---------------------------------------------------------------------

    def generate(self) -> None:
        """Children's periods of care, calibrated so that about LAC_TARGET are looked after at as-of.

        Entries are drawn a little more often than needed (OVERSAMPLE), each child's periods
        sketched (route and length only), and then exactly the right share of the children still
        in care at as-of is kept, with the same share of the others: the flow keeps its shape and
        the population at as-of lands on the target whatever the seed, instead of wandering by
        the hundred as the long stays of a few children come and go.
        """
        tl, rng = self.timeline, self.rng
        chains = []
        for entry in self._entry_days(tl.burn_in_start, tl.end, params.FIRST_ENTRIES_PER_YEAR * OVERSAMPLE):
            band = pick(rng, params.ENTRY_AGE_SHARES)
            low, high = params.ENTRY_AGE_BANDS[band]
            dob = entry - int(rng.integers(int(low * YEAR) + 1, int(high * YEAR) - 1))
            chain = self._chain(dob, entry, uasc=False)
            if chain is not None:
                chains.append((dob, chain, False))
        target = (params.LAC_TARGET - params.UASC_TARGET - params.LAC_THROUGH_SERVICE) * self.scale
        kept = self._calibrate(chains, target)
        uasc_chains = []
        for entry in self._uasc_days(birthday(tl.history_start, -4), tl.end):
            age = 13 + pick(rng, (0.04, 0.12, 0.3, 0.37, 0.17))
            dob = entry - int(rng.integers(int(age * YEAR) + 1, int((age + 1) * YEAR) - 1))
            chain = self._chain(dob, entry, uasc=True)
            if chain is not None:
                uasc_chains.append((dob, chain, True))
        kept += self._calibrate(uasc_chains, params.UASC_TARGET * self.scale)
        kept.sort(key=lambda c: (c[1][0].start, c[0]))
        for dob, chain, uasc in kept:
            person = self.people.add(dob, uasc=uasc)
            for sketch in chain:
                self.add_period(person, sketch, uasc=uasc)
            if uasc:
                self._uasc_ceased(person)

    def _calibrate(self, chains: list, target: float) -> list:
        """Keep round(target) of the chains still in care at as-of, and the same share of the rest."""
        rng, tl = self.rng, self.timeline
        still = [c for c in chains if c[1][-1].end > tl.end]
        left = [c for c in chains if c[1][-1].end <= tl.end]
        if len(still) <= target:
            return chains
        share = target / len(still)
        keep_still = rng.permutation(len(still))[: round(target)]
        keep_left = rng.permutation(len(left))[: round(share * len(left))]
        return [still[int(i)] for i in keep_still] + [left[int(i)] for i in keep_left]

    def _uasc_ceased(self, person: PersonPlan) -> None:
        """UASC status ends at 18 (DUC), or when an age assessment finds the young person an adult."""
        dob = person.dob
        eighteen = birthday(dob, 18)
        last = self.periods[self.by_person[person.index][-1]]
        if last.rec == "E15":
            person.uasc_ceased = last.end
        elif eighteen <= self.timeline.end:
            # On the 18th birthday; for a 29 February birthday the 28th, which is on or before
            # it however the birthday is counted (the 903 checker takes the 28th).
            person.uasc_ceased = eighteen - 1 if day(dob).month == 2 and day(dob).day == 29 else eighteen

    def _entry_days(self, first: int, last: int, per_year: float) -> list[int]:
        rng, tl = self.rng, self.timeline
        days: list[int] = []
        for chunk in range(first, last + 1, 365):
            chunk_end = min(chunk + 365, last + 1)
            years_in = (chunk - tl.history_start) / YEAR
            rate = per_year * self.scale * (1 + params.ENTRY_GROWTH_PER_YEAR) ** years_in
            n = rng.poisson(rate * (chunk_end - chunk) / 365)
            days.extend(int(d) for d in rng.integers(chunk, chunk_end, size=n))
        return sorted(days)

    def _uasc_days(self, first: int, last: int) -> list[int]:
        rng = self.rng
        days: list[int] = []
        for chunk in range(first, last + 1, 365):
            chunk_end = min(chunk + 365, last + 1)
            per_year = params.UASC_PER_YEAR_LATE if chunk >= UASC_RISE else params.UASC_PER_YEAR_EARLY
            n = rng.poisson(per_year * self.scale * (chunk_end - chunk) / 365)
            days.extend(int(d) for d in rng.integers(chunk, chunk_end, size=n))
        return sorted(days)

    def _chain(self, dob: int, entry: int, uasc: bool) -> list[Sketch] | None:
        """A child's periods of care from a first entry (returns home and comes back, sometimes)."""
        rng, tl = self.rng, self.timeline
        sketches: list[Sketch] = []
        start = entry
        eighteen = birthday(dob, 18)
        while True:
            sketch = self.sketch(dob, start, uasc)
            sketches.append(sketch)
            if sketch.end > tl.end:
                break
            if sketch.route == "home" and age_on(dob, sketch.end) < 17 and rng.random() < params.REENTRY_CHANCE:
                gap = max(14, int(rng.lognormal(np.log(300), 0.8)))
                following = sketch.end + gap
                if following < eighteen - 30 and following <= tl.end:
                    start = following
                    continue
            break
        if sketches[-1].end < tl.history_start:
            return None
        return sketches

    def sketch(self, dob: int, start: int, uasc: bool, route: str | None = None) -> Sketch:
        """The route and planned length of a period: enough to know whether it touches the history."""
        rng = self.rng
        age = age_on(dob, start)
        eighteen = birthday(dob, 18)
        remand = False
        if route is None:
            if uasc:
                draw = rng.random()
                route = "until18" if draw < 0.80 else "transfer" if draw < 0.93 else "assessed"
            else:
                shares = params.ROUTE_SHARES[age_band(age)]
                route = params.ROUTES[pick(rng, shares)]
        if route == "other" and age >= 12 and rng.random() < 0.3:
            remand = True
        if route == "until18":
            end = eighteen
        else:
            median, sigma = {"transfer": (60, 0.6), "assessed": (90, 0.6)}.get(route) or params.ROUTE_DAYS[route]
            if remand:
                median, sigma = 60, 0.6
            end = start + max(2, int(rng.lognormal(np.log(median), sigma)))
        if end >= eighteen:
            end = eighteen
            route = "until18"
            remand = False
        return Sketch(start, max(end, start + 1), route, remand)

    # --- one period in detail ---------------------------------------------------------------

    def add_period(self, person: PersonPlan, sketch: Sketch, uasc: bool = False) -> PeriodPlan:
        rng, tl = self.rng, self.timeline
        start, end, route = sketch.start, sketch.end, sketch.route
        dob = person.dob
        age = age_on(dob, start)
        band = age_band(age)
        if uasc:
            cin = "N8"
        elif person.disability and rng.random() < 0.4:
            cin = "N2"
        else:
            cin = params.CIN_CODES[pick(rng, params.CIN_SHARES)]
        period = PeriodPlan(len(self.periods), person.index, start, end, "", cin, route, [], [])
        placed: int | None = None
        # Legal status.
        if uasc:
            period.ls = [(start, "V2")]
        elif sketch.remand:
            period.ls = [(start, "J1")]
        else:
            court = route in {"adoption", "sgo"} or (route == "cao" and rng.random() < 0.8) \
                or rng.random() < COURT_SHARE[band]
            t = start
            draw = rng.random()
            if draw < 0.03 and end - start > 10:
                period.ls.append((t, "L1"))
                t += int(rng.integers(1, 4))
            elif draw < 0.05 and court and end - start > 40:
                period.ls.append((t, "L2"))
                t += int(rng.integers(5, 22))
            if court:
                period.ls.append((t, "C1"))
                if route == "adoption":
                    placed = self._adoption_statuses(period, t)
                else:
                    final = t + int(rng.lognormal(np.log(190), 0.35))
                    if final < end:
                        period.ls.append((final, "C2"))
            else:
                period.ls.append((t, "V2"))
                if rng.random() < 0.12 and end - t > 120:
                    proceedings = t + int(rng.integers(60, min(400, end - t)))
                    period.ls.append((proceedings, "C1"))
                    final = proceedings + int(rng.lognormal(np.log(190), 0.35))
                    if final < end:
                        period.ls.append((final, "C2"))
        period.tidy()
        self._placements(period, person, uasc, sketch.remand, placed)
        self._final_rec(period, person, uasc, sketch.remand)
        self._add_temporaries(period)
        if end > tl.end:
            period.end = NEVER
            period.rec = ""
            period.ls = [e for e in period.ls if e[0] <= tl.end]
            period.places = [e for e in period.places if e[0] <= tl.end]
        period.tidy()
        self.periods.append(period)
        self.by_person.setdefault(person.index, []).append(period.index)
        return period

    def _adoption_statuses(self, period: PeriodPlan, c1: int) -> int | None:
        """Care order, placement order (E1), placed for adoption, adoption order: worked back from the end.

        Returns the day the child is placed for adoption, or None when the period is too short for
        the court steps (the route becomes special guardianship).
        """
        rng = self.rng
        end = period.end
        placed = end - int(np.clip(rng.lognormal(np.log(200), 0.3), 90, 450))  # adoption order ~6-7 months later
        order = placed - int(np.clip(rng.lognormal(np.log(90), 0.5), 14, 300))
        if order <= c1 + 30:
            period.route = "sgo"
            final = c1 + int(rng.lognormal(np.log(190), 0.35))
            if final < end:
                period.ls.append((final, "C2"))
            return None
        if rng.random() < 0.5 and order - c1 > 90:
            period.ls.append((c1 + int(rng.integers(60, order - c1 - 20)), "C2"))
        period.ls.append((order, "E1"))
        period.route = "adoption"
        return placed

    def choose_group(self, age: int, ls: str, route: str, uasc: bool, remand: bool) -> str:
        """The placement group of a move, by age (PLACEMENT_CHOICE), for what the child is there for:
        remand (secure or residential mostly), an unaccompanied child (fostering, then supported
        accommodation from 16), adoption (fostering until placed). Home on a care order only."""
        rng = self.rng
        if remand:
            options = {"secure": 0.35, "private_residential": 0.3, "agency_fostering": 0.2, "in_house_fostering": 0.15}
        elif uasc:
            options = ({"agency_fostering": 0.45, "in_house_fostering": 0.3, "private_residential": 0.15,
                        "other": 0.1} if age < 16 else
                       {"supported": 0.65, "agency_fostering": 0.2, "private_residential": 0.1,
                        "in_house_fostering": 0.05})
        else:
            options = dict(params.PLACEMENT_CHOICE[placement_band(age)])
            if ls not in {"C1", "C2"} or route == "adoption":
                options.pop("with_parents", None)
            if route == "adoption":
                options = {g: options.get(g, 0.0) for g in FOSTERING}
        groups = list(options)
        return groups[pick(rng, [options[g] for g in groups])]

    def _placements(self, period: PeriodPlan, person: PersonPlan, uasc: bool, remand: bool,
                    placed: int | None) -> None:
        """The placement timeline: a first placement (sometimes an emergency one for days or weeks),
        moves at the age band's rate, and the placements the route ends in (placed for adoption,
        supported accommodation at 16-17, relatives before special guardianship, home on a care
        order before discharge); then short-term fostering that became long-term with the same carer."""
        rng, tl = self.rng, self.timeline
        start, end = period.start, period.end
        last_day = min(end, tl.end + 1)
        dob = person.dob
        band = placement_band(age_on(dob, start))
        years = (last_day - start) / YEAR
        n_moves = rng.poisson(params.MOVES_PER_YEAR[band] * years)
        days = {start}
        if rng.random() < 0.10 and last_day - start > 30:
            days.add(start + int(rng.integers(7, min(60, last_day - start - 7) + 1)))  # out of an emergency placement
        if last_day - start > 30:
            days.update(int(d) for d in rng.integers(start + 14, last_day - 14, size=n_moves))
        if placed is not None:
            days = {d for d in days if d < placed}
            days.add(placed)
        eighteen = birthday(dob, 18)
        supported_from = None
        if period.route == "until18" and end == eighteen and not uasc and rng.random() < 0.4:
            sixteen = birthday(dob, 16)
            move = max(sixteen, start + 1) + int(rng.integers(0, 540))
            if move < min(end, tl.end) - 30:
                days = {d for d in days if d < move}
                days.add(move)
                supported_from = move
        final_group = self._final_group(period)
        final_from = None
        if final_group is not None and period.route in {"sgo", "cao"} and rng.random() < 0.55:
            final_from = start  # with the relatives or carers who will keep them from the first day
            days = {start}
        elif final_group is not None and last_day > start + 60:
            final_from = end - int(rng.integers(30, min(300, end - start - 20) + 1))
            if final_from <= start or final_from > tl.end:
                final_from = None
            else:
                days = {d for d in days if d < final_from}
                days.add(final_from)
        previous: PlacementPlan | None = None
        for d in sorted(days):
            age = age_on(dob, d)
            ls = period.ls_on(d)
            long_term = d - start > 180 and rng.random() < 0.75
            if placed is not None and d == placed:
                group = "adoption"
            elif supported_from is not None and d == supported_from:
                group = "supported"
            elif final_from is not None and d == final_from:
                group = final_group
                if group == "with_parents" and period.ls_on(d) not in {"C1", "C2"}:
                    group = "kinship_fostering"
            else:
                group = self.choose_group(age, ls, period.route, uasc, remand)
            carer = None
            if previous is not None and group == "adoption" and rng.random() < 0.2:
                carer = previous.carer  # adopted by the foster carers (A5 or A3: same carer, RNE T or U)
            placement = self.maker.make(group, d, age, ls, person.home_post, long_term=long_term, carer=carer)
            period.places.append((d, placement.index))
            previous = placement
        # Short-term fostering that became long-term with the same carer (RNE T, reason PLACE).
        for d, index in list(period.places):
            placement = self.maker.rows[index]
            if placement.place in {"U3", "U6"}:
                following = [x for x, _ in period.places if x > d]
                run_end = min(following[0] if following else last_day, last_day)
                if run_end - d > 540 and rng.random() < 0.2:
                    change = d + int(rng.integers(270, run_end - d - 60))
                    long_term = self.maker.make(placement.group, change, age_on(dob, change), period.ls_on(change),
                                                person.home_post, long_term=True, carer=placement.carer)
                    long_term.provider, long_term.provider_code = placement.provider, placement.provider_code
                    long_term.urn, long_term.pl_post = placement.urn, placement.pl_post
                    long_term.in_area, long_term.weekly_cost = placement.in_area, placement.weekly_cost
                    long_term.place = "U1" if placement.place == "U3" else "U4"
                    period.places.append((change, long_term.index))
        period.tidy()

    def _final_group(self, period: PeriodPlan) -> str | None:
        """The placement a route ends from: relatives for special guardianship, home for some returns."""
        rng = self.rng
        if period.route == "sgo":
            draw = rng.random()
            return "kinship_fostering" if draw < 0.6 else "in_house_fostering" if draw < 0.85 else None
        if period.route == "cao":
            return "kinship_fostering" if rng.random() < 0.7 else None
        if period.route == "home" and period.ls_on(period.end - 1) in {"C1", "C2"} and rng.random() < 0.4:
            return "with_parents"
        return None

    def _final_rec(self, period: PeriodPlan, person: PersonPlan, uasc: bool, remand: bool) -> None:
        rng = self.rng
        last = self.maker.rows[period.places[-1][1]]
        group, route = last.group, period.route

        def one_of(options: dict[str, float]) -> str:
            codes = list(options)
            return codes[pick(rng, [options[c] for c in codes])]

        if route == "adoption":
            rec = one_of({"E11": 0.8, "E12": 0.2})
        elif route == "sgo":
            if group == "kinship_fostering":
                rec = "E45"
            elif group in FOSTERING:
                rec = "E46"
            else:
                rec = one_of({"E47": 0.7, "E48": 0.3})
        elif route == "cao":
            rec = "E41"
        elif route == "home":
            rec = one_of({"E4A": 0.78, "E4B": 0.12, "E13": 0.10})
        elif route == "transfer":
            rec = "E3"
        elif route == "assessed":
            rec = "E15"
        elif route == "other":
            if remand:
                rec = one_of({"E14": 0.7, "E9": 0.3})
            else:
                rec = one_of({"E8": 0.62, "E3": 0.3, "E16": 0.04, "E9": 0.04}) if age_on(person.dob, period.start) >= 12 \
                    else one_of({"E8": 0.7, "E3": 0.3})
        else:  # until 18: the period ends on the 18th birthday
            if group in FOSTERING:
                rec = one_of({"E17": 0.45, "E5": 0.2, "E8": 0.25, "E13": 0.1})
            elif group == "supported":
                rec = one_of({"E5": 0.55, "E6": 0.15, "E8": 0.3})
            elif group == "with_parents":
                rec = one_of({"E8": 0.6, "E13": 0.4})
            elif person.disability:
                rec = one_of({"E7": 0.5, "E8": 0.5})
            else:
                rec = one_of({"E5": 0.45, "E8": 0.55})
        period.rec = rec

    def _add_temporaries(self, period: PeriodPlan) -> None:
        """Now and then a few days in hospital or with a respite carer, then back (RNE P both ways)."""
        rng, tl = self.rng, self.timeline
        last_day = min(period.end, tl.end + 1)
        n = rng.poisson(params.TEMPORARY_PER_YEAR * (last_day - period.start) / YEAR)
        for _ in range(n):
            runs = _runs(period.places, last_day)
            d0, d1, index = runs[int(rng.integers(len(runs)))]
            around = self.maker.rows[index]
            days = int(rng.integers(2, 22))
            if around.temporary or d1 - d0 < days + 25 or around.place in {"A3", "A5"}:
                continue  # (the return to A3/A5 would be RNE P, and the DfE's rule 217 wants S, T or U)
            t = d0 + int(rng.integers(10, d1 - d0 - days - 10 + 1))
            if any(t - 1 <= d <= t + days + 1 for d, _ in period.ls):
                continue
            temporary = self.maker.temporary(t, days, around)
            period.places.append((t, temporary.index))
            period.places.append((t + days, index))
            period.places.sort(key=lambda e: e[0])

    # --- used by the service journeys ---------------------------------------------------------

    def person_in_care(self, person: int, on: int) -> PeriodPlan | None:
        for index in self.by_person.get(person, ()):
            period = self.periods[index]
            if period.covers(on):
                return period
        return None

    def arrays(self) -> dict[str, np.ndarray]:
        """Period starts, ends and people (with dates of birth and UASC flags) for vector searches."""
        people = self.people.rows
        return {
            "start": np.array([p.start for p in self.periods], dtype=np.int64),
            "end": np.array([p.end for p in self.periods], dtype=np.int64),
            "person": np.array([p.person for p in self.periods], dtype=np.int64),
            "dob": np.array([people[p.person].dob for p in self.periods], dtype=np.int64),
            "rec": np.array([p.rec for p in self.periods], dtype=object),
        }


def _runs(places: list[tuple[int, int]], last_day: int) -> list[tuple[int, int, int]]:
    """(from, to, placement) for each entry of a placement timeline."""
    out = []
    for k, (d, index) in enumerate(places):
        following = places[k + 1][0] if k + 1 < len(places) else last_day
        out.append((d, following, index))
    return out
