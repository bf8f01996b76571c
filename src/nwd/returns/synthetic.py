"""A synthetic looked-after children history that follows the 903 rules, for tests and benchmarks.

Entirely made up (seeded random numbers); no real child is behind any row. Each child has one or
more periods of care made of episodes chained by REC X1, with legal status and placement changes
coded as the DfE expects, so ``tables_for_year`` on it gives a return the checks pass without
error. The postcodes are real Norfolk postcodes (places, not people) so that tools which look
postcodes up, like the DfE's, find them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import polars as pl

from nwd.codelists.codes import ETHNIC, collection_year_of, year_bounds, year_start
from nwd.returns.schema import DATE_COLUMNS, TABLES

POSTCODES = (
    "NR1 1AA", "NR7 8QU", "NR30 9BX", "NR29 3FL", "NR25 7PN", "NR4 6DS", "NR4 6EF", "NR10 5NU",
    "NR17 2EW", "NR24 2LW", "NR4 6TQ", "NR6 7DT", "NR31 9PX", "NR3 2AN", "NR7 0BX", "NR21 9JB",
    "NR10 5EQ", "NR12 0SU", "NR14 8NU",
)

# Placements a synthetic child may have, with the provider codes that fit each and the youngest age.
PLACEMENTS = {
    "U1": (("PR1",), 0),
    "U3": (("PR1",), 0),
    "U4": (("PR1", "PR4"), 0),
    "U6": (("PR1", "PR4"), 0),
    "K2": (("PR1", "PR4"), 8),
    "K3": (("PR4", "PR5"), 16),
    "R1": (("PR1", "PR4"), 10),
}
LEGAL_STATUSES = ("C1", "C2", "V2", "E1")
LEAVING = ("E4A", "E4B", "E13", "E41", "E8", "E45", "E46")
SEXES = ("M", "F")
WITH_URN = {"U1", "U3", "U4", "U6", "K2", "K3"}


@dataclass(frozen=True)
class History:
    """A synthetic county's whole history, in the frames ``tables_for_year`` takes."""

    episodes: pl.DataFrame
    header: pl.DataFrame
    missing: pl.DataFrame
    uasc: pl.DataFrame


