"""Writing the audit log: who read, changed or signed in to what, when, and from where.

Views call ``record(request, action, record_or_young_person)`` for what they show; the
``@requires`` decorator does it for the record a page is about, ``record_rows`` for every young
person in a list, search result or download. Changes are recorded from simple-history's signal
(``nwd.access.signals``), sign-ins from Django's and django-axes' signals. Reading the log back
is in ``nwd.access.queries``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction

from nwd.access import lockout
from nwd.access.models import Action, AuditEvent
from nwd.access.policy import YOUNG_PERSON, young_person_of
from nwd.access.relations import model_of

MAX_PATH = 500
MAX_AGENT = 300

# The query parameter holding the words typed into a search (the search page's ``q``).
SEARCH_PARAMETER = "q"
SEARCH_DIGEST_PREFIX = "hmac-sha256:"


def client_ip(request) -> str | None:
    """The address the request came from: the one lockout uses (``nwd.access.lockout.client_ip``),
    REMOTE_ADDR or, behind the trusted proxy (NWD_TRUSTED_PROXY_HEADER), the address it appended."""
    if request is None:
        return None
    return lockout.client_ip(request)


def search_digest(term: str) -> str:
    """A keyed hash of the words of a search, the form in which the audit log keeps them.

    The words typed (a name, a date of birth) are personal data that would outlive the records'
    retention in an append-only log; their HMAC does not say them, yet an auditor asking "did
    anyone search for X" hashes X (``nwd.access.queries.searched_for``) and finds the rows. The
    key is NWD_AUDIT_SEARCH_KEY when set (so rotating SECRET_KEY does not orphan the log's
    digests), else SECRET_KEY. Case and runs of spaces are ignored, as the search ignores them.
    """
    key = (settings.NWD_AUDIT_SEARCH_KEY or settings.SECRET_KEY).encode()
    words = " ".join(term.split()).casefold()
    return SEARCH_DIGEST_PREFIX + hmac.new(key, words.encode(), hashlib.sha256).hexdigest()


def audited_path(request) -> str:
    """The request's path and query, with the words of a search (``q``) replaced by their digest."""
    if SEARCH_PARAMETER not in request.GET:
        return request.get_full_path()
    query = request.GET.copy()
    query.setlist(SEARCH_PARAMETER, [search_digest(v) for v in query.getlist(SEARCH_PARAMETER)])
    return f"{request.path}?{urlencode(list(query.lists()), doseq=True, safe=':')}"


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
        "path": audited_path(request)[:MAX_PATH],
    }


def _young_person_id(target) -> int | None:
    if target is None:
        return None
    if isinstance(target, model_of(YOUNG_PERSON)):
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
    person_model = model_of(YOUNG_PERSON)
    content_type = ContentType.objects.get_for_model(person_model)
    pks: list[int] = []
    seen = set()
    for person in young_people:
        pk = person.pk if isinstance(person, person_model) else int(person)
        if pk in seen:
            continue
        seen.add(pk)
        pks.append(pk)
    if pks:
        # One event made as a model would be (its defaults, its fields' conversions), then one row
        # per young person differing only in the object, the sequence and the hash: the same rows
        # bulk_create wrote, without building and compiling a model instance per name.
        like = AuditEvent(action=action, detail=detail, content_type=content_type, object_id="",
                          young_person_id=None, **base)
        _insert_like(like, pks)
    return len(pks)


ROWS_PER_INSERT = 500
_PER_ROW = ("object_id", "young_person_id", "sequence", "chain_hash")


def _insert_like(like: AuditEvent, pks: list[int]) -> None:
    """Insert one event per young person in ``pks``, each a copy of ``like`` about that person,
    linked to the hash chain in order (``nwd.access.chain``), inside one transaction."""
    from nwd.access import chain

    db = router.db_for_write(AuditEvent)
    connection = connections[db]
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    shared = {f.attname: f.get_db_prep_save(getattr(like, f.attname), connection) for f in fields}
    link = chain.linker({name: getattr(like, name) for name in chain.CHAINED_FIELDS}, _PER_ROW[:3])
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with transaction.atomic(using=db, savepoint=False):
        sequence, previous = chain.locked_head(connection)
        per_row = []  # each row's own values, in the order of _PER_ROW
        for pk in pks:
            sequence += 1
            previous = link(previous, {"object_id": str(pk), "young_person_id": pk, "sequence": sequence})
            per_row.append((str(pk), pk, sequence, previous))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The rows' own values as four arrays: a short statement psycopg parses once and
                # keeps, rather than one placeholder per value (parsed afresh every time).
                selected, params = [], []
                for f in fields:
                    if f.attname in _PER_ROW:
                        selected.append(f"u.{f.attname}")
                    else:
                        selected.append(f"CAST(%s AS {f.db_type(connection)})")
                        params.append(shared[f.attname])
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {', '.join(selected)} FROM unnest("  # noqa: S608
                    "%s::varchar[], %s::bigint[], %s::bigint[], %s::varchar[]) "
                    "AS u(object_id, young_person_id, sequence, chain_hash)",
                    [*params, *(list(column) for column in zip(*per_row, strict=True))],
                )
                return
            rows = [[own.get(f.attname, shared[f.attname]) for f in fields]
                    for own in (dict(zip(_PER_ROW, values, strict=True)) for values in per_row)]
            for start in range(0, len(rows), ROWS_PER_INSERT):
                batch = rows[start:start + ROWS_PER_INSERT]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([placeholders] * len(batch)),  # noqa: S608
                    [value for row in batch for value in row],
                )
