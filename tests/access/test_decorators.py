"""The declarations themselves: misuse is caught when the view is defined, not when it is visited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.views import View

from nwd.access.decorators import declaration_of, from_url, public, requires, signed_in
from nwd.casework.models import YoungPerson


def view(request, **kwargs):
    return HttpResponse("ok")


def test_an_unknown_permission_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Unknown permission"):
        requires("casework.view_everything")


def test_a_record_permission_needs_a_record_or_a_listing():
    with pytest.raises(ImproperlyConfigured, match="record=from_url"):
        requires("casework.view_plan")
    assert declaration_of(requires("casework.view_plan", listing=True)(view)).listing
    declared = declaration_of(requires("casework.view_plan", record=from_url(YoungPerson, "young_person_id"))(view))
    assert declared.record_model is YoungPerson and declared.permissions == ("casework.view_plan",)


def test_a_model_class_is_looked_up_by_pk():
    declared = declaration_of(requires("casework.view_plan", record=YoungPerson)(view))
    assert declared.record.kwarg == "pk"


def test_class_based_views_carry_their_declaration():
    @requires("access.view_audit")
    class AuditPage(View):
        def get(self, request):
            return HttpResponse("ok")

    assert declaration_of(AuditPage.as_view()).permissions == ("access.view_audit",)


def test_public_and_signed_in_are_declarations_too():
    assert declaration_of(public(view)).kind == "public"
    assert declaration_of(signed_in(view)).second_factor
    assert not declaration_of(signed_in(second_factor=False)(view)).second_factor
    assert declaration_of(view) is None


def undeclared_view(request):
    return HttpResponse("this page declared nobody")


urlpatterns = [path("undeclared/", undeclared_view), path("", include("nwd.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.access.test_decorators")
def test_an_undeclared_view_is_refused_at_run_time():
    response = Client().get("/undeclared/")
    assert response.status_code == 403
    assert b"declared nobody" not in response.content
