"""Single sign-on with OpenID Connect, beside local accounts (docs/single-sign-on.md, decision 9).

mozilla-django-oidc does the protocol: the authorization request with state, nonce and PKCE, the
code exchange, the ID token's signature against the provider's keys and its nonce. This module adds
what the service needs around it:

- the provider's endpoints from its discovery document (``NWD_OIDC_ISSUER``) or from settings;
- the ID token's issuer, audience and expiry, which the library does not check;
- which account the person is: by the provider's subject, never silently by email
  (``account_for``): a first sign-in creates an account, or, only when NWD_OIDC_LINK_BY_EMAIL is
  on, takes over the one account with the same email; an administrator can link one in the admin;
- the role from the person's groups (``NWD_OIDC_ROLE_MAP``), set again at every sign-in; no mapped
  group, no sign-in;
- the second factor: the provider's word (the ID token's ``amr``) when it shows one
  (``second_factor_asserted``), the service's own authenticator app otherwise.

Refusals are ``Refused`` with the sentence the person reads; the callback view shows it, and the
audit log records it as a failed sign-in, with the reason (``nwd.access.signals``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from josepy.errors import Error as JoseError
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from nwd.access import audit
from nwd.access.models import Action, SingleSignOnIdentity, User
from nwd.access.roles import Role
from nwd.core.services import save_valid
from nwd.hubs.models import Hub

log = logging.getLogger(__name__)

# How long the person has at the provider before the state the service sent expires, in seconds.
STATE_SECONDS = 10 * 60
# Clock difference allowed between the provider and the service when checking the ID token's times.
LEEWAY_SECONDS = 120
DISCOVERY_TIMEOUT_SECONDS = 10
# On the request, for the audit log's sign-in events (nwd.access.signals) and the callback view.
AUDIT_USERNAME = "nwd_audit_username"
AUDIT_DETAIL = "nwd_audit_detail"
REFUSAL = "nwd_sso_refusal"
AMR = "nwd_sso_amr"

# RFC 8176's authentication method references, by the kind of factor each is. Two kinds together
# are two factors (a password and a one-time code; a hardware key unlocked by a PIN).
KNOWLEDGE = frozenset({"pwd", "pin", "kba"})
POSSESSION = frozenset({"otp", "hwk", "swk", "sc", "sms", "tel"})
INHERENCE = frozenset({"fpt", "face", "iris", "retina", "vbm"})
USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")


class Refused(Exception):
    """A sign-in through the provider that the service refuses: ``message`` for the person,
    ``detail`` for the audit log, ``username`` as the provider named them (if it got that far)."""

    def __init__(self, message: str, *, detail: str, username: str = "", status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.username = username
        self.status = status


def enabled() -> bool:
    """Single sign-on is on when a client id is configured (nwd.config.single_sign_on checks the rest)."""
    return bool(settings.NWD_OIDC_CLIENT_ID)


def provider_name() -> str:
    return str(settings.NWD_OIDC_PROVIDER_NAME)


# --- The provider's endpoints ------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorization: str
    token: str
    userinfo: str
    jwks: str


_discovered: dict[str, dict[str, Any]] = {}


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, fetched once per process (kept only when usable)."""
    if issuer not in _discovered:
        address = issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = requests.get(address, timeout=DISCOVERY_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer asked.
            raise SuspiciousOperation(f"The discovery document at {address} names issuer {document.get('issuer')!r}")
        _discovered[issuer] = document
    return _discovered[issuer]


def endpoints() -> Endpoints:
    """The endpoints: each from its NWD_OIDC_*_ENDPOINT setting, else from discovery."""
    issuer = settings.NWD_OIDC_ISSUER
    explicit = {
        "authorization": settings.NWD_OIDC_AUTHORIZATION_ENDPOINT, "token": settings.NWD_OIDC_TOKEN_ENDPOINT,
        "userinfo": settings.NWD_OIDC_USERINFO_ENDPOINT, "jwks": settings.NWD_OIDC_JWKS_ENDPOINT,
    }
    document: dict[str, Any] = {}
    if issuer and not all(explicit[name] for name in ("authorization", "token", "jwks")):
        document = discover(issuer)
    found = {
        name: value or str(document.get(f"{name}_endpoint" if name != "jwks" else "jwks_uri") or "")
        for name, value in explicit.items()
    }
    return Endpoints(issuer=issuer, **found)


# --- The second factor -------------------------------------------------------------------------


def second_factor_asserted(amr: object) -> bool:
    """Whether the ID token's ``amr`` shows the provider checked a second factor.

    Yes when it holds one of NWD_OIDC_MFA_AMR (default ``mfa``, RFC 8176's "multiple-factor
    authentication"), or methods of two different kinds (something known, held or been: ``pwd``
    with ``otp``, ``hwk`` with ``pin``...). No when NWD_OIDC_MFA_AMR is ``none``, when the claim is
    missing or not a list, and for one kind alone (``pwd``; ``hwk``; ``otp``), however many values.
    """
    trusted = set(settings.NWD_OIDC_MFA_AMR)
    if not trusted or not isinstance(amr, list):
        return False
    methods = {str(value) for value in amr}
    if methods & trusted:
        return True
    return sum(1 for kind in (KNOWLEDGE, POSSESSION, INHERENCE) if methods & kind) >= 2


# --- Roles from groups -------------------------------------------------------------------------


def groups_of(claims: Mapping[str, Any]) -> list[str]:
    """The person's groups from the configured claim (a list, or one string)."""
    value = claims.get(settings.NWD_OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(group) for group in value]
    return []


def mapped_role(groups: Iterable[str]) -> tuple[str, str] | None:
    """(role, hub code or "") of the first NWD_OIDC_ROLE_MAP entry whose group the person is in."""
    member = {group.casefold() for group in groups}
    for group, role, hub_code in settings.NWD_OIDC_ROLE_MAP:
        if group.casefold() in member:
            return role, hub_code
    return None


def role_map_problems() -> list[str]:
    """What is wrong with NWD_OIDC_ROLE_MAP's roles (the system check access.E020 reports them)."""
    return [
        f"NWD_OIDC_ROLE_MAP maps {group!r} to {role!r}, which is not a role: use one of {', '.join(Role.values)}"
        for group, role, _hub in settings.NWD_OIDC_ROLE_MAP if role not in Role.values
    ]


# --- Which account -----------------------------------------------------------------------------


def _username_from(claims: Mapping[str, Any]) -> str:
    """A user name for a new account: the provider's preferred name or email, else its subject."""
    for name in ("preferred_username", "email", "sub"):
        value = USERNAME_CHARACTERS.sub("", str(claims.get(name) or "")).lower()[:150]
        if value:
            return value
    return ""


def _names(claims: Mapping[str, Any]) -> tuple[str, str]:
    given, family = str(claims.get("given_name") or ""), str(claims.get("family_name") or "")
    if not (given or family) and claims.get("name"):
        given, _, family = str(claims["name"]).partition(" ")
    return given[:150], family[:150]


def account_for(claims: Mapping[str, Any], *, issuer: str, request: Any = None) -> User:
    """The account of the person the provider signed in, with the role their groups give.

    Found by the issuer and subject; at a first sign-in, created, or (NWD_OIDC_LINK_BY_EMAIL on) the
    one active account with the same email taken over, never an administrator's (superuser). An
    existing account with the same user name or email is otherwise refused, not taken over: an
    administrator links it (the admin's "single sign-on identities" on the account). The role (and
    the hub, when the map names one) is set again from the groups at every sign-in, and a change is
    audited. Raises ``Refused`` with what the person reads.
    """
    subject = str(claims.get("sub") or "")
    username = _username_from(claims)
    name = provider_name()
    if not subject:
        raise Refused(f"{name} did not say who you are. Try again, or ask the service desk.",
                      detail="single sign-on: no subject in the ID token")
    identity = SingleSignOnIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        username = identity.user.get_username()
    groups = groups_of(claims)
    mapped = mapped_role(groups)
    if mapped is None:
        raise Refused(
            f"Your {name} account is not in a group that gives a role in No Wrong Door, so you cannot sign in "
            "with it. If you need the service, ask your manager to ask the service desk to add you to the right group.",
            detail=f"single sign-on: no group maps to a role (groups: {', '.join(groups)[:300] or 'none'})",
            username=username,
        )
    role, hub_code = mapped
    if role not in Role.values:
        raise Refused("Single sign-on is not set up correctly for your group. Ask the service desk.",
                      detail=f"single sign-on: NWD_OIDC_ROLE_MAP names no role {role!r}", username=username)
    hub = Hub.objects.filter(code=hub_code).first() if hub_code else None
    if hub_code and hub is None:
        raise Refused("Single sign-on is not set up correctly for your group. Ask the service desk.",
                      detail=f"single sign-on: NWD_OIDC_ROLE_MAP names no hub {hub_code!r}", username=username)
    with transaction.atomic():
        if identity is None:
            user, how = _first_sign_in(claims, username=username, role=role, hub=hub, request=request)
            identity = SingleSignOnIdentity(user=user, issuer=issuer, subject=subject, linked=how)
        user = identity.user
        if not user.is_active:
            raise Refused("Your No Wrong Door account has been closed. Ask your manager if you still need it.",
                          detail="single sign-on: account closed", username=username)
        _sync_role(user, role=role, hub=hub, request=request)
        identity.last_sign_in_at = timezone.now()
        save_valid(identity, by=user)
    return user


def _first_sign_in(claims: Mapping[str, Any], *, username: str, role: str, hub: Hub | None,
                   request: Any) -> tuple[User, str]:
    """The account for a subject seen for the first time: taken over by email (only when configured),
    or created; refused when a local account already has the name or email (no silent takeover)."""
    email = str(claims.get("email") or "").strip()
    same_email = User.objects.filter(email__iexact=email) if email else User.objects.none()
    if settings.NWD_OIDC_LINK_BY_EMAIL and email and claims.get("email_verified") is not False:
        candidates = list(same_email[:2])
        if len(candidates) == 1 and not candidates[0].is_superuser:
            audit.record(request, Action.CHANGE, candidates[0], user=candidates[0],
                         detail="single sign-on linked to this account by its email address")
            return candidates[0], SingleSignOnIdentity.Linked.EMAIL
    clash = User.objects.filter(Q(username__iexact=username) | Q(pk__in=same_email.values("pk")))
    if not username or clash.exists():
        raise Refused(
            "There is already a No Wrong Door account with your name or email address, and it is not yet linked "
            f"to your {provider_name()} account. Sign in with your user name and password, or ask the service desk "
            "to link the two.",
            detail=f"single sign-on: an existing account has this user name or email; not linked (subject "
                   f"{str(claims.get('sub'))[:100]})",
            username=username,
        )
    first_name, last_name = _names(claims)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, role=role, hub=hub)
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise Refused("Your account could not be created from what the provider sent. Ask the service desk.",
                      detail=f"single sign-on: new account refused: {'; '.join(error.messages)}"[:500],
                      username=username) from None
    user.save()
    audit.record(request, Action.CREATE, user, user=user,
                 detail=f"account created at first single sign-on, role {Role(role).label}")
    return user, SingleSignOnIdentity.Linked.CREATED


