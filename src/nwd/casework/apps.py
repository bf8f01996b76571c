from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "nwd.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # Inside ready (Django's app loading): the relations read casework's models, loaded by now.
        from nwd.casework import relations

        relations.register()
