"""The placement pages, mounted at /placements/ (``nwd.urls``) under the ``placements`` namespace."""

from django.urls import path

from nwd.placements import views

app_name = "placements"

urlpatterns = [
    path("providers/", views.register, name="register"),
    path("providers/<int:provider_id>/", views.provider, name="provider"),
    path("flagged/", views.flagged, name="flagged"),
    path("sufficiency/", views.sufficiency_page, name="sufficiency"),
]
