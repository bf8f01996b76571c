"""Staff accounts in the admin: role, hub, agency and portfolio beside Django's own fields."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from nwd.access.models import User


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
