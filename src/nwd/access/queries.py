"""Reading the audit log back: who has viewed a young person's record, and the DPO's search of the log
(with the record trail each row may link to)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Max, Model, QuerySet

from nwd.access.audit import search_digest
from nwd.access.models import READ_ACTIONS, Action, AuditEvent, User
from nwd.access.roles import Role
from nwd.access.scopes import young_people as young_people_for


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    name: str
    role: str
    times: int
    last: dt.datetime


def viewers_of(young_person: Model) -> list[Viewer]:
    """Everyone who has read anything about ``young_person``, most recent first, with how often."""
    rows = (
        AuditEvent.objects.filter(young_person_id=young_person.pk, action__in=READ_ACTIONS)
        .values("user_id", "username")
        .annotate(times=Count("pk"), last=Max("at"))
        .order_by("-last")
    )
    users = {u.pk: u for u in User.objects.filter(pk__in={r["user_id"] for r in rows if r["user_id"]})}
    viewers = []
    for row in rows:
        user = users.get(row["user_id"])
        viewers.append(
            Viewer(
                user_id=row["user_id"],
                name=str(user) if user else (row["username"] or "unknown"),
                role=user.get_role_display() if user and user.role else ("system administrator" if user else ""),
                times=row["times"],
                last=row["last"],
            )
        )
    return viewers


def reads_of(young_person: Model) -> QuerySet[AuditEvent]:
    """Every read of ``young_person``'s records, newest first (for paging)."""
    return (
        AuditEvent.objects.filter(young_person_id=young_person.pk, action__in=READ_ACTIONS)
        .select_related("user", "content_type")
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class LogFilter:
    """The DPO's filters on the audit log; empty fields filter nothing."""

    username: str = ""
    action: str = ""
    young_person_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ip_address: str = ""
    searched_for: str = ""  # words: the searches for them (matched by their digest, as the log keeps them)


def searched_for(term: str) -> QuerySet[AuditEvent]:
    """The audit rows of searches for ``term``: the log keeps a search's words as their keyed hash
    (``nwd.access.audit.search_digest``), so the term is hashed the same way and compared."""
    return AuditEvent.objects.filter(action=Action.SEARCH, detail=f"search: {search_digest(term)}")


def search_log(filters: LogFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("user", "content_type").order_by("-at", "-pk")
    if filters.username:
        events = events.filter(username__iexact=filters.username.strip())
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.young_person_id:
        events = events.filter(young_person_id=filters.young_person_id)
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    if filters.ip_address:
        events = events.filter(ip_address=filters.ip_address.strip())
    if filters.searched_for.strip():
        events = events.filter(pk__in=searched_for(filters.searched_for).values("pk"))
    return events


def record_trail(user: User, young_person_ids: Collection[int]) -> dict[int, dict[str, bool]]:
    """For each young person, whether ``user`` may open who viewed their record and its change history:
    the audit log's rows link to those pages only where they would open (two queries for a page of rows)."""
    viewed_by = set(young_people_for(user, "access.view_access_log").filter(pk__in=young_person_ids)
                    .values_list("pk", flat=True))
    history = set(young_people_for(user, "access.view_record_history").filter(pk__in=young_person_ids)
                  .values_list("pk", flat=True))
    return {pk: {"viewed_by": pk in viewed_by, "history": pk in history} for pk in young_person_ids}


def hub_managers(hub_id: int | None) -> list[User]:
    """The hub's managers (active accounts), by name: whom a key worker asks to discharge or end support."""
    if not hub_id:
        return []
    return list(User.objects.filter(hub_id=hub_id, role=Role.HUB_MANAGER, is_active=True)
                .order_by("last_name", "first_name"))
