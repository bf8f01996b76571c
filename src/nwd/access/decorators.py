"""Every view says who may use it, and the declaration is enforced where it is made.

Three declarations, one per kind of view::

    @public                                   # the sign-in page, error pages: anyone
    @signed_in                                # the home page, keep-alive: any signed-in user
    @requires("casework.view_young_person", record=from_url(YoungPerson, "young_person_id"))
    @requires("casework.search", "casework.view_identity", listing=True)

``requires`` signs the user in (or sends them to the sign-in page), makes them pass the second
factor (``nwd.access.second_factor``), loads the record the URL names, checks every permission
against it, records the read in the audit log and hands the record to the view as
``request.record``. A record the user may not see answers exactly as a record that does not exist
(404, the same page, the same audit row of a refused attempt), so an id cannot be probed for
existence; a page that is about no record refuses with a plain 403 (there is nothing to probe).

Each decorated view carries its ``Declaration`` (``declaration_of(view)``), which is how the test
that walks every URL finds views that declare nothing, and how the second walk knows which record
each URL carries so it can try it as every role. ``nwd.access.middleware.DeclaredViewsOnly``
refuses, at run time, any view that slipped through undeclared.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.views import View

from nwd.access import audit
from nwd.access import second_factor as otp
from nwd.access.models import Action
from nwd.access.policy import BY_NAME
from nwd.access.relations import remembering

ATTRIBUTE = "nwd_access"
AUTO = "auto"
NOT_FOUND = "No such record."


def not_found(request, target=None, detail: str = "") -> Http404:
    """The one answer to "no such record" and "not yours to see": an audited refusal, then 404.

    Both paths go through here, so they write the same audit row (``denied``, with the record when
    there is one) and raise the same exception with the same message: neither the page, its status,
    nor the work done on the way says whether the id exists.
    """
    audit.record(request, Action.DENIED, target, detail=detail[:200])
    return Http404(NOT_FOUND)


@dataclass(frozen=True)
class RecordFromUrl:
    """The record a URL names: ``model`` looked up by ``field`` = the URL's ``kwarg``."""

    model: type
    kwarg: str = "pk"
    field: str = "pk"
    select_related: tuple[str, ...] = ()

    def load(self, request, kwargs: dict):
        """The record, or None when there is none (the caller answers both the same way)."""
        if self.kwarg not in kwargs:
            raise ImproperlyConfigured(f"The URL has no <{self.kwarg}> for the {self.model.__name__} it names.")
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        try:
            return queryset.get(**{self.field: kwargs[self.kwarg]})
        except (self.model.DoesNotExist, ValueError, TypeError):
            return None


def from_url(model, kwarg: str = "pk", field: str = "pk", select_related: tuple[str, ...] = ()) -> RecordFromUrl:
    """The record of ``model`` whose ``field`` is the URL's ``kwarg`` (for ``@requires(record=...)``)."""
    return RecordFromUrl(model, kwarg, field, tuple(select_related))


@dataclass(frozen=True)
class Declaration:
    """What a view declared: who may use it, and which record its URL carries."""

    kind: str  # "public", "signed_in", "requires", "admin"
    permissions: tuple[str, ...] = ()
    record: RecordFromUrl | Callable | None = None
    listing: bool = False
    second_factor: bool = True
    audit: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def record_model(self):
        return self.record.model if isinstance(self.record, RecordFromUrl) else None


def declaration_of(view) -> Declaration | None:
    """The declaration a view carries (functions, class-based views, admin views)."""
    found = getattr(view, ATTRIBUTE, None)
    if found is None:
        view_class = getattr(view, "view_class", None)
        found = getattr(view_class, ATTRIBUTE, None)
    if found is None:
        # The admin wraps its views at request time (AdminSite.get_urls, ModelAdmin.get_urls); the
        # wrapper names its site, and the project's site declares what all its views require.
        site = getattr(view, "admin_site", None) or getattr(getattr(view, "model_admin", None), "admin_site", None)
        found = getattr(site, "declaration", None)
    return found


