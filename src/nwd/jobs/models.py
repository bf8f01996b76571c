"""What a person asked to be done in the background, and the heartbeats of the workers doing it.

A ``Job`` is the record a page shows: who asked, what, where it has got to, and its result or
what went wrong in plain words. The task on the queue (django-tasks' ``DBTaskResult``) is the
machinery; the job is what the person sees, and what makes finishing idempotent
(``nwd.jobs.services.finishing``): the work's writes and the job's "done" commit together, so a
rerun after that commit finds the job done and does nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Finished"
    FAILED = "failed", "Not finished"


class Job(models.Model):
    """One piece of background work a person asked for, and its outcome."""

    kind = models.CharField(max_length=60, help_text="Which work: ssda903-check, ssda903-import, email...")
    title = models.CharField(max_length=200, help_text="What was asked, in the words the page shows.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Who asked for it (none for work the service starts itself, such as an email).",
    )
    permission = models.CharField(
        max_length=100, blank=True,
        help_text="The permission of the page that started it; its page asks for the same one.",
    )
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done, 0 to 100.")
    stage = models.CharField(max_length=200, blank=True, help_text="What it is doing now, in plain words.")
    params = models.JSONField(default=dict, blank=True, help_text="What the work needs (no personal data).")
    result = models.JSONField(null=True, blank=True, help_text="What the work found or did, once done.")
    error = models.TextField(blank=True, help_text="Why it did not finish, in plain words.")
    task_id = models.CharField(max_length=64, blank=True, db_index=True, help_text="The task on the queue.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="How many times a worker has started it.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.progress is not None and self.progress > 100:
            errors["progress"] = "Progress is a percentage: it cannot be more than 100."
        if self.state == JobState.FAILED and not self.error:
            errors["error"] = "Say why the work did not finish, so the person who asked knows what to do."
        if self.state != JobState.FAILED and self.error:
            errors["error"] = "Only work that did not finish has a reason it did not finish."
        if self.state == JobState.DONE and self.result is None:
            errors["result"] = "Finished work records what it found or did."
        if errors:
            raise ValidationError(errors)


class WorkerBeat(models.Model):
    """A worker's heartbeat: ``nwd worker`` writes ``seen_at`` every few seconds while it runs.

    A task left RUNNING by a worker whose heartbeat is older than NWD_TASK_LEASE_SECONDS was lost
    with its worker (killed, its machine gone): another worker puts it back on the queue
    (``nwd.jobs.worker.requeue_lost``). No history: a row rewritten every few seconds by the
    machinery, holding nothing about anyone.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(db_index=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host or 'unknown host'}, seen {self.seen_at:%H:%M:%S}"
