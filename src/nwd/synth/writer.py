"""Writing the county: bulk inserts in batches, in an order that keeps every foreign key whole.

Each table is written with ``bulk_create`` in batches of a few thousand model instances, made
from the plans just before they are written and dropped just after, so memory holds the plans
and one batch. Primary keys come back from the database (SQLite and PostgreSQL both return
them) and are kept only for tables others point to.

``bulk_create`` writes no simple-history rows and sends no signals: the generated county has no
change history (its history starts with the first real change), which ``docs/synthetic-county.md``
says. ``delete_county`` removes a county before ``--replace`` writes a new one.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable

from django.db import models
from tqdm import tqdm

from nwd.access.models import User
from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CarePeriod, CareReview, Provider
from nwd.casework.models import (
    Contact,
    GoalProgress,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    Referral,
    SignificantPerson,
    SpecialistInvolvement,
    YoungPerson,
)
from nwd.documents.models import ChronologyEntry, Document
from nwd.events.models import (
    EETPeriod,
    ExploitationConcern,
    HealthEvent,
    MissingEpisode,
    PoliceContact,
    SubstanceUseAssessment,
)
from nwd.hubs.models import Bed, Hub, Stay
from nwd.leavers.models import (
    Accommodation,
    AdviserContact,
    CareLeaver,
    PathwayPlan,
    PathwayReview,
    StayingArrangement,
)
from nwd.safeguarding.models import (
    InspectorGrant,
    Notification,
    NotificationRecipient,
    RestraintRecord,
    ReturnInterview,
)
from nwd.synth.timeline import NEVER, day, moment
from nwd.worklist.models import Attendee, EmailChoice, Meeting, Task
from nwd.worklist.models import Notification as WorklistNotification

BATCH = 5000
STAFF_EMAIL_DOMAIN = "county.example"  # every generated account's email ends with @county.example


def as_date(value: int | None) -> dt.date | None:
    if value is None or value == NEVER:
        return None
    return day(value)


class Writer:
    """Bulk-writes tables, counting rows and timing each table."""

    def __init__(self, progress: bool) -> None:
        self.progress = progress and sys.stderr.isatty()
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def write(self, model: type[models.Model], plans: Iterable, build: Callable, total: int,
              keep_pks: bool = False) -> list[int]:
        """Write one instance per plan (``build(plan)``); return the new primary keys if asked."""
        label = model._meta.label
        started = time.perf_counter()
        pks: list[int] = []
        written = 0
        with tqdm(total=total, desc=f"writing {model._meta.verbose_name_plural}", unit=" rows",
                  disable=not self.progress, leave=False, file=sys.stderr) as bar:
            batch: list[models.Model] = []
            for plan in plans:
                batch.append(build(plan))
                if len(batch) >= BATCH:
                    written += self._flush(model, batch, pks, keep_pks)
                    bar.update(len(batch))
                    batch = []
            if batch:
                written += self._flush(model, batch, pks, keep_pks)
                bar.update(len(batch))
        self.counts[label] = self.counts.get(label, 0) + written
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started
        return pks

    @staticmethod
    def _flush(model, batch, pks, keep_pks) -> int:
        model._default_manager.bulk_create(batch)
        if keep_pks:
            pks.extend(obj.pk for obj in batch)
        return len(batch)


def aware(on: int, minutes: int) -> dt.datetime:
    return moment(on, minutes)


def county_models() -> list[type[models.Model]]:
    """Every table the county writes, children before parents (the order to delete in)."""
    from nwd.homes.models import Action, Handover, IndependentVisit, LogEntry, QualityReview, Visitor

    return [
        # Tasks, meetings and notifications (issue 16)
        WorklistNotification, EmailChoice, Task, Attendee, Meeting,
        # The hubs' children's home records (issue 15)
        Action, IndependentVisit, QualityReview, Visitor, Handover, LogEntry,
        # The hubs as children's homes (issue 15)
        NotificationRecipient, Notification, ReturnInterview, RestraintRecord, InspectorGrant,
        Document, ChronologyEntry,
        # Care leavers (issue 17)
        AdviserContact, PathwayReview, PathwayPlan, Accommodation, StayingArrangement, CareLeaver,
        GoalProgress, PlanReview, PlanGoal, Plan, Contact.people.through, Contact, SignificantPerson, MissingEpisode, PoliceContact, HealthEvent,
        ExploitationConcern, SubstanceUseAssessment, EETPeriod, CareReview, AnnualOutcome, CareLeaverOutcome,
        CareEpisode, CarePeriod, Provider, Stay, SpecialistInvolvement, KeyWorkerAllocation, Involvement, Referral,
        YoungPerson.restricted_to.through, YoungPerson, Bed, Hub,
    ]


def county_users():
    return User.objects.filter(email__endswith="@" + STAFF_EMAIL_DOMAIN)


def county_exists() -> bool:
    """Whether any table the county writes has rows, or any of the county's staff accounts exist."""
    return any(model._base_manager.exists() for model in county_models()) or county_users().exists()


def delete_county() -> dict[str, int]:
    """Delete every county table's rows (and their history rows) and the county's staff accounts.

    Fast deletes without signals (``_raw_delete``): simple-history would otherwise write a
    "deleted" history row for each of hundreds of thousands of records. Must run in a transaction
    (foreign keys are checked at commit, so the order of tables does not matter). Rows of other
    tables that point at the county are deleted with it when they would be deleted anyway
    (CASCADE, such as drafts); anything that would protect them, such as the append-only audit
    log's record of someone signing in as one of the county's staff, stops the replacement, and
    nothing is deleted.
    """
    from django.apps import apps
    from django.core.exceptions import ValidationError

    county = county_models()
    labels = {m._meta.label for m in county}
    users = county_users()
    targets = [*county, users.model]
    for model in targets:
        for relation in model._meta.related_objects:
            other = relation.related_model
            if other._meta.label in labels or other is users.model or other.__name__.startswith("Historical"):
                continue
            field = relation.field
            if not getattr(field, "db_constraint", True):
                continue
            if model is users.model:
                pointing = other._base_manager.filter(**{f"{field.name}__in": users})
            else:
                pointing = other._base_manager.filter(**{f"{field.name}__isnull": False})
            if not pointing.exists():
                continue
            if relation.on_delete is models.CASCADE:
                pointing.delete()
            elif relation.on_delete is not models.SET_NULL:
                raise ValidationError(
                    f"{pointing.count()} {other._meta.verbose_name_plural} refer to the county's records and "
                    "cannot be deleted with them, so this county cannot be replaced: start from a fresh database."
                )
    deleted: dict[str, int] = {}
    for model in county:
        queryset = model._base_manager.all()  # withdrawn records too
        deleted[model._meta.label] = queryset._raw_delete(queryset.db)
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and model._meta.app_label in {"casework", "hubs", "events", "care"}:
            queryset = model._default_manager.all()
            queryset._raw_delete(queryset.db)
    deleted[users.model._meta.label] = users.delete()[0] if users.exists() else 0
    return deleted
