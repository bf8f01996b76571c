"""``nwd permissions_doc [--check]``: write docs/permissions.md from the policy table (--check: only compare)."""

from pathlib import Path

from django.conf import settings

from nwd.access.permissions_doc import render
from nwd.core.generated_docs import GeneratedDocCommand


class Command(GeneratedDocCommand):
    help = "Write docs/permissions.md from nwd.access.policy (--check: only compare)."

    def path(self) -> Path:
        return Path(settings.PROJECT_DIR) / "docs" / "permissions.md"

    def render(self) -> str:
        return render()
