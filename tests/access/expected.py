"""What each cell of docs/permissions.md means in the hand-built population, written from the
document's words ("young people with an involvement at the user's hub...") and the population's
design, not from the code under test."""

from __future__ import annotations

from nwd.access.roles import HUB_ROLES, SPECIALIST_ROLES, Role

# Young people (see population.py for who is who)
AT_MY_HUB = {"keyworked", "hub", "hub_closed", "restricted_named"}  # an involvement at HUB, not restricted
KEY_WORKED_BY_ME = {"keyworked", "restricted_named"}  # the key worker user's current allocations
SUPPORTED_NOW = {"keyworked", "hub", "other_hub", "drawn", "drawn_ended", "restricted_named"}
KNOWN = {"keyworked", "hub", "hub_closed", "other_hub", "drawn", "drawn_ended", "referred", "handover",
         "restricted_named"}
LEAVERS = {"leaver_mine", "leaver_other"}  # known only from care data, with a care leaver's record
EVERY = KNOWN | {"care_only"} | LEAVERS
AWAITING = {"referred"}  # "restricted" awaits too, but it is restricted and nobody is named


def young_people(label: str, role: str) -> set[str]:
    at_hub = role in HUB_ROLES
    mine = KEY_WORKED_BY_ME if role == Role.KEY_WORKER else set()
    return {
        "every record": EVERY,
        "all": KNOWN,
        "hub": (AT_MY_HUB if at_hub else set()) | mine,
        "hub + queue": (AT_MY_HUB if at_hub else set()) | mine | AWAITING,
        "key worker": mine,
        "drawn in": {"drawn"} if role in SPECIALIST_ROLES else set(),
        # "at the user's hub, if they have one": hub staff see their hub's; the police liaison officer
        # and the service manager, who have none, every young person supported now.
        "supported now": (SUPPORTED_NOW & AT_MY_HUB) if at_hub else SUPPORTED_NOW,
        # Care leavers: the personal adviser's own ("leaver_mine"), and every care leaver.
        "own care leavers": {"leaver_mine"} if role == Role.PERSONAL_ADVISER else set(),
        "care leavers": LEAVERS,
    }[label]


ALL_REFERRALS = {"referred", "colleague", "other_org", "handover", "keyworked", "drawn"}  # not "restricted"


def referrals(label: str, role: str) -> set[str]:
    at_hub = role in HUB_ROLES
    return {
        "all": ALL_REFERRALS,
        "own agency": {"referred", "colleague"} if role == Role.PARTNER_REFERRER else set(),
        "hub": {"colleague", "keyworked"} if at_hub or role == Role.KEY_WORKER else set(),
    }[label]


# Notes at HUB written by each hub role's user (population.py), besides "hub", written by a second key worker
HUB_NOTES_BY = {f"hub_by_{role}" for role in HUB_ROLES}


def contacts(label: str, role: str, keys: set[str]) -> set[str]:
    at_hub = role in HUB_ROLES
    return {
        "all": keys - {"restricted"},
        "hub": {"hub", *HUB_NOTES_BY} if at_hub else set(),
        "own notes": {f"drawn_by_{role}"} if role in SPECIALIST_ROLES else set(),
        "own notes at hub": {f"hub_by_{role}"} if at_hub and f"hub_by_{role}" in keys else set(),
        "own notes anywhere": {f"by_{role}"} & keys,
    }[label]


def hubs(label: str, role: str) -> set[str]:
    return {
        "all": {"hub", "other_hub"},
        "own hub": {"hub"} if role in HUB_ROLES else set(),
        # The inspector's grant runs at "hub"; the one at "other_hub" has expired (population.py).
        "inspected hub": {"hub"} if role == Role.INSPECTOR else set(),
    }[label]


def documents(label: str, role: str, keys: set[str]) -> set[str]:
    """Documents (issue 16): a key is its young person's, with "_police" when shared with police."""
    def about(people: set[str], shared_only: bool = False) -> set[str]:
        return {k for k in keys if k.removesuffix("_police") in people and (k.endswith("_police") or not shared_only)}

    return {
        "hub": about(young_people("hub", role)),
        "all": about(KNOWN),
        "drawn in": about(young_people("drawn in", role)),
        "shared with police": about(young_people("supported now", role), shared_only=True),
    }[label]
