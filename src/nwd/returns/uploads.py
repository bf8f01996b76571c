"""Files an analyst uploads to import: kept between the check and the import, then removed.

The import page checks first (a dry run) and imports only when the analyst confirms, so the files
have to outlive the first request, and are read by a worker (``nwd worker``) that may run on another
machine. They hold personal data, so they are kept through Django's storage API (``nwd.core.files``:
a private folder every machine shares, or an S3-compatible bucket), under a name per user and upload
made of a random token: another user cannot reach them by guessing, a token cannot climb out of its
place, and an upload is removed once imported, or after a day whatever happens. The request unpacks
and checks the files in a temporary folder of its own first, then stores them; the worker copies them
back to a temporary folder of its own to read them (``fetched``).

A ZIP file is opened and its .csv and .xml files kept, with the folders inside it (one folder per
year is a common layout, and the reader takes the year from the folder's name); members that would
land outside the upload's folder, or unpack to more than the size limit, are refused.

The size limit is the service's upload limit (NWD_UPLOAD_MAX_MB, ``nwd.core.uploads``): the request
was refused unread if it said it was larger; here the bytes actually received and unpacked are
counted as they are copied, a chunk at a time, so no file is ever held whole in memory.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.utils import timezone

from nwd.core import files as shared
from nwd.core.uploads import max_bytes, too_large_message

CHUNK = 1024 * 1024
MAX_FILES = 100
KEEP_SECONDS = 24 * 3600
ACCEPTED = (".csv", ".xml")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class UploadError(ValueError):
    """An upload that cannot be kept, with a message for the person who sent it."""


ROOT = "returns-uploads"
MARKER = "kept"  # written last when an upload is kept: its presence says the upload is whole


@dataclass(frozen=True)
class Upload:
    """One upload, in storage: ``<prefix>/files/...`` the return as sent, ``<prefix>/report.csv`` the
    check's report, ``<prefix>/kept`` the time it was kept."""

    token: str
    prefix: str

    @property
    def files_prefix(self) -> str:
        return f"{self.prefix}/files"

    @property
    def files(self) -> list[str]:
        """The storage names of the return's files (none once imported)."""
        return sorted(shared.walk(self.files_prefix))

    @property
    def report_name(self) -> str:
        return f"{self.prefix}/report.csv"


def _user_prefix(user) -> str:
    return f"{ROOT}/{int(user.pk)}"


def safe_name(name: str) -> str:
    """A file or folder name with nothing but letters, digits and . _ - ( ) and spaces."""
    cleaned = re.sub(r"[^A-Za-z0-9._() -]+", "_", name).strip(" .")
    return cleaned[:100] or "file"


def _unique(folder: Path, name: str) -> Path:
    path = folder / name
    count = 2
    while path.exists():
        stem, suffix = Path(name).stem, Path(name).suffix
        path = folder / f"{stem} ({count}){suffix}"
        count += 1
    return path


def keep(user, files) -> Upload:
    """Save uploaded files (Django ``UploadedFile``s) for ``user``; returns the upload and its token."""
    remove_old()
    if not files:
        raise UploadError("Choose the return's files to upload: CSV files, the XML form, or a ZIP of them.")
    if len(files) > MAX_FILES:
        raise UploadError(f"Upload at most {MAX_FILES} files at a time.")
    received = sum(upload.size or 0 for upload in files)
    if received > max_bytes():
        raise UploadError(too_large_message(received))
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="nwd-upload-") as unpacked:
        folder = Path(unpacked) / "files"
        folder.mkdir(mode=0o700)
        _unpack(files, folder)
        found = sorted(p for p in folder.rglob("*") if p.is_file())
        if not found:
            raise UploadError("The upload holds no CSV or XML file.")
        result = Upload(token, f"{_user_prefix(user)}/{token}")
        try:
            for path in found:
                shared.write_path(f"{result.files_prefix}/{path.relative_to(folder).as_posix()}", path)
            shared.write(f"{result.prefix}/{MARKER}", timezone.now().isoformat().encode())
        except Exception:
            discard(result)
            raise
    return result


