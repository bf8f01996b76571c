from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "nwd.worklist"
    label = "worklist"
    verbose_name = "Tasks, reminders, notifications and meetings"

    def ready(self) -> None:
        # Inside ready (Django's app loading): the signal receivers and the clocks read other apps'
        # models, loaded by now; the clock job is registered with the queue's periodic work.
        from nwd.worklist import clocks, signals

        signals.connect()
        clocks.register_periodic()
