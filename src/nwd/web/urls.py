"""The shell's URLs. The practitioner pages (another engineer) go under the ``web`` namespace here."""

from django.urls import include, path

from nwd.web import views
from nwd.web.pages import home as practitioner_home

urlpatterns = [
    path("", practitioner_home.home, name="home"),  # each role lands on its own page (nwd.web.pages.home)
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("", include("nwd.web.pages.urls")),
]
