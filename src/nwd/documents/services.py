"""Attaching documents, recording the virus check, and choosing the chronology's events.

Each change in one transaction, each record through its rules (``save_valid``); simple-history
keeps every change and the audit log gets its line from the history's signal (``nwd.access.signals``).
The bytes go through Django's storage API (``STORAGES["documents"]``), never to a path by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from nwd.core.services import save_valid
from nwd.documents import scanning, sniffing
from nwd.documents.models import ChronologyEntry, Document, ScanState

if TYPE_CHECKING:
    from nwd.access.models import User
    from nwd.casework.models import YoungPerson


def allowed_types() -> list[sniffing.FileType]:
    return [sniffing.TYPES[key] for key in settings.NWD_DOCUMENT_TYPES if key in sniffing.TYPES]


def _type_of(name: str, data: bytes) -> sniffing.FileType:
    """The file's type from its content; refused if not allowed, or if its name claims another type."""
    allowed = allowed_types()
    found = sniffing.sniff(data)
    kinds = ", ".join(t.label for t in allowed)
    if found is None or found not in allowed:
        raise ValidationError({"file": f"{name} is not a kind of file that can be attached (its content is not "
                                       f"one of: {kinds}). Save it as a PDF and attach that."})
    suffix = PurePath(name).suffix.lower()
    known = {ext for t in sniffing.TYPES.values() for ext in t.extensions}
    if suffix in known and suffix not in found.extensions:
        raise ValidationError({"file": f"{name} is named as a {suffix} file but its content is a {found.label}: "
                                       "check it is the document you meant, and name it for what it is."})
    return found


def _read(upload: IO[bytes], size: int | None) -> bytes:
    limit = int(settings.NWD_DOCUMENT_MAX_BYTES)
    if size is not None and size > limit:
        raise ValidationError({"file": f"The file is {size / 1048576:.1f} MB: the largest document that can be "
                                       f"attached is {limit // 1048576} MB. Save it smaller (for example as a PDF)."})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": f"The file is over {limit // 1048576} MB, the largest document that can be "
                                       "attached. Save it smaller (for example as a PDF)."})
    return data


@transaction.atomic
def attach_document(
    young_person: YoungPerson,
    *,
    upload: Any,
    title: str,
    kind: str,
    dated: dt.date | None = None,
    about: models.Model | None = None,
    shared_with_police: bool = False,
    by: User | None = None,
    scan: bool = True,
) -> Document:
    """Keep the document (its type told by its content, within the limits) and queue its virus check.

    ``upload``: a Django ``UploadedFile`` (or any file with ``name``, ``read`` and ``size``). Nobody
    can open it until the check (``scan_document``, run by the worker) finds it clean.
    """
    name = PurePath(str(getattr(upload, "name", "") or "document")).name[:200]
    data = _read(upload, getattr(upload, "size", None))
    found = _type_of(name, data)
    document = Document(young_person=young_person, title=title, kind=kind, dated=dated, original_name=name,
                        content_type=found.content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        shared_with_police=shared_with_police, about=about)
    document.full_clean(exclude=["file"])  # the rules first: nothing is written for a refused document
    document.file.save(name, ContentFile(data), save=False)
    try:
        save_valid(document, by)
    except Exception:
        document.file.delete(save=False)
        raise
    if scan:
        from nwd.documents import jobs  # the task module imports these services

        jobs.queue_scan(document, by=by)
    return document


@transaction.atomic
def record_scan(document: Document, *, verdict: scanning.Verdict, by: User | None = None) -> Document:
    """The virus check's verdict. A document with a virus is refused and its bytes removed at once."""
    document.scanned_at = timezone.now()
    if verdict.clean:
        document.scan_state, document.scan_result = ScanState.CLEAN, ""
    else:
        document.scan_state, document.scan_result = ScanState.INFECTED, verdict.found[:200]
        if document.file:
            document.file.delete(save=False)
    return save_valid(document, by)


@transaction.atomic
def record_scan_failure(document: Document, *, reason: str, by: User | None = None) -> Document:
    document.scan_state, document.scan_result = ScanState.FAILED, reason[:200]
    return save_valid(document, by)


def scan_document(document: Document, *, by: User | None = None) -> Document:
    """Check the document's bytes with ClamAV and record the verdict (ScannerUnavailable: recorded, raised)."""
    if document.scan_state in (ScanState.CLEAN, ScanState.INFECTED):
        return document
    try:
        with document.file.open("rb") as stream:
            verdict = scanning.scan(stream)
    except scanning.ScannerUnavailable as error:
        record_scan_failure(document, reason=str(error), by=by)
        raise
    return record_scan(document, verdict=verdict, by=by)


@transaction.atomic
def choose_for_chronology(young_person: YoungPerson, *, entry_key: str, on: dt.date, note: str = "",
                          by: User | None = None) -> ChronologyEntry:
    """Mark a line of the timeline as significant (again: its note is changed)."""
    entry = (ChronologyEntry.objects.filter(young_person=young_person, entry_key=entry_key).first()
             or ChronologyEntry(young_person=young_person, entry_key=entry_key))
    entry.on, entry.note = on, note
    return save_valid(entry, by)


@transaction.atomic
def remove_from_chronology(entry: ChronologyEntry, *, by: User | None = None) -> None:
    """Take a line out of the chronology (the history keeps that it was there, and who took it out)."""
    if by is not None:
        entry._history_user = by  # type: ignore[attr-defined]  # django-simple-history reads it
    entry.delete()