def _unpack(files, folder: Path) -> None:
    """Copy the uploaded files into ``folder``, unpacking ZIP files, counting the bytes as they come."""
    total = 0
    for upload in files:
        name = safe_name(Path(upload.name or "file").name)
        suffix = Path(name).suffix.lower()
        if suffix == ".zip":
            total = _unzip(upload, folder, total)
        elif suffix in ACCEPTED:
            with _unique(folder, name).open("wb") as out:
                for chunk in upload.chunks(CHUNK):
                    total += len(chunk)
                    if total > max_bytes():
                        raise UploadError(too_large_message(total))
                    out.write(chunk)
        else:
            raise UploadError(f"{name} is not a CSV, XML or ZIP file: the return is CSV files or the XML form.")


def _unzip(upload, folder: Path, total: int) -> int:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise UploadError(f"{safe_name(upload.name)} is not a ZIP file that can be opened.") from None
    with archive:
        for member in archive.infolist():
            if member.is_dir() or PurePosixPath(member.filename).suffix.lower() not in ACCEPTED:
                continue
            parts = [safe_name(p) for p in PurePosixPath(member.filename).parts if p not in ("", ".", "..", "/")]
            if not parts or parts[0].startswith("__MACOSX"):
                continue
            if total + member.file_size > max_bytes():
                raise UploadError(too_large_message(total + member.file_size, unpacked=True))
            target = folder.joinpath(*parts[-3:])
            if folder.resolve() not in target.resolve().parents:
                raise UploadError("The ZIP file holds a file that would be saved outside its folder.")
            target.parent.mkdir(parents=True, exist_ok=True)
            target = _unique(target.parent, target.name)
            with archive.open(member) as source, target.open("wb") as out:
                written = 0
                while block := source.read(CHUNK):
                    written += len(block)
                    if written > member.file_size:  # the archive lied about the size
                        raise UploadError("The ZIP file is damaged.")
                    out.write(block)
                total += written
    return total


def find(user, token: str) -> Upload | None:
    """The user's upload of ``token``, if it is theirs and still kept."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    upload = Upload(token, f"{_user_prefix(user)}/{token}")
    return upload if shared.storage().exists(f"{upload.prefix}/{MARKER}") else None


@contextmanager
def fetched(upload: Upload) -> Iterator[Path]:
    """The upload's files copied from storage into a temporary folder of this machine (the worker's
    path: the importer reads files on disk); the folder is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="nwd-import-") as temporary:
        folder = Path(temporary) / "files"
        folder.mkdir(mode=0o700)
        for name in upload.files:
            relative = PurePosixPath(name[len(upload.files_prefix) + 1:])
            target = folder.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            shared.copy_to(name, target)
        yield folder


def discard_files(upload: Upload) -> None:
    """Delete the return's files (imported: not kept), keeping the upload's report."""
    shared.delete_tree(upload.files_prefix)


def discard(upload: Upload) -> None:
    shared.delete_tree(upload.prefix)


def remove_old(now: dt.datetime | None = None) -> int:
    """Remove uploads older than a day (every user's, and any left unfinished); returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=KEEP_SECONDS)
    removed = 0
    for user_folder in shared.folders(ROOT):
        for token in shared.folders(f"{ROOT}/{user_folder}"):
            prefix = f"{ROOT}/{user_folder}/{token}"
            kept = shared.modified(f"{prefix}/{MARKER}")
            if kept is None:  # never finished (the request failed midway): judge by its files
                times = [when for when in map(shared.modified, shared.walk(prefix)) if when is not None]
                kept = max(times) if times else None
            if kept is None or kept < cutoff:
                discard(Upload(token, prefix))
                removed += 1
    return removed
