"""Logging filters: expected refusals in one line, real failures loud.

Django logs every 403 through ``django.request`` with the PermissionDenied as ``exc_info``, so a
refusal the service meant (a user without the permission, a record outside their need to know)
printed a full traceback to the console, burying the 500s that matter. Refusals are answers, not
faults: their message (``Forbidden (Permission denied): /path``) is enough.
"""

from __future__ import annotations

import logging

EXPECTED_REFUSALS = frozenset({403, 404})


class OneLineRefusals(logging.Filter):
    """Drop the traceback from ``django.request``'s records of 403 and 404 responses (kept for 5xx)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", None) in EXPECTED_REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True
