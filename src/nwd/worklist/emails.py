"""Notification emails, sent by a background task (``nwd worker``), never in the request: the path
casework's referral emails take (``nwd.casework.notifications``).

An email holds the notification's reference and a link, nothing else: no name, date of birth, reason
or task title. The person signs in to read the rest, as the page's permission allows. The job is
queued in the transaction that writes the notification, so nothing is sent of a change not saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from nwd.jobs import services as jobs
from nwd.jobs.runner import run
from nwd.jobs.services import finishing
from nwd.worklist.models import Notification

if TYPE_CHECKING:
    from nwd.jobs.models import Job

KIND = "email-notification"

SUBJECTS = {
    "task_assigned": "A task is assigned to you: {ref}",
    "emergency_referral": "Emergency referral {ref}: a decision is needed today",
    "referred_again": "A young person you support has been referred again: {ref}",
    "missing": "A missing episode has been opened for one of your young people: {ref}",
}


def queue(notification: Notification) -> Job:
    return jobs.start(KIND, title=f"Email notification {notification.pk} ({notification.reference})",
                      task=email_notification, params={"notification": notification.pk})


def _send(job: Job) -> None:
    notification = Notification.objects.select_related("user").get(pk=job.params["notification"])
    to = [notification.user.email] if notification.user.email else []
    ref = notification.reference
    if to:
        send_mail(
            SUBJECTS.get(notification.kind, "A notification: {ref}").format(ref=ref),
            f"There is something new for you in No Wrong Door: {ref}.\n\n"
            f"Open it here:\n{settings.NWD_SITE_URL}/notifications/{notification.pk}/\n\n"
            "This email holds no details of the young person: sign in to see them.\n"
            "You can choose which notifications come by email on the notifications page.\n",
            None, to,
        )
    with finishing(job) as locked:
        locked.result = {"sent_to": len(to)}


@task()
def email_notification(job_id: int) -> dict[str, Any]:
    return run(job_id, _send)
