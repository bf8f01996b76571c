from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The partner systems' API (issue 19): tokens, the endpoints, problem details."""

    name = "nwd.api"
    label = "api"
    verbose_name = "Partner systems' API"
    default_auto_field = "django.db.models.BigAutoField"
