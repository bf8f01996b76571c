"""``nwd data_dictionary``: print or rewrite docs/data-dictionary.md from the models."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from nwd.core.data_dictionary import render

DOC = Path(settings.PROJECT_DIR) / "docs" / "data-dictionary.md"


class Command(BaseCommand):
    help = "Print the data dictionary generated from the models, or write it to docs/ with --write."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true")

    def handle(self, *args, write: bool, **options):
        text = render()
        if write:
            DOC.parent.mkdir(parents=True, exist_ok=True)
            DOC.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {DOC}")
        else:
            self.stdout.write(text, ending="")
