"""URLs of the access app (namespace ``access``): sign-in, second factor, audit pages."""

from django.urls import path

from nwd.access import sso_views, views

app_name = "access"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    # Single sign-on (OpenID Connect): 404 unless configured (nwd.access.sso).
    path("sign-in/sso/", sso_views.SingleSignOnStart.as_view(), name="sso_start"),
    path("sign-in/sso/callback/", sso_views.SingleSignOnCallback.as_view(), name="sso_callback"),
    path("second-factor/set-up/", views.enrol, name="enrol"),
    path("second-factor/", views.verify, name="verify"),
    path("audit/", views.audit_log, name="audit_log"),
    path("young-people/<int:young_person_id>/viewed-by/", views.viewed_by, name="viewed_by"),
    path("young-people/<int:young_person_id>/changes/", views.change_history, name="change_history"),
    path("young-people/<int:young_person_id>/subject-access/", views.subject_access_export, name="subject_access"),
]
