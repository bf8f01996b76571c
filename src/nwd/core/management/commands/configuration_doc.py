"""``nwd configuration_doc [--check]``: write docs/configuration.md from nwd.config.VARIABLES (--check: only compare)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from nwd.core.configuration_doc import render
from nwd.core.generated_docs import GeneratedDocCommand


class Command(GeneratedDocCommand):
    help = "Write docs/configuration.md from nwd.config.VARIABLES (--check: only compare)."

    def path(self) -> Path:
        return Path(settings.PROJECT_DIR) / "docs" / "configuration.md"

    def render(self) -> str:
        return render()
