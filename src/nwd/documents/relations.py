"""The relation over documents that the permission policy names, answered here (as casework's)."""

from __future__ import annotations

from django.db.models import Q

from nwd.access.policy import DOCUMENT
from nwd.access.relations import answer, register_kind, relation
from nwd.documents.models import Document


@relation(Document, lambda user: Q(shared_with_police=True))
def is_shared_with_police(user, document) -> bool:
    """The document is marked as shared with police."""
    return bool(document.shared_with_police)


def register() -> None:
    register_kind(DOCUMENT, Document)
    answer(is_shared_with_police)
