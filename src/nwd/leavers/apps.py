from django.apps import AppConfig


class LeaversConfig(AppConfig):
    name = "nwd.leavers"
    label = "leavers"
    verbose_name = "Care leavers and Ofsted's Annex A"
