from django.apps import AppConfig


class LeaversConfig(AppConfig):
    name = "nwd.leavers"
    label = "leavers"
    verbose_name = "Care leavers and Ofsted's Annex A"

    def ready(self) -> None:
        # Inside ready (Django's app loading): the relations read the leavers' models, loaded by now.
        from nwd.leavers import relations

        relations.register()
