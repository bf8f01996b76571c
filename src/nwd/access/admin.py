"""Staff accounts in the admin: role, hub, agency and portfolio beside Django's own fields, and the
reset of a lost second factor, which issues a one-time set-up code."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.template.response import TemplateResponse
from django_otp import devices_for_user

from nwd.access import audit, enrolment
from nwd.access.models import Action, SingleSignOnIdentity, User


class SingleSignOnIdentityInline(admin.TabularInline):
    """Who the account is at the OpenID Connect provider (nwd.access.sso): how an administrator links
    an existing account to the person's single sign-on, when NWD_OIDC_LINK_BY_EMAIL is off. The
    subject is in the audit log of their refused first sign-in."""

    model = SingleSignOnIdentity
    extra = 0
    fields = ("issuer", "subject", "linked", "linked_at", "last_sign_in_at")
    readonly_fields = ("linked", "linked_at", "last_sign_in_at")
    verbose_name_plural = "single sign-on (OpenID Connect)"


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "hub", "is_active")
    list_filter = ("role", "hub", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Role in the service", {"fields": ("role", "hub", "agency", "organisation", "portfolio_area", "job_title")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Role in the service", {"fields": ("first_name", "last_name", "email", "role", "hub", "agency")}),
    )
    actions = ["reset_second_factor"]
    inlines = [SingleSignOnIdentityInline]

    @admin.action(description="Reset the second factor and issue a one-time set-up code")
    def reset_second_factor(self, request, queryset):
        """For someone who has lost or replaced their phone, or has never set one up (go-live): their
        authenticator devices are removed (a session already past the second factor is asked again)
        and a one-time set-up code is issued, without which set-up does not show the key. The codes
        are shown on the page this action returns, once: nothing else keeps them (not a message,
        which would sit in a cookie). Each reset and each code is audited against the account."""
        issued = []
        with transaction.atomic():
            for user in queryset.order_by("username"):
                devices = list(devices_for_user(user, confirmed=None))
                for device in devices:
                    device.delete()
                audit.record(request, Action.CHANGE, user,
                             detail=f"second factor reset: {len(devices)} device(s) removed")
                issued.append(enrolment.issue(user, request=request, by=request.user))
        return TemplateResponse(request, "admin/access/enrolment_codes.html", {
            **self.admin_site.each_context(request),
            "title": "One-time set-up codes",
            "issued": issued,
            "hours": enrolment.lifetime().total_seconds() // 3600,
        })
