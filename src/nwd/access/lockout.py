"""Sign-in lockout: the rules django-axes applies, given to it through its settings' callables.

django-axes counts failed sign-ins per lockout parameter (``AXES_LOCKOUT_PARAMETERS =
["username", "ip_address"]``: one count per account from any address, one per address at any
account) over a window, and locks when a count reaches the failure limit. This module answers its
three questions:

- ``failure_limit``: 5 for an account, 20 for an address (an office behind one address must not
  be locked by a few colleagues' typos; a password spray from one address is).
- ``cool_off``: the window, which is also how long a lock lasts after the last failure counted.
  15 minutes, doubled for each lock of the same account or address in the last 24 hours (the
  lock in force included), up to 4 hours: a person who mistypes is held up for minutes, not an
  hour. Someone guessing at one account gets at most 4 guesses per window: 4 per 15 minutes (384
  a day) if they stay under the limit, falling to 4 per 4 hours once their locks have grown; the
  second factor still stands behind the password.
  With ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`` a guess refused during a lock
  is not counted, so an attacker cannot keep a lock going by guessing into it; to keep a person
  locked out they must wait for each lock to end and guess again, and the first locks are short.
- ``client_ip``: ``REMOTE_ADDR``, or, when ``NWD_TRUSTED_PROXY_HEADER`` names the header the
  service's own reverse proxy sets, the last address in it (the one the proxy appended: whatever
  a client wrote earlier in the header is ignored), so users behind the proxy are told apart.

The lock history is django-axes' own failure log (``AXES_ENABLE_ACCESS_FAILURE_LOG``, one row per
counted failure, ``locked_out`` on the failure that locked). Attempts expire row by row
(``AXES_USE_ATTEMPT_EXPIRATION``), so one account's short window never clears another's longer
lock.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
FIRST_LOCK = dt.timedelta(minutes=15)
LONGEST_LOCK = dt.timedelta(hours=4)
MEMORY = dt.timedelta(hours=24)


def client_ip(request) -> str | None:
    """The client's address: the trusted proxy's last entry in its header if configured, else REMOTE_ADDR."""
    header = settings.NWD_TRUSTED_PROXY_HEADER_META
    if header:
        entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
        if entries and _is_address(entries[-1]):
            return entries[-1]
    return request.META.get("REMOTE_ADDR") or None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def lock_length(locks: int) -> dt.timedelta:
    """How long the ``locks``-th lock in 24 hours lasts (1 for the first): 15 minutes, doubling, at most 4 hours."""
    return min(FIRST_LOCK * 2 ** max(locks - 1, 0), LONGEST_LOCK)


def cool_off(request=None) -> dt.timedelta:
    """The window django-axes counts failures in, and so the length of a lock (see the module's docstring).

    The lock now in force (its failure is in the log, and it has not run its length) counts as the
    latest lock; once it has run, the next one would be one more. So the answer does not change
    while a lock lasts, from the failure that starts it to its end.
    """
    if request is None:
        return FIRST_LOCK
    if not hasattr(request, "_nwd_cool_off"):  # asked many times per sign-in; the same answer each time
        request._nwd_cool_off = _cool_off(request)
    return request._nwd_cool_off


def _cool_off(request) -> dt.timedelta:
    from axes.helpers import get_client_username
    from axes.models import AccessFailureLog

    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    who = Q()
    username = get_client_username(request)
    if username:
        who |= Q(username=username)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    if address:
        who |= Q(ip_address=address)
    if not who:
        return FIRST_LOCK
    locks = list(
        AccessFailureLog.objects.filter(who, locked_out=True, attempt_time__gte=now - MEMORY)
        .order_by("-attempt_time").values_list("attempt_time", flat=True)[:16]
    )
    if not locks:
        return FIRST_LOCK
    if now - locks[0] < lock_length(len(locks)):
        return lock_length(len(locks))  # the latest lock is still in force
    return lock_length(len(locks) + 1)


def clear_expired() -> None:
    """Delete the failed attempts whose lock or window has run (each row's ``expires_at``).

    django-axes does this only after the attempt it is checking, so the first attempt after a lock
    ran would be refused once more; the sign-in form calls this before authenticating, so a lock
    ends exactly when it says.
    """
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.get_implementation().clean_expired_user_attempts(None, None)


def failure_limit(request, credentials=None) -> int:
    """The account's limit once the account has reached it, else the address's.

    django-axes locks when the larger of the two counts reaches one limit; answering this way gives
    each count its own: an account with 5 failures is locked, an address with 20.
    """
    from axes.handlers.proxy import AxesProxyHandler

    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    account = attempts[0].aggregate(total=Sum("failures_since_start"))["total"] or 0
    return ACCOUNT_LIMIT if account >= ACCOUNT_LIMIT else ADDRESS_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (HTTP 429), saying for how long in words."""
    from django.shortcuts import render

    minutes = int(cool_off(request).total_seconds() // 60)
    wait = f"{minutes // 60} hour{'s' if minutes >= 120 else ''}" if minutes % 60 == 0 else f"{minutes} minutes"
    return render(request, "access/locked_out.html", {"wait": wait}, status=429)
