"""Retention: which young people's records have reached the end of their retention period, and
destroying them.

Three rules, one per kind of record (docs/permissions.md, "Retention"):

- **Looked-after children's case records** are kept until the 75th birthday (the Care Planning,
  Placement and Case Review (England) Regulations 2010, reg. 50; the Children's Homes (England)
  Regulations 2015, reg. 36, for a child's record in a children's home, which a hub is). A young
  person counts as looked after when the platform holds a period or episode of care for them, or a
  stay in a hub bed.
- **A looked-after child who died before 18**: 15 years after the death (same regulations).
- **Everyone else** (referred, edge-of-care or outreach only, never looked after): the council's own
  period, set by ``NWD_RETENTION_YEARS_AFTER_25`` (default 6): kept until that many years after the
  later of the 25th birthday and the end of the service's last work with them. The service works
  with young people up to 25, and 6 years is the Limitation Act 1980's period for a claim about
  that work, counted from the day it can last have happened.

A record is kept on the last day of its period and is due the day after. Whatever the dates say,
a young person with anything still open (support, a stay, a period of care, an undecided referral)
is never destroyed: the dry run lists them apart, so the data can be checked.

Destroying means deleting, in one transaction, the young person, every record about them (every
model with a path to them, found from the models, as the subject access export finds them), the
drafts that name them, and every django-simple-history version of each of those records (the
history keeps what a record said before; left behind it would keep the person). The audit log is
not touched: it is append-only (and hash-chained). Its rows about the young person hold ids (young
person, record and content type), the member of staff, time, address, page path and a short label;
once the records are gone those ids lead nowhere, and primary keys are never reused. One entry,
without personal data, says which rule removed how many young people and records.
"""

from __future__ import annotations

import datetime as dt
import graphlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from nwd.access import audit
from nwd.access.history import paths_to_young_person
from nwd.access.models import Action, AuditEvent
from nwd.access.subject_access import models_about_a_young_person as about
from nwd.care.models import CareEpisode, CarePeriod
from nwd.casework.choices import ReferralStatus
from nwd.casework.models import Involvement, Referral, YoungPerson
from nwd.core import dates
from nwd.hubs.models import Stay

LOOKED_AFTER_AGE = 75
DIED_BEFORE = 18
YEARS_AFTER_DEATH = 15
SERVICE_AGE = 25


@dataclass(frozen=True)
class Rule:
    key: str
    label: str


LOOKED_AFTER = Rule("looked_after", "looked-after children's case records: kept to the 75th birthday")
DIED_YOUNG = Rule("died_before_18", "looked after, died before 18: kept 15 years after the death")
SERVICE = Rule("service_records", "other service records: kept {years} years after the 25th birthday or the end of support")
RULES = (LOOKED_AFTER, DIED_YOUNG, SERVICE)


def years_after_25() -> int:
    return int(settings.NWD_RETENTION_YEARS_AFTER_25)


def rule_label(rule: Rule) -> str:
    return rule.label.format(years=years_after_25())


def kept_until(date_of_birth: dt.date, *, looked_after: bool, date_of_death: dt.date | None = None,
               last_service_day: dt.date | None = None, years: int | None = None) -> tuple[Rule, dt.date]:
    """The rule that applies and the last day the records are kept (they are due the day after).

    Pure: the dates in, the answer out, so the boundaries are tested without a database.
    """
    if looked_after:
        if date_of_death is not None and date_of_death < dates.birthday(date_of_birth, DIED_BEFORE):
            return DIED_YOUNG, dates.birthday(date_of_death, YEARS_AFTER_DEATH)
        return LOOKED_AFTER, dates.birthday(date_of_birth, LOOKED_AFTER_AGE)
    years = years_after_25() if years is None else years
    start = dates.birthday(date_of_birth, SERVICE_AGE)
    if last_service_day is not None and last_service_day > start:
        start = last_service_day
    return SERVICE, dates.birthday(start, years)


# --- Finding them --------------------------------------------------------------------------------


