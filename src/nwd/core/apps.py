from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks: the abstract record base and the date and age rules."""

    name = "nwd.core"
    label = "core"
    verbose_name = "Shared rules"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from nwd.core import stale_plans

        connection_created.connect(stale_plans.install, dispatch_uid="nwd.core.stale_plans")
