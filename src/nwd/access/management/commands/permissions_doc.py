"""``nwd permissions_doc [--write]``: print (or rewrite) docs/permissions.md from the policy table."""

from django.conf import settings
from django.core.management.base import BaseCommand

from nwd.access.permissions_doc import render


class Command(BaseCommand):
    help = "Print docs/permissions.md generated from nwd.access.policy; --write rewrites the file."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Rewrite docs/permissions.md.")

    def handle(self, *args, write: bool, **options):
        text = render()
        if write:
            path = settings.PROJECT_DIR / "docs" / "permissions.md"
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
        else:
            self.stdout.write(text, ending="")
