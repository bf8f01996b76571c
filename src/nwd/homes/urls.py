"""The hubs' records as children's homes, under /homes/ (namespace ``homes``)."""

from django.urls import path

from nwd.homes import views

app_name = "homes"

urlpatterns = [
    path("", views.index, name="index"),
    path("stay/<int:stay_id>/log/", views.stay_log, name="log"),
    path("stay/<int:stay_id>/log/entry/", views.write_entry, name="write_entry"),
    path("stay/<int:stay_id>/log/handover/", views.write_handover, name="write_handover"),
    path("log/<int:pk>/correct/", views.correct_entry, name="correct_entry"),
    path("handovers/<int:pk>/correct/", views.correct_handover, name="correct_handover"),
    path("<slug:hub_code>/reports/", views.reports, name="reports"),
    path("<slug:hub_code>/reports/visit/", views.new_visit, name="new_visit"),
    path("<slug:hub_code>/reports/review/", views.new_review, name="new_review"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/action/", views.visit_action, name="visit_action"),
    path("visits/<int:pk>/sign-off/", views.visit_sign_off, name="visit_sign_off"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/action/", views.review_action, name="review_action"),
    path("reviews/<int:pk>/sign-off/", views.review_sign_off, name="review_sign_off"),
    path("reviews/<int:pk>/sent/", views.review_sent, name="review_sent"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("<slug:hub_code>/admissions/", views.admission_register, name="register"),
    path("<slug:hub_code>/admissions/register.csv", views.admission_register_download, {"extension": "csv"},
         name="register_csv"),
    path("<slug:hub_code>/admissions/register.xlsx", views.admission_register_download, {"extension": "xlsx"},
         name="register_xlsx"),
    path("<slug:hub_code>/visitors/", views.visitors, name="visitors"),
    path("visitors/<int:pk>/out/", views.visitor_out, name="visitor_out"),
]
