"""The young people behind a figure, as far as the viewer may see them.

``Report.people`` gives every id behind a figure, whoever asks; here they are narrowed in the
database by ``nwd.access.scopes.visible_young_people`` (the policy's ``casework.view_identity``,
restricted records included), so a name appears only if the viewer could find it in search. The
rest are only counted: the page says how many are outside the viewer's access and never who. A
figure about the whole council (entries to care) is mostly children the service never met, so a
service manager sees the service's young people by name and a count of the others.

A fixed number of queries whatever the size of the figure: the visible people (one query, the
names the list is sorted by), and which of the page's people the viewer may open (one).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from nwd.access import scopes
from nwd.casework.models import YoungPerson

PER_PAGE = 50
SHOWN_FIELDS = ("pk", "given_name", "preferred_name", "family_name", "child_id", "date_of_birth")


@dataclass
class NamedList:
    total: int  # everyone behind the figure (or row)
    visible: int  # of them, those the viewer may see
    page: Page  # this page of the visible ones (YoungPerson with SHOWN_FIELDS, ``openable`` set)

    @property
    def hidden(self) -> int:
        return self.total - self.visible

    @property
    def people(self) -> list[YoungPerson]:
        return list(self.page.object_list)


def named_list(user, ids: list[int], page_number) -> NamedList:
    """The page ``page_number`` of the young people among ``ids`` that ``user`` may see, by name."""
    ids = sorted(set(ids))
    if not ids:
        people = []
    else:
        matching = YoungPerson.objects.filter(pk__in=ids).only(*SHOWN_FIELDS)
        people = list(
            scopes.visible_young_people(user, matching).order_by("family_name", "given_name", "pk")
        )
    page = Paginator(people, PER_PAGE, allow_empty_first_page=True).get_page(page_number)
    shown = [person.pk for person in page.object_list]
    openable = set()
    if shown:
        openable = set(
            scopes.young_people(user, queryset=YoungPerson.objects.filter(pk__in=shown)).values_list("pk", flat=True)
        )
    for person in page.object_list:
        person.openable = person.pk in openable
    return NamedList(total=len(ids), visible=len(people), page=page)
