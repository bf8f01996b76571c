"""Drafts: kept per user and per record, only the form's own fields, restored, discarded, expired."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from nwd.drafts import services as drafts
from nwd.drafts.models import Draft
from tests.factories import UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db
FIELDS = ["summary", "date", "kind"]


def posted(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        query[name] = value
    return query


def test_save_keeps_only_the_forms_fields():
    user, person = UserFactory(), YoungPersonFactory()
    draft = drafts.save_draft(
        user, "contact", f"young_person:{person.pk}",
        posted(summary="Met at the park", date_day="3", csrfmiddlewaretoken="secret", other="x"), FIELDS, person,
    )
    assert draft.data == {"summary": ["Met at the park"], "date_day": ["3"]}
    assert draft.young_person == person


def test_drafts_are_personal_and_per_record():
    me, colleague = UserFactory(), UserFactory()
    drafts.save_draft(me, "contact", "young_person:1", posted(summary="mine"), FIELDS)
    assert drafts.load_draft(colleague, "contact", "young_person:1") is None
    assert drafts.load_draft(me, "contact", "young_person:2") is None
    assert drafts.as_querydict(drafts.load_draft(me, "contact", "young_person:1"))["summary"] == "mine"


def test_saving_again_replaces_and_an_empty_form_deletes():
    me = UserFactory()
    drafts.save_draft(me, "contact", "r", posted(summary="one"), FIELDS)
    drafts.save_draft(me, "contact", "r", posted(summary="one two"), FIELDS)
    assert Draft.objects.get().data["summary"] == ["one two"]
    drafts.save_draft(me, "contact", "r", posted(summary="  "), FIELDS)
    assert not Draft.objects.exists()


def test_expired_drafts_are_not_restored_and_are_purged():
    me = UserFactory()
    drafts.save_draft(me, "contact", "r", posted(summary="old"), FIELDS)
    old = timezone.now() - dt.timedelta(days=drafts.DRAFT_DAYS + 1)
    Draft.objects.update(updated_at=old)
    assert drafts.load_draft(me, "contact", "r") is None
    assert drafts.purge_expired() == 1


def test_values_are_bounded():
    me = UserFactory()
    draft = drafts.save_draft(me, "contact", "r", posted(summary="x" * 50_000), FIELDS)
    assert len(draft.data["summary"][0]) == drafts.MAX_VALUE_CHARS
