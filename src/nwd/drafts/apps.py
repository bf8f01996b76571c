from django.apps import AppConfig


class DraftsConfig(AppConfig):
    """Forms saved as they are typed, so a timeout or a closed tab loses nothing."""

    name = "nwd.drafts"
    label = "drafts"
    verbose_name = "Drafts of forms being filled"
