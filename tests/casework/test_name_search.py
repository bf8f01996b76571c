"""The search by name through its index (casework migration 0007): the same young people as a plain
scan of the names, on SQLite (FTS5 trigram table kept by triggers) and on PostgreSQL (pg_trgm)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from nwd.casework import queries
from nwd.casework.models import YoungPerson
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Kai", "Marsh", ""),
    ("Kaitlyn", "Goldsmith", "Kait"),
    ("Amara", "Smith", ""),
    ("Jo", "SMITHSON", "Jojo"),
    ("Oliver", "O'Brien", "Ollie"),
    ("Zoë", "Ng", ""),
    ("Liam", "Smith-Jones", ""),
]
SEARCHES = ["smith", "SMITH", "mit", "kai", "kai marsh", "marsh kai", "gold smith", "o'brien", "ollie",
            "ng", "jo", "jo smith", "li smith", "zoë", "ZOË", 'sm"ith', "smith%", "_mith", "nobody", "it h"]


def scanned(text: str) -> set[int]:
    """What the search matched before it had an index: each word anywhere in a name, any case."""
    condition = Q()
    for word in text.split()[:4]:
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
    return set(YoungPerson.objects.filter(condition).values_list("pk", flat=True))


def found(text: str) -> set[int]:
    return {person.pk for person in queries.search_young_people(YoungPerson.objects.all(), text)}


def test_the_indexed_search_finds_what_a_scan_of_the_names_finds():
    for given, family, preferred in NAMES:
        YoungPersonFactory(given_name=given, family_name=family, preferred_name=preferred)
    smiths = found("smith")
    assert len(smiths) == 4  # Goldsmith, Smith, SMITHSON, Smith-Jones
    for text in SEARCHES:
        if text in ("zoë", "ZOË") and connection.vendor == "sqlite":
            continue  # SQLite's LIKE folds only ASCII letters; its index folds every letter, as PostgreSQL does
        assert found(text) == scanned(text), text
    assert len(found("zoë")) == len(found("ZOË")) == 1


def test_a_new_renamed_or_removed_young_person_is_found_or_not_at_once():
    person = YoungPersonFactory(given_name="Ottoline", family_name="Prewett")
    assert found("ottol") == {person.pk}
    person.family_name = "Quennell"
    person.save()
    assert found("prewett") == set()
    assert found("quenn ottoline") == {person.pk}
    person.delete()
    assert found("quennell") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
def test_postgresql_can_answer_the_search_from_the_trigram_indexes():
    condition = queries.search_condition("smith")
    sql, params = YoungPerson.objects.filter(condition).order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for name in ("given_name", "family_name", "preferred_name"):
        assert f"casework_yp_{name}_trgm" in plan, plan
