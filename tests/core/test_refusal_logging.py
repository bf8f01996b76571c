"""Expected refusals (403, 404) are logged in one line on the console; a 500 keeps its traceback.

The console prints JSON lines (nwd.core.logs): a refusal is one line whose message says what was
refused, with no traceback; a 500's line carries the traceback in ``exc_info``.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, override_settings
from django.urls import include, path

from nwd.access.decorators import public
from nwd.core.log_filters import OneLineRefusals


@public
def refused(request):
    raise PermissionDenied("not yours")


@public
def missing(request):
    raise Http404("no such record")


@public
def broken(request):
    raise RuntimeError("a real fault")


urlpatterns = [path("refused/", refused), path("missing/", missing), path("broken/", broken), path("", include("nwd.urls"))]


@pytest.fixture
def console():
    """What the configured console handler (settings.LOGGING) prints, as text."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, OneLineRefusals) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.test_refusal_logging", DEBUG=False)
@pytest.mark.parametrize(("url", "status", "message"), [
    ("/refused/", 403, "Forbidden (Permission denied): /refused/"),
    ("/missing/", 404, "Not Found: /missing/"),
])
def test_an_expected_refusal_is_one_line(console, url, status, message):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    lines = [json.loads(line) for line in console.getvalue().splitlines()]
    refusals = [line for line in lines if line["logger"] == "django.request"]
    assert [line["message"] for line in refusals] == [message]
    assert "exc_info" not in refusals[0] and "Traceback" not in console.getvalue()
    assert refusals[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.test_refusal_logging", DEBUG=False)
def test_a_server_error_keeps_its_traceback(console):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    lines = [json.loads(line) for line in console.getvalue().splitlines()]
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["message"] == "Internal Server Error: /broken/"
    assert "Traceback" in error["exc_info"] and "RuntimeError: a real fault" in error["exc_info"]
