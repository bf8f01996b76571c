"""The access middleware: views that declare no permission refused; the session's user and second
factor's device read by lookups compiled once a process (``nwd.core.lookups``).

Refuse, at run time, any view that declares no permission.

The URL-walking test and the system check ``access.E001`` catch an undeclared view before it
ships; this is the belt to their braces: if one is ever reached, it answers 403 instead of
running with nobody having said who may use it.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
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


# The backend of every sign-in by password (``nwd.access.testing.BACKEND`` too); single sign-on's
# sessions name their own backend and are read by it, through Django's ``get_user``.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class Authentication(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (``request.user``, lazily), with the user of a session signed
    in by password read by a query compiled once a process (``nwd.core.lookups``) rather than built
    and compiled on every request: the same row of the same model, read afresh each time, so a
    deactivated user or a changed password is refused at once (``session_user``)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))


def _cached_user(request):
    if not hasattr(request, "_cached_user"):  # the attribute Django's own middleware keeps it in
        request._cached_user = session_user(request)
    return request._cached_user


def session_user(request):
    """``django.contrib.auth.get_user(request)``, for a session of Django's ``ModelBackend`` step for
    step (the backend's ``get_user``: the user by id, refused if inactive; then the session's hash
    of the password checked, with ``SECRET_KEY_FALLBACKS``, the session flushed if it fails), the
    user read by the compiled lookup. Any other session goes to Django's own ``get_user``."""
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if (backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS
            or type(user_id) is not int or not 0 < user_id < 2**31):
        return auth.get_user(request)
    backend = auth.load_backend(backend_path)
    if type(backend) is not ModelBackend:  # pragma: no cover - the path names Django's class
        return auth.get_user(request)
    model = auth.get_user_model()
    found = lookups.rows_with(("session user", model._meta.label),
                              lambda pk: model._default_manager.filter(pk=pk)[:2], (user_id,))
    user = found[0] if len(found) == 1 and backend.user_can_authenticate(found[0]) else None
    if user is not None:
        session_hash = request.session.get(auth.HASH_SESSION_KEY)
        session_auth_hash = user.get_session_auth_hash()
        if not (session_hash and constant_time_compare(session_hash, session_auth_hash)):
            if session_hash and any(constant_time_compare(session_hash, fallback)
                                    for fallback in user.get_session_auth_fallback_hash()):
                request.session.cycle_key()
                request.session[auth.HASH_SESSION_KEY] = session_auth_hash
            else:
                request.session.flush()
                user = None
    return user or AnonymousUser()
