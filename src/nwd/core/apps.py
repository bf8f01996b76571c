from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks: the abstract record base and the date and age rules."""

    name = "nwd.core"
    label = "core"
    verbose_name = "Shared rules"
