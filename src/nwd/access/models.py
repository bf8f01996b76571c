"""Staff accounts, and the append-only audit log of who read, changed or signed in to what.

Each person holds one role; where it applies, a hub, an agency or a portfolio. What a role may do
lives in ``nwd.access.policy``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from nwd.access.roles import HUB_ROLES, PortfolioArea, Role, SourceAgency


class User(AbstractUser):
    """A member of staff, a partner-agency referrer, an analyst or the data protection officer."""

    role = models.CharField(max_length=32, choices=Role.choices)
    hub = models.ForeignKey(
        "hubs.Hub",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="The hub a key worker, residential worker, hub manager or portfolio lead works at.",
    )
    agency = models.CharField(
        max_length=32,
        choices=SourceAgency.choices,
        blank=True,
        help_text="For partner-agency referrers: the agency whose referrals they may follow.",
    )
    organisation = models.CharField(
        max_length=120, blank=True, help_text="For partners: the school, practice or team."
    )
    portfolio_area = models.CharField(max_length=32, choices=PortfolioArea.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def works_at_hub(self) -> bool:
        return self.role in HUB_ROLES

    def has_perm(self, perm, obj=None):
        """The service's own permissions are answered by the policy alone.

        Django's ``has_perm`` says yes to every question for an active superuser; here that would
        let a system administrator read restricted records and everything else. Superuser status
        opens the admin site (``nwd.access.admin_site``) and nothing in the policy.
        """
        from nwd.access.policy import is_policy_permission  # policy imports these models: a cycle at import

        if is_policy_permission(perm):
            import rules

            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class EnrolmentCode(models.Model):
    """A one-time code that lets one person set up their authenticator app (the second factor).

    Without it, the password alone would be enough to enrol a device (trust on first use): anyone
    holding a password of an account with no authenticator (every account at go-live, any account
    after a reset) could enrol their own phone. An administrator issues the code (the admin's
    "reset the second factor" action, or ``nwd enrolment-code``) and gives it to the person; it is
    shown once, kept only as a hash, expires, and is spent at first use (``nwd.access.enrolment``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the code; the code itself is never kept.")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The administrator who issued it (empty when issued from the command line).",
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Replaced by a newer code, or too many wrong tries.")
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} issued {self.issued_at:%d/%m/%Y %H:%M}"


class SingleSignOnIdentity(models.Model):
    """Which account a person signing in through the OpenID Connect provider is (``nwd.access.sso``).

    The provider names a person by its issuer and their subject (``sub``), which never changes and is
    never reused, unlike an email address or a user name. The link is made at the person's first
    sign-in (a new account, or an existing one with the same email when NWD_OIDC_LINK_BY_EMAIL is on)
    or by an administrator in the admin; it is never made silently to an existing local account.
    """

    class Linked(models.TextChoices):
        CREATED = "created", "Account created at first sign-in"
        EMAIL = "email", "Existing account with the same email address"
        ADMINISTRATOR = "administrator", "Linked by an administrator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities")
    issuer = models.CharField(max_length=255, help_text="The provider's issuer URL, as its ID tokens name it.")
    subject = models.CharField(max_length=255, help_text="The provider's identifier for the person (the `sub` claim).")
    linked = models.CharField(max_length=16, choices=Linked.choices, default=Linked.ADMINISTRATOR)
    linked_at = models.DateTimeField(default=timezone.now)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "single sign-on identity"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_one_account_per_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="sso_identity_one_subject_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"

    def clean(self) -> None:
        errors = {}
        if not self.issuer.strip():
            errors["issuer"] = "Enter the provider's issuer URL, as its ID tokens name it (the iss claim)"
        if not self.subject.strip():
            errors["subject"] = "Enter the person's identifier at the provider (the sub claim, shown in the audit log)"
        if errors:
            raise ValidationError(errors)


class DemoDatabase(models.Model):
    """The marker ``nwd demo`` writes into a database it creates, with the accounts it created.

    Demo mode (no second factor, no HSTS or secure cookies, logins and password on the sign-in
    page) is on only when ``NWD_DEMO`` is set *and* the database carries this marker, so the
    variable cannot weaken a real database; and ``nwd demo`` refuses any database holding an
    account the demo did not create (``nwd.demo.logins``).
    """

    created_at = models.DateTimeField(default=timezone.now)
    accounts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        verbose_name = "demo database marker"

    def __str__(self) -> str:
        return f"Demo database created {self.created_at:%d/%m/%Y %H:%M}"


