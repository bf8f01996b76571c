"""Files an analyst uploads to import: kept between the check and the import, then removed.

The import page checks first (a dry run) and imports only when the analyst confirms, so the files
have to outlive the first request. They hold personal data, so they are kept under the service's
own data folder (``settings.NWD_DATA_DIR``), in a folder per user and upload named by a random
token: another user cannot reach them by guessing, a token cannot climb out of the folder, and a
folder is removed once imported, or after a day whatever happens.

A ZIP file is opened and its .csv and .xml files kept, with the folders inside it (one folder per
year is a common layout, and the reader takes the year from the folder's name); members that would
land outside the upload's folder, or unpack to more than the size limit, are refused.

The size limit is the service's upload limit (NWD_UPLOAD_MAX_MB, ``nwd.core.uploads``): the request
was refused unread if it said it was larger; here the bytes actually received and unpacked are
counted as they are copied, a chunk at a time, so no file is ever held whole in memory.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from nwd.core.uploads import max_bytes, too_large_message

CHUNK = 1024 * 1024
MAX_FILES = 100
KEEP_SECONDS = 24 * 3600
ACCEPTED = (".csv", ".xml")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class UploadError(ValueError):
    """An upload that cannot be kept, with a message for the person who sent it."""


@dataclass(frozen=True)
class Upload:
    """One upload: ``folder/files/`` holds the return as sent, ``folder/report.csv`` the check's report."""

    token: str
    folder: Path

    @property
    def files_folder(self) -> Path:
        return self.folder / "files"

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in self.files_folder.rglob("*") if p.is_file())

    @property
    def report_path(self) -> Path:
        return self.folder / "report.csv"


def root() -> Path:
    return Path(settings.NWD_DATA_DIR) / "returns-uploads"


def _user_folder(user) -> Path:
    return root() / str(int(user.pk))


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
    upload_folder = _user_folder(user) / token
    folder = upload_folder / "files"
    folder.mkdir(parents=True, mode=0o700)
    total = 0
    try:
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
    except Exception:
        shutil.rmtree(upload_folder, ignore_errors=True)
        raise
    result = Upload(token, upload_folder)
    if not result.files:
        shutil.rmtree(upload_folder, ignore_errors=True)
        raise UploadError("The upload holds no CSV or XML file.")
    return result


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
    folder = _user_folder(user) / token
    return Upload(token, folder) if folder.is_dir() else None


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


def remove_old(now: float | None = None) -> int:
    """Remove uploads older than a day (every user's); returns how many."""
    now = time.time() if now is None else now
    removed = 0
    if not root().is_dir():
        return 0
    for user_folder in root().iterdir():
        if not user_folder.is_dir():
            continue
        for folder in user_folder.iterdir():
            if folder.is_dir() and now - folder.stat().st_mtime > KEEP_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed
