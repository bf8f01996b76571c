"""The session store: Django's database sessions, with the save of every request made cheap.

``SESSION_SAVE_EVERY_REQUEST`` makes the 30-minute idle time-out slide: every request saves the
session so that its expiry moves on. Django's database store does that by encoding the whole session
again (JSON, compressed, signed) and writing it in a transaction of its own (``BEGIN``, ``UPDATE``,
``COMMIT``: three round trips on every page). When the session's data is what was read at the start
of the request, only the expiry needs to move: one ``UPDATE`` of ``expire_date``, atomic on its own.

"What was read" is compared as serialised, not by ``modified``: a view may change a value inside the
session (``session["oidc_states"].pop(state)`` spends a single sign-on state) without Django noticing,
and saving every request is what wrote such changes; they must still be written (a replayed state
would otherwise be accepted). A session whose data differs in any way, or a new one, is saved
exactly as Django saves it.

An expiry that would move by less than ``EXPIRY_STEP`` (a minute) is not written at all: a user
at work asks for a page every few seconds, and each write is a commit the database must flush to
disk. The idle time-out then ends between 29 and 30 minutes after the last page, never later.

Reading the session is Django's query, compiled to SQL once a process (``nwd.core.lookups``): the
same row, the same test of its expiry in the database, at a fraction of the CPU.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.db import router
from django.utils import timezone

from nwd.core import lookups

# The least an unchanged session's expiry moves by to be written (see the module's text).
EXPIRY_STEP = dt.timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    _as_read: bytes | None = None
    _expiry_read: dt.datetime | None = None  # the row's expire_date, as read

    def _serialised(self, data: dict[str, Any]) -> bytes | None:
        try:
            serialised: bytes = self.serializer().dumps(data)
        except (TypeError, ValueError):  # not JSON: let Django's own save say so
            return None
        return serialised

    def _get_session_from_db(self) -> Any:
        """Django's ``model.objects.get(session_key=..., expire_date__gt=now)``, compiled once."""
        model = self.model
        using = router.db_for_read(model)
        key = self.session_key
        if key is None:  # never loaded without a key (Django's ``_get_session``); as get() would answer
            self._session_key = None
            return None
        try:
            found = lookups.rows_with(
                ("session", model._meta.label),
                lambda key, now: model.objects.filter(session_key=key, expire_date__gt=now)[:2],
                (key, timezone.now()), using=using,
            )
            if len(found) != 1:  # as get(): none (or, never, two rows of one primary key)
                raise model.DoesNotExist
            self._expiry_read = found[0].expire_date
            return found[0]
        except (model.DoesNotExist, SuspiciousOperation) as e:
            if isinstance(e, SuspiciousOperation):
                logger = logging.getLogger(f"django.security.{e.__class__.__name__}")
                logger.warning(str(e))
            self._session_key = None
            return None

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        self._as_read = self._serialised(data)
        return data

    def save(self, must_create: bool = False) -> None:
        unchanged = (
            not must_create and self.session_key is not None and not self.modified and self._as_read is not None
            and self._serialised(dict(self.items())) == self._as_read
        )
        if not unchanged:
            return super().save(must_create=must_create)
        expiry = self.get_expiry_date()
        if self._expiry_read is not None and self._expiry_read <= expiry < self._expiry_read + EXPIRY_STEP:
            return None  # it would move by less than a minute: the time-out may end up to a minute early
        using = router.db_for_write(self.model)
        moved = self.model._default_manager.using(using).filter(session_key=self.session_key).update(
            expire_date=expiry
        )
        if not moved:  # deleted meanwhile (signed out in another tab): as Django's own save answers
            raise UpdateError
        return None
