"""Errors as problem details (RFC 9457, ``application/problem+json``): a type, a title, the status,
a detail in plain words; for a request the API could not accept, the fields and what is wrong with
each. Never a stack trace, and never personal data: a record the client may not see answers exactly
as one that does not exist (404, the same body), as on the pages.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
TYPES = "/api/docs/#problems"  # docs/api.md lists them too

TITLES = {
    400: "The request could not be accepted",
    401: "Not signed in",
    403: "Not allowed",
    404: "No such record",
    405: "Method not allowed",
    406: "Not acceptable",
    415: "Unsupported media type",
    429: "Too many requests",
    500: "Something went wrong",
}
DETAILS = {
    401: "Send a live API token: Authorization: Bearer <token>.",
    403: "The client's role does not allow this (see docs/permissions.md).",
    404: "There is no such record, or the client may not see it.",
    500: "The error has been logged. Try again later.",
}


def problem(status_code: int, detail: str | None = None, errors: list[dict] | None = None) -> dict:
    body = {
        "type": f"{TYPES}-{status_code}",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail or DETAILS.get(status_code, TITLES.get(status_code, "Error")),
    }
    if errors:
        body["errors"] = errors
    return body


def field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {"field", "message"} (``field`` null for the whole)."""
    found: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else f"{prefix}{key}"
            found += field_errors(value, f"{name}." if name else prefix)
            for item in found:
                if item["field"] is None and name:
                    item["field"] = name
    elif isinstance(detail, list):
        for value in detail:
            found += field_errors(value, prefix)
    else:
        found.append({"field": prefix.rstrip(".") or None, "message": str(detail)})
    return found


def handler(exc, context):
    """DRF's exception handler, answering every error as a problem."""
    headers = {}
    if isinstance(exc, Http404):
        status_code, detail, errors = 404, None, None
    elif isinstance(exc, PermissionDenied):
        status_code, detail, errors = 403, None, None
    elif isinstance(exc, exceptions.ValidationError):
        status_code, detail, errors = 400, "Some of what was sent is missing or wrong: see errors.", field_errors(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        detail = str(exc.detail) if status_code in (405, 406, 415, 429, 400) else None
        errors = None
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            headers["Retry-After"] = str(int(exc.wait) + 1)
            detail = f"Too many requests: try again in {int(exc.wait) + 1} seconds."
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
    else:
        log.exception("API error at %s", getattr(context.get("request"), "path", "?"))
        status_code, detail, errors = 500, None, None
    set_rollback()
    return Response(problem(status_code, detail, errors), status=status_code, headers=headers,
                    content_type=CONTENT_TYPE)


def not_found_response() -> JsonResponse:
    """For an address under /api/ that names nothing (outside DRF's views)."""
    return JsonResponse(problem(404, "There is no such address in the API."), status=status.HTTP_404_NOT_FOUND,
                        content_type=CONTENT_TYPE)
