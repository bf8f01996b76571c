from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: ``nwd demo`` and the demo logins (no models: its marker is ``access.DemoDatabase``)."""

    name = "nwd.demo"
    label = "demo"
    verbose_name = "The demo"
