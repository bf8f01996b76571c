"""Reads the documents pages share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nwd.access import scopes
from nwd.casework.models import Contact
from nwd.documents.models import Document


def openable_documents(user: Any, young_person_id: int) -> QuerySet[Document]:
    """The young person's documents the user may open (the police liaison officer: shared with police)."""
    base = Document.objects.filter(young_person_id=young_person_id).select_related("recorded_by", "about_type")
    return scopes.permitted(user, "documents.open_document", base)


def about_choices(user: Any, young_person_id: int, limit: int = 20) -> list[tuple[str, str]]:
    """The records a document may be attached to: the newest contact notes the user may read."""
    notes = scopes.visible_contacts(user, Contact.objects.filter(young_person_id=young_person_id))
    return [(f"contact:{c.pk}", f"Contact on {c.at:%d/%m/%Y}: {c.get_kind_display().lower()}")
            for c in notes.order_by("-at", "-pk")[:limit]]


def about_record(user: Any, young_person_id: int, value: str) -> Contact | None:
    """The record ``value`` (``contact:<id>``) names, if the user may read it and it is about the young person."""
    kind, _, pk = (value or "").partition(":")
    if kind != "contact" or not pk.isdigit():
        return None
    notes = scopes.visible_contacts(user, Contact.objects.filter(young_person_id=young_person_id, pk=int(pk)))
    return notes.first()
