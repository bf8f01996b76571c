"""Which leaving-care category the care history puts a young person in, where the law lets it be derived.

Children Act 1989 (as amended by the Children (Leaving Care) Act 2000) and the Care Leavers
(England) Regulations 2010:

- **eligible**: 16 or 17, still looked after, and looked after for at least 13 weeks (in total)
  since the age of 14, ending after the 16th birthday;
- **relevant**: 16 or 17, no longer looked after, and was eligible when they left care;
- **former relevant**: 18 to 25, and was eligible or relevant;
- **qualifying**: 16 to 25 (21 for most duties), looked after at some time after the 16th
  birthday without meeting the 13 weeks (and others the records cannot show: special guardianship
  after care, privately fostered, accommodated in a health or education setting for 3 months).

Respite care (a pre-planned series of short breaks, legal status V3 or V4) does not count. What the
records cannot show (a detention, a special guardianship order) is recorded by hand on the care
leaver's record: the derivation is a starting point and says why it chose what it chose.

Pure Python: the care history comes in as (DECOM, DEC, LS) triples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

THIRTEEN_WEEKS = 91
SHORT_BREAKS = frozenset({"V3", "V4"})
OLDEST = 25


def _birthday(dob: dt.date, age: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February
        return dt.date(dob.year + age, 3, 1)


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@dataclass(frozen=True)
class Derived:
    category: str | None  # a value of ``nwd.leavers.choices.Category``, or None: not a care leaver
    reason: str
    left_care: dt.date | None  # the day the last episode (after 16) ceased; None if still looked after


def derive(dob: dt.date, episodes: Iterable[tuple[dt.date, dt.date | None, str]], on: dt.date) -> Derived:
    """The category on ``on`` of a young person born ``dob`` with these episodes of care."""
    counted = sorted((decom, dec, ls) for decom, dec, ls in episodes if ls not in SHORT_BREAKS and decom <= on)
    age = _age(dob, on)
    if not counted:
        return Derived(None, "No episode of care (other than short breaks) is recorded.", None)
    if age < 16:
        return Derived(None, "Under 16: not yet a care leaver.", None)
    if age > OLDEST:
        return Derived(None, f"Over {OLDEST}: the leaving-care duties have ended.", None)
    fourteen, sixteen = _birthday(dob, 14), _birthday(dob, 16)
    days_since_14 = 0
    last_end: dt.date | None = None
    open_now = False
    for decom, dec, _ls in counted:
        end = on if dec is None or dec > on else dec
        if dec is None or dec > on:
            open_now = True
        start = max(decom, fourteen)
        if end > start:
            days_since_14 += (end - start).days
        last_end = end if last_end is None else max(last_end, end)
    after_16 = last_end is not None and (open_now or last_end > sixteen)
    weeks = days_since_14 // 7
    if not after_16:
        return Derived(None, "Not looked after on or after the 16th birthday.", None)
    met = days_since_14 >= THIRTEEN_WEEKS
    left = None if open_now else last_end
    if not met:
        return Derived("qualifying", f"Looked after after the 16th birthday, but {weeks} weeks since the 14th "
                       "(fewer than 13).", left)
    if age < 18 and open_now:
        return Derived("eligible", f"16 or 17 and looked after, {weeks} weeks since the 14th birthday.", None)
    if age < 18:
        return Derived("relevant", f"Left care at 16 or 17 after {weeks} weeks looked after since the 14th "
                       "birthday.", left)
    return Derived("former_relevant", f"18 or over, and was eligible: {weeks} weeks looked after since the "
                   "14th birthday, ending after the 16th.", left)
