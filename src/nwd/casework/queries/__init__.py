"""Reads the practitioner pages share, one module per page or job.

- ``alerts``: what needs attention, as database annotations on any list of young people;
- ``caseloads``: the lists on the homes (a key worker's, a hub's, a specialist's, missing now) and
  the staff of a hub with their caseloads;
- ``referral_queue``: the hub manager's queue of referrals;
- ``referral_matches``: the records a referral's young person may be, and the young person as the
  referral named them;
- ``young_person``: the young person's page, and who a restriction may name;
- ``search``: young people by name, council child id or date of birth.

Every function makes a fixed number of queries whatever the length of a young person's history or
the size of a caseload (tests assert the counts): alerts are computed by the database as
annotations, never row by row in Python. Functions take a queryset of the young people the user
may see (``nwd.access`` scopes) rather than a user, so the scope is decided once, by the access
policy, and these reads cannot widen it.

Every name stays importable from ``nwd.casework.queries`` (the names below), so callers need not
know which module holds it.
"""

from __future__ import annotations

from nwd.casework.queries.alerts import (
    ALERT_PERMISSIONS,
    NO_CONTACT_DAYS,
    REVIEW_DUE_SOON_DAYS,
    Alert,
    AlertedPerson,
    Viewer,
    alerts_of,
    among,
    with_alert_words,
    with_alerts,
)
from nwd.casework.queries.caseloads import (
    KEY_WORKER_ROLES,
    caseloads,
    caseloads_by_hub,
    hub_young_people,
    hub_young_people_read,
    my_young_people,
    my_young_people_for_home,
    search_missing_now,
    young_people_drawn_in_for,
)
from nwd.casework.queries.referral_matches import (
    MATCHED_ON,
    AsReferred,
    Details,
    details_of,
    name_referrals,
    possible_matches,
    referral_matches,
)
from nwd.casework.queries.referral_queue import referrals_decided_awaiting_support, referrals_waiting
from nwd.casework.queries.search import (
    SEARCH_LIMIT,
    parse_date,
    search_condition,
    search_results,
    search_young_people,
)
from nwd.casework.queries.young_person import (
    SECTIONS,
    GoalLine,
    PlanArea,
    YoungPersonPage,
    plan_areas,
    who_may_be_named,
    young_person_page,
)

__all__ = [
    "ALERT_PERMISSIONS",
    "KEY_WORKER_ROLES",
    "MATCHED_ON",
    "NO_CONTACT_DAYS",
    "REVIEW_DUE_SOON_DAYS",
    "SEARCH_LIMIT",
    "SECTIONS",
    "Alert",
    "AlertedPerson",
    "AsReferred",
    "Details",
    "GoalLine",
    "PlanArea",
    "Viewer",
    "YoungPersonPage",
    "alerts_of",
    "among",
    "caseloads",
    "caseloads_by_hub",
    "details_of",
    "hub_young_people",
    "hub_young_people_read",
    "my_young_people",
    "my_young_people_for_home",
    "name_referrals",
    "parse_date",
    "plan_areas",
    "possible_matches",
    "referral_matches",
    "referrals_decided_awaiting_support",
    "referrals_waiting",
    "search_condition",
    "search_missing_now",
    "search_results",
    "search_young_people",
    "who_may_be_named",
    "with_alert_words",
    "with_alerts",
    "young_people_drawn_in_for",
    "young_person_page",
]

from nwd.casework.queries.duplicates import PossibleDuplicate, possible_duplicates  # noqa: E402  (issue 16)

__all__ += ["PossibleDuplicate", "possible_duplicates"]
