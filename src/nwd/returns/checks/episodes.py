"""Checks on each episode row by itself: codes, dates, the provider and URN, lengths, ages.

Rule ids are the DfE's numbers (their validation rules for the year) where the rule is theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from nwd.codelists.codes import (
    FIRST_YEAR,
    TEMPORARY_PLACE,
    URN_FOR_ADOPTION_AGENCY,
    places_without_provider,
    places_without_urn,
)
from nwd.returns.checks.base import (
    DOB,
    END,
    START,
    Context,
    Rule,
    age_on,
    codes_valid,
    flag,
    in_year_set,
    rule,
    valid_list_text,
)
from nwd.returns.problems import WARNING, Problem

T = "Episodes"
TEMPORARY = sorted(TEMPORARY_PLACE)
# A UK postcode as the Royal Mail writes them, spaces taken out: the outward code (area letters
# without Q, V, X first or I, J, Z second; district; an optional letter) and the inward code (a
# digit and two letters without C, I, K, M, O, V), or the special GIR 0AA. "V28 5OY" fails twice.
POSTCODE = (r"^(?:GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
            r"[0-9][ABD-HJLNP-UW-Z]{2})$")
EARLIEST_EPISODE = dt.date(1991, 10, 14)


def postcode_shaped(column: str) -> pl.Expr:
    """Whether ``column`` is shaped as a UK postcode (case and spaces aside, as the DfE's tool reads it)."""
    return pl.col(column).str.to_uppercase().str.replace_all(" ", "", literal=True).str.contains(POSTCODE)


def _code_rule(rule_id: str, column: str, *, required: bool) -> None:
    what = "must be given" if required else ""

    @rule(rule_id, T, [column], f"{column} is a valid code for the year{' and is given' if required else ''}")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        frame = ctx.table(T)
        bad = ~codes_valid(column)
        if required:
            bad = bad | pl.col(column).is_null()
        return flag(ctx, r, frame, bad,
                    lambda row: (f"is blank: every episode's {column} {what}" if row[column] is None
                                 else valid_list_text(column, row)))


_code_rule("143", "RNE", required=True)
_code_rule("144", "LS", required=True)
_code_rule("145", "CIN", required=True)
_code_rule("146", "PLACE", required=True)
_code_rule("149", "REC", required=False)
_code_rule("1009", "REASON_PLACE_CHANGE", required=False)


@rule("141", T, ["DECOM"], "DECOM is given (and, when read, is a real date)")
def decom_given(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DECOM").is_null(),
                "is blank: every episode needs the date it began")


@rule("148", T, ["DEC", "REC"], "DEC and REC are both given or both blank")
def dec_with_rec(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T)
    return flag(ctx, r, frame, pl.col("DEC").is_null() & pl.col("REC").is_not_null(),
                lambda row: f"REC {row['REC']} says the episode ended, so the date it ended (DEC) is needed too; "
                            "an episode that has not ended has both blank", column="DEC") + flag(
        ctx, r, frame, pl.col("DEC").is_not_null() & pl.col("REC").is_null(),
        "the episode has an end date (DEC), so the reason it ended (REC) is needed too", column="REC")


@rule("354", T, ["DECOM"], "DECOM is not after the end of the collection year")
def decom_in_year(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DECOM") > pl.col(END),
                lambda row: f"is after the end of the {row['_year']} collection year (31/03/{row[END].year}): "
                            "this episode belongs in a later year's return")


@rule("385", T, ["DEC"], "DEC is not after the end of the collection year")
def dec_in_year(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DEC") > pl.col(END),
                lambda row: f"is after the end of the {row['_year']} collection year (31/03/{row[END].year}): "
                            "an episode still open on 31 March is returned with DEC and REC blank")


@rule("NWD-BEFORE-YEAR", T, ["DEC"], "the episode was open at some time in the collection year",
      severity=WARNING)
def open_in_year(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DEC") < pl.col(START),
                lambda row: f"the episode ended before the {row['_year']} collection year began "
                            f"(01/04/{row[START].year}), so it does not belong in that year's return")


@rule("356", T, ["DEC", "DECOM"], "DEC is not before DECOM")
def dec_after_decom(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DEC") < pl.col("DECOM"),
                lambda row: f"the episode ends before it began (DECOM {row['DECOM']:%d/%m/%Y})")


@rule("355", T, ["DEC", "DECOM"], "an episode lasts at least a day", severity=WARNING)
def at_least_a_day(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DEC") == pl.col("DECOM"),
                "the episode ends the day it began, so it lasted less than 24 hours; check whether it "
                "should be recorded at all")


@rule("353", T, ["DECOM"], "no episode begins before 14 October 1991")
def not_before_1991(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DECOM") < EARLIEST_EPISODE,
                "is before 14/10/1991, when the Children Act 1989 came in; no episode can start earlier")


def _provider_178(start: int) -> frozenset[str]:
    """Placements rule 178 wants no provider for: the year's list, except that the DfE's 2025-26
    wording of the rule leaves T4 out (rule 213 still asks for T4 to have none)."""
    places = places_without_provider(start)
    return places - {"T4"} if start >= 2025 else places


@rule("178", T, ["PLACE_PROVIDER"], "PLACE_PROVIDER is a valid code, blank for T0-T4 and Z1 (Z11-Z14 from 2025-26)")
def provider_code(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T)
    not_for_place = pl.col("PLACE_PROVIDER").is_not_null() & in_year_set("PLACE", _provider_178)
    return flag(ctx, r, frame, ~codes_valid("PLACE_PROVIDER") | not_for_place,
                lambda row: (f"a provider is not recorded for placement {row['PLACE']} in {row['_year'] or 'this year'}: "
                             "leave PLACE_PROVIDER blank" if row["PLACE"] and row["PLACE_PROVIDER"] in
                             {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"} else valid_list_text("PLACE_PROVIDER", row)))


def _provider_213(start: int) -> frozenset[str]:
    return places_without_provider(start) - {"Z1"}


@rule("213", T, ["PLACE_PROVIDER", "PLACE"], "PLACE_PROVIDER is blank for T0-T4 (and Z11-Z14 from 2025-26)")
def provider_not_wanted(ctx: Context, r: Rule) -> list[Problem]:
    mask = in_year_set("PLACE", _provider_213) & pl.col("PLACE_PROVIDER").is_not_null()
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"must be blank for placement {row['PLACE']} (temporary and unregistered placements "
                            "have no provider)")


@rule("526", T, ["PLACE_PROVIDER", "PLACE"], "PLACE_PROVIDER is given for every other placement")
def provider_wanted(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T)
    mask = ~in_year_set("PLACE", places_without_provider).fill_null(False) & pl.col("PLACE_PROVIDER").is_null()
    return flag(ctx, r, frame, mask,
                lambda row: f"is blank: placement {row['PLACE'] or '(blank)'} needs a provider (PR0-PR5)")


def _provider_rule(rule_id: str, provider: str, places: list[str], *, only: bool = False) -> None:
    """PLACE_PROVIDER ``provider`` cannot go with ``places`` (or, with ``only``, only with them)."""
    listed = ", ".join(places)
    summary = (f"{provider} only with placement {listed}" if only
               else f"{provider} not with placement {listed}")

    @rule(rule_id, T, ["PLACE_PROVIDER", "PLACE"], summary)
    def check(ctx: Context, r: Rule) -> list[Problem]:
        in_places = pl.col("PLACE").is_in(places)
        mask = (pl.col("PLACE_PROVIDER") == provider) & (~in_places if only else in_places) & pl.col(
            "PLACE").is_not_null()
        return flag(ctx, r, ctx.table(T), mask,
                    lambda row: (f"provider {provider} (parents) can only go with placement {listed}, "
                                 f"not {row['PLACE']}" if only
                                 else f"provider {provider} cannot go with placement {row['PLACE']}"))


_provider_rule("550", "PR0", ["P1"], only=True)
_provider_rule("527", "PR1", ["P1", "R2", "R5"])
_provider_rule("528", "PR2", ["P1", "R2", "R5"])
_provider_rule("529", "PR3", ["P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"])
_provider_rule("530", "PR4", ["P1"])
_provider_rule("531", "PR5", ["P1"])


@rule("222", T, ["URN", "PLACE"], "no Ofsted URN for placements Ofsted does not register (the year's list)")
def urn_not_wanted(ctx: Context, r: Rule) -> list[Problem]:
    mask = (in_year_set("PLACE", places_without_urn) & pl.col("URN").is_not_null()
            & (pl.col("URN") != URN_FOR_ADOPTION_AGENCY))
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"an Ofsted URN is not recorded for placement {row['PLACE']}; leave URN blank")


@rule("218", T, ["URN", "PLACE"], "an Ofsted URN for placements Ofsted registers", severity=WARNING)
def urn_wanted(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T)
    optional = in_year_set("PLACE", lambda start: places_without_urn(start, urn_optional=True))
    mask = (pl.col("PLACE").is_not_null() & ~optional & pl.col("URN").is_null()
            & (pl.col("DEC").is_null() | (pl.col("DEC") >= pl.col(START))))
    return flag(ctx, r, frame, mask,
                lambda row: f"is blank: placement {row['PLACE']} needs the Ofsted URN of the provider "
                            "(XXXXXXX for a regional adoption agency) unless the placement is outside England")


@rule("233", T, ["REASON_PLACE_CHANGE", "DEC"], "REASON_PLACE_CHANGE only when the episode has ended",
      first=2025)
def reason_only_when_ended(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), pl.col("DEC").is_null() & pl.col("REASON_PLACE_CHANGE").is_not_null(),
                "a reason for placement change is only recorded when the episode has ended (DEC given)")


@rule("380", T, ["PLACE", "RNE"], "a period of care does not start with a temporary placement")
def temporary_not_first(ctx: Context, r: Rule) -> list[Problem]:
    mask = pl.col("PLACE").is_in(TEMPORARY) & pl.col("RNE").is_not_null() & ~pl.col("RNE").is_in(["P", "B"])
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"a temporary placement ({row['PLACE']}) must be a change of placement "
                            f"(RNE P or B), not RNE {row['RNE']}")


