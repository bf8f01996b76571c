"""The one convention of the commands that generate docs from the code.

``nwd permissions_doc``, ``nwd data_dictionary``, ``nwd indicators_doc`` and ``nwd configuration_doc`` (and ``make docs``,
which runs them) write their file; with ``--check`` they write nothing and fail when the file
differs from what the code gives, saying which command to run. Each command says only which file
and how to render it.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class GeneratedDocCommand(BaseCommand):
    """Write ``path()`` from ``render()``; ``--check`` only compares."""

    def path(self) -> Path:
        raise NotImplementedError

    def render(self) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Write nothing; fail if the file differs from what the code gives.")

    def handle(self, *args, check: bool = False, **options):
        path, text = self.path(), self.render()
        name = self.__module__.rsplit(".", 1)[-1]
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} is out of date: run `nwd {name}` (or `make docs`).")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
