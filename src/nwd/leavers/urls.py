"""Care leavers and Ofsted's Annex A, under /care-leavers/ (namespace ``leavers``)."""

from django.urls import path

from nwd.leavers import views

app_name = "leavers"

urlpatterns = [
    path("", views.index, name="index"),
    path("annex-a/", views.annex_a, name="annex_a"),
    path("annex-a/download/", views.annex_a_xlsx, name="annex_a_xlsx"),
    path("<int:young_person_id>/", views.care_leaver, name="care_leaver"),
    path("<int:young_person_id>/contact/", views.record_contact, name="record_contact"),
]