class Action(models.TextChoices):
    VIEW = "view", "Viewed a record"
    LIST = "list", "Saw in a list"
    SEARCH = "search", "Found in a search"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    DENIED = "denied", "Was refused"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    IMPORT = "import", "Imported"
    LOGIN_SUCCESS = "login_success", "Signed in"
    LOGIN_FAILURE = "login_failure", "Failed to sign in"
    LOGOUT = "logout", "Signed out"
    LOCKOUT = "lockout", "Locked out"
    OTP_ENROLLED = "otp_enrolled", "Set up a second factor"
    OTP_VERIFIED = "otp_verified", "Passed the second factor"
    OTP_FAILURE = "otp_failure", "Failed the second factor"


READ_ACTIONS = frozenset({Action.VIEW, Action.LIST, Action.SEARCH, Action.EXPORT, Action.DOWNLOAD})
CHANGE_ACTIONS = frozenset({Action.CREATE, Action.CHANGE, Action.DELETE, Action.IMPORT})
SIGN_IN_ACTIONS = frozenset(
    {Action.LOGIN_SUCCESS, Action.LOGIN_FAILURE, Action.LOGOUT, Action.LOCKOUT,
     Action.OTP_ENROLLED, Action.OTP_VERIFIED, Action.OTP_FAILURE}
)


class AppendOnly(Exception):
    """An audit event was about to be changed or deleted: the log only grows."""

    def __init__(self, what: str = "change or delete") -> None:
        super().__init__(f"The audit log is append-only: an audit event cannot {what}.")


class AuditEventQuerySet(models.QuerySet):
    """Refuses the bulk paths that would change or remove events (the database refuses them too),
    and links what ``bulk_create`` adds to the hash chain."""

    def bulk_create(self, objs, *args, **kwargs):
        from nwd.access import chain  # chain imports AuditEvent from here: a cycle at import

        events = list(objs)
        if not events:
            return []
        with transaction.atomic(using=self.db, savepoint=False):
            chain.link_events(events, connections[self.db])
            return super().bulk_create(events, *args, **kwargs)

    def update(self, **kwargs):
        raise AppendOnly("be updated")

    def delete(self):
        raise AppendOnly("be deleted")

    # QuerySet.bulk_update goes through update(); _raw_delete skips delete(): refuse it as well.
    def _raw_delete(self, using):
        raise AppendOnly("be deleted")


class AuditEvent(models.Model):
    """One read, change or sign-in event: who, when, what, from where. Written once, never changed.

    Each event is linked to the one before by ``sequence`` and ``chain_hash`` as it is inserted
    (``nwd.access.chain``), so ``nwd audit-verify`` finds an event changed or deleted behind the
    application's back.

    ``young_person`` is kept without a database constraint: the log must outlive the records it
    speaks of (a record deleted at the end of its retention period still leaves who saw it), and it
    must never block that deletion.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No index of their own on the user, the content type, the young person or the action: the
    # indexes below begin with the user and the young person, and PostgreSQL's second index of a text
    # column (for ``LIKE``) served no query. None on the content type and object at all: no page or
    # job looks events up by record (who read a record is asked by young person), and the only read
    # by content type is the check that refuses to delete one still named here (a content type is
    # deleted when a model is removed: a rare maintenance step, which may scan the table). Every
    # page writes its audit rows; each index is written for each row it covers (docs/performance.md,
    # eighth round).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events",
        db_index=False,
    )
    username = models.CharField(
        max_length=150, blank=True, help_text="The user name at the time (or the one typed, for a failed sign-in)."
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    object_id = models.CharField(max_length=64, blank=True)
    young_person = models.ForeignKey(
        "casework.YoungPerson", null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, db_index=False, related_name="+",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.TextField(blank=True)
    sequence = models.BigIntegerField(
        unique=True, editable=False,
        help_text="The event's place in the hash chain: 1, 2, 3... with no gaps (a gap is a deleted event).",
    )
    chain_hash = models.CharField(
        max_length=64, editable=False,
        help_text="SHA-256 over the previous event's chain hash and this event's content (nwd.access.chain).",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["young_person", "at"]),
            models.Index(fields=["user", "at"]),
            # The rows of one action (the DPO's filter, the searches for a term), but not "saw in a
            # list": nobody asks for those by action (nearly every row is one), and every page that
            # lists young people writes ~100 of them.
            models.Index(fields=["action"], condition=~models.Q(action=Action.LIST), name="audit_event_action_not_list"),
        ]

    def __str__(self) -> str:
        return f"{self.username or 'someone'} {self.get_action_display().lower()} at {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("be updated")
        from nwd.access import chain  # chain imports AuditEvent from here: a cycle at import

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chain.link_events([self], connections[using])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("be deleted")
