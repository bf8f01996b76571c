"""Documents and chronology choices for the synthetic county (issue 16): a modest number, so the demo
shows them without slowing the county down.

A consent form (a one-page PDF) and, for some, a letter (plain text) for young people supported now,
written through Django's storage API like any attached document, already found clean (the county
has no virus checker to wait for); and a few contacts chosen for the chronology of some of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from nwd.casework.models import Contact, KeyWorkerAllocation
from nwd.documents.models import ChronologyEntry, Document, DocumentKind, ScanState
from nwd.synth.writer import Writer

FOLDER = "documents/synthetic"
PEOPLE = 40  # at most, whatever the scale: the demo needs a few, not thousands
CHRONOLOGY_PEOPLE = 12


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (Helvetica), its cross-reference table counted."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _clear_old_files() -> None:
    storage = storages["documents"]
    try:
        _, files = storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        storage.delete(f"{FOLDER}/{name}")


def write(as_of: dt.date, writer: Writer, rng: np.random.Generator) -> None:
    """Write the county's documents (files through storage) and a few chronology choices."""
    _clear_old_files()
    storage = storages["documents"]
    current = (KeyWorkerAllocation.objects.filter(end__isnull=True, involvement__end__isnull=True)
               .order_by("involvement__young_person_id").values_list("involvement__young_person_id", "key_worker_id",
                                                                      "involvement__start"))
    people = list(dict.fromkeys((p, k, s) for p, k, s in current))[:PEOPLE]
    # A few restricted young people too, so the pages' checks of a restricted record have documents to try.
    restricted = (KeyWorkerAllocation.objects.filter(involvement__young_person__restricted=True)
                  .order_by("involvement__young_person_id")
                  .values_list("involvement__young_person_id", "key_worker_id", "involvement__start"))
    people += [row for row in dict.fromkeys(restricted) if row[0] not in {p for p, _, _ in people}][:3]
    now = timezone.now()
    plans = []
    for person_id, key_worker_id, start in people:
        files = [("consent", DocumentKind.CONSENT, "Consent to share information, signed",
                  tiny_pdf("Consent to share information: signed by the young person."), ".pdf", "application/pdf")]
        if rng.random() < 0.5:
            files.append(("letter", DocumentKind.LETTER, "Letter from school",
                          b"Dear key worker,\nThank you for coming to the review meeting.\nYours, the head of year\n",
                          ".txt", "text/plain"))
        for stem, kind, title, data, suffix, content_type in files:
            name = storage.save(f"{FOLDER}/{person_id}-{stem}{suffix}", ContentFile(data))
            plans.append(Document(
                young_person_id=person_id, title=title, kind=kind, dated=min(start, as_of), file=name,
                original_name=f"{stem}{suffix}", content_type=content_type, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), shared_with_police=bool(stem == "letter" and rng.random() < 0.3),
                scan_state=ScanState.CLEAN, scanned_at=now, recorded_by_id=key_worker_id))
    writer.write(Document, plans, lambda d: d, len(plans))
    chosen = []
    for person_id, key_worker_id, _ in people[:CHRONOLOGY_PEOPLE]:
        for pk, at in Contact.objects.filter(young_person_id=person_id).order_by("at", "pk").values_list("pk", "at")[:2]:
            on = timezone.localtime(at).date()
            chosen.append(ChronologyEntry(young_person_id=person_id, entry_key=f"contact:casework.contact:{pk}:{on}",
                                          on=on, note="First meeting with the service.", recorded_by_id=key_worker_id))
    writer.write(ChronologyEntry, chosen, lambda c: c, len(chosen))
