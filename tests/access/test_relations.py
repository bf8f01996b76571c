"""Each relation answers the same for one record as in the database, for every user and record."""

from __future__ import annotations

import pytest

from nwd.access import policy
from nwd.access.roles import Role

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


# ``policy.reaches``: a list already limited to one permission may skip the filter of another only
# where the other truly holds for each of its rows (the alerts of a hub manager's list of their hub's
# young people, chosen by ``casework.view_plan``, need no second ``casework.view_young_person`` filter).

YOUNG_PERSON_PERMISSIONS = [p.name for p in policy.PERMISSIONS if p.kind == policy.YOUNG_PERSON]


@pytest.mark.django_db
def test_what_reaches_says_the_database_agrees(population):
    people = list(population.people.values())
    model = type(people[0])
    every = model.objects.filter(pk__in=[p.pk for p in people])
    users = [*population.users.values(), *population.extras.values()]
    held: dict[tuple, set] = {}

    def rows(user, permission: str) -> set:
        # The database's answer (``test_record_and_database_agree`` checks it agrees with the record's).
        if (user.pk, permission) not in held:
            held[user.pk, permission] = set(policy.RULES[permission].filter(user, every).values_list("pk", flat=True))
        return held[user.pk, permission]

    claimed = 0
    for user in users:
        for permission in YOUNG_PERSON_PERMISSIONS:
            for other in YOUNG_PERSON_PERMISSIONS:
                if permission != other and policy.reaches(user, permission, other):
                    claimed += 1
                    assert rows(user, other) <= rows(user, permission), (user.username, permission, other)
    assert claimed  # the test checks something


def test_a_hub_manager_reaches_their_hubs_plans_from_the_young_persons_page_not_the_reverse():
    manager = type("U", (), {"role": Role.HUB_MANAGER})()
    assert policy.reaches(manager, "casework.view_young_person", "casework.view_plan")
    assert not policy.reaches(manager, "casework.view_plan", "casework.view_young_person")
    assert policy.reaches(manager, "casework.view_plan", "casework.view_contacts")  # the very same scope
    assert not policy.reaches(manager, "casework.view_plan", "casework.view_contact")  # another kind of record


def test_within_a_read_a_scope_is_tested_once_however_many_rules_share_it():
    """Roles and the ``&`` and ``|`` that combine them are not remembered (``Relation.remembered``):
    the scope they share, which would query, is still tested once a read, and every answer holds."""
    from types import SimpleNamespace

    from nwd.access.relations import ALL, Relation, has_role, remembering

    tested: list[int] = []
    scope = Relation("counted scope", lambda user, record: tested.append(record.pk) or record.pk == 7,
                     lambda user: ALL)
    rule = (has_role("a") & scope) | (has_role("b") & scope)
    rule.remembered = True
    other_rule = has_role("b") & scope
    user = SimpleNamespace(pk=1, role="b", hub_id=None, agency="", organisation="", is_active=True,
                           is_authenticated=True)
    seven, eight = SimpleNamespace(pk=7), SimpleNamespace(pk=8)
    with remembering():
        assert rule.test(user, seven) and rule.test(user, seven) and other_rule.test(user, seven)
        assert not rule.test(user, eight) and not other_rule.test(user, eight)
        assert not (has_role("a") & scope).test(user, seven)
    assert tested == [7, 8]
    assert rule.test(user, seven) and rule.test(user, seven)  # not remembering: tested each time
    assert tested == [7, 8, 7, 7]


# ``policy.answers``: the young person's page asks its permissions together; each answer must be the
# one ``has_perm`` gives, for every user, every record and every permission that can be asked of it.


@pytest.mark.django_db
def test_answers_together_are_has_perms_answers(population):
    from nwd.access.relations import remembering
    from nwd.casework.models import Involvement
    from nwd.hubs.models import Stay

    users = [*population.users.values(), *population.extras.values()]
    people = list(population.people.values())
    involvements = list(Involvement.objects.filter(young_person__in=people).select_related("hub", "young_person"))
    stays = list(Stay.objects.filter(young_person__in=people).select_related("bed__hub", "young_person"))
    records = [*people, *involvements, *stays, *population.referrals.values(), *population.contacts.values(),
               *population.hubs.values()]
    assert involvements and stays
    compared = granted = 0
    for user in users:
        for record in records:
            names = [p.name for p in policy.PERMISSIONS if _askable(p.kind, record)]
            with remembering():
                together = policy.answers(user, record, names)
            with remembering():
                one_by_one = {name: user.has_perm(name, record) for name in names}
            assert together == one_by_one, (user.username, record)
            compared += len(names)
            granted += sum(together.values())
    assert compared and 0 < granted < compared  # some yes, some no: the comparison is not empty


def _askable(kind: str, record) -> bool:
    try:
        policy.as_record_of(kind, record)
    except (TypeError, AttributeError):
        return False
    return True


def test_answers_leave_a_question_without_a_record_to_has_perm():
    from types import SimpleNamespace

    asked = []
    user = SimpleNamespace(role=Role.SERVICE_MANAGER, is_authenticated=True, is_active=True,
                           has_perm=lambda name, record=None: asked.append((name, record)) or True)
    assert policy.answers(user, None, ["casework.view_young_person", "not.a_policy_permission"]) == {
        "casework.view_young_person": True, "not.a_policy_permission": True}
    assert asked == [("casework.view_young_person", None), ("not.a_policy_permission", None)]


@pytest.mark.django_db
def test_answers_for_the_lazy_request_user_are_the_users(population):
    """``request.user`` is lazy, and the second factor's middleware wraps it again: ``answers`` asks
    the user behind both (and a lazy user not yet read is read)."""
    from django.utils.functional import SimpleLazyObject

    names = [p.name for p in policy.PERMISSIONS if p.kind == policy.YOUNG_PERSON]
    for user in population.users.values():
        lazy = SimpleLazyObject(lambda user=user: SimpleLazyObject(lambda: user))
        assert policy.unwrapped(lazy) is user
        for person in population.people.values():
            assert policy.answers(lazy, person, names) == policy.answers(user, person, names)
    assert policy.unwrapped(None) is None
