from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "nwd.homes"
    label = "homes"
    verbose_name = "The hubs as registered children's homes (daily logs, regulation 44 and 45, schedule 4)"
