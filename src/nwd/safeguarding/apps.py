from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "nwd.safeguarding"
    label = "safeguarding"
    verbose_name = "The hubs as children's homes: restraint, notifications, return interviews, Ofsted's counts"

    def ready(self) -> None:
        # Inside ready (Django's app loading): the relations read this app's models, loaded by now.
        from nwd.safeguarding import relations

        relations.register()
