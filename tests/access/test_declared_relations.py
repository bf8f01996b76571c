"""The policy names the casework records by kind and declares the relations over them; casework
answers every one when its app is ready (``nwd.casework.relations``), so access imports nothing of
casework and no permission is left without an answer."""

from __future__ import annotations

from nwd.access import policy, relations
from nwd.casework.models import Contact, Referral, YoungPerson
from nwd.hubs.models import Hub


def test_every_kind_a_permission_is_asked_of_has_its_model():
    kinds = {p.kind for p in policy.PERMISSIONS if p.takes_record}
    assert {kind: relations.model_of(kind) for kind in kinds} == {
        policy.YOUNG_PERSON: YoungPerson, policy.REFERRAL: Referral, policy.CONTACT: Contact, policy.HUB: Hub,
    }


def test_every_declared_relation_is_answered_by_casework():
    declared = [value for value in vars(policy).values()
                if isinstance(value, relations.Relation) and value.name in relations.ANSWERS]
    assert len(declared) == len(relations.ANSWERS) == 9
    for relation in declared:
        answer = relations.ANSWERS[relation.name]
        assert relation.model is answer.model
