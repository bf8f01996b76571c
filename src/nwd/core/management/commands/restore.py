"""``nwd restore PATH [--replace]``: load a backup made by ``nwd backup`` (nwd.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nwd.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Load a backup made by nwd backup into the database. Refuses a database that holds tables "
            "unless --replace, which replaces everything in it. Stop the service (nwd serve, nwd worker) first.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument("--replace", action="store_true",
                            help="Replace everything in a database that is not empty.")

    def handle(self, *args, path: Path, replace: bool, **options):
        try:
            outcome = restore(path, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {outcome.path} into the {outcome.engine} database.")
