from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "nwd.care"
    label = "care"
    verbose_name = "Care periods and placements"
