"""SSDA903 code lists, year by year.

The DfE guidance for each collection year is the authority: lists change from year to year, so
every code carries the first and last collection year it is valid for. A collection year is written
"2025-26" and runs from 1 April 2025 to 31 March 2026.

Everything that needs a 903 code (model choices, the reader, the checker, the writer, the forecast)
takes it from here, so a change in the DfE's lists is made in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FIRST_YEAR = 2015  # 2015-16, the earliest collection year the project checks
LAST_YEAR = 2099


@dataclass(frozen=True)
class Code:
    """One code of a 903 list, valid from the collection year starting in ``first`` to ``last``."""

    code: str
    label: str
    first: int = FIRST_YEAR
    last: int = LAST_YEAR

    def valid_in(self, year_start: int) -> bool:
        return self.first <= year_start <= self.last


def year_start(collection_year: str) -> int:
    """The calendar year a collection year starts in: "2025-26" -> 2025.

    Raises ValueError with a message a data officer understands for anything else.
    """
    text = collection_year.strip()
    try:
        first, second = text.split("-")
        start = int(first)
        if len(first) != 4 or len(second) != 2 or int(second) != (start + 1) % 100:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"'{collection_year}' is not a collection year: write it like 2025-26"
        ) from None
    return start


def collection_year_of(day: dt.date) -> str:
    """The collection year a date falls in (1 April to 31 March)."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def year_bounds(collection_year: str) -> tuple[dt.date, dt.date]:
    """First and last day of a collection year."""
    start = year_start(collection_year)
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _codes(*rows: tuple[Any, ...]) -> tuple[Code, ...]:
    return tuple(Code(*row) for row in rows)


# The DfE changed the sex codes from 2024-25: 1/2 before, M/F/U from then on (U, unknown, draws a
# query, DfE rule 232).
SEX = _codes(
    ("1", "Male", FIRST_YEAR, 2023),
    ("2", "Female", FIRST_YEAR, 2023),
    ("M", "Male", 2024),
    ("F", "Female", 2024),
    ("U", "Unknown", 2024),
)
_SEX_OLD_TO_NEW = {"1": "M", "2": "F"}
_SEX_NEW_TO_OLD = {"M": "1", "F": "2"}


def sex_for_year(code: str | None, collection_year: str) -> str | None:
    """A SEX code written the way ``collection_year`` wants it ("1" <-> "M", "2" <-> "F").

    A code with no counterpart (U before 2024-25, anything unknown) is returned unchanged, for the
    checker to report.
    """
    if code is None:
        return None
    if year_start(collection_year) >= 2024:
        return _SEX_OLD_TO_NEW.get(code, code)
    return _SEX_NEW_TO_OLD.get(code, code)