@rule("381", T, ["PLACE", "REC"], "a period of care does not end in a temporary placement")
def temporary_not_last(ctx: Context, r: Rule) -> list[Problem]:
    mask = pl.col("PLACE").is_in(TEMPORARY) & pl.col("REC").is_not_null() & (pl.col("REC") != "X1")
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"a child cannot leave care from a temporary placement ({row['PLACE']}): "
                            f"REC {row['REC']} needs the placement the child was in before",
                column="REC")


@rule("378", T, ["PLACE", "LS"], "placed with parents (P1) is not under section 20 (V2)")
def parents_not_v2(ctx: Context, r: Rule) -> list[Problem]:
    return flag(ctx, r, ctx.table(T), (pl.col("PLACE") == "P1") & (pl.col("LS") == "V2"),
                "a child placed with parents (P1) cannot be accommodated under section 20 (LS V2)")


@rule("382", T, ["PLACE", "LS"], "a short break (V3, V4) is not a temporary placement")
def respite_not_temporary(ctx: Context, r: Rule) -> list[Problem]:
    mask = pl.col("LS").is_in(["V3", "V4"]) & pl.col("PLACE").is_in(TEMPORARY)
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"a child on a short break (LS {row['LS']}) cannot be in a temporary placement")


@rule("384", T, ["PLACE", "LS"], "a short break (V3, V4) is not long-term fostering (U1, U4)")
def respite_not_long_term(ctx: Context, r: Rule) -> list[Problem]:
    mask = pl.col("LS").is_in(["V3", "V4"]) & pl.col("PLACE").is_in(["U1", "U4"])
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"a child on a short break (LS {row['LS']}) cannot be in long-term fostering")


