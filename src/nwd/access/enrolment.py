"""One-time enrolment codes: what lets a person set up their authenticator app.

The password alone never enrols a second factor. An administrator issues a code (the admin's
"reset the second factor" action, or ``nwd enrolment-code USERNAME`` at go-live) and hands it to
the person; at their next sign-in the set-up page asks for it before it shows the QR code and key.

A code is twelve characters from Crockford's base 32 (60 random bits), shown once and kept only as
its SHA-256 (enough for a random secret of that size: there is no dictionary to try), valid for
``settings.NWD_ENROLMENT_CODE_HOURS``, spent at first use, withdrawn when a newer one is issued or
after ``MAX_WRONG_TRIES`` wrong entries. Issuing and using are audited against the account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nwd.access import audit
from nwd.access.models import Action, EnrolmentCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U to misread
LENGTH = 12
MAX_WRONG_TRIES = 5
# What people type for what they see: Crockford's reading of the letters the alphabet leaves out.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class Issued:
    """A code just issued: the only moment the code itself exists outside the person's hands."""

    username: str
    code: str
    expires_at: dt.datetime

    @property
    def shown(self) -> str:
        """The code in groups of four, as it is read out or written down."""
        return "-".join(self.code[i:i + 4] for i in range(0, LENGTH, 4))


def _account(user):
    """The User itself, not ``request.user``'s lazy wrapper (the audit log names the model it is given)."""
    while hasattr(user, "_wrapped"):  # request.user may be a lazy object around a lazy object
        user.pk  # noqa: B018  (evaluates the wrapper)
        user = user._wrapped
    return user


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.NWD_ENROLMENT_CODE_HOURS)


def normalise(typed: str) -> str:
    """The code as stored: upper case, without spaces or hyphens, O read as 0 and I or L as 1."""
    return "".join(ch for ch in (typed or "").upper() if ch not in " -\t").translate(_READ_AS)


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


def issue(user, *, request=None, by=None, detail: str = "") -> Issued:
    """A new code for ``user`` (withdrawing any they had not used), audited; returns it once."""
    user = _account(user)
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    now = timezone.now()
    with transaction.atomic():
        outstanding(user).update(withdrawn_at=now)
        record = EnrolmentCode.objects.create(
            user=user, code_hash=digest(code), issued_at=now, expires_at=now + lifetime(),
            issued_by=by if by is not None and by.is_authenticated else None,
        )
        note = f"enrolment code issued, expires {timezone.localtime(record.expires_at):%d/%m/%Y %H:%M}"
        audit.record(request, Action.CHANGE, user, detail=f"{note}{'; ' + detail if detail else ''}",
                     username="" if request is not None else "command line")
    return Issued(user.get_username(), code, record.expires_at)


def outstanding(user):
    """The user's codes that could still be used: not spent, not withdrawn, not expired."""
    return EnrolmentCode.objects.filter(
        user=user, used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now(),
    )


def has_outstanding(user) -> bool:
    return outstanding(user).exists()


def redeem(user, typed: str, *, request=None) -> bool:
    """Spend the code ``typed`` if it is one of ``user``'s outstanding codes; audited either way.

    A wrong entry counts against every outstanding code of the user, and withdraws it at the
    ``MAX_WRONG_TRIES``-th, so guessing is bounded even though each code is long.
    """
    user = _account(user)
    now = timezone.now()
    with transaction.atomic():
        # Spending is one conditional UPDATE, so two requests cannot both spend the same code.
        spent = outstanding(user).filter(code_hash=digest(typed)).update(used_at=now)
        if spent:
            audit.record(request, Action.CHANGE, user, detail="enrolment code used")
            return True
        codes = list(outstanding(user).select_for_update())
        for code in codes:
            code.wrong_tries += 1
            if code.wrong_tries >= MAX_WRONG_TRIES:
                code.withdrawn_at = now
            code.save(update_fields=["wrong_tries", "withdrawn_at"])
        audit.record(request, Action.OTP_FAILURE, user, detail="wrong enrolment code")
    return False
