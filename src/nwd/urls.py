"""The project's URLs: each app mounts its own. Every view states its permission (see nwd.access)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("nwd.web.urls")),
]