def _length_rule(rule_id: str, column: str, value: str, days: int, what: str) -> None:
    @rule(rule_id, T, [column, "DECOM", "DEC"], f"{column} {value} lasts at most {days} days")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        length = (pl.col("DEC") - pl.col("DECOM")).dt.total_days()
        mask = (pl.col(column) == value) & (length > days)
        return flag(ctx, r, ctx.table(T), mask,
                    lambda row: f"{what} can last at most {days} days, but this episode lasted "
                                f"{(row['DEC'] - row['DECOM']).days} days")


def _legal_status_length_rule(rule_id: str, status: str, days: int, what: str, *, chained: bool = True) -> None:
    """LS ``status`` lasts at most ``days``: an episode still open counts to the end of its collection
    year (the DfE reads the return as it stands on 31 March), and with ``chained`` a run of episodes
    with that status, each starting the day the one before ended (a new placement under the same
    police protection), counts as one stretch, every episode of it flagged."""

    @rule(rule_id, T, ["LS", "DECOM", "DEC"], f"LS {status} lasts at most {days} days"
          + (" (a run of episodes with it counted together" if chained else " (each episode")
          + "; an open episode to the year's end)")
    def check(ctx: Context, r: Rule) -> list[Problem]:
        frame = ctx.episodes.filter(pl.col("DECOM").is_not_null()).with_columns(
            pl.coalesce("DEC", END).alias("_until"))
        mine = pl.col("LS") == status
        if chained:
            joins = mine & pl.col("prev_LS").eq_missing(status) & pl.col("prev_DEC").eq_missing(pl.col("DECOM"))
            frame = frame.with_columns((~joins).cum_sum().alias("_run")).with_columns(
                pl.col("DECOM").filter(mine).min().over("_run").alias("_from"),
                pl.col("_until").filter(mine).max().over("_run").alias("_to"))
        else:
            frame = frame.with_columns(pl.col("DECOM").alias("_from"), pl.col("_until").alias("_to"))
        frame = frame.with_columns((pl.col("_to") - pl.col("_from")).dt.total_days().alias("_days"))

        def text(row: dict[str, Any]) -> str:
            if row["_from"] != row["DECOM"] or row["_to"] != row["_until"]:
                lasted = (f"it lasted {row['_days']} days, from {row['_from']:%d/%m/%Y} to {row['_to']:%d/%m/%Y}, "
                          f"over this episode and the ones next to it with LS {status}")
            else:
                lasted = f"this episode lasted {row['_days']} days"
            if row["DEC"] is None:
                lasted += " (it is still open, so it counts to the end of the year)"
            return f"{what} can last at most {days} days, but {lasted}"

        return flag(ctx, r, frame, mine & (pl.col("_days") > days), text)


