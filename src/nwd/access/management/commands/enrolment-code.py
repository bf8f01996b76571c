"""``nwd enrolment-code USERNAME``: issue a one-time set-up code for the second factor, printed once.

For go-live (every account starts without an authenticator) and for a system administrator without
the admin site to hand. The code is kept only as a hash, and issuing it is audited.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from nwd.access import audit, enrolment
from nwd.access.models import Action, User


class Command(BaseCommand):
    help = "Issue a one-time set-up code with which USERNAME can set up their authenticator app (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account's user name.")
        parser.add_argument("--reset", action="store_true",
                            help="Remove the authenticator the account already has (a lost or replaced phone).")

    def handle(self, *args, username: str, reset: bool, **options):
        from django_otp import devices_for_user, user_has_device

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account with the user name '{username}'.")
        if not user.is_active:
            raise CommandError(f"The account '{username}' is closed: open it again in the admin first.")
        with transaction.atomic():
            if user_has_device(user, confirmed=True):
                if not reset:
                    raise CommandError(
                        f"'{username}' already has an authenticator app set up. If they have lost their phone, "
                        "run again with --reset to remove it."
                    )
                devices = list(devices_for_user(user, confirmed=None))
                for device in devices:
                    device.delete()
                audit.record(None, Action.CHANGE, user, username="command line",
                             detail=f"second factor reset: {len(devices)} device(s) removed")
            issued = enrolment.issue(user)
        self.stdout.write(f"One-time set-up code for {issued.username}: {issued.shown}")
        self.stdout.write(
            f"It works once, until {timezone.localtime(issued.expires_at):%d/%m/%Y %H:%M}, and is not shown again. "
            "Give it to them in person or by telephone."
        )
