"""``nwd purge_drafts``: delete drafts older than NWD_DRAFT_DAYS (30 by default). Run it daily."""

from django.core.management.base import BaseCommand

from nwd.drafts.services import DRAFT_DAYS, purge_expired


class Command(BaseCommand):
    help = "Delete drafts of forms older than the draft retention period."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(f"Deleted {deleted} draft(s) older than {DRAFT_DAYS} days.")
