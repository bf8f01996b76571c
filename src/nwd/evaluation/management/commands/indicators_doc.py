"""``nwd indicators_doc [--check]``: write docs/indicators.md from the indicator registry."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from nwd.evaluation.docs import DOC_PATH, render_markdown


class Command(BaseCommand):
    help = "Write docs/indicators.md from the indicators' definitions in code (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file differs; write nothing.")

    def handle(self, *args, **options):
        text = render_markdown()
        if options["check"]:
            current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
            if current != text:
                raise CommandError(f"{DOC_PATH} is out of date: run `nwd indicators_doc`.")
            self.stdout.write(f"{DOC_PATH} is up to date.")
            return
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DOC_PATH}.")
