from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work: the job records pages show, and the worker's heartbeats."""

    name = "nwd.jobs"
    label = "jobs"
    verbose_name = "Background work"

    def ready(self) -> None:
        from nwd.jobs.compat import patch_frozen_results  # Django's app loading: after the apps

        patch_frozen_results()
