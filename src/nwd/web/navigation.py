"""The service navigation: only what the signed-in user's role may use.

Each item names its URL and the permission it needs. Items whose page does not exist yet (the
practitioner pages, the evaluation dashboard) are left out until their URL is added, so another
app adds its page to the menu by giving its URL the name listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch

from nwd.access.policy import is_policy_permission
from nwd.access.relations import user_key
from nwd.access.second_factor import passed
from nwd.web.html import links


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    description: str = ""


ITEMS = [
    NavItem("Home", "home", None),
    NavItem("Referrals", "web:referral_queue", "casework.triage_referrals", "referrals waiting for a decision"),
    NavItem("Refer a young person", "web:referral_new", "casework.submit_referral", "send a referral"),
    NavItem("My referrals", "web:referrals_mine", "casework.view_referral", "follow the referrals you have sent"),
    NavItem("Bed board", "web:bed_board", "hubs.view_bed_board", "who is in which bed, and free beds"),
    NavItem("Search", "web:search", "casework.search", "find a young person by name, id or date of birth"),
    NavItem("Outcomes", "evaluation:dashboard", "evaluation.view_dashboard", "the outcome indicators"),
    NavItem("Forecast", "forecast:index", "forecast.use", "care population and cost, with and without the service"),
    NavItem("Providers", "placements:register", "placements.view_register", "providers, their quality and placements"),
    NavItem("Flagged placements", "placements:flagged", "placements.view_flagged", "unlawful and unsuitable placements"),
    NavItem("Sufficiency", "placements:sufficiency", "placements.view_sufficiency", "places now and the places needed"),
    NavItem("SSDA903 return", "returns:index", "returns.export_903", "the looked-after children return"),
    # Care leavers and Ofsted's Annex A (issue 17).
    NavItem("Care leavers", "leavers:index", "leavers.view_care_leaver", "care leavers, their plans and visits"),
    NavItem("Annex A", "leavers:annex_a", "leavers.annex_a", "Ofsted's lists of children in care and care leavers"),
    # The hubs as registered children's homes (issue 15).
    NavItem("Home's records", "homes:index", "homes.keep_visitors", "visitors, regulation 44 and 45 reports, admissions"),
    # Possible duplicate records and their merge (issue 16).
    NavItem("Duplicates", "web:duplicates", "casework.merge_duplicates", "young people who may be recorded twice"),
    # The hubs as children's homes (issue 15).
    NavItem("Home records", "safeguarding:index", "safeguarding.view_records",
            "restraints, notifications, return interviews and Ofsted's counts"),
    NavItem("Audit log", "access:audit_log", "access.view_audit", "who read, changed or signed in to what"),
]


@dataclass(frozen=True)
class ShownItem:
    label: str
    url_name: str
    url: str
    current: bool
    description: str


# The items each user's role-level answers allow, by what those answers depend on (``user_key``):
# a page asked some twenty ``has_perm`` for its menu (~0.8 ms of CPU). Emptied when full.
_allowed: dict[tuple, tuple[NavItem, ...]] = {}
MAX_KEPT = 1024


def allowed_items(user) -> tuple[NavItem, ...]:
    """The items whose permission ``user`` may ever use (a role-level ``has_perm``), worked out once a
    process for each ``nwd.access.relations.user_key``: the policy's role-level answer depends on
    nothing else about the user, and on nothing in the database (``Relation._possible``). A
    permission outside the policy (none today) is asked every time."""
    key = user_key(user)
    found = _allowed.get(key)
    if found is None:
        found = tuple(item for item in ITEMS
                      if not item.permission or not is_policy_permission(item.permission) or user.has_perm(item.permission))
        if len(_allowed) >= MAX_KEPT:
            _allowed.clear()
        _allowed[key] = found
    return tuple(item for item in found
                 if not item.permission or is_policy_permission(item.permission) or user.has_perm(item.permission))


def items_for(request) -> list[ShownItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not passed(request):
        return []  # nothing to offer until the second factor is passed
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    shown = []
    link_to = links()  # the script prefix and URL configuration read once, not once an item
    for item in allowed_items(user):
        try:
            url = link_to(item.url_name)  # reversed once a process (nwd.web.html)
        except NoReverseMatch:
            continue
        shown.append(ShownItem(item.label, item.url_name, url, here == item.url_name, item.description))
    return shown
