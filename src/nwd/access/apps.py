from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "nwd.access"
    label = "access"
    verbose_name = "Access, audit and login"
