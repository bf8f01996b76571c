"""The policy names the casework records by kind and declares the relations over them; the app that
owns the records answers every one when it is ready (``nwd.casework.relations``,
``nwd.leavers.relations``), so access imports nothing of either and no permission is left without an
answer."""

from __future__ import annotations

from nwd.access import policy, relations
from nwd.casework.models import Contact, Referral, YoungPerson
from nwd.documents.models import Document
from nwd.hubs.models import Hub


def test_every_kind_a_permission_is_asked_of_has_its_model():
    kinds = {p.kind for p in policy.PERMISSIONS if p.takes_record}
    assert {kind: relations.model_of(kind) for kind in kinds} == {
        policy.YOUNG_PERSON: YoungPerson, policy.REFERRAL: Referral, policy.CONTACT: Contact, policy.HUB: Hub,
        policy.DOCUMENT: Document,  # issue 16: documents, opened by their own permission
    }


def test_every_declared_relation_is_answered_by_the_app_owning_its_records():
    declared = {value.name: value for name, value in vars(policy).items()
                if not name.startswith("_") and isinstance(value, relations.Relation)
                and value.name in relations.ANSWERS}
    # nine over casework's records, two over the care leavers' (issue 17), one over documents (shared with
    # police) and one over the hubs as children's homes (an inspector's grant), issues 15 and 16
    assert len(declared) == len(relations.ANSWERS) == 13
    for relation in declared.values():
        answer = relations.ANSWERS[relation.name]
        assert relation.model is answer.model
