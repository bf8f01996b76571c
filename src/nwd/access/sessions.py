"""The session store: Django's database sessions, with the save of every request made cheap.

``SESSION_SAVE_EVERY_REQUEST`` makes the 30-minute idle time-out slide: every request saves the
session so that its expiry moves on. Django's database store does that by encoding the whole session
again (JSON, compressed, signed) and writing it in a transaction of its own (``BEGIN``, ``UPDATE``,
``COMMIT``: three round trips on every page). When the request changed nothing in the session, only
the expiry needs to move: one ``UPDATE`` of ``expire_date``, atomic on its own. It also no longer
writes back a copy of the data read at the start of the request, which could undo what another
request of the same user wrote in between (a second factor passed in another tab).

A session whose data changed, or a new one, is saved exactly as Django saves it.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import router


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None or self.modified:
            return super().save(must_create=must_create)
        using = router.db_for_write(self.model)
        moved = self.model._default_manager.using(using).filter(session_key=self.session_key).update(
            expire_date=self.get_expiry_date()
        )
        if not moved:  # deleted meanwhile (signed out in another tab): as Django's own save answers
            raise UpdateError
        return None
