"""The project's URLs: each app mounts its own. Every view states its permission (nwd.access.decorators);
``nwd check`` and tests/access/test_url_walk.py fail on one that does not."""

from django.contrib import admin
from django.urls import include, path

from nwd.web.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),  # production server: load balancer and monitoring
    path("", include("nwd.access.urls")),
    path("", include("nwd.web.urls")),
    path("evidence/", include("nwd.evaluation.urls")),
    path("returns/", include("nwd.returns.urls")),
    path("forecast/", include("nwd.forecast.web.urls")),
    path("care-leavers/", include("nwd.leavers.urls")),
    path("children-homes/", include("nwd.safeguarding.urls")),
    path("placements/", include("nwd.placements.urls")),
    path("api/", include("nwd.api.urls")),  # partner systems (issue 19): docs/api.md
    path("", include("nwd.worklist.urls")),  # tasks, notifications, meetings (issue 16)
    path("homes/", include("nwd.homes.urls")),  # the hubs as registered children's homes (issue 15)
    path("", include("nwd.documents.urls")),  # documents and the chronology (issue 16)
]

handler400 = "nwd.web.views.bad_request"
handler403 = "nwd.web.views.forbidden"
handler404 = "nwd.web.views.not_found"
handler500 = "nwd.web.views.server_error"