@dataclass
class Due:
    """A young person whose records are due for destruction (or would be, but something is open)."""

    young_person_id: int
    child_id: str
    name: str
    date_of_birth: dt.date
    rule: Rule
    kept_until: dt.date
    still_open: bool
    records: Counter = field(default_factory=Counter)  # model label -> rows about them
    audit_rows: int = 0
    audit_searches: int = 0  # audit rows of a search: their detail holds the words typed


def models_about_a_young_person() -> list:
    """Every model (not history, not the audit log) whose rows are about a young person, the young
    person included, in an order that deletes each row before the rows it points at."""
    found = [*about(), YoungPerson]
    graph = graphlib.TopologicalSorter()
    for model in found:
        points_at = {
            f.related_model for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in found and f.related_model is not model
        }
        graph.add(model, *points_at)
    # static_order gives what is pointed at first: delete in the reverse order.
    return list(reversed(list(graph.static_order())))


def _path(model) -> str:
    return "pk" if model is YoungPerson else paths_to_young_person(model)[0]


def _candidates(today: dt.date):
    """Young people old enough for any rule to have come due, with what the rules need to know."""
    earliest = min(YEARS_AFTER_DEATH, SERVICE_AGE + years_after_25())
    born_by = dt.date(today.year - earliest, 12, 31)  # a cheap filter; the rule itself decides
    mine = {"young_person": OuterRef("pk")}
    undecided = Referral.objects.filter(**mine).exclude(status=ReferralStatus.CLOSED)
    return (
        YoungPerson.objects.filter(date_of_birth__lte=born_by)
        .annotate(
            looked_after=Exists(CarePeriod.objects.filter(**mine)) | Exists(CareEpisode.objects.filter(**mine))
            | Exists(Stay.objects.filter(**mine)),
            still_open=Exists(Involvement.objects.open_for(OuterRef("pk")))
            | Exists(Stay.objects.filter(**mine, discharged__isnull=True))
            | Exists(CarePeriod.objects.filter(**mine, end__isnull=True))
            | Exists(undecided),
            last_support=Subquery(Involvement.objects.filter(**mine).order_by().values("young_person")
                                  .annotate(last=Max("end")).values("last")),
            last_referral=Subquery(Referral.objects.filter(**mine).order_by().values("young_person")
                                   .annotate(last=Max("received")).values("last")),
            last_decision=Subquery(Referral.objects.filter(**mine).order_by().values("young_person")
                                   .annotate(last=Max("decision_date")).values("last")),
        )
        .order_by("date_of_birth", "pk")
    )


def due(today: dt.date | None = None, *, count_records: bool = True) -> list[Due]:
    """Everyone whose retention period ended before ``today`` (default: today), oldest first."""
    today = today or dates.today()
    found = []
    for person in _candidates(today):
        last = max((d for d in (person.last_support, person.last_referral, person.last_decision) if d), default=None)
        rule, until = kept_until(person.date_of_birth, looked_after=person.looked_after,
                                 date_of_death=person.date_of_death, last_service_day=last)
        if until >= today:
            continue
        found.append(Due(person.pk, person.child_id, person.full_name, person.date_of_birth, rule, until,
                         person.still_open))
    if count_records and found:
        _count(found)
    return found


def _count(found: list[Due]) -> None:
    """Fill in how many rows of each kind each young person has, and their audit rows (kept)."""
    by_id = {d.young_person_id: d for d in found}
    ids = list(by_id)
    for model in models_about_a_young_person():
        path = _path(model)
        rows = model._base_manager.filter(**{f"{path}__in": ids}).order_by().values(path).annotate(n=Count("pk"))
        for young_person_id, n in rows.values_list(path, "n"):
            by_id[young_person_id].records[model._meta.label] += n
    events = AuditEvent.objects.filter(young_person_id__in=ids).values_list("young_person_id", "action")
    for young_person_id, action in events:
        by_id[young_person_id].audit_rows += 1
        by_id[young_person_id].audit_searches += action == Action.SEARCH


# --- Destroying them ------------------------------------------------------------------------------


