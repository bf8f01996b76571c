"""The upload size limit (NWD_UPLOAD_MAX_MB), checked before a request's body is read.

Why before: Django reads a multipart body as soon as anything asks for ``request.POST`` (the CSRF
check does, before the view), streaming each file to a temporary file on disk. An upload of several
gigabytes would fill the disk and hold the request open for minutes before the view could say no.
The declared size (``Content-Length``; Django never reads past it) is known before any of that,
so a request larger than the limit is refused unread:

- by the import page itself (``nwd.returns.views.import_check``), which checks before the CSRF
  check reads the body and answers with its form and the message below (413);
- by ``SizeLimitHandler`` for any other request (first in ``FILE_UPLOAD_HANDLERS``): a plain 400,
  since no other page takes files.

The actual size is checked too: the files as received (``nwd.returns.uploads.keep``) and a ZIP's
members as they are unpacked, chunk by chunk, against the same limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

MB = 1024 * 1024
# A multipart body carries the other form fields and its boundaries besides the files themselves.
FRAMING_ALLOWANCE = 1 * MB


def max_bytes() -> int:
    return int(settings.NWD_UPLOAD_MAX_BYTES)


def megabytes(size: int) -> str:
    """A size as a person reads it: "198 MB", "0.4 MB"."""
    value = size / MB
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB".replace(".0 MB", " MB")


def too_large_message(size: int | None = None, unpacked: bool = False) -> str:
    """What a person is told when an upload is over the limit: how big, the limit, what to do."""
    limit = megabytes(max_bytes())
    what = "The files come to" if not unpacked else "Unpacked, the ZIP file's contents come to"
    said = f"{what} {megabytes(size)}" if size else f"{what} more than {limit}"
    return (f"{said}: the most that can be uploaded at once is {limit}. Upload fewer files at a time, "
            "for example one collection year's return (a few MB).")


def declared_size(request) -> int:
    """The size the request says its body is (0 when it says nothing: Django then reads nothing)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except (TypeError, ValueError):
        return 0


def declared_too_large(request) -> int | None:
    """The declared size when the body is over the limit (with room for the form's other fields)."""
    size = declared_size(request)
    return size if size > max_bytes() + FRAMING_ALLOWANCE else None


class SizeLimitHandler(FileUploadHandler):
    """Refuses a multipart body over the limit before a byte of it is read (400 Bad Request)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > max_bytes() + FRAMING_ALLOWANCE:
            raise RequestDataTooBig(f"Upload of {content_length} bytes refused: the limit is {max_bytes()} bytes "
                                    "(NWD_UPLOAD_MAX_MB).")
        return None

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # the next handler keeps it

    def file_complete(self, file_size):
        return None
