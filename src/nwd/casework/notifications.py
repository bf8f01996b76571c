"""Emails about referrals, sent by background tasks (``nwd worker``), never in the request.

- An emergency referral tells the hub managers: those of the hub supporting the young person now,
  or every active hub manager when no hub is (a new referral is the whole service's to pick up).
- A decision tells the partner who referred (the account that submitted the referral, when it is
  a partner referrer's).

An email says no more than a reference and a link: no name, date of birth or reason. The person
signs in to read the rest, as the page's permission allows. Each email is a job (``nwd.jobs``),
queued in the transaction that records the referral or the decision, so a referral that is not
saved sends nothing. If a worker is killed after the SMTP server accepted an email and before the
job was marked done, the email is sent again when the task is retried: at least once, never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse
from django_tasks import task

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework.choices import Urgency
from nwd.casework.models import Referral
from nwd.jobs import services as jobs
from nwd.jobs.models import Job
from nwd.jobs.runner import run
from nwd.jobs.services import finishing

EMERGENCY = "email-emergency-referral"
DECISION = "email-referral-decision"


def reference(referral: Referral) -> str:
    """The referral's reference in emails: its number, nothing about the young person."""
    return f"R-{int(referral.pk):06d}"


def queue_emergency_email(referral: Referral) -> Job | None:
    """Queue the hub managers' email of an emergency referral (called by ``refer``)."""
    if referral.urgency != Urgency.EMERGENCY:
        return None
    return jobs.start(EMERGENCY, title=f"Tell the hub managers of emergency referral {reference(referral)}",
                      task=email_emergency_referral, params={"referral": referral.pk})


def queue_decision_email(referral: Referral) -> Job | None:
    """Queue the referring partner's email of a decision (called by ``decide_referral``)."""
    partner = referral.submitted_by
    if partner is None or partner.role != Role.PARTNER_REFERRER or not partner.email:
        return None
    return jobs.start(DECISION, title=f"Tell the referrer of the decision on referral {reference(referral)}",
                      task=email_referral_decision, params={"referral": referral.pk})


def _link(name: str, **kwargs: Any) -> str:
    return settings.NWD_SITE_URL + reverse(name, kwargs=kwargs or None)


# Apps above casework narrow who is emailed, by each person's own choice of email per kind of news
# (nwd.worklist registers its email choices here when it loads): ``narrow(kind, users) -> users``.
EMAIL_CHOICES: list[Callable[[str, QuerySet[User]], QuerySet[User]]] = []


def hub_managers_of(referral: Referral) -> QuerySet[User]:
    """The hub managers an emergency referral is for: its young person's hub's, else every hub's."""
    managers = User.objects.filter(role=Role.HUB_MANAGER, is_active=True)
    open_support = referral.young_person.involvements.filter(end__isnull=True).values_list("hub_id", flat=True)
    hub_ids = [hub_id for hub_id in open_support if hub_id is not None]
    if hub_ids and managers.filter(hub_id__in=hub_ids).exists():
        managers = managers.filter(hub_id__in=hub_ids)
    return managers


def hub_managers_for(referral: Referral) -> list[str]:
    """The addresses of the hub managers an emergency referral is for (those who want it by email)."""
    managers = hub_managers_of(referral).exclude(email="")
    for narrow in EMAIL_CHOICES:
        managers = narrow(EMERGENCY, managers)
    return sorted(managers.values_list("email", flat=True))


def _send_emergency(job: Job) -> None:
    referral = Referral.objects.get(pk=job.params["referral"])
    to = hub_managers_for(referral)
    ref = reference(referral)
    if to:
        send_mail(
            f"Emergency referral {ref}: a decision is needed today",
            f"An emergency referral has been received: {ref}.\n\n"
            f"Open it to read it and decide the next step:\n{_link('web:referral', referral_id=referral.pk)}\n\n"
            "This email holds no details of the young person: sign in to see them.\n",
            None, to,
        )
    with finishing(job) as locked:
        locked.result = {"sent_to": len(to)}


def _send_decision(job: Job) -> None:
    referral = Referral.objects.select_related("submitted_by").get(pk=job.params["referral"])
    partner = referral.submitted_by
    ref = reference(referral)
    to = [partner.email] if partner is not None and partner.email else []
    if to:
        send_mail(
            f"Referral {ref}: a decision has been made",
            f"The No Wrong Door service has decided the next step for your referral {ref}.\n\n"
            f"Sign in to see it:\n{_link('web:referral_sent', referral_id=referral.pk)}\n\n"
            "This email holds no details of the young person: sign in to see them.\n",
            None, to,
        )
    with finishing(job) as locked:
        locked.result = {"sent_to": len(to)}


@task()
def email_emergency_referral(job_id: int) -> dict[str, Any]:
    return run(job_id, _send_emergency)


@task()
def email_referral_decision(job_id: int) -> dict[str, Any]:
    return run(job_id, _send_decision)
