"""Querysets narrowed in the database to what a user may see: for list pages, search and exports.

Each function applies the same relations as the permission of the same name (``nwd.access.policy``)
as a database filter, so a list never loads records only to throw them away, and a name appears in
a list only if its page would open. Restricted records are filtered here as everywhere.

    from nwd.access import scopes
    people = scopes.visible_young_people(request.user).filter(family_name__istartswith=q)
    notes = scopes.visible_contacts(request.user).filter(young_person=person)
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Value, When

from nwd.access.policy import (
    BY_NAME,
    MODEL_OF_KIND,
    RESTRICTION,
    RULES,
    YOUNG_PERSON,
    is_awaiting_decision,
    same_reach,
)
from nwd.access.relations import ALL, NOTHING


def permitted(user, permission: str, queryset: QuerySet | None = None) -> QuerySet:
    """The records of ``permission``'s kind that ``user`` holds it for (optionally within ``queryset``)."""
    spec = BY_NAME[permission]
    if not spec.takes_record:
        raise ValueError(f"{permission} is not asked of a record: use user.has_perm().")
    if queryset is None:
        queryset = MODEL_OF_KIND[spec.kind]._default_manager.all()
    return RULES[permission].filter(user, queryset)


def young_people(user, permission: str = "casework.view_young_person", queryset=None) -> QuerySet:
    """Young people ``user`` holds a young-person permission for (default: may open their page)."""
    return permitted(user, permission, queryset)


def young_people_awaiting_decision(user, permission: str = "casework.view_young_person") -> QuerySet:
    """``young_people(user, permission)`` as it answers for young people with a referral waiting for a
    decision (the referral queue's), and only for them: where the user's role gets a scope that holds
    for every such young person (a hub manager's "hub + queue"), only the restriction is left to
    ask, and the scope's subqueries are left out; else the whole scope."""
    role = getattr(user, "role", None)
    scope = BY_NAME[permission].scope_for(role) if role else None
    if BY_NAME[permission].kind == YOUNG_PERSON and scope is not None and scope.relation.reaches(is_awaiting_decision):
        return RESTRICTION[YOUNG_PERSON].filter(user, MODEL_OF_KIND[YOUNG_PERSON]._default_manager.all())
    return young_people(user, permission)


def visible_young_people(user, queryset=None) -> QuerySet:
    """Young people whose minimum identity (name, date of birth, id) ``user`` may see: search, lists."""
    return permitted(user, "casework.view_identity", queryset)


def visible_referrals(user, queryset=None) -> QuerySet:
    """Referrals ``user`` may read and follow (a partner: their agency's own)."""
    return permitted(user, "casework.view_referral", queryset)


def referrals_to_decide(user, queryset=None) -> QuerySet:
    return permitted(user, "casework.decide_referral", queryset)


def visible_contacts(user, queryset=None) -> QuerySet:
    """Contact notes ``user`` may read (a specialist: only their own)."""
    return permitted(user, "casework.view_contact", queryset)


def hubs(user, permission: str = "hubs.view_bed_board", queryset=None) -> QuerySet:
    """Hubs ``user`` holds a hub permission for (default: whose bed board they may see)."""
    return permitted(user, permission, queryset)


def with_section(user, permission: str, queryset: QuerySet, path: str = "young_person") -> QuerySet:
    """Rows of another table (missing episodes, health events, plans...) about young people ``user``
    holds ``permission`` for: ``with_section(user, "events.view_health", HealthEvent.objects.all())``."""
    allowed = young_people(user, permission)
    return queryset.filter(Exists(allowed.filter(pk=OuterRef(path))))


def holds(user, permission: str):
    """An expression for annotating young people: does ``user`` hold ``permission`` for this row?

    ``Value(True)`` or ``Value(False)`` when the answer is the same for every row (no SQL), else a
    CASE on the permission's database filter, so a list learns it in the query that lists it.
    """
    condition = RULES[permission].where(user)
    if condition is ALL:
        return Value(True, output_field=BooleanField())
    if condition is NOTHING:
        return Value(False, output_field=BooleanField())
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def named_and_openable(user, ids, read: Callable[[Callable[[list[int]], QuerySet], list[int]], list] | None = None
                       ) -> dict[int, bool]:
    """Of the young people ``ids`` (on a bed board, say), those ``user`` may see by name, each with
    whether they may open the young person's page; one query. A restricted young person the user is
    not named on, or anyone outside their identity scope, is left out: show the row without a name.

    ``read(build, ids)``: how to read the rows of the query ``build(ids)`` (young people with only
    their id and, unless the two scopes are the same, ``openable``), in the order it gives them; the
    bed board compiles it once a process (``nwd.casework.prepared.rows_among``). By default, as built.
    """
    ids = list(ids)
    if not ids:
        return {}

    both = same_reach(user, "casework.view_young_person", "casework.view_identity")

    def build(among: list[int]) -> QuerySet:
        rows = visible_young_people(user, MODEL_OF_KIND[YOUNG_PERSON]._default_manager.filter(pk__in=among))
        return rows if both else rows.annotate(openable=holds(user, "casework.view_young_person"))

    if read is not None:
        return {row.pk: True if both else row.openable for row in read(lambda among: build(among).only("pk"), ids)}
    if both:
        return dict.fromkeys(build(ids).values_list("pk", flat=True), True)
    return dict(build(ids).values_list("pk", "openable"))