def _urn(rng: random.Random) -> str:
    return f"SC{rng.randrange(100000, 999999)}"


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def history(children: int, last_year: str = "2025-26", seed: int = 903, years: int = 4) -> History:
    """A history of ``children`` children whose care falls in the ``years`` years up to ``last_year``."""
    rng = random.Random(seed)
    _, end = year_bounds(last_year)
    begin = dt.date(year_start(last_year) - years + 1, 4, 1)
    span = (end - begin).days
    episodes: list[dict] = []
    header: list[dict] = []
    missing: list[dict] = []
    uasc: list[dict] = []
    ethnic = [c.code for c in ETHNIC]
    for number in range(children):
        child = f"C{number:06d}"
        start = begin + dt.timedelta(days=rng.randrange(span - 30))
        age_at_start = rng.randint(0, 16)
        dob = start - dt.timedelta(days=age_at_start * 365 + rng.randint(10, 300))
        sex = rng.choice(SEXES)
        header.append({
            "CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": rng.choice(ethnic),
            "UPN": f"A{rng.randrange(10**10, 10**11)}{rng.randrange(10)}", "MOTHER": "0" if sex == "F" else None,
            "MC_DOB": None,
        })
        is_uasc = age_at_start >= 12 and rng.random() < 0.1
        home = None if is_uasc else rng.choice(POSTCODES)  # no home postcode for a UASC child (DfE 406)
        day = start
        rne = "S"
        legal = rng.choice(LEGAL_STATUSES)
        need = f"N{rng.randint(1, 8)}"
        place, provider, post, urn = _placement(rng, dob, day, None, home)

        first_row = len(episodes)
        planned = rng.randint(1, 6)
        for count in range(planned):
            length = _days(rng, 20, 400)
            dec = day + length
            last_one = count == planned - 1 or rng.random() < 0.3
            row = {
                "CHILD": child, "DECOM": day, "RNE": rne, "LS": legal, "CIN": need, "PLACE": place,
                "PLACE_PROVIDER": provider, "DEC": None, "REC": None, "REASON_PLACE_CHANGE": None,
                "HOME_POST": home, "PL_POST": post, "URN": urn,
            }
            episodes.append(row)
            age18 = dob.replace(year=dob.year + 18) if not (dob.month == 2 and dob.day == 29) else dt.date(
                dob.year + 18, 3, 1)
            if dec > end or dec >= age18 - dt.timedelta(days=1):
                if dec >= age18 - dt.timedelta(days=1) and age18 - dt.timedelta(days=1) > day and age18 <= end:
                    row["DEC"], row["REC"] = age18 - dt.timedelta(days=1), "E8"
                break
            row["DEC"] = dec
            if last_one:
                row["REC"] = rng.choice(LEAVING) if age_at_start < 16 else "E8"
                if row["REC"] in ("E45", "E46") and not place.startswith("U"):
                    row["REC"] = "E41"
                break
            row["REC"] = "X1"
            change = rng.random()
            if change < 0.6:  # placement and carer change
                new = _placement(rng, dob, dec, place, home)
                rne = "P"
                row["REASON_PLACE_CHANGE"] = rng.choice(("CARPL", "CREQB", "CHILD", "LAREQ"))
                place, provider, post, urn = new
            elif change < 0.85:  # legal status only
                rne = "L"
                legal = rng.choice([s for s in LEGAL_STATUSES if s != legal])
            else:  # both
                rne = "B"
                legal = rng.choice([s for s in LEGAL_STATUSES if s != legal])
                row["REASON_PLACE_CHANGE"] = "CARPL"
                place, provider, post, urn = _placement(rng, dob, dec, place, home)
            day = dec
        mine = [e for e in episodes[first_row:] if ((e["DEC"] or end) - e["DECOM"]).days > 6]
        if mine and rng.random() < 0.25:  # a missing episode inside one episode of care (DfE 575)
            during = rng.choice(mine)
            gone = during["DECOM"] + _days(rng, 0, ((during["DEC"] or end) - during["DECOM"]).days - 5)
            back = gone + _days(rng, 0, 4)
            if collection_year_of(back) != collection_year_of(gone):
                back = gone  # keep clear of 31 March, where the DfE's tool misreads open missing episodes
            missing.append({"CHILD": child, "DOB": dob, "MISSING": rng.choice(("M", "A")), "MIS_START": gone,
                            "MIS_END": back})
        if is_uasc:  # DUC is the 18th birthday while the child is still UASC, as the DfE expects
            age18 = dt.date(dob.year + 18, dob.month, 28 if (dob.month, dob.day) == (2, 29) else dob.day)
            uasc.append({"CHILD": child, "SEX": sex, "DOB": dob, "DUC": age18})
    return History(
        episodes=pl.DataFrame(episodes, schema=_schema("Episodes")),
        header=pl.DataFrame(header, schema=_schema("Header")),
        missing=pl.DataFrame(missing, schema=_schema("Missing")),
        uasc=pl.DataFrame(uasc, schema=_schema("UASC")),
    )


K3_FROM = dt.date(2024, 4, 1)  # registered supported accommodation (K3) is a code from 2024-25


def _placement(rng: random.Random, dob: dt.date, day: dt.date, current: str | None, home: str | None) -> tuple:
    age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    fitting = [
        p for p, (_, youngest) in PLACEMENTS.items()
        if youngest <= age and p != current and (p != "K3" or day >= K3_FROM)
    ]
    place = rng.choice(fitting)
    provider = rng.choice(PLACEMENTS[place][0])
    post = rng.choice([p for p in POSTCODES if p != home])
    return place, provider, post, (_urn(rng) if place in WITH_URN else None)


def _schema(table: str) -> dict[str, pl.DataType]:
    return {c: (pl.Date() if c in DATE_COLUMNS else pl.Utf8()) for c in TABLES[table]}
