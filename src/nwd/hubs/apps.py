from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "nwd.hubs"
    label = "hubs"
    verbose_name = "Hubs, beds and stays"
