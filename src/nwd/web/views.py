"""The shell's own pages: the session keep-alive and the error pages. (Each role's home page is
in ``nwd.web.pages.home``.)"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseNotAllowed, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

from nwd.access.decorators import public, signed_in


@signed_in
def keep_alive(request):
    """A POST here is activity: the session (saved on every request) runs for another full period."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})


@public
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@public
def forbidden(request, exception=None):
    """403: says nothing about the record refused, not even whether it exists."""
    return render(request, "403.html", status=403)


@public
def not_found(request, exception=None):
    return render(request, "404.html", status=404)


@public
def server_error(request):
    """500: rendered without the request context, which may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
