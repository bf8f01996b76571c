"""The county's invariants as plain functions over rows, so they can be checked on the database
(scale 1) and on counties drawn in memory for other seeds, scales and as-of dates.

Each returns a list of problems in words (empty when all is well), so a failing test says what is
wrong with which record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nwd.codelists import codes
from nwd.codelists.groups import placement_group
from nwd.core.dates import age_on, birthday

CODE_FIELDS = {"rne": "RNE", "ls": "LS", "cin": "CIN", "place": "PLACE", "place_provider": "PLACE_PROVIDER",
               "rec": "REC", "reason_place_change": "REASON_PLACE_CHANGE"}


def collection_years(start: dt.date, end: dt.date) -> list[str]:
    first = int(codes.collection_year_of(start)[:4])
    last = int(codes.collection_year_of(end)[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(max(first, codes.FIRST_YEAR), last + 1)]


def episode_problems(rows: list[dict], dobs: dict, as_of: dt.date) -> list[str]:
    """SSDA903 shape of every child's episodes: codes valid in each year an episode is open in,
    periods chained by X1 from an RNE S, no overlaps, ages 0-17, nothing after as-of."""
    problems: list[str] = []
    by_child: dict = defaultdict(list)
    for row in rows:
        by_child[row["person"]].append(row)
    for person, episodes in by_child.items():
        episodes.sort(key=lambda r: r["decom"])
        dob = dobs[person]
        eighteen = birthday(dob, 18)
        for k, e in enumerate(episodes):
            where = f"child {person} episode from {e['decom']}"
            end = e["dec"] or as_of
            if e["decom"] > as_of or (e["dec"] and e["dec"] > as_of):
                problems.append(f"{where}: dated after as-of")
            if e["dec"] is not None and e["dec"] < e["decom"]:
                problems.append(f"{where}: DEC before DECOM")
            if (e["dec"] is None) != (e["rec"] == ""):
                problems.append(f"{where}: DEC and REC not both given or both blank")
            for year in collection_years(e["decom"], end):
                for field, name in CODE_FIELDS.items():
                    value = e[field]
                    if value and value not in codes.valid_codes(name, year):
                        problems.append(f"{where}: {name} {value} is not valid in {year}")
            if (e["place"] in codes.PLACE_WITHOUT_PROVIDER) == bool(e["place_provider"]):
                problems.append(f"{where}: PLACE_PROVIDER '{e['place_provider']}' wrong for PLACE {e['place']}")
            if e["decom"] < dob or e["decom"] >= eighteen:
                problems.append(f"{where}: DECOM outside ages 0-17")
            if e["dec"] is not None and e["dec"] > eighteen:
                problems.append(f"{where}: looked after past the 18th birthday")
            if e["dec"] is None and k + 1 < len(episodes):
                problems.append(f"{where}: open but not the child's last episode")
            if e["place"] == "P1" and e["ls"] == "V2":
                problems.append(f"{where}: placed with parents under section 20")
            if e["place"] in {"H5", "K3"} and age_on(dob, e["decom"]) < 16:
                problems.append(f"{where}: supported accommodation under 16")
            if e["rec"] == "E17" and e["dec"] != eighteen:
                problems.append(f"{where}: E17 not on the 18th birthday")
            if k:
                before = episodes[k - 1]
                if before["dec"] is None or e["decom"] < before["dec"]:
                    problems.append(f"{where}: overlaps the episode before")
                same_period = e["period"] == before["period"]
                if same_period and (e["rne"] == "S" or before["rec"] != "X1" or before["dec"] != e["decom"]):
                    problems.append(f"{where}: not chained to the episode before by X1 (RNE {e['rne']})")
                if not same_period and (e["rne"] != "S" or before["rec"] in {"X1", ""} or e["decom"] <= before["dec"]):
                    problems.append(f"{where}: a new period that does not start with RNE S after a leaving REC")
                if same_period and e["cin"] != before["cin"]:
                    problems.append(f"{where}: CIN changed within a period")
            elif e["rne"] != "S":
                problems.append(f"{where}: the child's first episode is not RNE S")
            if e["place"] in codes.TEMPORARY_PLACE and (e["rne"] not in {"P", "B"} or e["rec"] not in {"X1", ""}):
                problems.append(f"{where}: a period starts or ends in a temporary placement")
    return problems


def overlapping_stays(stays: list[dict]) -> list[str]:
    """Stays are half-open [admitted, discharged): none share a night on a bed or for a young person."""
    problems = []
    for key in ("bed", "person"):
        groups: dict = defaultdict(list)
        for stay in stays:
            groups[stay[key]].append(stay)
        for value, group in groups.items():
            group.sort(key=lambda s: s["admitted"])
            for a, b in zip(group, group[1:]):
                if a["discharged"] is None or b["admitted"] < a["discharged"]:
                    problems.append(f"{key} {value}: stay from {b['admitted']} overlaps the one from {a['admitted']}")
    for stay in stays:
        if stay["discharged"] is not None and stay["discharged"] < stay["admitted"]:
            problems.append(f"stay from {stay['admitted']}: discharged before admitted")
    return problems


def mix_at(rows: list[dict], as_of: dt.date) -> dict[str, float]:
    """Shares of the placement groups of children looked after at as-of, a temporary placement
    read as the placement before it."""
    by_child: dict = defaultdict(list)
    for row in rows:
        by_child[row["person"]].append(row)
    counts: dict[str, int] = defaultdict(int)
    for episodes in by_child.values():
        episodes.sort(key=lambda r: r["decom"])
        current = [e for e in episodes if e["decom"] <= as_of and e["dec"] is None]
        if not current:
            continue
        k = episodes.index(current[0])
        while k >= 0 and placement_group(episodes[k]["place"], episodes[k]["place_provider"]) is None:
            k -= 1
        group = placement_group(episodes[k]["place"], episodes[k]["place_provider"])
        counts[group.value] += 1
    total = sum(counts.values())
    return {g: n / total for g, n in counts.items()}


FOSTERING_ADOPTION_K3 = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6", "K3"})


def postcode_problems(rows: list[dict]) -> list[str]:
    """HOME_POST and PL_POST are real postcodes of the county's lists (nwd.synth.postcodes), a home
    postcode blank only for an unaccompanied child (``uasc`` in the row), the placement postcode the
    home one only when placed with parents; own provision (PR1) other than fostering, adoption and K3,
    and every K3 placement, in the council's area (what the DfE's validator checks: its rules 1015, 241)."""
    from nwd.synth import places, postcodes

    known = {p for pool in (*postcodes.IN_AREA.values(), *postcodes.OUT_OF_AREA.values()) for p in pool}
    problems = []
    for row in rows:
        where = f"child {row['person']} episode from {row['decom']}"
        home, placed = row["home_post"], row["pl_post"]
        if home not in known and not (home == "" and row["uasc"]):
            problems.append(f"{where}: HOME_POST {home!r} is not one of the county's postcodes")
        if placed not in known:
            problems.append(f"{where}: PL_POST {placed!r} is not one of the county's postcodes")
        elif row["place"] != "P1" and placed == home:
            problems.append(f"{where}: placed at the home postcode but not with parents ({row['place']})")
        own_outside = row["place_provider"] == "PR1" and row["place"] not in FOSTERING_ADOPTION_K3
        if (own_outside or row["place"] == "K3") and placed in known and not places.is_in_area(placed):
            problems.append(f"{where}: {row['place']}/{row['place_provider']} placed outside the council's area")
    return problems


def upn_problems(people: list[dict], as_of: dt.date) -> list[str]:
    """A UPN is 13 characters with its check letter, unique; else UN1 (under school age at as-of: not
    4 by the 31 August before as-of's collection year, the DfE's rule 209), UN2 or UN5."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    year = int(codes.collection_year_of(as_of)[:4])
    cutoff = dt.date(year - 1, 8, 31)
    problems = []
    seen: set[str] = set()
    for person in people:
        upn, dob = person["upn"], person["date_of_birth"]
        under_school_age = birthday(dob, 4) > cutoff
        if upn in {"UN1", "UN2", "UN5"}:
            if (upn == "UN1") != under_school_age:
                problems.append(f"{person['child_id']}: UPN {upn} for a child born {dob}")
            continue
        body = upn[1:]
        if len(upn) != 13 or not body.isdigit() or letters[sum(int(d) * w for d, w in zip(body, range(2, 14))) % 23] != upn[0]:
            problems.append(f"{person['child_id']}: UPN {upn!r} is not a unique pupil number with its check letter")
        elif under_school_age:
            problems.append(f"{person['child_id']}: a UPN for a child under school age")
        if upn in seen:
            problems.append(f"{person['child_id']}: UPN {upn} given twice")
        seen.add(upn)
    return problems


