from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "nwd.returns"
    label = "returns"
    verbose_name = "SSDA903 return"
