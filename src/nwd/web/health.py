"""``/healthz``: for the load balancer and monitoring. Public (a probe has no login), says nothing
but which checks pass (``nwd.core.health``): 200 when all do, 503 otherwise; never cached."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed, JsonResponse
from django.views.decorators.cache import never_cache

from nwd.access.decorators import public
from nwd.core import health


@public
@never_cache
def healthz(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    healthy, answers = health.report()
    return JsonResponse({"status": "ok" if healthy else "failing", **answers}, status=200 if healthy else 503)
