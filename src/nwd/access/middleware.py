"""The access middleware: views that declare no permission refused; the second factor's device read.

Refuse, at run time, any view that declares no permission.

The URL-walking test and the system check ``access.E001`` catch an undeclared view before it
ships; this is the belt to their braces: if one is ever reached, it answers 403 instead of
running with nobody having said who may use it.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from nwd.access.decorators import declaration_of
from nwd.core import lookups

log = logging.getLogger(__name__)


class DeclaredViewsOnly:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if declaration_of(view_func) is None:
            name = getattr(view_func, "__qualname__", repr(view_func))
            log.error("Refused %s: the view %s declares no permission.", request.path, name)
            raise PermissionDenied("This page declares no permission.")
        return None


class SecondFactor(OTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), with the session's
    device read by a query compiled once a process (``nwd.core.lookups``) rather than built and
    compiled on every request: the same ``filter(id=...).first()`` of the same model, so a deleted
    device is missed at once, and django-otp's own checks (the device's user, confirmed) then apply
    unchanged. A persistent id of any other shape goes to django-otp's own lookup."""

    def _device_from_persistent_id(self, persistent_id: str):
        normalised = self._normalize_persistent_id(persistent_id)
        label, _, ident = normalised.rpartition("/")
        try:
            model = apps.get_model(label)
            pk = int(ident) if ident.isdigit() else -1
        except (ValueError, LookupError):
            model, pk = None, -1
        if model is None or not issubclass(model, Device) or not 0 < pk < 2**31:
            return super()._device_from_persistent_id(persistent_id)
        found = lookups.rows_with(("second-factor device", model._meta.label),
                                  lambda ident: model.objects.filter(id=ident).order_by("pk")[:1], (pk,))
        return found[0] if found else None
