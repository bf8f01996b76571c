"""The project's URLs plus /bench/bare/: the cheapest page Django can serve through the same
middleware (sessions, authentication, security headers), to set the pages' figures against."""

from django.http import HttpResponse
from django.urls import include, path

from nwd.access.decorators import public


@public
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("nwd.urls")),
]

handler400 = "nwd.web.views.bad_request"
handler403 = "nwd.web.views.forbidden"
handler404 = "nwd.web.views.not_found"
handler500 = "nwd.web.views.server_error"
