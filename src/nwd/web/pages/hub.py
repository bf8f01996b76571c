"""The hub's young people: the whole list, paged, of which a home page shows the most urgent first.

A hub manager's and a portfolio lead's home page list at most ``ON_HOME`` of their hub's young
people (issue 14: a page costs the same whatever the size of the hub), the most urgent first, under
a caption that says how many of how many, and link here for the rest: the same young people, the
same columns and the same order, ``PAGE_SIZE`` a page.

Who is listed is the home list's rule: the young people of the user's hub whose plan the user may see
(``casework.view_plan``, a database filter from ``nwd.access.scopes``). Every young person shown is
written to the audit log (``Action.LIST``), those of the page shown only, as on the home page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.shortcuts import render

from nwd.access import audit, scopes
from nwd.access.decorators import requires
from nwd.access.models import Action, User
from nwd.access.relations import user_key
from nwd.casework import prepared, queries
from nwd.casework.queries.alerts import AlertedPerson
from nwd.core import dates
from nwd.hubs.models import Hub

HUB_SCOPE = "casework.view_plan"  # the permission the hub's list is chosen by
ON_HOME = 25  # the most of the hub's young people a home page lists
PAGE_SIZE = 50  # young people a page of the whole list
LISTED = "hub's young people"  # the audit's note (``nwd.access.wording``: "listed in the list of ..."); the path has the page


def hub_young_people(user: User, hub: Hub, today: dt.date, reader: Hashable) -> list[AlertedPerson]:
    """The young people of ``hub`` (the user's) whose plan ``user`` may see, most urgent first, then by name.

    ``reader``: everything the user's scope depends on (``nwd.access.relations.user_key``), so the
    query is compiled once a process, for the home page and this list alike (``nwd.casework.prepared``).
    """
    return queries.hub_young_people(
        hub, lambda: scopes.young_people(user, HUB_SCOPE), today, viewer=user, within=HUB_SCOPE,
        reader=(HUB_SCOPE, reader),
    )


def hub_young_people_read(user: User, hub: Hub, today: dt.date, reader: Hashable) -> prepared.Kept:
    """The query ``hub_young_people`` reads, and its key: the home sends it with its other reads
    (``prepared.ahead``)."""
    return queries.hub_young_people_read(hub, lambda: scopes.young_people(user, HUB_SCOPE), today, user, HUB_SCOPE,
                                         (HUB_SCOPE, reader))


@dataclass(frozen=True)
class Capped:
    """What a home page says of a hub list it shows only the first ``shown`` of ``total`` of."""

    shown: int
    total: int

    @property
    def caption(self) -> str:
        return f"{self.shown} of {self.total} young people supported by the hub, those needing attention first"

    @property
    def link_text(self) -> str:
        """Says where it leads out of context (a screen reader's list of links)."""
        return f"See all {self.total} young people supported by the hub"


def on_home(people: list[AlertedPerson]) -> tuple[list[AlertedPerson], Capped | None]:
    """The young people a home page shows of the hub's list (the first ``ON_HOME``), and, when that
    is not all of them, how many of how many (None: all are shown, the page says nothing more)."""
    if len(people) <= ON_HOME:
        return people, None
    return people[:ON_HOME], Capped(ON_HOME, len(people))


def caption(page: Page) -> str:
    """The caption of a page of the whole list: which of how many, in what order."""
    count = page.paginator.count
    if page.paginator.num_pages > 1:
        return f"Young people {page.start_index()} to {page.end_index()} of {count}, those needing attention first"
    return f"{count} young {'person' if count == 1 else 'people'} supported by the hub, those needing attention first"


@requires(HUB_SCOPE, listing=True, audit_as=None)
def young_people(request):
    """Every young person of the user's hub they may see the plan of, ``PAGE_SIZE`` a page.

    A user who works at no hub (a service manager, a specialist) has no hub list: the page says so."""
    user = request.user
    hub = user.hub if user.hub_id else None
    context: dict = {"hub": hub}
    if hub is not None:
        people = hub_young_people(user, hub, dates.today(), user_key(user))
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        if page.object_list:
            audit.record_rows(request, page.object_list, Action.LIST, detail=LISTED)
        context.update(page=page, caption=caption(page))
    return render(request, "web/hub/young_people.html", context)