def oc2_problems(rows: list[dict]) -> list[str]:
    """Each OC2 row has the items the DfE asks for at the child's age (its rules 182, 188, 189, 191,
    542-547, 157, 158, 159, 186, 192, 193, 197a/B): the validator counts a 29 February birthday on the
    28th, so ages here are counted the same way."""
    def plus(dob: dt.date, years: int) -> dt.date:
        try:
            return dob.replace(year=dob.year + years)
        except ValueError:
            return dt.date(dob.year + years, 2, 28)

    problems = []
    for row in rows:
        start, end = codes.year_bounds(row["collection_year"])
        dob = row["date_of_birth"]
        where = f"OC2 {row['collection_year']} of child born {dob}"
        for item in ("immunisations", "teeth_check", "health_assessment", "substance_misuse"):
            if row[item] is None:
                problems.append(f"{where}: {item} blank")
        if (row["convicted"] is None) != (plus(dob, 10) > end):
            problems.append(f"{where}: CONVICTED {row['convicted']} at that age")
        if (row["health_check"] is None) != (plus(dob, 5) <= end):
            problems.append(f"{where}: HEALTH_CHECK {row['health_check']} at that age")
        sdq = row["sdq_score"] is not None or row["sdq_reason"] != ""
        if sdq != (plus(dob, 4) <= end and plus(dob, 17) >= start):
            problems.append(f"{where}: SDQ given or not at the wrong age")
        if row["sdq_score"] is not None and row["sdq_reason"]:
            problems.append(f"{where}: both an SDQ score and a reason")
        if row["sdq_reason"] == "SDQ1" and plus(dob, 4) <= start and plus(dob, 16) >= end:
            problems.append(f"{where}: SDQ1 (under 4 or over 17) for a child of 4 to 16")
        if (row["intervention_received"] is not None) != bool(row["substance_misuse"]):
            problems.append(f"{where}: INTERVENTION_RECEIVED and SUBSTANCE_MISUSE disagree")
        if (row["intervention_offered"] is not None) != (row["intervention_received"] is False):
            problems.append(f"{where}: INTERVENTION_OFFERED only when no intervention was received")
    return problems