@dataclass
class Destroyed:
    """What ``destroy`` removed: young people and rows by rule, and history versions in all."""

    people: Counter = field(default_factory=Counter)  # rule key -> young people
    records: Counter = field(default_factory=Counter)  # rule key -> live rows (the young person included)
    versions: int = 0  # history rows removed
    kept_open: int = 0  # due, but something is still open: not destroyed

    def summary(self) -> str:
        """One line, without personal data, for the audit log and the command's last line."""
        parts = [f"{rule.key} {self.people[rule.key]} young people, {self.records[rule.key]} records"
                 for rule in RULES]
        return (f"retention: {'; '.join(parts)}; {self.versions} history versions; "
                f"{self.kept_open} due but still open, kept")


def _history_model(model):
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


CHUNK = 500  # ids per statement: well under SQLite's limit on parameters


def _chunks(values: list) -> list[list]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _delete(queryset) -> int:
    """DELETE ... WHERE, in one statement: no signals, so simple-history writes no "deleted" version
    of a row it is about to forget, and no per-row work (the scale-1 county's 3,907 young people and
    58,584 records in 13 s instead of 184 s, bench/retention_bench.py). The order of models keeps every foreign key satisfied; the
    database still checks them, and any failure undoes the whole transaction."""
    return queryset._raw_delete(queryset.db) or 0  # None when the filter can match nothing


@transaction.atomic
def destroy(found: list[Due], by=None) -> Destroyed:
    """Delete the records of every young person in ``found`` not still open, with their history, in
    one transaction, and write one audit entry of counts by rule. All or nothing."""
    result = Destroyed()
    chosen = [d for d in found if not d.still_open]
    result.kept_open = len(found) - len(chosen)
    rule_of = {d.young_person_id: d.rule.key for d in chosen}
    models = models_about_a_young_person()
    for ids in _chunks(list(rule_of)):
        for model in models:
            path = _path(model)
            pairs = list(model._base_manager.filter(**{f"{path}__in": ids}).values_list("pk", path))
            for _, young_person_id in pairs:
                result.records[rule_of[young_person_id]] += 1
            pks = [pk for pk, _ in pairs]
            for some in _chunks(pks):
                for m2m in model._meta.many_to_many:  # the names on a restricted record
                    _delete(m2m.remote_field.through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": some}))
                _delete(model._base_manager.filter(pk__in=some))
            result.versions += _destroy_history(model, pks, ids)
        result.versions += _destroy_m2m_history(YoungPerson, ids)
    for d in chosen:
        result.people[d.rule.key] += 1
    audit.record(None, Action.DELETE, detail=result.summary(), user=by)
    return result


def _destroy_history(model, pks: list, young_person_ids: list) -> int:
    """Every version of these rows, and any version that named the young person (a record since
    moved to someone else still said it was about them)."""
    history = _history_model(model)
    if history is None:
        return 0
    pk_name = model._meta.pk.attname
    names_young_person = "young_person_id" in {f.attname for f in history._meta.concrete_fields}
    removed = 0
    for some in _chunks(pks) or [[]]:
        condition = Q(**{f"{pk_name}__in": some})
        if names_young_person:
            condition |= Q(young_person_id__in=young_person_ids)
        removed += _delete(history._base_manager.filter(condition))
    return removed


def _destroy_m2m_history(model, young_person_ids: list) -> int:
    """simple-history keeps the named users of a restricted record in tables of their own, per version."""
    from simple_history.models import HistoricalRecords

    removed = 0
    for m2m_field in model.history.model._history_m2m_fields:
        m2m_history = HistoricalRecords.m2m_models[m2m_field]
        column = m2m_field.m2m_field_name()
        removed += _delete(m2m_history._base_manager.filter(**{f"{column}_id__in": young_person_ids}))
    return removed


def audit_listing(found: list[Due], user) -> int:
    """The dry run shows names and dates of birth: a read of each young person, written to the log."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(YoungPerson)
    events = [
        AuditEvent(action=Action.LIST, user=user, username=user.get_username() if user else "",
                   content_type=content_type, object_id=str(d.young_person_id), young_person_id=d.young_person_id,
                   detail="retention dry run")
        for d in found
    ]
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return len(events)
