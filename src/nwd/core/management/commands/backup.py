"""``nwd backup PATH``: the whole database to one file (nwd.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nwd.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Write the whole database to PATH: SQLite's online backup, or pg_dump's custom format on PostgreSQL. "
            "The file holds personal data: keep it as safely as the database.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to write (refused if it exists, unless --overwrite).")
        parser.add_argument("--overwrite", action="store_true", help="Replace the file if it exists.")

    def handle(self, *args, path: Path, overwrite: bool, **options):
        try:
            outcome = backup(path, overwrite=overwrite)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the {outcome.engine} database to {outcome.path} ({outcome.size:,} bytes).")
