"""The evidence pages, mounted at /evidence/ (``nwd.urls``) under the ``evaluation`` namespace."""

from django.urls import path

from nwd.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/", views.report_job, name="report_job"),
    path("reports/<int:pk>/file", views.report_file, name="report_file"),
]
