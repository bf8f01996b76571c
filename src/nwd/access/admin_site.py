"""The admin site: for superusers (system administrators) past the second factor, and nobody else.

Django's admin checks model permissions (``casework.view_plan``...) that share names with the
service's own policy permissions; and the policy, on purpose, grants a superuser nothing. So the
admin keeps its own rule, declared once here: a verified superuser may use every admin page, and
nobody else may open any. Every admin page carries the declaration "admin" for the URL walk, and
each visit is written to the audit log.
"""

from __future__ import annotations

import functools

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from nwd.access import audit
from nwd.access.decorators import Declaration, gate, mark
from nwd.access.models import Action
from nwd.access.second_factor import passed

ADMIN = Declaration("admin", second_factor=True)


def is_system_administrator(request) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_superuser and passed(request))


class SuperusersOnly:
    """Mixed into every ModelAdmin registered on the site: superusers may, nobody else."""

    def has_module_permission(self, request):
        return is_system_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_system_administrator(request)

    def has_add_permission(self, request, *args):
        return is_system_administrator(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_system_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return is_system_administrator(request)


class NwdAdminSite(admin.AdminSite):
    site_header = "No Wrong Door: system administration"
    site_title = "No Wrong Door administration"
    index_title = "System administration"
    declaration = ADMIN  # what every page of this site requires, for the URL walk (decorators.declaration_of)

    def has_permission(self, request):
        return is_system_administrator(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        guarded = type(admin_class.__name__, (SuperusersOnly, admin_class), {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, guarded, **options)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @functools.wraps(inner)
        def guarded(request, *args, **kwargs):
            refusal = gate(request, second_factor=True)
            if refusal is not None:
                return refusal
            if not request.user.is_superuser:
                raise PermissionDenied("The admin site is for system administrators.")
            if request.method == "GET":
                audit.record(request, Action.VIEW, detail="admin site")
            return inner(request, *args, **kwargs)

        return mark(guarded, ADMIN)

    def login(self, request, extra_context=None):
        """The admin has no sign-in page of its own: the service's one (with its lockout and second factor)."""
        if request.user.is_authenticated:
            return redirect("admin:index")
        return redirect_to_login(request.GET.get("next") or request.get_full_path())

    mark(login, Declaration("public", second_factor=False))
