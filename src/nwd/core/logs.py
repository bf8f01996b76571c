"""Logs as JSON lines on standard output, each carrying the id of the request it belongs to.

One JSON object a line (``time``, ``level``, ``logger``, ``message``, ``request_id`` and, for the
request lines, ``method``, ``path``, ``status``, ``duration_ms``), so a council's log collector
(journald, Loki, Elastic, Azure Monitor...) reads the fields without a pattern of its own.

The request id: ``RequestId`` takes the ``X-Request-ID`` a reverse proxy sent (when it is a short
token of letters, digits, ``-``, ``_`` and ``.``), otherwise makes one, keeps it for the request's
log lines (``RequestIdFilter``) and returns it in the response's ``X-Request-ID``, so a user's
"something went wrong" can be matched with the lines of that request. Query strings are never
logged (a search holds names).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
NO_REQUEST = "-"

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("nwd_request_id", default=NO_REQUEST)
request_logger = logging.getLogger("nwd.request")

# The attributes every LogRecord has: anything else on a record was passed in ``extra`` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}
# Django puts the request itself on django.request's records: not something to print.
_NOT_LOGGED = {"request", "server_time"}


def current_request_id() -> str:
    return _request_id.get()


def request_id_from(meta: dict) -> str:
    """The id the proxy sent when acceptable, else a new one (32 hexadecimal digits)."""
    sent = str(meta.get(META_KEY, "")).strip()
    return sent if ACCEPTABLE_ID.match(sent) else uuid.uuid4().hex


class RequestId:
    """Middleware: give each request an id, log one line per request with it, return it in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META)
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            request_logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Put the request's id (``-`` outside a request) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs a 404 after the middleware has returned, with the request on the record.
            record.request_id = getattr(getattr(record, "request", None), "request_id", None) or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line; the traceback, when the record keeps one, in ``exc_info``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _NOT_LOGGED and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def logging_config(level: str = "WARNING") -> dict:
    """``settings.LOGGING``: JSON lines on standard output with the request id; expected refusals
    (403, 404) in one line, 500s with their traceback (``nwd.core.log_filters``). Each request's line
    (``nwd.request``) at INFO."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "one_line_refusals": {"()": "nwd.core.log_filters.OneLineRefusals"},
            "request_id": {"()": "nwd.core.logs.RequestIdFilter"},
        },
        "formatters": {"json": {"()": "nwd.core.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["one_line_refusals", "request_id"],
                "formatter": "json",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"nwd.request": {"level": "INFO"}},
    }
