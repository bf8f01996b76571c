from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The partner systems' API (issue 19): tokens, the endpoints, problem details."""

    name = "nwd.api"
    label = "api"
    verbose_name = "Partner systems' API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The token's security scheme in the OpenAPI contract (drf-spectacular finds it by registration).
        from nwd.api import schema  # noqa: F401
