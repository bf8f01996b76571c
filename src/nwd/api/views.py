"""The endpoints of /api/v1/ (docs/api.md). Each states its permission as the pages do: the
declaration (``declares``) is what the URL walk in tests/access reads, and what the view enforces,
with the policy and scopes of ``nwd.access`` (no second permission model). A record the client may
not see answers as one that does not exist, and is audited as refused; every record shown is audited
as read (one row per young person in a list), as on the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, generics, mixins, permissions, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from nwd.access import audit, scopes
from nwd.access.decorators import Declaration, from_url, mark, not_found, public
from nwd.access.models import Action
from nwd.access.policy import BY_NAME
from nwd.api import serializers as out
from nwd.api.permissions import FollowsPolicy
from nwd.api.problems import not_found_response
from nwd.care.models import CareEpisode
from nwd.casework.forms import ReferralForm
from nwd.casework.models import Involvement, KeyWorkerAllocation, Referral, YoungPerson
from nwd.events.models import ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
from nwd.hubs.models import Stay

API = "api"  # the kind of declaration an API view makes (the pages' are "requires")


def declares(*permissions: str, record=None, listing: bool = False, post: tuple[str, ...] = ()):
    """Mark an API view with the permissions it needs: every one of them, asked of the record the URL
    names (``record=from_url(...)``), or, for a list, of some records (``listing=True``: the list is
    then narrowed with ``nwd.access.scopes``). ``post``: what sending to it needs instead (no record)."""
    unknown = [name for name in (*permissions, *post) if name not in BY_NAME]
    if unknown or not permissions:
        raise ValueError(f"Unknown or no permission: {unknown}")

    def decorate(view_class):
        view_class.required = tuple(permissions)
        view_class.record_source = record
        view_class.required_to_post = tuple(post)
        return mark(view_class, Declaration(API, tuple(permissions), record, listing, second_factor=False,
                                            audit=Action.VIEW, extra={"POST": tuple(post)} if post else {}))

    return decorate


class CursorPage(CursorPagination):
    """Pages of records in the order they were written (their id), by an opaque cursor: a page's
    ``next`` link goes on from where it ended, however many records are written meanwhile."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


CHANGED_SINCE = OpenApiParameter(
    "changed_since", OpenApiTypes.DATETIME, OpenApiParameter.QUERY,
    description="Only records written or changed at or after this moment (ISO 8601, e.g. 2026-12-01T00:00:00Z): "
                "for incremental sync, pass the moment the last sync started.")
YOUNG_PERSON = OpenApiParameter("young_person", OpenApiTypes.INT, OpenApiParameter.QUERY,
                                description="Only records about this young person (their id).")


def changed_since(request) -> dt.datetime | None:
    value = request.query_params.get("changed_since")
    if not value:
        return None
    moment = None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise exceptions.ValidationError({"changed_since": "Give a date and time like 2026-12-01T00:00:00Z."})
    if not 1900 <= moment.year <= 2100:
        raise exceptions.ValidationError({"changed_since": "Give a date and time between 1900 and 2100."})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def young_person_filter(request) -> int | None:
    value = request.query_params.get("young_person")
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 18:
        raise exceptions.ValidationError({"young_person": "Give a young person's id (a whole number)."})
    return int(value)


