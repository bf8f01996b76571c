"""What an audit event says to a person reading the log: a sentence, not a code and a note side by side.

The log stores an action ("list") and a short note of where it happened ("home page"); put together
as they were ("Saw in a list home page") they read as a machine's. ``what_happened`` turns the pair
into one sentence ("Saw the young person listed on the home page"), keeping the note itself only
when it says more than the sentence can (a file name, the filters of a search of the log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nwd.access.models import Action

# Where a young person's name was listed, by the note the page records (nwd.web.pages, evaluation).
LISTED_ON = {
    "home page": "on the home page",
    "referrals": "in the list of referrals",
    "referral queue": "in the referral queue",
    "bed board": "on the bed board",
    "hub's young people": "in the list of the hub's young people",
}
POSSIBLE_MATCH = re.compile(r"possible matches for referral (\d+)")


@dataclass(frozen=True)
class WhatHappened:
    sentence: str
    note: str = ""


def what_happened(event) -> WhatHappened:
    """The sentence for ``event`` (an AuditEvent), and the note still worth showing beneath it."""
    action, detail = event.action, (event.detail or "").strip()
    if action == Action.LIST:
        if detail in LISTED_ON:
            return WhatHappened(f"Saw the young person listed {LISTED_ON[detail]}")
        if detail.startswith("evidence: "):
            return WhatHappened("Saw the young person listed behind a figure on the outcomes page",
                                detail.removeprefix("evidence: "))
        return WhatHappened("Saw the young person listed", detail)
    if action == Action.SEARCH:
        match = POSSIBLE_MATCH.fullmatch(detail)
        if match:
            return WhatHappened(f"Found the young person as a possible match for referral {match.group(1)}")
        # A search's words stay in the log, not in the sentence: they may be a keyed hash.
        return WhatHappened("Found the young person by searching", detail)
    if action == Action.VIEW and event.young_person_id and not detail:
        return WhatHappened("Opened the young person's record")
    return WhatHappened(Action(action).label if action in Action.values else action, detail)
