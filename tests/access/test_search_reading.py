"""The search page's cheaper reading (issue 14, sixth round) gives what the per-request reading gave,
for every user of the access tests' population: each result's link, and each result's alerts.

- ``result_links`` asks each permission only of the results no earlier one linked, and none when the
  page's permission reaches every young person the user may find: the same links as asking all three
  scopes of every result.
- The alerts' query compiled once per reader (``search_results(..., reader=...)``): the same rows and
  alerts as building it per request.
"""

from __future__ import annotations

import pytest
from django.db.models.sql.query import Query

from nwd.access import scopes
from nwd.access.relations import user_key
from nwd.casework import queries
from nwd.casework.models import YoungPerson
from nwd.web.pages.search import result_links

pytestmark = pytest.mark.django_db


def _users(population):
    return [*population.users.values(), *population.extras.values()]


def _links_as_before(user, ids):
    """The page's reading before this round: three scopes asked of every result."""
    openable = set(scopes.young_people(user).filter(pk__in=ids).values_list("pk", flat=True))
    police = set(scopes.young_people(user, "events.view_police_shared").filter(pk__in=ids).values_list("pk", flat=True))
    rectifiable = set(scopes.young_people(user, "casework.rectify_identity").filter(pk__in=ids)
                      .values_list("pk", flat=True)) if user.has_perm("casework.rectify_identity") else set()
    links = {}
    for pk in ids:
        link = ("web:young_person" if pk in openable else "web:shared_with_police" if pk in police
                else "web:data_protection" if pk in rectifiable else None)
        if link:
            links[pk] = link
    return links


def test_each_results_link_is_the_one_the_three_scopes_gave(population):
    linked = set()
    for user in _users(population):
        ids = list(scopes.visible_young_people(user).values_list("pk", flat=True))
        assert result_links(user, ids) == _links_as_before(user, ids), user.username
        linked |= set(result_links(user, ids).values())
    assert linked == {"web:young_person", "web:shared_with_police", "web:data_protection"}


def test_the_alerts_compiled_once_per_reader_are_the_per_request_ones(population, django_assert_num_queries):
    compared = 0
    for user in _users(population):
        people = scopes.visible_young_people(user)
        found = YoungPerson.objects.filter(pk__in=people.values("pk")) & people
        if not people.exists():
            continue
        per_request = queries.search_results(found, viewer=user, within="casework.view_identity")
        for _ in range(2):  # compiled, then reused
            with django_assert_num_queries(2):
                read = queries.search_results(found, viewer=user, within="casework.view_identity", reader=user_key(user))
            assert [(p.pk, p.full_name, p.hub_name, p.key_worker_last, [a.text for a in p.alerts]) for p in read] == \
                [(p.pk, p.full_name, p.hub_name, p.key_worker_last, [a.text for a in p.alerts]) for p in per_request]
        compared += bool(per_request)
    assert compared >= 5


def test_the_young_person_scopes_the_alerts_depend_on_read_no_clock(population, monkeypatch):
    """The alerts' SQL is kept for a reader a whole day: the scopes in it must not read the time (as an
    inspector's grant does, over hubs), or a kept query would go on answering as at the moment it was
    compiled. Compiled at two moments, the SQL and its parameters are the same."""
    import datetime as dt

    from django.utils import timezone

    from nwd.casework.queries.alerts import with_alerts

    def compiled(user):
        query: Query = with_alerts(YoungPerson.objects.filter(pk__in=[1, 2]), dt.date(2025, 6, 2), user,
                                   "casework.view_identity").query
        return query.get_compiler("default").as_sql()

    for user in _users(population):
        monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC))
        first = compiled(user)
        monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2025, 6, 2, 17, 30, tzinfo=dt.UTC))
        assert compiled(user) == first, user.username