def mark(view, declaration: Declaration):
    setattr(view, ATTRIBUTE, declaration)
    return view


def _reading(request):
    """A GET or HEAD changes nothing a permission depends on: its answers are remembered for the
    request (``nwd.access.relations.remembering``), so a page asks each relation of a record once."""
    return remembering() if getattr(request, "method", None) in ("GET", "HEAD") else contextlib.nullcontext()


def _wrap(view, declaration: Declaration, before: Callable):
    """Apply ``before(request, kwargs)`` to a function view, or to a class-based view's dispatch."""
    if isinstance(view, type) and issubclass(view, View):
        original = view.dispatch

        @functools.wraps(original)
        def dispatch(self, request, *args, **kwargs):
            with _reading(request):
                refusal = before(request, kwargs)
                if refusal is not None:
                    return refusal
                return original(self, request, *args, **kwargs)

        view.dispatch = dispatch
        return mark(view, declaration)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with _reading(request):
            refusal = before(request, kwargs)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

    return mark(wrapped, declaration)


def public(view):
    """Anyone may use this view, signed in or not (the sign-in page, error pages, static help)."""
    return _wrap(view, Declaration("public", second_factor=False), lambda request, kwargs: None)


def signed_in(view=None, *, second_factor: bool = True):
    """Any signed-in user may use this view; ``second_factor=False`` for the second-factor pages themselves."""

    def decorate(view):
        declaration = Declaration("signed_in", second_factor=second_factor)
        return _wrap(view, declaration, lambda request, kwargs: gate(request, second_factor))

    return decorate(view) if view is not None else decorate


def requires(*permissions: str, record=None, listing: bool = False, audit_as: str | None = AUTO):
    """The view needs every one of ``permissions``.

    ``record``: where the record the permissions are asked of comes from; ``from_url(Model,
    "kwarg")``, a model class (looked up by ``pk``), or a callable ``(request, **kwargs)``. Permissions
    about a record (see docs/permissions.md) need one, unless ``listing=True`` says the view lists
    records and filters them itself with ``nwd.access.scopes`` (then the role must hold the
    permission for some records).

    ``audit_as``: the audit action for a GET of the record (default "view"); None when the view
    records its own reads. A refused attempt at a record is recorded as "denied".
    """
    unknown = [name for name in permissions if name not in BY_NAME]
    if unknown:
        raise ImproperlyConfigured(f"Unknown permission {', '.join(unknown)}: see docs/permissions.md.")
    if not permissions:
        raise ImproperlyConfigured("@requires needs at least one permission (or use @signed_in / @public).")
    if isinstance(record, type):
        record = from_url(record)
    about_records = [name for name in permissions if BY_NAME[name].takes_record]
    if about_records and record is None and not listing:
        raise ImproperlyConfigured(
            f"{', '.join(about_records)} is asked of a record: pass record=from_url(Model, 'kwarg'), "
            "or listing=True for a list page that filters with nwd.access.scopes."
        )
    action = Action.VIEW if audit_as == AUTO else audit_as
    declaration = Declaration("requires", tuple(permissions), record, listing, True, action)

    def decorate(view):
        def before(request, kwargs):
            refusal = gate(request, second_factor=True)
            if refusal is not None:
                return refusal
            target = None
            if record is not None:
                target = record.load(request, kwargs) if isinstance(record, RecordFromUrl) else record(request, **kwargs)
                if target is None:
                    raise not_found(request, detail=", ".join(permissions))
            for name in permissions:
                if not request.user.has_perm(name, target if BY_NAME[name].takes_record else None):
                    if record is not None:
                        raise not_found(request, target, detail=name)
                    raise PermissionDenied(name)
            request.record = target
            if target is not None and action and request.method in ("GET", "HEAD"):
                audit.record(request, action, target)
            return None

        return _wrap(view, declaration, before)

    return decorate


def gate(request, second_factor: bool):
    """Signed in (else to the sign-in page) and, where needed, past the second factor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if second_factor and not otp.passed(request):
        return otp.redirect_to_second_factor(request)
    return None
