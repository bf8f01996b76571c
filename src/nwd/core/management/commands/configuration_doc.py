"""``nwd configuration_doc [--write]``: print (or rewrite) docs/configuration.md from nwd.config.VARIABLES."""

from django.conf import settings
from django.core.management.base import BaseCommand

from nwd.core.configuration_doc import render


class Command(BaseCommand):
    help = "Print docs/configuration.md generated from nwd.config.VARIABLES; --write rewrites the file."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Rewrite docs/configuration.md.")

    def handle(self, *args, write: bool, **options):
        text = render()
        if write:
            path = settings.PROJECT_DIR / "docs" / "configuration.md"
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
        else:
            self.stdout.write(text, ending="")
