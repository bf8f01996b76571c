"""Each relation answers the same for one record as in the database, for every user and record."""

from __future__ import annotations

import pytest

from nwd.access import policy

RELATIONS = [
    (policy.works_at_hub_of, "people"), (policy.is_key_worker_of, "people"), (policy.is_drawn_in_for, "people"),
    (policy.is_awaiting_decision, "people"), (policy.is_known_to_service, "people"),
    (policy.is_supported_near_me, "people"), (policy.named_on_restricted_record, "people"),
    (policy.referred_by_my_agency, "referrals"), (policy.wrote_this_note, "contacts"), (policy.is_my_hub, "hubs"),
    *[(scope.relation, None) for scope in policy.SCOPES],
]


def _records(population, attribute, relation):
    if attribute is None:
        model = relation.model
        attribute = {"YoungPerson": "people", "Referral": "referrals", "Contact": "contacts", "Hub": "hubs",
                     "Document": "documents"}.get(
            getattr(model, "__name__", ""), "people")
    return getattr(population, attribute)


@pytest.mark.django_db
@pytest.mark.parametrize(("relation", "attribute"), RELATIONS, ids=[r.name for r, _ in RELATIONS])
def test_record_and_database_agree(population, relation, attribute):
    records = _records(population, attribute, relation)
    if not records:
        return
    model = type(next(iter(records.values())))
    users = [*population.users.values(), *population.extras.values()]
    for user in users:
        one_by_one = {key for key, record in records.items() if relation.test(user, record)}
        in_database = set(relation.filter(user, model.objects.filter(pk__in=[r.pk for r in records.values()]))
                          .values_list("pk", flat=True))
        assert {k for k, r in records.items() if r.pk in in_database} == one_by_one, (relation.name, user.username)


@pytest.mark.django_db
def test_role_level_answer_agrees_with_the_database_filter(population):
    """Asked without a record ("may this role ever?"), every permission and scope answers what its
    database filter says (not NOTHING), though it no longer builds the filter to find out."""
    from nwd.access.relations import NOTHING

    users = [*population.users.values(), *population.extras.values()]
    relations = [*policy.RULES.values(), *[scope.relation for scope in policy.SCOPES], *[r for r, _ in RELATIONS]]
    for user in users:
        for relation in relations:
            assert relation.test(user, None) is (relation.where(user) is not NOTHING), (relation.name, user.username)
