from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "nwd.casework"
    label = "casework"
    verbose_name = "Casework"
