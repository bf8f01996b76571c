"""/api/: the versioned endpoints (v1), the OpenAPI contract and its documentation (docs/api.md)."""

from django.urls import include, path, re_path

from nwd.api import views

app_name = "api"

v1 = [
    path("young-people/", views.YoungPeople.as_view(), name="young_people"),
    path("young-people/<int:young_person_id>/", views.YoungPersonDetail.as_view(), name="young_person"),
    path("referrals/", views.Referrals.as_view(), name="referrals"),
    path("referrals/<int:referral_id>/", views.ReferralDetail.as_view(), name="referral"),
    path("involvements/", views.Involvements.as_view(), name="involvements"),
    path("key-workers/", views.KeyWorkers.as_view(), name="key_workers"),
    path("stays/", views.Stays.as_view(), name="stays"),
    path("care-episodes/", views.CareEpisodes.as_view(), name="care_episodes"),
    path("events/missing-episodes/", views.MissingEpisodes.as_view(), name="missing_episodes"),
    path("events/police-contacts/", views.PoliceContacts.as_view(), name="police_contacts"),
    path("events/exploitation-concerns/", views.ExploitationConcerns.as_view(), name="exploitation_concerns"),
    path("events/health-events/", views.HealthEvents.as_view(), name="health_events"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
    re_path(r"^(?P<rest>.*)$", views.nowhere, name="nowhere"),
]
