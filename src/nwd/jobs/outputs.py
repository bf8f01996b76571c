"""Files a job makes for the person who asked (a report, a forecast's figures), kept beside the job.

A worker may be another process (or machine, sharing the data folder) than the web server, so a
job's output cannot live in a process's memory cache: it is written under the service's own data
folder (``settings.NWD_DATA_DIR``/jobs/<job id>/), named by the job's number and a fixed name the
code chooses (never one from a request). The job's page reads it back; the download goes through
``nwd.access.downloads`` (checked, audited) like any other. Outputs older than a day are removed
whenever a new one is written.
"""

from __future__ import annotations

import pickle  # noqa: S403 - only objects this module wrote, in the service's own private folder
import re
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from nwd.jobs.models import Job

KEEP_SECONDS = 24 * 3600
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


def _root() -> Path:
    return Path(settings.NWD_DATA_DIR) / "jobs"


def path(job: Job, name: str) -> Path:
    if not NAME.match(name):
        raise ValueError(f"not an output name: {name!r}")
    return _root() / str(int(job.pk)) / name


def _tidy() -> None:
    root = _root()
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue


def write(job: Job, name: str, content: bytes) -> Path:
    """Keep ``content`` as the job's output ``name`` (written whole, then renamed into place)."""
    _tidy()
    target = path(job, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{name}.partial")
    partial.write_bytes(content)
    partial.replace(target)
    return target


def read(job: Job, name: str) -> bytes | None:
    """The job's output ``name``; None if it was never written or is no longer kept."""
    target = path(job, name)
    return target.read_bytes() if target.is_file() else None


def write_object(job: Job, name: str, value: Any) -> Path:
    return write(job, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def read_object(job: Job, name: str) -> Any | None:
    content = read(job, name)
    return None if content is None else pickle.loads(content)  # noqa: S301 - written by write_object
