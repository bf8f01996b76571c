"""The county's invariants as plain functions over rows, so they can be checked on the database
(scale 1) and on counties drawn in memory for other seeds, scales and as-of dates.

Each returns a list of problems in words (empty when all is well), so a failing test says what is
wrong with which record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nwd.core.dates import age_on, birthday
from nwd.returns import codes
from nwd.returns.groups import placement_group

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
