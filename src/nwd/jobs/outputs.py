"""Files a job makes for the person who asked (a report, a forecast's figures), kept beside the job.

A worker may be another process or machine than the web server, so a job's output cannot live in
a process's memory cache: it is written through Django's storage API (``nwd.core.files``: the
default storage, a folder every machine shares or an S3-compatible bucket) as ``jobs/<job
id>/<name>``, named by the job's number and a fixed name the code chooses (never one from a
request). The job's page reads it back; the download goes through ``nwd.access.downloads``
(checked, audited) like any other. Outputs older than a day are removed whenever a new one is
written (``remove_old``).
"""

from __future__ import annotations

import datetime as dt
import pickle  # noqa: S403 - only objects this module wrote, in the service's own private storage
import re
from typing import Any

from django.utils import timezone

from nwd.core import files
from nwd.jobs.models import Job

KEEP_SECONDS = 24 * 3600
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")
ROOT = "jobs"


def name_of(job: Job, name: str) -> str:
    """The storage name of the job's output ``name``."""
    if not NAME.match(name):
        raise ValueError(f"not an output name: {name!r}")
    return f"{ROOT}/{int(job.pk)}/{name}"


def remove_old(now: dt.datetime | None = None) -> int:
    """Delete every job's outputs written more than a day before ``now``; returns how many jobs'."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=KEEP_SECONDS)
    removed = 0
    for folder in files.folders(ROOT):
        names = list(files.walk(f"{ROOT}/{folder}"))
        times = [when for when in map(files.modified, names) if when is not None]
        if not times or max(times) < cutoff:
            files.delete_tree(f"{ROOT}/{folder}")
            removed += 1
    return removed


def write(job: Job, name: str, content: bytes) -> str:
    """Keep ``content`` as the job's output ``name``; returns its storage name."""
    remove_old()
    return files.write(name_of(job, name), content)


def exists(job: Job, name: str) -> bool:
    return files.storage().exists(name_of(job, name))


def read(job: Job, name: str) -> bytes | None:
    """The job's output ``name``; None if it was never written or is no longer kept."""
    return files.read(name_of(job, name))


def write_object(job: Job, name: str, value: Any) -> str:
    return write(job, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def read_object(job: Job, name: str) -> Any | None:
    content = read(job, name)
    return None if content is None else pickle.loads(content)  # noqa: S301 - written by write_object
