"""Every rate and proportion the synthetic county is drawn with, in one place, with its source.

Figures marked "domain" come from ../shared/domain.md (Norfolk's December 2020 cabinet papers, the
Loughborough evaluation of North Yorkshire's service, the unit-cost sources in its section 5).
Figures marked "England" are rounded national shapes (the DfE's looked-after children statistics),
used where the domain gives none; figures marked "tuned" were set so that the county comes out at
the sizes the domain states (1,100 looked after, about 430 entries a year). Nothing else reads
these as facts: they make a county plausible enough to judge the product by, no more.
"""

from __future__ import annotations

# --- Sizes at scale 1 (domain: two hubs, 4 + 2 beds each, ~350 referrals in three years) ---------
HUBS_PER_SCALE = 2
RESIDENTIAL_BEDS = 4
EMERGENCY_BEDS = 2
REFERRALS_PER_SCALE = 350  # over the three years since go-live
QUEUE_PER_SCALE = 4  # referrals still waiting for a decision at as-of
SERVICE_YEARS = 3
HISTORY_YEARS = 10  # care history spans ten years before as-of (forecast back-tests, several 903 years)

# --- The looked-after population (domain: ~1,100 looked after, ~100 UASC) -----------------------
LAC_TARGET = 1100  # looked after at as-of, scale 1 (the care history is calibrated to it)
UASC_TARGET = 100  # of whom unaccompanied asylum-seeking children
LAC_THROUGH_SERVICE = 15  # about this many more come into care through the service's referrals
FIRST_ENTRIES_PER_YEAR = 345.0  # tuned: with re-entries, UASC and service entries ~430 a year
ENTRY_GROWTH_PER_YEAR = 0.005  # England: entries drifted up over the decade
REENTRY_CHANCE = 0.22  # England: about a fifth of returns home come back into care
UASC_PER_YEAR_EARLY = 32.0  # tuned: a few more than ~100 UASC looked after at as-of
UASC_PER_YEAR_LATE = 70.0  # arrivals rose from 2021 (national transfer scheme)
BURN_IN_YEARS = 18  # entries are simulated this long before the history starts, so the stock at
# the start of the history has realistic lengths of stay

# Age at entry to care, England: under 1, 1-4, 5-9, 10-15, 16-17.
ENTRY_AGE_BANDS = ((0, 1), (1, 5), (5, 10), (10, 16), (16, 18))
ENTRY_AGE_SHARES = (0.19, 0.15, 0.17, 0.34, 0.15)

# How a period of care ends, by age band at entry (England shapes, tuned so the mean stay is ~2.5 years).
ROUTES = ("adoption", "home", "sgo", "cao", "until18", "other")
ROUTE_SHARES = {
    0: (0.40, 0.29, 0.22, 0.01, 0.08, 0.00),
    1: (0.22, 0.37, 0.24, 0.02, 0.15, 0.00),
    2: (0.02, 0.44, 0.20, 0.07, 0.25, 0.02),
    3: (0.00, 0.47, 0.05, 0.03, 0.35, 0.10),
    4: (0.00, 0.28, 0.00, 0.00, 0.62, 0.10),
}
# Median length (days) and spread (sigma of the log) of each route's period.
ROUTE_DAYS = {
    "adoption": (640, 0.30),
    "home": (170, 1.05),
    "sgo": (520, 0.45),
    "cao": (420, 0.50),
    "other": (200, 0.90),
}

# Category of need (CIN), England shares.
CIN_CODES = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
CIN_SHARES = (0.64, 0.03, 0.04, 0.08, 0.13, 0.03, 0.005, 0.045)

# Placement groups at as-of (brief, from the domain's cost lines; England's mix is similar).
PLACEMENT_MIX = {
    "kinship_fostering": 0.16,
    "in_house_fostering": 0.30,
    "agency_fostering": 0.20,
    "in_house_residential": 0.03,
    "private_residential": 0.10,
    "secure": 0.01,
    "supported": 0.09,
    "with_parents": 0.07,
    "adoption": 0.02,
    "other": 0.02,
}
# Placement chosen at a move, by age band at the move: 0-4, 5-9, 10-15, 16-17 (tuned so the
# population at as-of comes out near PLACEMENT_MIX before the final rebalancing).
PLACEMENT_CHOICE = {
    0: {"kinship_fostering": 0.22, "in_house_fostering": 0.48, "agency_fostering": 0.21,
        "with_parents": 0.07, "other": 0.02},
    1: {"kinship_fostering": 0.22, "in_house_fostering": 0.42, "agency_fostering": 0.25,
        "with_parents": 0.07, "in_house_residential": 0.01, "private_residential": 0.02, "other": 0.01},
    2: {"kinship_fostering": 0.14, "in_house_fostering": 0.27, "agency_fostering": 0.22,
        "in_house_residential": 0.04, "private_residential": 0.17, "secure": 0.015,
        "with_parents": 0.08, "other": 0.025},
    3: {"kinship_fostering": 0.08, "in_house_fostering": 0.15, "agency_fostering": 0.12,
        "in_house_residential": 0.03, "private_residential": 0.12, "secure": 0.01,
        "supported": 0.37, "with_parents": 0.06, "other": 0.04},
}
MOVES_PER_YEAR = (0.07, 0.09, 0.14, 0.16)  # placement moves per year in care, by the same age bands
TEMPORARY_PER_YEAR = 0.015  # T0-T4 placements per year in care (holiday cover, hospital)

