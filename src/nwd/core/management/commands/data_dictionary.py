"""``nwd data_dictionary [--check]``: write docs/data-dictionary.md from the models (--check: only compare)."""

from pathlib import Path

from django.conf import settings

from nwd.core.data_dictionary import render
from nwd.core.generated_docs import GeneratedDocCommand


class Command(GeneratedDocCommand):
    help = "Write docs/data-dictionary.md from the models (--check: only compare)."

    def path(self) -> Path:
        return Path(settings.PROJECT_DIR) / "docs" / "data-dictionary.md"

    def render(self) -> str:
        return render()
