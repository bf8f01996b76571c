"""Conditions written so that PostgreSQL can plan a prepared query once.

The service has psycopg prepare the queries a connection repeats (``nwd.settings``,
docs/decisions/0011-prepared-statements.md). PostgreSQL then plans a statement once for any values
(a generic plan), unless that plan looks costlier than the ones made for the values of each call,
in which case it plans afresh on every call. A partial index is usable in the generic plan only
where the query's text itself shows the index's condition: with the value bound as a parameter,
the plan must serve any value, so the index is left out, the rows are guessed from the column's
statistics (two referrals in three "not closed"), and the statement is planned on every request.
"""

from __future__ import annotations

import re

from django.db.models import CharField, Q
from django.db.models.expressions import RawSQL

from nwd.casework.choices import ReferralStatus


def constant(word: str) -> RawSQL:
    """``word`` (a choice's value: lower-case letters and underscores) written into the SQL as a
    quoted constant rather than sent as a parameter."""
    if not re.fullmatch(r"[a-z_]+", word):
        raise ValueError(f"not a plain word: {word!r}")
    return RawSQL(f"'{word}'", (), output_field=CharField())  # noqa: S611 (a plain word, checked above)


def not_closed() -> Q:
    """Referrals not closed (waiting for a decision): the condition of the partial index
    ``referral_waiting`` (``casework.models.Referral``), as a constant, so that a generic plan
    reads the few waiting referrals from the index."""
    return ~Q(status=constant(ReferralStatus.CLOSED))
