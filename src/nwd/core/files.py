"""The files the service's machines share, through Django's storage API (``STORAGES["default"]``).

An upload waiting to be checked and imported, and what a background job makes (a report, a
forecast's figures), are written by one machine (a web server, a worker) and read by another, so
they cannot live in a process's memory or on one machine's disk: they go through the default
storage, a folder on local disk by default (``NWD_FILES_DIR``, shared between machines as one
mounted folder) or an S3-compatible bucket (``NWD_S3_BUCKET``, as documents do). Names are chosen
by the code, never taken from a request.

A storage has no folders to walk (a bucket has only names), so these helpers walk names by their
prefix with ``listdir`` and delete file by file; on local disk the folders left empty are removed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages

CHUNK = 1024 * 1024


def storage() -> Storage:
    return storages["default"]


def walk(prefix: str) -> Iterator[str]:
    """Every file's name under ``prefix`` (a folder's name, no trailing slash), at any depth."""
    try:
        folders, files = storage().listdir(prefix)
    except FileNotFoundError:  # local disk: no such folder (a bucket answers with nothing)
        return
    for name in files:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from walk(f"{prefix}/{folder}")


def folders(prefix: str) -> list[str]:
    """The names of the folders directly under ``prefix``."""
    try:
        return sorted(storage().listdir(prefix)[0])
    except FileNotFoundError:
        return []


def write(name: str, content: bytes) -> str:
    """Keep ``content`` as ``name``, replacing what was there."""
    return _save(name, ContentFile(content))


def write_path(name: str, path: Path) -> str:
    """Keep the file at ``path`` as ``name`` (copied a chunk at a time, never held whole in memory)."""
    with path.open("rb") as source:
        return _save(name, File(source, name=path.name))


def copy_to(name: str, target: Path) -> None:
    """Copy the stored file ``name`` to ``target`` on this machine, a chunk at a time."""
    with storage().open(name, "rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)


def _save(name: str, content: File) -> str:
    kept = storage()
    if kept.exists(name):
        kept.delete(name)
    saved = kept.save(name, content)
    if saved != name:  # another writer took the name between the two calls: never read the wrong file
        kept.delete(saved)
        raise FileExistsError(name)
    return saved


def read(name: str) -> bytes | None:
    """The file's bytes; None if it is not kept."""
    kept = storage()
    try:
        with kept.open(name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None
    except OSError:
        if not kept.exists(name):
            return None
        raise


def modified(name: str) -> dt.datetime | None:
    try:
        return storage().get_modified_time(name)
    except (FileNotFoundError, OSError, NotImplementedError):
        return None


def delete_tree(prefix: str) -> int:
    """Delete every file under ``prefix``; returns how many."""
    kept = storage()
    names = list(walk(prefix))
    for name in names:
        kept.delete(name)
    _remove_empty_folders(prefix)
    return len(names)


def _remove_empty_folders(prefix: str) -> None:
    try:
        top = storage().path(prefix)
    except NotImplementedError:  # a bucket: no folders
        return
    for folder, _subfolders, _files in os.walk(top, topdown=False):  # the deepest first
        try:
            os.rmdir(folder)
        except OSError:
            continue
