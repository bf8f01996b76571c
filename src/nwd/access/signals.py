"""Audit events written from signals: sign-ins (Django, django-axes) and changes (simple-history).

Sign-in events come from the signals rather than from the sign-in view so that every way in (the
sign-in page, the admin, a future API) is recorded the same way. Changes come from simple-history's
``post_create_historical_record``: every save of a casework record already writes a history row,
and this adds the matching line in the audit log (who, when, from where), so "every change" is in
one place with every read.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from nwd.access import audit
from nwd.access.models import Action

HISTORY_ACTIONS = {"+": Action.CREATE, "~": Action.CHANGE, "-": Action.DELETE}


@receiver(user_logged_in, dispatch_uid="nwd-audit-login")
def on_login(sender, request, user, **kwargs):
    # How they signed in, when not with a password (single sign-on: nwd.access.sso).
    audit.record(request, Action.LOGIN_SUCCESS, user=user, detail=getattr(request, "nwd_audit_detail", ""))


@receiver(user_login_failed, dispatch_uid="nwd-audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` has the password removed by Django (cleanse_setting); keep only the name typed.
    # A single sign-on refused (nwd.access.sso) puts the name the provider gave and the reason on the request.
    username = str((credentials or {}).get("username", "") or getattr(request, "nwd_audit_username", ""))
    audit.record(request, Action.LOGIN_FAILURE, username=username, detail=getattr(request, "nwd_audit_detail", ""))


@receiver(user_logged_out, dispatch_uid="nwd-audit-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(request, Action.LOGOUT, user=user)


@receiver(user_locked_out, dispatch_uid="nwd-audit-lockout")
def on_lockout(sender, request, username=None, ip_address=None, **kwargs):
    audit.record(request, Action.LOCKOUT, username=username or "", detail=f"locked out from {ip_address or 'unknown address'}")


@receiver(post_create_historical_record, dispatch_uid="nwd-audit-change")
def on_change(sender, instance, history_instance, history_user=None, **kwargs):
    """One audit event per saved change, when a person made it.

    A change with neither a user nor a request (the synthetic county, a bulk import run from the
    command line) is left to its history row: the command itself is the record of who ran it.
    """
    request = getattr(HistoricalRecords.context, "request", None)
    if history_user is None and request is None:
        return
    action = HISTORY_ACTIONS.get(history_instance.history_type, Action.CHANGE)
    audit.record(request, action, instance, user=history_user)
