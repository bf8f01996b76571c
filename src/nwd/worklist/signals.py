"""What the worklist is told of other apps' records, from their save signals: casework and events sit
below it and know nothing of it.

- A new emergency referral: each hub manager it is for is told in the platform; the email is
  casework's own (``nwd.casework.notifications``), sent to those whose choice is email.
- A referral of a young person the service supports now (new, or linked at triage to their record):
  their key worker is told, once per referral.
- A missing episode opened: the young person's key worker is told.

Each receiver runs in the transaction that saves the record, so a referral or an episode that is not
saved tells nobody.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_save

from nwd.access.models import User
from nwd.casework import notifications as casework_emails
from nwd.casework.choices import ReferralStatus, Urgency
from nwd.casework.models import KeyWorkerAllocation, Referral
from nwd.events.models import MissingEpisode
from nwd.worklist import services
from nwd.worklist.choices import NotificationKind
from nwd.worklist.models import Notification


def key_worker_of(young_person_id: int) -> User | None:
    allocation = (KeyWorkerAllocation.objects.filter(end__isnull=True, involvement__end__isnull=True,
                                                     involvement__young_person_id=young_person_id)
                  .select_related("key_worker").first())
    return allocation.key_worker if allocation is not None and allocation.key_worker.is_active else None


def on_referral(sender: Any, instance: Referral, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return  # loading a fixture tells nobody
    ref = casework_emails.reference(instance)
    link = f"/referrals/{instance.pk}/"
    if created and instance.urgency == Urgency.EMERGENCY:
        for manager in casework_emails.hub_managers_of(instance):
            services.notify(manager, NotificationKind.EMERGENCY_REFERRAL, reference=ref, link=link, email=False,
                            text=f"Emergency referral {ref} needs a decision today.")
    if instance.status == ReferralStatus.CLOSED:
        return
    worker = key_worker_of(instance.young_person_id)
    if worker is None or worker.pk == instance.submitted_by_id:
        return
    told = Notification.objects.filter(user=worker, kind=NotificationKind.REFERRED_AGAIN, reference=ref)
    if not told.exists():
        services.notify(worker, NotificationKind.REFERRED_AGAIN, reference=ref, link=link,
                        text=f"Referral {ref} is about a young person you are key worker for.")


def on_missing(sender: Any, instance: MissingEpisode, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not created or instance.ended_at is not None:
        return
    worker = key_worker_of(instance.young_person_id)
    if worker is not None:
        ref = f"M-{int(instance.pk):06d}"
        services.notify(worker, NotificationKind.MISSING, reference=ref, link=f"/young-people/{instance.young_person_id}/",
                        text=f"Missing episode {ref} has been opened for one of your young people.")


def narrow_by_choice(kind: str, users: QuerySet[User]) -> QuerySet[User]:
    """Casework's emails go only to those who have not said no to them (``EmailChoice``)."""
    ours = {casework_emails.EMERGENCY: NotificationKind.EMERGENCY_REFERRAL}.get(kind)
    if ours is None:
        return users
    return users.exclude(email_choices__kind=ours, email_choices__email=False)


def connect() -> None:
    post_save.connect(on_referral, sender=Referral, dispatch_uid="nwd-worklist-referral")
    post_save.connect(on_missing, sender=MissingEpisode, dispatch_uid="nwd-worklist-missing")
    if narrow_by_choice not in casework_emails.EMAIL_CHOICES:
        casework_emails.EMAIL_CHOICES.append(narrow_by_choice)
