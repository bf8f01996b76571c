from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "nwd.placements"
    label = "placements"
    verbose_name = "Placements, providers and sufficiency"
