"""The access scopes (``nwd.access.scopes``), written so the database checks them on the rows a page shows.

Why this exists: ``Relation.via`` in ``nwd.access.relations`` expresses "the referral's young person
may be seen" as ``young_person_id IN (SELECT id FROM young people WHERE <scope>)``. SQLite
materialises that sub-select for every young person the council holds before it looks at the few
referrals waiting (about 90 ms at scale 10 of the synthetic county, on every list page). The same
condition as a correlated ``EXISTS`` is checked only for the rows the rest of the query keeps. The
conditions are the policy's own (``policy.RULES``): only their form changes, never what they allow.
If ``via`` is changed to build EXISTS itself, these functions become plain calls to ``nwd.access.scopes``.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from nwd.access import policy
from nwd.access.relations import ALL, NOTHING


def correlated(condition: Q) -> Q:
    """``condition`` with each ``<field>__in=<sub-select of ids>`` rewritten as a correlated EXISTS."""
    rewritten = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            rewritten.children.append(correlated(child))
        elif isinstance(child, tuple) and child[0].endswith("__in") and isinstance(child[1], QuerySet):
            field = child[0][: -len("__in")]
            rewritten.children.append(Exists(child[1].filter(pk=OuterRef(field))))
        else:
            rewritten.children.append(child)
    return rewritten


def permitted(user, permission: str, queryset: QuerySet) -> QuerySet:
    """``queryset`` narrowed to the records ``user`` holds ``permission`` for (as ``scopes.permitted``)."""
    condition = policy.RULES[permission].where(user)
    if condition is NOTHING:
        return queryset.none()
    if condition is ALL:
        return queryset
    return queryset.filter(correlated(condition))


def young_people(user, permission: str = "casework.view_young_person") -> QuerySet:
    from nwd.casework.models import YoungPerson

    return permitted(user, permission, YoungPerson.objects.all())


def visible_young_people(user) -> QuerySet:
    """As ``scopes.visible_young_people``: whose minimum identity the user may see (lists, search)."""
    return young_people(user, "casework.view_identity")


def visible_referrals(user) -> QuerySet:
    from nwd.casework.models import Referral

    return permitted(user, "casework.view_referral", Referral.objects.all())


def referrals_to_decide(user) -> QuerySet:
    from nwd.casework.models import Referral

    return permitted(user, "casework.decide_referral", Referral.objects.all())
