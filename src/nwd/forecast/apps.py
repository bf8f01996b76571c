"""The forecast as a Django app: it has no models; the app exists for ``nwd forecast``."""

from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "nwd.forecast"
    label = "forecast"
    verbose_name = "Forecast"
