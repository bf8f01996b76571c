"""``nwd scan_documents``: queue the virus check again for every document not yet found clean or refused.

For after clamd was unreachable (the documents wait, marked so): run it once clamd answers again,
with ``nwd worker`` running (or from a timer). Reads no document and names nobody: no audit line.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nwd.documents.jobs import queue_scan
from nwd.documents.models import Document, ScanState


class Command(BaseCommand):
    help = "Queue the virus check of every document still waiting for one (pending, or clamd was unreachable)."

    def handle(self, *args, **options):
        waiting = Document.objects.filter(scan_state__in=(ScanState.PENDING, ScanState.FAILED)).order_by("pk")
        count = 0
        for document in waiting.iterator():
            queue_scan(document)
            count += 1
        self.stdout.write(f"Queued the virus check of {count} document{'s' if count != 1 else ''}.")
