from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "nwd.events"
    label = "events"
    verbose_name = "Events"
