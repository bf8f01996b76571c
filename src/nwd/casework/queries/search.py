"""Search: young people by name, council child id or date of birth, within what the user may see."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone

from nwd.casework import prepared
from nwd.casework.models import YoungPerson
from nwd.casework.queries.alerts import AlertedPerson, Viewer, with_alert_words, with_alerts
from nwd.core import dates

_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%d %B %Y", "%d %b %Y")
SEARCH_LIMIT = 50
TRIGRAM = 3  # the shortest word a trigram index can find


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` is written as, in any of the forms people type one, or None."""
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def search_condition(text: str) -> Q | None:
    """What a search for ``text`` matches, or None for an empty search.

    A date (27/03/2010, 2010-03-27, 27 March 2010) matches the date of birth; text with a digit
    matches the council child id (exactly, or its start) or the UPN; anything else matches every
    word against given, preferred and family names.
    """
    text = (text or "").strip()
    if not text:
        return None
    born = parse_date(text)
    if born is not None:
        return Q(date_of_birth=born)
    if re.search(r"\d", text):
        return Q(child_id__iexact=text) | Q(child_id__istartswith=text) | Q(upn__iexact=text)
    words = text.split()[:4]
    condition = Q()
    if connection.vendor == "sqlite":
        # The trigram FTS5 index (casework migration 0007) finds words of three letters or more
        # anywhere in a name, case-insensitively, as the scan below does; shorter words are scanned.
        indexed = [word for word in words if len(word) >= TRIGRAM]
        if indexed:
            phrase = " AND ".join('"' + word.replace('"', '""') + '"' for word in indexed)
            condition &= Q(pk__in=RawSQL(
                "SELECT rowid FROM casework_youngperson_names WHERE casework_youngperson_names MATCH %s", (phrase,)
            ))
            words = [word for word in words if len(word) < TRIGRAM]
    # On PostgreSQL the trigram GIN indexes on UPPER(name) (migration 0007) serve these very LIKEs.
    for word in words:
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
    return condition


def search_results(found: QuerySet[YoungPerson], today: dt.date | None = None, viewer: Viewer = None,
                   within: str | None = None, reader: Hashable = None) -> list[AlertedPerson]:
    """The first 50 of ``found`` (already matched and scoped) by name, each with alerts (two queries).

    Two steps: the ids in name order, then their alerts; in one query the database would work out
    the alerts of every match before sorting and cutting at 50.

    ``reader``: everything ``viewer``'s alerts depend on (``nwd.access.relations.user_key``). Given,
    the alerts' query, whose SQL differs only in the ids (at most 50), is built and compiled once a
    process for that reader, ``within`` and day (``nwd.casework.prepared.rows_among``): some 10 ms
    of CPU a search, for the ten subqueries of the alerts and the viewer's scopes within them.
    """
    # Ordered on lower(name): case-insensitive, and it stops SQLite walking the whole name index in
    # order (a random read per young person held) instead of sorting the few hundred matches.
    ids = list(
        found.order_by(Lower("family_name"), Lower("given_name"), "pk").values_list("pk", flat=True)[:SEARCH_LIMIT]
    )
    if reader is not None and ids:
        today = today or dates.today()
        key = ("search", "alerts", today, timezone.get_current_timezone_name(), within, reader)
        alerted = prepared.rows_among(
            key, lambda stand_ins: with_alerts(YoungPerson.objects.filter(pk__in=stand_ins), today, viewer, within),
            ids, SEARCH_LIMIT,
        )
    else:
        alerted = list(with_alerts(YoungPerson.objects.filter(pk__in=ids), today, viewer, within))
    rows = sorted(alerted, key=lambda row: ids.index(row.pk))
    return with_alert_words(rows, today)


def search_young_people(people: QuerySet[YoungPerson], text: str, today: dt.date | None = None, viewer: Viewer = None,
                        within: str | None = None, reader: Hashable = None) -> list[AlertedPerson]:
    """Young people in ``people`` matching a name, a council child id or a date of birth (at most 50).

    ``people`` is the scope the user may see (an ``nwd.access.scopes`` queryset). The match comes
    first in the query and the scope after it (``matched & people``), so the database tests the
    cheap match before the access rules even for a council-wide scope. ``reader``: see ``search_results``.
    """
    condition = search_condition(text)
    if condition is None:
        return []
    matched = YoungPerson.objects.filter(condition) & people
    return search_results(matched, today, viewer, within, reader)