ETHNIC = _codes(
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WOTH", "Any other White background"),
    ("WROM", "Gypsy/Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Caribbean"),
    ("BAFR", "African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
)

RNE = _codes(
    ("S", "Started to be looked after"),
    ("L", "Change of legal status only"),
    ("P", "Change of placement and carer(s) only"),
    ("T", "Change of placement but same carer(s)"),
    ("B", "Change of legal status and placement and carer(s) at the same time"),
    ("U", "Change of legal status and change of placement but same carer(s)"),
)

LS = _codes(
    ("C1", "Interim care order"),
    ("C2", "Full care order"),
    ("D1", "Freeing order granted"),
    ("E1", "Placement order granted"),
    ("V2", "Single period of accommodation under section 20"),
    ("V3", "Accommodated under an agreed series of short-term breaks, individual episodes"),
    ("V4", "Accommodated under an agreed series of short-term breaks, summary episode"),
    ("L1", "Under police protection and in local authority accommodation"),
    ("L2", "Emergency protection order"),
    ("L3", "Under child assessment order and in local authority accommodation"),
    ("J1", "Remanded to local authority accommodation or to youth detention accommodation"),
    ("J2", "Placed in local authority accommodation under PACE"),
    ("J3", "Sentenced to a youth rehabilitation order with residence requirement"),
)

CIN = _codes(
    ("N1", "Abuse or neglect"),
    ("N2", "Child's disability"),
    ("N3", "Parental illness or disability"),
    ("N4", "Family in acute stress"),
    ("N5", "Family dysfunction"),
    ("N6", "Socially unacceptable behaviour"),
    ("N7", "Low income"),
    ("N8", "Absent parenting"),
)

PLACE = _codes(
    ("U1", "Foster placement with relative or friend, long term fostering"),
    ("U2", "Foster placement with relative or friend who is also an approved adopter (FFA)"),
    ("U3", "Foster placement with relative or friend, not long term or FFA"),
    ("U4", "Foster placement with other foster carer, long term fostering"),
    ("U5", "Foster placement with other foster carer who is also an approved adopter (FFA)"),
    ("U6", "Foster placement with other foster carer, not long term or FFA"),
    ("A3", "Placed for adoption with consent, with current foster carer"),
    ("A4", "Placed for adoption with consent, not with current foster carer"),
    ("A5", "Placed for adoption with placement order, with current foster carer"),
    ("A6", "Placed for adoption with placement order, not with current foster carer"),
    ("K1", "Secure children's home"),
    ("K2", "Children's home"),
    ("K3", "Registered supported accommodation", 2024),
    ("H5", "Semi-independent living accommodation not subject to children's homes regulations",
     FIRST_YEAR, 2024),
    ("P1", "Placed with own parent(s) or other person(s) with parental responsibility"),
    ("P2", "Independent living, for example in a flat, lodgings or bedsit", FIRST_YEAR, 2024),
    ("P3", "Residential employment"),
    ("R1", "Residential care home"),
    ("R2", "NHS or health trust or other establishment providing medical or nursing care"),
    ("R3", "Family centre or mother and baby unit"),
    ("R5", "Young offender institution or prison"),
    ("S1", "All residential schools, except where dual-registered as a school and children's home"),
    ("T0", "Temporary placement: all types of temporary move"),
    ("T1", "Temporary periods in hospital"),
    ("T2", "Temporary absences of the child on holiday"),
    ("T3", "Temporary accommodation whilst normal foster carer is on holiday"),
    ("T4", "Temporary accommodation of seven days or less, for any reason not covered by T1-T3"),
    ("Z1", "Other placements", FIRST_YEAR, 2024),
    ("Z11", "Unregistered children's home", 2025),
    ("Z12", "Unregistered supported accommodation", 2025),
    ("Z13", "Other unregistered placement", 2025),
    ("Z14", "Other registered placement", 2025),
)

# Placements for which PLACE_PROVIDER must be left blank (from 2025-26; see places_without_provider).
PLACE_WITHOUT_PROVIDER = frozenset({"T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"})
TEMPORARY_PLACE = frozenset({"T0", "T1", "T2", "T3", "T4"})
_OTHER_PLACE = ("Z1", "Z11", "Z12", "Z13", "Z14")  # "other placements": Z1 until 2024-25, Z11-Z14 from 2025-26


# The URN recorded for a placement made through a regional adoption agency (DfE rules 218, 222).
URN_FOR_ADOPTION_AGENCY = "XXXXXXX"


def _valid_places(codes: Iterable[str], start: int) -> set[str]:
    wanted = set(codes)
    return {c.code for c in PLACE if c.code in wanted and c.valid_in(start)}


def places_without_provider(start: int) -> frozenset[str]:
    """PLACE codes that have no PLACE_PROVIDER in the collection year starting in ``start``.

    The temporary placements (T0-T4) and the "other" placements of the year: Z1 until 2024-25,
    Z11-Z14 from 2025-26 (the DfE's rules 178, 213 and 526 of each year).
    """
    return frozenset(TEMPORARY_PLACE | _valid_places(_OTHER_PLACE, start))


def places_without_urn(start: int, *, urn_optional: bool = False) -> frozenset[str]:
    """PLACE codes Ofsted does not register, so no URN is recorded, in the year starting in ``start``.

    The DfE's rule 222 lists them year by year: parents (P1), residential employment (P3), care
    homes, health and custody (R1, R2, R5), the temporary placements and the "other" placements of
    the year (Z1 until 2024-25, Z11-Z14 from 2025-26); semi-independent accommodation (H5) until
    2022-23 (supported accommodation came under Ofsted in 2023) and independent living (P2) until
    2023-24. Rule 218 (a URN is needed for every other placement) also lets H5 go without one in
    2023-24 (``urn_optional``).
    """
    places = {"P1", "P3", "R1", "R2", "R5", *TEMPORARY_PLACE, *_valid_places(_OTHER_PLACE, start)}
    if start <= (2023 if urn_optional else 2022):
        places.add("H5")
    if start <= 2023:
        places.add("P2")
    return frozenset(places)

PLACE_PROVIDER = _codes(
    ("PR0", "Parent(s) or other person(s) with parental responsibility"),
    ("PR1", "Own provision (by the local authority)"),
    ("PR2", "Other local authority provision"),
    ("PR3", "Other public provision (for example a primary care trust)"),
    ("PR4", "Private provision"),
    ("PR5", "Voluntary/third sector provision"),
)

REC = _codes(
    ("X1", "Episode ceases, and new episode begins on same day, for any reason"),
    ("E11", "Adopted: application for an adoption order unopposed"),
    ("E12", "Adopted: consent dispensed with by the court"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority in the UK"),
    ("E4A", "Returned home to live with parents or relatives, as part of the care planning process"),
    ("E4B", "Returned home to live with parents or relatives, not as part of the care planning process"),
    ("E13", "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility"),
    ("E41", "Residence order or child arrangement order granted"),
    ("E45", "Special guardianship order made to former foster carer(s), who were relatives or friends"),
    ("E46", "Special guardianship order made to former foster carer(s), other than relatives or friends"),
    ("E47", "Special guardianship order made to carer(s), other than former foster carer(s), who were relatives or friends"),
    ("E48", "Special guardianship order made to carer(s), other than former foster carer(s), other than relatives or friends"),
    ("E5", "Moved into independent living arrangement and no longer looked after: supportive accommodation"),
    ("E6", "Moved into independent living arrangement and no longer looked after: without formalised support"),
    ("E7", "Transferred to residential care funded by adult social care"),
    ("E8", "Period of being looked after ceased for any other reason"),
    ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"),
    ("E15", "Age assessment determined child is aged 18 or over"),
    ("E16", "Child moved abroad"),
    ("E17", "Aged 18 (or over) and remained with current carers"),
)

REASON_PLACE_CHANGE = _codes(
    ("CARPL", "Change to/implementation of care plan"),
    ("CLOSE", "Resignation/closure of provision"),
    ("ALLEG", "Allegation (s47)"),
    ("STAND", "Standards of care concern"),
    ("APPRR", "Approval removed"),
    ("CREQB", "Carer requests placement end due to child's behaviour"),
    ("CREQO", "Carer requests placement end, other than due to child's behaviour"),
    ("CHILD", "Child requests placement end"),
    ("LAREQ", "Responsible/area authority requests placement end"),
    ("PLACE", "Change in the status of placement only"),
    ("CUSTOD", "Custody arrangement"),
    ("OTHER", "Other"),
)

MISSING = _codes(("M", "Missing"), ("A", "Away from placement without authorisation"))

MOTHER = _codes(("0", "Not a mother"), ("1", "Is a mother"))

REVIEW_CODE = _codes(
    ("PN0", "Child aged under 4 at the time of the review"),
    ("PN1", "Child physically attends and speaks for themselves"),
    ("PN2", "Child physically attends and an advocate speaks on their behalf"),
    ("PN3", "Child attends and conveys their views symbolically (non-verbally)"),
    ("PN4", "Child physically attends but does not speak or convey their views"),
    ("PN5", "Child does not attend but briefs an advocate to speak for them"),
    ("PN6", "Child does not attend but conveys their feelings by a facilitative medium"),
    ("PN7", "Child does not attend nor are their views conveyed to the review"),
)

SDQ_REASON = _codes(
    ("SDQ1", "No form returned as child was aged under 4 or over 17 at date of latest assessment"),
    ("SDQ2", "Carer(s) refused to complete and return questionnaire"),
    ("SDQ3", "Not possible to complete the questionnaire due to severity of the child's disability"),
    ("SDQ4", "Other"),
    ("SDQ5", "Child or young person refuses to allow an SDQ to be completed"),
)

IN_TOUCH = _codes(
    ("YES", "In touch"),
    ("NO", "Not in touch"),
    ("DIED", "Died"),
    ("REFU", "Young person refuses contact"),
    ("NREQ", "Local authority not required to be in touch"),
    ("RHOM", "Returned home for six months or more"),
)

ACTIV = _codes(
    ("F1", "Full time in higher education"),
    ("P1", "Part time in higher education"),
    ("F2", "Full time in education other than higher education"),
    ("P2", "Part time in education other than higher education"),
    ("F4", "Full time in training or employment"),
    ("P4", "Part time in training or employment"),
    ("F5", "Not in education, training or employment: illness or disability"),
    ("P5", "Not in education, training or employment: other reasons"),
    ("G4", "Not in education, training or employment: pregnancy or parenting"),
    ("G5", "Not in education, training or employment: other circumstances"),
    ("G6", "Not in education, training or employment: caring responsibilities"),
    ("0", "Not applicable (not in touch)"),
)

# Accommodation after leaving care: a letter for the kind of accommodation and 1 (suitable) or
# 2 (not suitable). X (in custody) is only ever "not suitable"; S (independent living) only
# "suitable" in the DfE's list.
ACCOM = _codes(
    *(
        (f"{letter}{suitable}", f"{kind}, {'suitable' if suitable == 1 else 'not suitable'}")
        for letter, kind in (
            ("B", "With parents or relatives"),
            ("C", "Community home or other form of residential care"),
            ("D", "Semi-independent, transitional accommodation"),
            ("E", "Supported lodgings"),
            ("G", "Gone abroad"),
            ("H", "Deported"),
            ("K", "Ordinary lodgings, without formal support"),
            ("R", "Residence not known"),
            ("T", "Foyers and similar supported accommodation"),
            ("U", "Independent living"),
            ("V", "Emergency accommodation"),
            ("W", "Bed and breakfast"),
            ("Y", "Other accommodation"),
            ("Z", "With former foster carers"),
        )
        for suitable in (1, 2)
    ),
    ("S2", "No fixed abode or homeless, not suitable"),
    ("X2", "In custody, not suitable"),
    ("0", "Not applicable (not in touch)"),
)

LISTS: dict[str, tuple[Code, ...]] = {
    "SEX": SEX,
    "ETHNIC": ETHNIC,
    "RNE": RNE,
    "LS": LS,
    "CIN": CIN,
    "PLACE": PLACE,
    "PLACE_PROVIDER": PLACE_PROVIDER,
    "REC": REC,
    "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE,
    "MISSING": MISSING,
    "MOTHER": MOTHER,
    "REVIEW_CODE": REVIEW_CODE,
    "SDQ_REASON": SDQ_REASON,
    "IN_TOUCH": IN_TOUCH,
    "ACTIV": ACTIV,
    "ACCOM": ACCOM,
}

# Unique pupil number: a letter other than I, O or S, then 11 digits and a check digit or letter;
# or one of the codes for a number not known (UN1-UN5).
UPN_PATTERN = r"^(?:[A-HJ-NP-RT-Z]\d{11}[0-9A-Z]|UN[1-5])$"


def valid_codes(field: str, collection_year: str | None = None) -> frozenset[str]:
    """The codes of ``field`` valid in ``collection_year`` (every code ever valid if None)."""
    codes = LISTS[field]
    if collection_year is None:
        return frozenset(c.code for c in codes)
    start = year_start(collection_year)
    return frozenset(c.code for c in codes if c.valid_in(start))


def choices(field: str) -> list[tuple[str, str]]:
    """Django-style (code, "code: label") choices for every code ever valid, for model fields."""
    return [(c.code, f"{c.code}: {c.label}") for c in LISTS[field]]


def label(field: str, code: str) -> str:
    """The DfE's label for a code, or the code itself if it is not in the list."""
    for c in LISTS[field]:
        if c.code == code:
            return c.label
    return code
