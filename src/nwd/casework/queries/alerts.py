"""Alerts, as database annotations: what needs attention, worked out in the query that lists young people.

Every list of young people (caseloads, a hub's, search, the young person's page) is annotated by
``with_alerts`` in the same query, never row by row in Python, so a list costs a fixed number of
queries whatever its length (tests assert the counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    Expression,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import get_language

from nwd.access.policy import RULES, reaches
from nwd.access.relations import ALL, NOTHING
from nwd.casework.models import Contact, Plan, Referral, YoungPerson
from nwd.casework.queries.planning import not_closed
from nwd.core import dates
from nwd.events.models import MissingEpisode
from nwd.hubs.models import Stay

NO_CONTACT_DAYS = 14
REVIEW_DUE_SOON_DAYS = 7

# The user a page is shown to (``nwd.access.models.User``; typed loosely so that casework does not
# import access's models to name it).
Viewer = Any
# A young person from a queryset ``with_alerts`` annotated (``alert_*``, ``review_due``,
# ``last_contact``...), to which the lists add ``alerts`` (and sometimes more): the annotations are
# attributes Django sets at run time, so the type says no more than "a row".
AlertedPerson = Any


@dataclass(frozen=True)
class Alert:
    key: str
    text: str
    colour: str  # a govuk-tag modifier


# Each alert tells something from one part of the record, so it is shown only to a viewer who may
# see that part: "Missing now" is police-shared, a plan review comes from the plan, "no contact"
# from the contacts, "past planned discharge" from the stay on the young person's page.
ALERT_PERMISSIONS = {
    "missing": "events.view_police_shared",
    "overstay": "casework.view_young_person",
    "review": "casework.view_plan",
    "no_contact": "casework.view_contacts",
    "referral": "casework.view_young_person",  # issue 12 #11: referred again while supported
}


def _seen_by(viewer: Viewer, permission: str, alert: Expression | Exists | Q, within: str | None) -> Expression | Exists | Q:
    """``alert`` (a boolean expression) where ``viewer`` holds ``permission`` for the row, else False.

    The permission's own database filter (``nwd.access``), so the answer is the policy's, row by
    row, restricted records included. No SQL at all when the role never holds it, or when it
    reaches every row ``within`` (the permission the rows were already chosen by) reaches
    (``nwd.access.policy.reaches``).
    """
    if viewer is None:
        return alert
    if within is not None and reaches(viewer, permission, within):
        return alert
    condition = RULES[permission].where(viewer)
    if condition is ALL:
        return alert
    if condition is NOTHING:
        return Value(False, output_field=BooleanField())
    return Case(When(condition, then=alert), default=Value(False), output_field=BooleanField())


def with_alerts(people: QuerySet[YoungPerson], today: dt.date | None = None, viewer: Viewer = None,
                within: str | None = None) -> QuerySet[YoungPerson]:
    """Annotate young people with what needs attention, in the same query that lists them.

    - ``alert_missing``: a missing episode with no return recorded;
    - ``alert_review``: the current plan's next review is due within a week, or past (``review_due``);
    - ``alert_overstay``: in a hub bed past the planned discharge date;
    - ``alert_no_contact``: no contact recorded in the last 14 days (``last_contact`` says when);
    - ``alert_referral``: supported now, and referred again (a referral not yet closed).

    With ``viewer`` (every page passes the user), an alert is raised only where the viewer may see
    the data it comes from (``ALERT_PERMISSIONS``), decided per row in the same query: a police
    liaison officer's lists and view show "Missing now" and nothing from plans, contacts or stays.
    ``within``: the permission ``people`` are already limited to for ``viewer`` (saves the SQL
    where an alert's permission reaches exactly as far).
    """
    today = today or dates.today()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=NO_CONTACT_DAYS), dt.time.min))
    latest_plan = Plan.objects.filter(young_person=OuterRef("pk")).order_by("-started", "-pk")
    last_contact = Contact.objects.filter(young_person=OuterRef("pk")).order_by("-at").values("at")[:1]
    open_stay = Stay.objects.filter(young_person=OuterRef("pk"), discharged__isnull=True)
    return people.alias(
        # The open involvement and its current key worker, joined: at most one row each (the
        # constraints ``one_open_involvement_per_young_person`` and ``one_current_key_worker``), so
        # the join adds no row; read once rather than by a subquery per column.
        open_support=FilteredRelation("involvements", condition=Q(involvements__end__isnull=True)),
        current_allocation=FilteredRelation("open_support__allocations",
                                            condition=Q(open_support__allocations__end__isnull=True)),
    ).annotate(
        review_due=Subquery(latest_plan.values("next_review_due")[:1], output_field=DateField()),
        last_contact=Subquery(last_contact, output_field=DateTimeField()),
        alert_missing=_seen_by(viewer, ALERT_PERMISSIONS["missing"], within=within, alert=Exists(
            MissingEpisode.objects.filter(young_person=OuterRef("pk"), ended_at__isnull=True))),
        alert_overstay=_seen_by(viewer, ALERT_PERMISSIONS["overstay"], within=within, alert=Exists(open_stay.filter(planned_discharge__lt=today))),
        alert_referral=_seen_by(viewer, ALERT_PERMISSIONS["referral"], within=within, alert=Q(
            open_support__isnull=False) & Q(Exists(Referral.objects.filter(not_closed(), young_person=OuterRef("pk"))))),
        alert_no_contact=_seen_by(viewer, ALERT_PERMISSIONS["no_contact"], within=within, alert=~Exists(
            Contact.objects.filter(young_person=OuterRef("pk"), at__gte=since))),
        support_type=F("open_support__support_type"),
        hub_name=F("open_support__hub__name"),
        bed_label=Subquery(open_stay.values("bed__label")[:1], output_field=CharField()),
        key_worker_first=F("current_allocation__key_worker__first_name"),
        key_worker_last=F("current_allocation__key_worker__last_name"),
    ).annotate(
        alert_review=_seen_by(viewer, ALERT_PERMISSIONS["review"], within=within, alert=Case(
            When(review_due__lte=today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )),
    )


def alerts_of(person: AlertedPerson, today: dt.date | None = None) -> list[Alert]:
    """The alerts of a young person annotated by ``with_alerts``, as words (no query)."""
    return _alerts_of(person, today or dates.today(), get_language(), timezone.get_current_timezone())


def with_alert_words(rows: list[AlertedPerson], today: dt.date | None = None) -> list[AlertedPerson]:
    """``rows`` (annotated by ``with_alerts``), each given ``alerts``: the words a list shows."""
    # The language and time zone read once a list, not once a row (``asgiref``'s ``Local``).
    today, language, zone = today or dates.today(), get_language(), timezone.get_current_timezone()
    for row in rows:
        row.alerts = _alerts_of(row, today, language, zone)
    return rows


def _alerts_of(person: AlertedPerson, today: dt.date, language: str | None, zone: dt.tzinfo) -> list[Alert]:
    """``alerts_of``, ``language`` and ``zone`` those active now (``get_language()``,
    ``timezone.get_current_timezone()``)."""
    alerts = []
    if person.alert_missing:
        alerts.append(Alert("missing", "Missing now", "red"))
    if person.alert_overstay:
        alerts.append(Alert("overstay", "Past planned discharge", "orange"))
    if person.alert_referral:
        alerts.append(Alert("referral", "Referred again: a referral is waiting for a decision", "blue"))
    if person.alert_review:
        if person.review_due < today:
            alerts.append(Alert("review", f"Plan review overdue ({_day_text(person.review_due, language)})", "orange"))
        else:
            alerts.append(Alert("review", f"Plan review due {_day_text(person.review_due, language)}", "yellow"))
    if person.alert_no_contact:
        if person.last_contact is None:
            alerts.append(Alert("no_contact", "No contact recorded", "orange"))
        else:
            last = person.last_contact  # its day where the service is (``dates.as_date``)
            if isinstance(last, dt.datetime):
                last = last.astimezone(zone).date() if timezone.is_aware(last) else last.date()
            alerts.append(Alert("no_contact", f"No contact for {(today - last).days} days", "orange"))
    return alerts


@lru_cache(maxsize=1024)
def _day_text(day: dt.date, language: str | None) -> str:
    """``formats.date_format(day)`` ("4 Dec 2026"), worked out once per day and ``language`` (the one
    active when asked: the caller passes it, the text depends on it). Django's formatter costs some 20
    microseconds a date (the format looked up, the month's name translated), and a hub's list shows a
    review date for most of its 40-odd young people on every view (docs/performance.md, ninth round).
    A change of settings (a test's ``DATE_FORMAT``) empties the cache."""
    return formats.date_format(day)


@receiver(setting_changed)
def _forget_day_texts(**kwargs: Any) -> None:
    _day_text.cache_clear()


def urgency(person: AlertedPerson) -> tuple[int, int]:
    """The order of a list, for a row ``with_alerts`` annotated: missing now first, then anyone with
    another alert. Lists are ordered by name in the database, then sorted (stably) by this in Python:
    ordering by the alerts in SQL made the ORM write the alerts' subqueries out a second time in the
    ORDER BY, for the database to plan and run again."""
    return (0 if person.alert_missing else 1,
            0 if (person.alert_overstay or person.alert_review or person.alert_no_contact) else 1)


def among(people: QuerySet[YoungPerson], ids: QuerySet[Any]) -> QuerySet[YoungPerson]:
    """``people`` narrowed to the ids of a small subquery (a caseload, a hub's beds).

    Written as ``pk IN (subquery)`` rather than a correlated EXISTS so the database starts from the
    handful of ids and checks the (costlier) access scope on those rows only, instead of checking
    the scope for every young person the council holds.
    """
    return people.filter(pk__in=ids)
