"""The forecast page, mounted at /forecast/ (``nwd.urls``) under the ``forecast`` namespace."""

from django.urls import path

from nwd.forecast.web import views

app_name = "forecast"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run_page, name="job"),
    path("runs/<int:pk>/forecast.json", views.download_json, name="json"),
    path("runs/<int:pk>/forecast.xlsx", views.download_xlsx, name="xlsx"),
]
