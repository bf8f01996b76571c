from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "nwd.forecast"
    label = "forecast"
    verbose_name = "Forecast"
