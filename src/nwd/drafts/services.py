"""Saving, restoring and discarding drafts; expired drafts are deleted whenever drafts are touched.

Only the fields a form declares are kept (never the CSRF token, never anything else posted), and a
draft is bounded in size, so the draft endpoint cannot be used to park arbitrary data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from nwd.drafts.models import Draft

if TYPE_CHECKING:  # for the annotations only
    from nwd.access.models import User
    from nwd.casework.models import YoungPerson

DRAFT_DAYS: int = settings.NWD_DRAFT_DAYS
MAX_VALUE_CHARS = 20_000
MAX_FIELDS = 200


def expiry_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=DRAFT_DAYS)


def _allowed(name: str, field_names: Iterable[str]) -> bool:
    return any(name == field or name.startswith(field + "_") for field in field_names)


def clean_data(posted: MultiValueDict[str, Any] | Mapping[str, Any], field_names: Iterable[str]) -> dict[str, list[str]]:
    """The posted values of the form's own fields (a QueryDict or a dict of lists), bounded in size,
    without null characters."""
    field_names = list(field_names)
    data: dict[str, list[str]] = {}
    for name in list(posted.keys())[:MAX_FIELDS]:
        if not _allowed(name, field_names) or "\x00" in name:
            continue
        values = posted.getlist(name) if isinstance(posted, MultiValueDict) else list(posted[name])
        # A null character cannot be stored (PostgreSQL refuses it); a person cannot type one either.
        data[name] = [str(v).replace("\x00", "")[:MAX_VALUE_CHARS] for v in values]
    return data


def save_draft(
    user: User,
    form: str,
    record: str,
    posted: MultiValueDict[str, Any] | Mapping[str, Any],
    field_names: Iterable[str],
    young_person: YoungPerson | None = None,
) -> Draft | None:
    """Keep what has been typed so far. An empty form deletes the draft rather than keeping nothing."""
    data = clean_data(posted, field_names)
    if not any(v.strip() for values in data.values() for v in values):
        discard_draft(user, form, record)
        return None
    draft, _ = Draft.objects.update_or_create(
        user=user, form=form, record=record,
        defaults={"data": data, "young_person": young_person},
    )
    return draft


def load_draft(user: User | AnonymousUser, form: str, record: str) -> Draft | None:
    """The user's draft of this form about this record, if one was saved in the last ``DRAFT_DAYS`` days."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return Draft.objects.filter(user=user, form=form, record=record, updated_at__gte=expiry_cutoff()).first()


def discard_draft(user: User, form: str, record: str) -> None:
    Draft.objects.filter(user=user, form=form, record=record).delete()


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete every draft older than ``DRAFT_DAYS``: run daily (``nwd purge_drafts``)."""
    deleted, _ = Draft.objects.filter(updated_at__lt=expiry_cutoff(now)).delete()
    return deleted


def as_querydict(draft: Draft) -> QueryDict:
    """The draft's data as a QueryDict, ready to bind a form to."""
    query = QueryDict(mutable=True)
    for name, values in draft.data.items():
        query.setlist(name, [str(v) for v in values])
    return query
