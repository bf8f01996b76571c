"""Search: a young person by name, council child id or date of birth, within what the user may see."""

from __future__ import annotations

from django.shortcuts import render

from nwd.access import audit, scopes
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.casework import queries


@requires("casework.search", listing=True)
def search(request):
    q = (request.GET.get("q") or "").strip()[:100]
    results = queries.search_young_people(
        scopes.visible_young_people(request.user), q, viewer=request.user, within="casework.view_identity",
    )
    if results:
        audit.record_rows(request, results, Action.SEARCH, detail=f"search: {audit.search_digest(q)}")
    ids = [person.pk for person in results]
    openable = set(scopes.young_people(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    police = set(scopes.young_people(request.user, "events.view_police_shared").filter(pk__in=ids).values_list("pk", flat=True))
    # The data protection officer opens no young person's page: their results lead to the data protection page.
    rectifiable = set(scopes.young_people(request.user, "casework.rectify_identity").filter(pk__in=ids)
                      .values_list("pk", flat=True)) if request.user.has_perm("casework.rectify_identity") else set()
    for person in results:
        person.link = ("web:young_person" if person.pk in openable else "web:shared_with_police" if person.pk in police
                       else "web:data_protection" if person.pk in rectifiable else None)
    return render(request, "web/search/results.html", {"q": q, "results": results, "limit": queries.SEARCH_LIMIT})
