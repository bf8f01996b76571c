"""Staff accounts in the admin: role, hub, agency and portfolio beside Django's own fields, and the
reset of a lost second factor."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django_otp import devices_for_user

from nwd.access import audit
from nwd.access.models import Action, User


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

    @admin.action(description="Reset the second factor (they set up a new authenticator at their next sign-in)")
    def reset_second_factor(self, request, queryset):
        """For someone who has lost or replaced their phone: their authenticator devices are removed, so
        the next sign-in asks them to set up a new one (and a session already past the second factor
        is asked again). Each reset is audited against the account."""
        reset = 0
        with transaction.atomic():
            for user in queryset:
                devices = list(devices_for_user(user, confirmed=None))
                for device in devices:
                    device.delete()
                audit.record(request, Action.CHANGE, user,
                             detail=f"second factor reset: {len(devices)} device(s) removed")
                reset += 1
        self.message_user(request, f"Second factor reset for {reset} account(s).", messages.SUCCESS)
