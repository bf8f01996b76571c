from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nwd.web"
    label = "web"
    verbose_name = "Web application"