def _sync_role(user: User, *, role: str, hub: Hub | None, request: Any) -> None:
    """The role (and hub, when the map names one) from the groups; a change is audited."""
    changes = []
    if user.role != role:
        changes.append(f"role {user.get_role_display() or 'none'} to {Role(role).label}")
        user.role = role
    if hub is not None and user.hub_id != hub.pk:
        changes.append(f"hub {user.hub or 'none'} to {hub}")
        user.hub = hub
    if changes:
        user.save(update_fields=["role", "hub"])
        audit.record(request, Action.CHANGE, user, user=user,
                     detail=f"from the single sign-on groups: {'; '.join(changes)}"[:500])


# --- mozilla-django-oidc, configured from the above --------------------------------------------


def _library_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings: the client and endpoints from NWD_OIDC_*, the rest from settings."""
    values = {"OIDC_RP_CLIENT_ID": settings.NWD_OIDC_CLIENT_ID, "OIDC_RP_CLIENT_SECRET": settings.NWD_OIDC_CLIENT_SECRET,
              "OIDC_RP_SCOPES": settings.NWD_OIDC_SCOPES, "OIDC_CREATE_USER": False}
    if attr in values:
        return values[attr]
    if attr == "OIDC_OP_AUTHORIZATION_ENDPOINT":
        return endpoints().authorization
    return import_from_settings(attr, *default)


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, answering only the provider's callback (it needs ``nonce``),
    with the ID token checked in full and the account from ``account_for``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # the library's reads settings here; we read at sign-in
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    get_settings = staticmethod(_library_setting)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        try:
            self.endpoints = endpoints()
            self.OIDC_OP_TOKEN_ENDPOINT = self.endpoints.token
            self.OIDC_OP_USER_ENDPOINT = self.endpoints.userinfo
            self.OIDC_OP_JWKS_ENDPOINT = self.endpoints.jwks
            self.OIDC_RP_CLIENT_ID = settings.NWD_OIDC_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.NWD_OIDC_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            user = super().authenticate(request, **kwargs)
        except Refused as refusal:
            note_refusal(request, refusal)
            return None
        except (SuspiciousOperation, requests.RequestException, JoseError, ValueError, KeyError, TypeError) as error:
            log.warning("Single sign-on refused: %s: %s", type(error).__name__, error)
            note_refusal(request, Refused(
                f"The sign-in from {provider_name()} could not be checked, so it was refused. Try again; if it "
                "happens again, tell the service desk.",
                detail=f"single sign-on: {type(error).__name__}: {error}"[:500],
            ))
            return None
        if user is None and getattr(request, REFUSAL, None) is None:
            note_refusal(request, Refused(f"{provider_name()} did not sign you in. Try again.",
                                          detail="single sign-on: no account"))
        return user

    def verify_token(self, token: Any, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature and the nonce; here the issuer, audience and times too
        (OpenID Connect Core 1.0, 3.1.3.7)."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        now = time.time()
        client_id = settings.NWD_OIDC_CLIENT_ID
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.endpoints.issuer and payload.get("iss") != self.endpoints.issuer:
            raise SuspiciousOperation(f"ID token from issuer {payload.get('iss')!r}")
        if client_id not in audiences or (len(audiences) > 1 and payload.get("azp") != client_id):
            raise SuspiciousOperation("ID token for another client")
        expires, issued = payload.get("exp"), payload.get("iat")
        if not isinstance(expires, (int, float)) or expires < now - LEEWAY_SECONDS:
            raise SuspiciousOperation("ID token expired")
        if isinstance(issued, (int, float)) and issued > now + LEEWAY_SECONDS:
            raise SuspiciousOperation("ID token issued in the future")
        if not payload.get("sub") or not payload.get("iss"):
            raise SuspiciousOperation("ID token without sub or iss")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        """The account, from the ID token's claims with the userinfo endpoint's added (the ID token
        wins; the groups of Entra ID are in the ID token only). The ``amr`` is the ID token's alone."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            info = self.get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) != str(payload["sub"]):
                raise SuspiciousOperation("userinfo is about another subject")
            claims = {**info, **payload}
        setattr(self.request, AUDIT_USERNAME, _username_from(claims))
        user = account_for(claims, issuer=str(payload["iss"]), request=self.request)
        setattr(self.request, AMR, payload.get("amr"))
        return user

    def get_user(self, user_id: Any) -> Any:
        """As Django's: an account closed since is signed out (the library's skips that check)."""
        return ModelBackend.get_user(self, user_id)


def note_refusal(request: Any, refusal: Refused) -> None:
    """Keep the refusal on the request, for the page and the audit log's failed sign-in."""
    setattr(request, REFUSAL, refusal)
    setattr(request, AUDIT_DETAIL, refusal.detail)
    if refusal.username:
        setattr(request, AUDIT_USERNAME, refusal.username)