class ApiView(generics.GenericAPIView):
    """What every endpoint shares: the policy, the pages of results, the filters, the audit."""

    permission_classes = [FollowsPolicy]
    pagination_class = CursorPage
    required: tuple[str, ...] = ()
    required_to_post: tuple[str, ...] = ()
    record_source = None
    model: Any = YoungPerson  # the Django model listed (a class with a history)
    person_path = "young_person"  # from a row to its young person's id, for the audit and the filter
    label = ""

    def scoped(self) -> QuerySet:
        """The rows the client may read: the policy's scope for the view's first permission."""
        return scopes.with_section(self.request.user, self.required[0], self.model._default_manager.all(),
                                   self.person_path)

    def get_queryset(self) -> QuerySet:
        queryset = self.scoped()
        since = changed_since(self.request)
        if since is not None:
            changed = self.model.history.filter(history_date__gte=since).values("id")
            queryset = queryset.filter(Q(created_at__gte=since) | Q(pk__in=changed))
        person = young_person_filter(self.request)
        if person is not None:
            queryset = queryset.filter(**{self.person_path: person})
        return queryset

    def list(self, request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        audit.record_rows(request, [self.person_of(row) for row in page], Action.LIST, detail=f"api: {self.label}")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def person_of(self, row) -> int:
        return row.young_person_id

    def get_object(self):
        """The record the URL names, if the client holds every permission for it; else 404, audited."""
        request = self.request
        value = self.kwargs.get(self.record_source.kwarg)
        # An id beyond the database's whole numbers names no record (and must not reach the database).
        target = self.record_source.load(request, self.kwargs) if 0 < int(value) < 2**63 else None
        if target is None:
            raise not_found(request, detail="api: " + ", ".join(self.required))
        for name in self.required:
            if not request.user.has_perm(name, target if BY_NAME[name].takes_record else None):
                raise not_found(request, target, detail=f"api: {name}")
        audit.record(request, Action.VIEW, target, detail=f"api: {self.label}")
        return target


class Listing(ApiView, mixins.ListModelMixin):
    @extend_schema(parameters=[CHANGED_SINCE, YOUNG_PERSON])
    def get(self, request, *args, **kwargs) -> Response:
        return self.list(request)


# --- Young people -------------------------------------------------------------------------------


@declares("casework.view_young_person", "casework.view_identity", listing=True)
class YoungPeople(Listing):
    """Young people whose record the client may read (as it may open their page)."""

    serializer_class = out.YoungPersonOut
    person_path = "pk"
    label = "young people"

    def scoped(self) -> QuerySet:
        user = self.request.user
        return scopes.young_people(user, "casework.view_young_person", scopes.visible_young_people(user))

    def person_of(self, row) -> int:
        return row.pk


@declares("casework.view_young_person", "casework.view_identity",
          record=from_url(YoungPerson, "young_person_id"))
class YoungPersonDetail(ApiView):
    serializer_class = out.YoungPersonOut
    label = "young person"

    @extend_schema(operation_id="young_person_retrieve")
    def get(self, request, young_person_id: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


# --- Referrals ----------------------------------------------------------------------------------


def _with_person_visible(user, queryset: QuerySet) -> QuerySet:
    readable = scopes.young_people(user, "casework.view_young_person").filter(pk=OuterRef("young_person_id"))
    return queryset.annotate(person_visible=Exists(readable))


class ReferralView(ApiView):
    model = Referral
    label = "referrals"

    def scoped(self) -> QuerySet:
        user = self.request.user
        return _with_person_visible(user, scopes.visible_referrals(user))


@declares("casework.view_referral", listing=True, post=("casework.submit_referral",))
class Referrals(ReferralView, mixins.ListModelMixin):
    """Referrals the client may follow (a partner: its own agency's), and sending one."""

    def get_serializer_class(self):
        return out.ReferralIn if self.request.method == "POST" else out.ReferralOut

    @extend_schema(parameters=[CHANGED_SINCE, YOUNG_PERSON], responses=out.ReferralOut(many=True))
    def get(self, request, *args, **kwargs) -> Response:
        return self.list(request)

    @extend_schema(request=out.ReferralIn, responses={201: out.ReferralOut})
    def post(self, request) -> Response:
        """Send a referral (needs casework.submit_referral). The same rules as the referral page."""
        incoming = out.ReferralIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        referral = submit(request, incoming.validated_data)
        referral = _with_person_visible(request.user, Referral.objects.filter(pk=referral.pk)).get()
        return Response(out.ReferralOut(referral).data, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/referrals/{referral.pk}/"})


def submit(request, data: dict) -> Referral:
    """Through the referral page's own form (``ReferralForm``), so the API and the page take the same
    referrals with the same messages. The messages name no one: a name the client sent is replaced."""
    form_data = {key: value for key, value in data.items() if not isinstance(value, dt.date)}
    for key, value in data.items():
        if isinstance(value, dt.date):
            form_data.update({f"{key}_day": value.day, f"{key}_month": value.month, f"{key}_year": value.year})
    form = ReferralForm(data=form_data, user=request.user)
    referral = form.save() if form.is_valid() else None
    if referral is None:
        names = [n for n in (data.get("given_name"), data.get("family_name"), data.get("preferred_name")) if n]
        errors = {}
        for field, messages in form.errors.items():
            cleaned = []
            for message in map(str, messages):
                for name in sorted(names, key=len, reverse=True):
                    message = message.replace(name.strip(), "the young person") if name.strip() else message
                cleaned.append(message)
            errors["non_field_errors" if field == "__all__" else field] = cleaned
        raise exceptions.ValidationError(errors)
    return referral


@declares("casework.view_referral", record=from_url(Referral, "referral_id", select_related=("young_person",)))
class ReferralDetail(ReferralView):
    serializer_class = out.ReferralOut
    label = "referral"

    @extend_schema(operation_id="referral_retrieve")
    def get(self, request, referral_id: int) -> Response:
        referral = self.get_object()
        referral = _with_person_visible(request.user, Referral.objects.filter(pk=referral.pk)).get()
        return Response(self.get_serializer(referral).data)


# --- The records about young people ----------------------------------------------------------------


@declares("casework.view_young_person", listing=True)
class Involvements(Listing):
    model = Involvement
    serializer_class = out.InvolvementOut
    label = "involvements"


@declares("casework.view_young_person", listing=True)
class KeyWorkers(Listing):
    """Key-worker allocations: who is (and was) each young person's key worker, from when."""

    model = KeyWorkerAllocation
    serializer_class = out.KeyWorkerOut
    person_path = "involvement__young_person"
    label = "key workers"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("involvement", "key_worker")

    def person_of(self, row) -> int:
        return row.involvement.young_person_id


@declares("casework.view_young_person", listing=True)
class Stays(Listing):
    model = Stay
    serializer_class = out.StayOut
    label = "stays"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("bed")


@declares("casework.view_care_history", listing=True)
class CareEpisodes(Listing):
    model = CareEpisode
    serializer_class = out.CareEpisodeOut
    label = "care episodes"


@declares("events.view_police_shared", listing=True)
class MissingEpisodes(Listing):
    model = MissingEpisode
    serializer_class = out.MissingEpisodeOut
    label = "missing episodes"


@declares("events.view_police_shared", listing=True)
class PoliceContacts(Listing):
    model = PoliceContact
    serializer_class = out.PoliceContactOut
    label = "police contacts"


@declares("events.view_police_shared", listing=True)
class ExploitationConcerns(Listing):
    model = ExploitationConcern
    serializer_class = out.ExploitationConcernOut
    label = "exploitation concerns"


@declares("events.view_health", listing=True)
class HealthEvents(Listing):
    model = HealthEvent
    serializer_class = out.HealthEventOut
    label = "health events"


# --- The contract and its documentation: public (they hold no record) ------------------------------


@public
class Schema(SpectacularAPIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


@public
class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files: nothing from a CDN. Its script and
    style are files too; the one relaxation of the content security policy, for this page only, is
    inline style attributes (Swagger UI sets them)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    url_name = "api:schema"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                "base-uri 'none'; object-src 'none'")
        return response


@public
def nowhere(request, rest: str = ""):
    """An address under /api/ that names nothing: a problem, not the pages' HTML 404."""
    return not_found_response()

