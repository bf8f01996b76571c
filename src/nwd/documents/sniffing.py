"""What a file is, from its first bytes (its "magic"), not from the name it was sent with.

A file called ``letter.pdf`` that is really a program must not be kept as a PDF: the type a document
is stored and later served with is the one its content shows. Pure Python, no Django: only the few
types a practitioner attaches (PDF, Word and OpenDocument text, images, plain text) are known, and
anything else is refused by the caller.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


TYPES: dict[str, FileType] = {t.key: t for t in (
    FileType("pdf", "PDF", "application/pdf", (".pdf",)),
    FileType("docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",)),
    FileType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",)),
    FileType("doc", "Word 97-2003 document", "application/msword", (".doc",)),
    FileType("png", "PNG image", "image/png", (".png",)),
    FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
    FileType("txt", "plain text", "text/plain", (".txt",)),
)}

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD = 8192


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == TYPES["odt"].content_type.encode():
                return "odt"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            return False
    return True


def sniff(data: bytes) -> FileType | None:
    """The type ``data`` (the whole file: a ZIP-based type is told by its members) is, or None."""
    head = data[:HEAD]
    if head.startswith(b"%PDF-"):
        return TYPES["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith(OLE2):
        return TYPES["doc"]
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        return TYPES[kind] if kind else None
    if _is_text(head):
        return TYPES["txt"]
    return None
