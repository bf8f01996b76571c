"""Writing the audit log: who read, changed or signed in to what, when, and from where.

Views call ``record(request, action, record_or_young_person)`` for what they show; the
``@requires`` decorator does it for the record a page is about, ``record_rows`` for every young
person in a list, search result or download. Changes are recorded from simple-history's signal
(``nwd.access.signals``), sign-ins from Django's and django-axes' signals. Reading the log back
is in ``nwd.access.queries``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from nwd.access.models import Action, AuditEvent
from nwd.access.policy import young_person_of
from nwd.casework.models import YoungPerson

MAX_PATH = 500
MAX_AGENT = 300


def client_ip(request) -> str | None:
    """The address the request came from, as axes saw it (it honours the proxy settings), else REMOTE_ADDR."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None
    return address


def _from_request(request) -> dict:
    if request is None:
        return {}
    user = getattr(request, "user", None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return {
        "user": user if signed_in else None,
        "username": user.get_username() if signed_in else "",
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:MAX_AGENT],
        "method": (request.method or "")[:8],
        "path": request.get_full_path()[:MAX_PATH],
    }


def _young_person_id(target) -> int | None:
    if target is None:
        return None
    if isinstance(target, YoungPerson):
        return target.pk
    young_person_id = getattr(target, "young_person_id", None)
    if young_person_id is not None:
        return young_person_id
    person = young_person_of(target)
    return person.pk if person is not None else None


def event_for(request, action: str, target: models.Model | None = None, *, detail: str = "",
              user=None, username: str = "") -> AuditEvent:
    """An unsaved event (for bulk writing): the request's who and where, the target's what."""
    fields = _from_request(request)
    if user is not None:
        fields["user"] = user
        fields["username"] = user.get_username()
    if username and not fields.get("username"):
        fields["username"] = username[:150]
    if target is not None:
        fields["content_type"] = ContentType.objects.get_for_model(type(target), for_concrete_model=False)
        fields["object_id"] = str(target.pk)[:64]
        fields["young_person_id"] = _young_person_id(target)
    return AuditEvent(action=action, detail=detail, **fields)


def record(request, action: str, target: models.Model | None = None, *, detail: str = "",
           user=None, username: str = "") -> AuditEvent:
    """Write one audit event and return it.

    ``target`` is the record read or changed (a young person, a contact, a referral...); the young
    person it is about is found from it, so "who has viewed this young person" includes everyone
    who opened any of their records. ``detail`` is a short free-text note ("plan PDF", "filters:
    hub=2"). ``user``/``username`` override the request's user (sign-in events happen before it is
    set).
    """
    event = event_for(request, action, target, detail=detail, user=user, username=username)
    event.save()
    return event


def record_rows(request, young_people: Iterable, action: str = Action.LIST, *, detail: str = "") -> int:
    """Write one event per young person shown in a list, search result, export or download.

    ``young_people`` may be YoungPerson objects or their ids. Written in one statement, so a page
    of fifty names costs one INSERT. Returns how many events were written.
    """
    base = _from_request(request)
    content_type = ContentType.objects.get_for_model(YoungPerson)
    events = []
    seen = set()
    for person in young_people:
        pk = person.pk if isinstance(person, YoungPerson) else int(person)
        if pk in seen:
            continue
        seen.add(pk)
        events.append(
            AuditEvent(action=action, detail=detail, content_type=content_type, object_id=str(pk),
                       young_person_id=pk, **base)
        )
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return len(events)
