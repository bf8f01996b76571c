"""``nwd indicators_doc [--check]``: write docs/indicators.md from the indicator registry (--check: only compare)."""

from __future__ import annotations

from pathlib import Path

from nwd.core.generated_docs import GeneratedDocCommand
from nwd.evaluation.docs import DOC_PATH, render_markdown


class Command(GeneratedDocCommand):
    help = "Write docs/indicators.md from the indicators' definitions in code (--check: only compare)."

    def path(self) -> Path:
        return DOC_PATH

    def render(self) -> str:
        return render_markdown()