# Weekly cost (domain section 5), at as-of prices, median and spread (sigma of the log). Earlier
# episodes are cheaper by COST_GROWTH a year: placement prices rose faster than inflation.
WEEKLY_COST = {
    "kinship_fostering": (320.0, 0.25),
    "in_house_fostering": (646.0, 0.20),  # PSSRU 2017
    "agency_fostering": (820.0, 0.18),  # CMA 2021
    "in_house_residential": (3000.0, 0.20),  # PSSRU 2016
    "private_residential": (5200.0, 0.50),  # CMA 3,830 average to NAO 6,100; heavy tail, some > 10,000
    "secure": (7500.0, 0.20),
    "supported": (650.0, 0.70),  # FOI: 621, range 260 to 6,776
    "with_parents": (60.0, 0.50),
    "adoption": (150.0, 0.30),
    "other": (2200.0, 0.60),
}
COST_GROWTH = 0.05
OUT_OF_AREA = {  # share placed outside the council's area (domain: heavy reliance on out-of-county)
    "kinship_fostering": 0.15,
    "in_house_fostering": 0.05,
    "agency_fostering": 0.22,
    "in_house_residential": 0.0,
    "private_residential": 0.40,  # ~30% of all residential (in-house homes are in the county)
    "secure": 0.75,
    "supported": 0.15,
    "with_parents": 0.08,
    "adoption": 0.30,
    "other": 0.35,
}

# --- The service (domain section 1 and 3) -------------------------------------------------------
SOURCE_AGENCIES = ("police", "school", "social_care", "health", "camhs", "youth_justice", "housing",
                   "family", "voluntary", "other")
SOURCE_SHARES = (0.21, 0.19, 0.26, 0.06, 0.06, 0.06, 0.04, 0.07, 0.03, 0.02)
REFERRAL_AGES = tuple(range(12, 26))
REFERRAL_AGE_SHARES = (0.06, 0.12, 0.17, 0.20, 0.18, 0.12, 0.05, 0.03, 0.02, 0.015, 0.012, 0.01,
                       0.008, 0.005)
URGENCY_SHARES = {"routine": 0.64, "urgent": 0.26, "emergency": 0.10}
# Decisions (brief: most outreach, some hub stays and emergency beds, 10-15% warm handover).
DECISION_SHARES = {"outreach": 0.58, "hub_stay": 0.18, "emergency_bed": 0.11, "handover": 0.13}
# Care status at referral: looked after, a care leaver (18+), looked after before, never.
IN_CARE_AT_REFERRAL = 0.22
CARE_LEAVER_AT_REFERRAL = 0.55  # of those aged 18 or more
PREVIOUSLY_IN_CARE = 0.05
ENTERS_CARE_WITHIN_18_MONTHS = 0.14  # of those not looked after (domain: 86% stayed out of care)
RE_REFERRAL_CHANCE = 0.05

INVOLVEMENT_DAYS = (270, 0.55)  # median and spread of a young person's time with the service
KEY_WORKER_CHANGE_CHANCE = 0.16  # a change for a reason other than the key worker leaving
STAFF_LEAVING_PER_YEAR = 0.10  # key workers and residential workers who leave, a year

# Hub stays: emergency stays of days, residential stays of weeks (domain: in quickly, out slowly).
EMERGENCY_STAY_DAYS = (3, 0.55)
RESIDENTIAL_STAY_DAYS = (66, 0.45)
OUTREACH_EMERGENCY_STAY = 0.18  # outreach young people who use an emergency bed at some point
OUTREACH_RESIDENTIAL_STAY = 0.08  # and who have a planned residential stay (a break for everyone)
SECOND_RESIDENTIAL_STAY = 0.35

# Events a year, per young person, before support (domain: North Yorkshire, 355 young people:
# 503 missing incidents the year before, 253 after; arrests ~38-40% lower after support).
MISSING_PER_YEAR = 503 / 355
MISSING_AFTER_FACTOR = 253 / 503
ARRESTS_PER_YEAR = 0.45
ARREST_AFTER_FACTOR = 0.61
CALL_OUTS_PER_YEAR = 0.6
VICTIM_PER_YEAR = 0.25
POLICE_OTHER_AFTER_FACTOR = 0.75
AE_PER_YEAR = 0.55
ADMISSIONS_PER_YEAR = 0.12
CRISIS_PER_YEAR = 0.30
HEALTH_AFTER_FACTOR = 0.72
SEXUAL_EXPLOITATION_CHANCE = 0.18
CRIMINAL_EXPLOITATION_CHANCE = 0.17
SUBSTANCE_REDUCED = 0.32  # domain: substance use stopped or reduced for 32% of the cohort

# Missing episodes of looked-after children outside the service (the 903 Missing table).
LAC_MISSING_SHARE = 0.15  # of children aged 11 or more in care, those who go missing at all
LAC_MISSING_PER_YEAR = 2.6