_legal_status_length_rule("361", "L1", 3, "police protection (L1)")
_legal_status_length_rule("362", "L2", 21, "an emergency protection order (L2)")
_legal_status_length_rule("363", "L3", 7, "a child assessment order (L3)")
_legal_status_length_rule("365", "V3", 17, "a single short break (V3)", chained=False)
_length_rule("375", "PLACE", "T1", 42, "a temporary stay in hospital (T1)")
_length_rule("376", "PLACE", "T3", 21, "a temporary placement while the foster carer is on holiday (T3)")
_length_rule("379", "PLACE", "T4", 7, "a temporary placement for another reason (T4)")


def _age_rule(rule_id: str, column: str, values: list[str], when: str, test: str, years: int,
              text: str, first: int = FIRST_YEAR) -> None:
    """A rule on the child's age (from the Header's DOB) on ``when`` for episodes with these codes."""

    @rule(rule_id, T, [column, when], text, first=first)
    def check(ctx: Context, r: Rule) -> list[Problem]:
        frame = ctx.with_dob(T)
        age = age_on(DOB, when)
        too = age < years if test == "under" else age >= years
        mask = pl.col(column).is_in(values) & too
        return flag(ctx, r, frame, mask,
                    lambda row: f"{text}, but the child was {'under' if test == 'under' else 'aged'} "
                                f"{years}{'' if test == 'under' else ' or over'} on {when} "
                                f"{row[when]:%d/%m/%Y} (born {row[DOB]:%d/%m/%Y})")


