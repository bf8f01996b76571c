"""The hubs as children's homes, under /children-homes/ (namespace ``safeguarding``)."""

from django.urls import path

from nwd.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:hub_id>/", views.hub, name="hub"),
    path("<int:hub_id>/restraints/new/", views.new_restraint, name="new_restraint"),
    path("restraints/<int:pk>/", views.restraint, name="restraint"),
    path("restraints/<int:pk>/staff-talk/", views.sign_staff_talk, name="sign_staff_talk"),
    path("restraints/<int:pk>/young-person-talk/", views.confirm_young_person_talk, name="confirm_young_person_talk"),
    path("notify/exploitation/<int:pk>/", views.raise_from_concern, name="raise_from_concern"),
    path("notify/missing/<int:pk>/", views.raise_from_episode, name="raise_from_episode"),
    path("notify/police/<int:pk>/", views.raise_from_police, name="raise_from_police"),
    path("notify/health/<int:pk>/", views.raise_from_health, name="raise_from_health"),
    path("notifications/<int:pk>/", views.notification, name="notification"),
    path("returns/<int:pk>/", views.episode, name="episode"),
    path("<int:hub_id>/inspectors/", views.inspectors, name="inspectors"),
    path("inspectors/<int:pk>/end/", views.end_inspection, name="end_inspection"),
    path("<int:hub_id>/ofsted-counts/", views.counts, name="counts"),
    path("<int:hub_id>/ofsted-counts/pdf/", views.counts_pdf, name="counts_pdf"),
]
