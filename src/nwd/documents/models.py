"""Documents attached to a young person (consent forms, letters, reports) and the chronology's choices.

A document's bytes live in Django's storage (``STORAGES["documents"]``: a folder on local disk by
default, an S3-compatible store by configuration, docs/deployment.md); the record holds what it is,
whom it is about, the record it belongs to if any (a contact note, a meeting: a generic link), the
type its content shows (``sniffing``), its size and digest, and the virus scan's verdict. Nobody can
open a document until ClamAV has found it clean (``scanning``, run on the task queue by ``jobs``).

A chronology entry is one line of the young person's timeline chosen as significant, named by the
timeline entry's key (``chronology.entry_key``): the chronology is built from the timeline when it
is exported, so a corrected record reads as corrected.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from nwd.core import dates
from nwd.core.models import Recorded
from nwd.core.validation import Errors


class DocumentKind(models.TextChoices):
    CONSENT = "consent", "Consent form"
    LETTER = "letter", "Letter"
    REPORT = "report", "Report"
    ASSESSMENT = "assessment", "Assessment"
    COURT = "court", "Court or legal document"
    PLAN = "plan", "Plan or minutes"
    OTHER = "other", "Other"


class ScanState(models.TextChoices):
    PENDING = "pending", "Waiting for the virus check"
    CLEAN = "clean", "Checked: no virus found"
    INFECTED = "infected", "Refused: a virus was found"
    FAILED = "failed", "Not checked yet: the virus checker could not be reached"


def document_storage():
    return storages["documents"]


def stored_name(instance: Document, filename: str) -> str:
    """Where the bytes go: per young person, under a random name (the name sent is kept on the record)."""
    suffix = re.sub(r"[^a-z0-9.]", "", ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else "")[:8]
    return f"documents/{int(instance.young_person_id)}/{secrets.token_urlsafe(18)}{suffix}"


class Document(Recorded):
    young_person = models.ForeignKey("casework.YoungPerson", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200, help_text="What the document is, as a colleague would look for it.")
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    dated = models.DateField("dated", null=True, blank=True, help_text="The date on the document, if it has one.")
    # The record the document belongs to, if any (a contact note, a meeting...): any model, by content type.
    about_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    file = models.FileField(storage=document_storage, upload_to=stored_name, max_length=300, blank=True)
    original_name = models.CharField("file name", max_length=200)
    content_type = models.CharField(max_length=100, help_text="The type its content shows (not its name).")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    shared_with_police = models.BooleanField(
        default=False, help_text="The police liaison officer may open it (as missing episodes and police contacts).")
    scan_state = models.CharField(max_length=10, choices=ScanState.choices, default=ScanState.PENDING)
    scan_result = models.CharField(max_length=200, blank=True, help_text="The virus found, or why no check was made.")
    scanned_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person", "-created_at", "-pk"]
        indexes = [models.Index(fields=["young_person", "scan_state"])]
        constraints = [
            models.CheckConstraint(
                name="document_about_both_or_neither",
                condition=Q(about_type__isnull=True, about_id__isnull=True)
                | Q(about_type__isnull=False, about_id__isnull=False),
                violation_error_message="A document belongs to a record only when both the kind of record and "
                                        "which one are known.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def may_open(self) -> bool:
        return self.scan_state == ScanState.CLEAN and bool(self.file)

    def clean(self) -> None:
        errors = Errors()
        limit = int(settings.NWD_DOCUMENT_MAX_BYTES)
        if self.size is not None and self.size > limit:
            errors.add("file", f"The file is {self.size / 1048576:.1f} MB: the largest document that can be "
                               f"attached is {limit // 1048576} MB. Save it smaller (for example as a PDF).")
        if self.size == 0:
            errors.add("file", "The file is empty: choose the document again.")
        if self.dated is not None:
            errors.check(dates.not_in_future, self.dated, "The document's date", field="dated")
        if self.scan_state == ScanState.INFECTED and not self.scan_result:
            errors.add("scan_result", "Say which virus was found.")
        if self.scan_state == ScanState.CLEAN and self.scanned_at is None:
            errors.add("scanned_at", "A document is clean only once it has been checked.")
        if self.about_type_id and self.about_id:
            about = self.about
            if about is None:
                errors.add(None, "The record this document belongs to no longer exists.")
            elif getattr(about, "young_person_id", self.young_person_id) != self.young_person_id:
                errors.add(None, "The record this document belongs to is about another young person.")
        errors.raise_if_any()


KEY = re.compile(r"^[a-z]+:[a-z_]+\.[a-z_]+:\d+:\d{4}-\d{2}-\d{2}$")


class ChronologyEntry(Recorded):
    """A line of the timeline chosen as significant for the young person's chronology."""

    young_person = models.ForeignKey("casework.YoungPerson", on_delete=models.CASCADE, related_name="chronology")
    entry_key = models.CharField(max_length=120, help_text="The timeline entry: kind, record and date.")
    on = models.DateField("event on")
    note = models.TextField("why it is significant", blank=True, max_length=2000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person", "on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["young_person", "entry_key"], name="chronology_entry_once",
                                    violation_error_message="This event is already in the chronology."),
        ]

    def __str__(self) -> str:
        return f"{self.entry_key} ({self.on:%d/%m/%Y})"

    def clean(self) -> None:
        errors = Errors()
        if not KEY.match(self.entry_key or ""):
            errors.add("entry_key", "Choose an event from the timeline.")
        if self.on is not None:
            errors.check(dates.not_in_future, self.on, "The event's date", field="on")
        errors.raise_if_any()