_age_rule("352", "RNE", ["S"], "DECOM", "over", 18, "a child starting to be looked after (RNE S) is under 18")
_age_rule("358", "LS", ["J1", "J2", "J3"], "DECOM", "under", 10, "legal status J1-J3 is for a child of 10 or over")
_age_rule("372", "PLACE", ["R5"], "DECOM", "under", 10, "youth custody or prison (R5) is for a child of 10 or over")
_age_rule("373", "PLACE", ["S1"], "DECOM", "under", 4, "a residential school (S1) is for a child of 4 or over")
_age_rule("374", "PLACE", ["P3"], "DECOM", "under", 14, "residential employment (P3) is for a child of 14 or over")


@rule("371", T, ["PLACE", "DECOM"], "semi-independent accommodation (H5) is for a child of 14 or over until "
                                     "2022-23 and 16 or over in 2023-24; supported accommodation (K3) for 16 or "
                                     "over from 2024-25")
def supported_accommodation_age(ctx: Context, r: Rule) -> list[Problem]:
    """The DfE's rule 371 follows the law: unregulated accommodation for 14-15-year-olds was banned
    in September 2021 and 16-17-year-olds need registered supported accommodation (K3) from 2024-25."""
    frame = ctx.with_dob(T)
    age = age_on(DOB, "DECOM")
    year = pl.col("_ys")
    mask = (((year <= 2022) & (pl.col("PLACE") == "H5") & (age < 14))
            | ((year == 2023) & (pl.col("PLACE") == "H5") & (age < 16))
            | ((year >= 2024) & (pl.col("PLACE") == "K3") & (age < 16)))
    return flag(ctx, r, frame, mask,
                lambda row: f"placement {row['PLACE']} is for a young person of "
                            f"{14 if row['_ys'] <= 2022 else 16} or over in {row['_year']}, but the child was "
                            f"{_age(row)} on DECOM {row['DECOM']:%d/%m/%Y} (born {row[DOB]:%d/%m/%Y})")


def _age(row: dict[str, Any]) -> int:
    born, on = row[DOB], row["DECOM"]
    age: int = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age
_age_rule("386", "REC", ["E11", "E12"], "DEC", "over", 18, "adoption (REC E11, E12) is for a child under 18")
_age_rule("407", "REC", ["E45", "E46", "E47", "E48"], "DEC", "over", 18,
          "a special guardianship order (REC E45-E48) is for a child under 18")
_age_rule("387", "REC", ["E5", "E6"], "DEC", "under", 14,
          "moving to independent living (REC E5, E6) is for a child of 14 or over")
_age_rule("389", "REC", ["E7"], "DEC", "under", 16, "moving to adult social care (REC E7) is for a child of 16 or over")
_age_rule("460", "REC", ["E17"], "DEC", "under", 18,
          "staying with carers at 18 (REC E17) is for a young person aged 18 or over")
_age_rule("234", "REASON_PLACE_CHANGE", ["CUSTOD"], "DECOM", "under", 10,
          "a placement change for custody (CUSTOD) is for a child of 10 or over", first=2025)


