"""The two pages of single sign-on (``nwd.access.sso``): off to the provider, and back from it.

Both are public (nobody is signed in yet) and answer 404 while single sign-on is not configured.
The way back refuses, with a page saying why and an audited failed sign-in: a state this browser did
not start or has used already, one older than ``sso.STATE_SECONDS``, an error from the provider, and
whatever ``sso.SingleSignOnBackend`` refuses (a token that does not check out, no mapped group, a
closed account, an existing account not linked). A person whose provider asserted a second factor
(``sso.second_factor_asserted``) is past it; anyone else is asked for the service's own, as after a
password.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django_otp import user_has_device
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from nwd.access import audit, second_factor, sso
from nwd.access.decorators import public
from nwd.access.models import Action

BACKEND = "nwd.access.sso.SingleSignOnBackend"


def refused(request: HttpRequest, refusal: sso.Refused, *, audited: bool) -> HttpResponse:
    """The page that says why; the failed sign-in is audited unless Django's signal already did."""
    if not audited:
        audit.record(request, Action.LOGIN_FAILURE, username=refusal.username, detail=refusal.detail[:500])
    return render(request, "access/sso_refused.html", {
        "message": refusal.message, "provider": sso.provider_name(),
    }, status=refusal.status)


@public
class SingleSignOnStart(OIDCAuthenticationRequestView):
    """Off to the provider, with a fresh state, nonce and PKCE challenge kept in the session."""

    get_settings = staticmethod(sso._library_setting)

    def __init__(self, **kwargs: Any) -> None:  # the library's reads the endpoint here; get() reads it
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.endpoints().authorization
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            return refused(request, sso.Refused(
                f"{sso.provider_name()} could not be reached. Try again in a few minutes, or sign in with your user "
                "name and password.", detail=f"single sign-on: provider unreachable: {error}"[:500], status=503),
                audited=False)
        self.OIDC_RP_CLIENT_ID = settings.NWD_OIDC_CLIENT_ID
        return super().get(request)


@public
class SingleSignOnCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: check the state, let the backend check the rest, sign in or refuse."""

    get_settings = staticmethod(sso._library_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404("Single sign-on is not configured.")
        states = request.session.get("oidc_states")
        state = request.GET.get("state", "")
        name = sso.provider_name()
        if not isinstance(states, dict) or not state or state not in states:
            return refused(request, sso.Refused(
                "This sign-in was not started from this browser, or it has been used already. Start again.",
                detail="single sign-on: unknown or used state", status=400), audited=False)
        if time.time() - float(states[state].get("added_on", 0)) > sso.STATE_SECONDS:
            del states[state]
            request.session.modified = True
            return refused(request, sso.Refused(
                f"The sign-in took too long: more than {sso.STATE_SECONDS // 60} minutes passed at {name}. Start again.",
                detail="single sign-on: expired state", status=400), audited=False)
        if request.GET.get("error"):
            del states[state]
            request.session.modified = True
            error = request.GET.get("error_description") or request.GET["error"]
            return refused(request, sso.Refused(
                f"{name} did not sign you in ({error[:200]}). Try again, or ask the service desk.",
                detail=f"single sign-on: the provider said {request.GET['error'][:100]}"), audited=False)
        if "code" not in request.GET:
            return refused(request, sso.Refused(
                f"{name} sent you back without signing you in. Start again.", detail="single sign-on: no code",
                status=400), audited=False)
        return super().get(request)

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, sso.REFUSAL, None) or sso.Refused(
            f"{sso.provider_name()} did not sign you in. Try again.", detail="single sign-on: refused")
        # Django's user_login_failed signal has written the failed sign-in (nwd.access.signals).
        return refused(self.request, refusal, audited=True)

    def login_success(self) -> HttpResponse:
        request = self.request
        target = request.session.pop("oidc_login_next", None) or reverse("home")
        setattr(request, sso.AUDIT_DETAIL, f"single sign-on ({sso.provider_name()})")
        auth.login(request, self.user, backend=BACKEND)
        amr = getattr(request, sso.AMR, None)
        if sso.second_factor_asserted(amr):
            second_factor.passed_at_provider(request, self.user)
            audit.record(request, Action.OTP_VERIFIED, user=self.user,
                         detail=f"by {sso.provider_name()} (amr: {' '.join(str(value) for value in amr or [])})"[:500])
            return HttpResponseRedirect(target)
        name = "access:verify" if user_has_device(self.user, confirmed=True) else "access:enrol"
        return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': target})}")
