"""The analyst's SSDA903 pages, under /returns/ (namespace ``returns``)."""

from django.urls import path

from nwd.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_check, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/<str:token>/report.csv", views.import_report_csv, name="import_report"),
    path("export/", views.export_zip, name="export"),
]