@rule("302", T, ["DECOM"], "no episode starts before the child was born")
def not_before_birth(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.with_dob(T)
    return flag(ctx, r, frame, pl.col("DECOM") < pl.col(DOB),
                lambda row: f"the episode starts before the child's date of birth ({row[DOB]:%d/%m/%Y} in the Header)")


@rule("392c", T, ["HOME_POST", "PL_POST"], "postcodes are written as UK postcodes", severity=WARNING)
def postcodes_shaped(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T)
    found = []
    for column in ("HOME_POST", "PL_POST"):
        bad = pl.col(column).is_not_null() & ~postcode_shaped(column)
        # One problem per row, as the DfE counts it: the home postcode's, else the placement's.
        if column == "PL_POST":
            bad = bad & (pl.col("HOME_POST").is_null() | postcode_shaped("HOME_POST"))
        found += flag(ctx, r, frame, bad, "is not a UK postcode (for example NR1 2DH): a postcode's letters and "
                                          "digits go in set places, and the DfE looks each one up", column=column)
    return found


def _uasc_children(ctx: Context) -> pl.DataFrame:
    """Children with a UASC row, and the day their status ceased (null: not ceased)."""
    if not ctx.has("UASC"):
        return pl.DataFrame(schema={"CHILD": pl.Utf8, "_uasc": pl.Boolean, "_duc": pl.Date})
    return (ctx.table("UASC").filter(pl.col("CHILD").is_not_null()).group_by("CHILD")
            .agg(pl.col("DUC").max().alias("_duc"), pl.col("DUC").is_null().any().alias("_open"))
            .select("CHILD", pl.lit(True).alias("_uasc"),
                    pl.when(pl.col("_open")).then(None).otherwise(pl.col("_duc")).alias("_duc")))


@rule("392b", T, ["HOME_POST", "PL_POST", "LS"], "postcodes are given (except short breaks V3, V4)",
      severity=WARNING)
def postcodes_given(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T).join(_uasc_children(ctx), on="CHILD", how="left")
    needed = ~pl.col("LS").is_in(["V3", "V4"]) & (pl.col("DEC").is_null() | (pl.col("DEC") >= pl.col(START)))
    found = flag(ctx, r, frame, needed & pl.col("PL_POST").is_null(),
                 "the placement postcode is needed to work out the placement's distance from home",
                 column="PL_POST")
    found += flag(ctx, r, frame, needed & pl.col("HOME_POST").is_null() & pl.col("_uasc").is_null(),
                  "the home postcode is needed to work out the placement's distance from home "
                  "(it is left blank only for an unaccompanied asylum-seeking child)", column="HOME_POST")
    return found


@rule("392d", T, ["HOME_POST", "PL_POST", "PLACE"], "home and placement postcodes differ unless placed with parents")
def home_not_placement(ctx: Context, r: Rule) -> list[Problem]:
    mask = (pl.col("HOME_POST") == pl.col("PL_POST")) & (pl.col("PLACE") != "P1")
    return flag(ctx, r, ctx.table(T), mask,
                lambda row: f"the placement postcode is the same as the home postcode, which only fits a child "
                            f"placed with parents (P1), not {row['PLACE']}", column="PL_POST")


@rule("406", T, ["HOME_POST"], "no placement distance (home and placement postcodes both given) for a child "
                               "who is or was in the last two years an unaccompanied asylum-seeking child")
def uasc_no_home(ctx: Context, r: Rule) -> list[Problem]:
    frame = ctx.table(T).join(_uasc_children(ctx), on="CHILD", how="left")
    # UASC this year or in the two before: the status had not ceased before the year two years back began.
    recent = pl.col("_uasc").is_not_null() & (pl.col("_duc").is_null() | pl.col(START).is_null()
                                              | (pl.col("_duc") >= pl.col(START).dt.offset_by("-2y")))
    distance = pl.col("HOME_POST").is_not_null() & postcode_shaped("HOME_POST") & postcode_shaped("PL_POST")
    return flag(ctx, r, frame, recent & distance.fill_null(False),
                "the child is (or was, in this year or the two before) an unaccompanied asylum-seeking child (in "
                "the UASC table): no distance from home is worked out for them, so leave the home postcode blank")
