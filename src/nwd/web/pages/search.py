"""Search: a young person by name, council child id or date of birth, within what the user may see."""

from __future__ import annotations

from django.shortcuts import render

from nwd.access import audit, scopes
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.access.policy import reaches
from nwd.access.relations import user_key
from nwd.casework import queries

# Where each result leads, by the first of these permissions the user holds for the young person:
# their page, else what they share with the police, else (the data protection officer, who opens no
# young person's page) the data protection page; none of them, no link.
LINKS = (
    ("casework.view_young_person", "web:young_person"),
    ("events.view_police_shared", "web:shared_with_police"),
    ("casework.rectify_identity", "web:data_protection"),
)


@requires("casework.search", listing=True)
def search(request):
    q = (request.GET.get("q") or "").strip()[:100]
    # An empty search finds nobody: the user's scope is not even built (some 2 ms).
    results = queries.search_young_people(
        scopes.visible_young_people(request.user), q, viewer=request.user, within="casework.view_identity",
        reader=user_key(request.user),
    ) if q else []
    if results:
        audit.record_rows(request, results, Action.SEARCH, detail=f"search: {audit.search_digest(q)}")
    links = result_links(request.user, [person.pk for person in results])
    for person in results:
        person.link = links.get(person.pk)
    return render(request, "web/search/results.html", {"q": q, "results": results, "limit": queries.SEARCH_LIMIT})


def result_links(user, ids: list[int]) -> dict[int, str]:
    """The route each result's name links to (``LINKS``), by young person; none for the others.

    Each permission is asked only of the results no earlier one gave a link (and not at all when
    none is left, or the role never holds it); when the page's own permission reaches every young
    person whose identity the user may see (the results are among those), without a query.
    """
    links: dict[int, str] = {}
    rest = list(ids)
    for permission, route in LINKS:
        if not rest:
            break
        if not user.has_perm(permission):
            continue
        if reaches(user, permission, "casework.view_identity"):
            found = set(rest)
        else:
            found = set(scopes.young_people(user, permission).filter(pk__in=rest).values_list("pk", flat=True))
        links.update(dict.fromkeys((pk for pk in rest if pk in found), route))
        rest = [pk for pk in rest if pk not in found]
    return links
