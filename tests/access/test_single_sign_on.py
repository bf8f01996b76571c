"""Single sign-on through a REAL OpenID Connect provider (node's oidc-provider, started once for the
module from tests/access/oidc/), not a mock of the protocol: the Django test client plays the
service's side, real HTTP (requests) the browser at the provider's login form, and the service
itself calls the provider's discovery, token, userinfo and key endpoints over HTTP."""

from __future__ import annotations

import json
import selectors
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.core import checks
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd import config
from nwd.access import sso
from nwd.access.models import AuditEvent, SingleSignOnIdentity, User
from nwd.access.roles import Role
from tests.factories import HubFactory, UserFactory

HERE = Path(__file__).resolve().parent / "oidc"
PROJECT = HERE.parents[2]
PASSWORD = "provider-test-password"  # tests/access/oidc/provider.json: synthetic accounts only
CALLBACK = "http://testserver/sign-in/sso/callback/"


@pytest.fixture(scope="module")
def oidc_issuer(tmp_path_factory):
    """Start the provider once for the module; its issuer URL (a free port of 127.0.0.1)."""
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with log.open("w") as errors:
        process = subprocess.Popen(["node", str(HERE / "provider.mjs")], cwd=PROJECT, stdout=subprocess.PIPE,
                                   stderr=errors, text=True)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    line = process.stdout.readline() if selector.select(timeout=30) else ""
    if not line.startswith("issuer "):
        process.kill()
        pytest.fail(f"The test OpenID Connect provider did not start (is `npm ci` done?): {log.read_text()[-2000:]}")
    try:
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso_on(settings, oidc_issuer, db):
    """Single sign-on configured against the test provider, the way the environment would set it."""
    values = config.single_sign_on({
        "NWD_OIDC_CLIENT_ID": "nwd-test", "NWD_OIDC_CLIENT_SECRET": "test-only-client-secret-not-a-real-one",
        "NWD_OIDC_ISSUER": oidc_issuer, "NWD_OIDC_PROVIDER_NAME": "Test Council",
        "NWD_OIDC_SCOPES": "openid email profile groups",
        "NWD_OIDC_ROLE_MAP": "nwd-hub-managers=hub_manager@north,nwd-key-workers=key_worker@north,nwd-analysts=analyst",
    })
    for name, value in values.items():
        setattr(settings, name, value)
    HubFactory(code="north", name="North hub")
    return oidc_issuer


def at_provider(authorize_url: str, login: str, password: str = PASSWORD) -> str:
    """What a person does at the provider, over real HTTP: open the authorization URL, fill in its
    login form; returns the address the provider sends the browser back to (the service's callback)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "<form" in response.text:  # the provider's login form
            response = browser.post(urljoin(url, "/interaction/" + url.rstrip("/").rsplit("/", 1)[-1] + "/login"),
                                    data={"login": login, "password": password}, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(CALLBACK):
            return url
    raise AssertionError("the provider never sent the browser back")


def start(client: Client, next_page: str = "") -> str:
    response = client.get("/sign-in/sso/" + (f"?next={next_page}" if next_page else ""))
    assert response.status_code == 302
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    # What mozilla-django-oidc sends: the code flow, with state, nonce and a PKCE challenge.
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    return location


def back(client: Client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(parts.path, parse_qs(parts.query))


def sign_in_with_provider(client: Client, login: str, next_page: str = ""):
    return back(client, at_provider(start(client, next_page), login))


def test_the_sign_in_page_offers_the_provider_only_when_configured(settings, db):
    settings.NWD_OIDC_CLIENT_ID = ""
    page = Client().get("/sign-in/").content.decode()
    assert "data-nwd-sso" not in page and 'name="password"' in page
    assert Client().get("/sign-in/sso/").status_code == 404
    assert Client().get("/sign-in/sso/callback/?code=x&state=y").status_code == 404
    settings.NWD_OIDC_CLIENT_ID, settings.NWD_OIDC_PROVIDER_NAME = "nwd-test", "Test Council"
    page = Client().get("/sign-in/?next=/audit/").content.decode()
    assert "Sign in with Test Council" in page and 'name="password"' in page  # local accounts still sign in
    assert 'href="/sign-in/sso/?next=%2Faudit%2F"' in page


def test_a_mapped_group_signs_in_with_its_role_and_the_providers_mfa_is_the_second_factor(sso_on, settings):
    client = Client()
    response = sign_in_with_provider(client, "carol", next_page="/hubs/")
    assert response.status_code == 302 and response["Location"] == "/hubs/"  # no local code asked: amr has mfa
    carol = User.objects.get(email="carol.manager@example.org")
    assert (carol.role, carol.hub.code, carol.username) == (Role.HUB_MANAGER, "north", "carol.manager@example.org")
    assert not carol.has_usable_password()
    assert client.get("/").status_code == 200
    identity = SingleSignOnIdentity.objects.get(user=carol)
    assert (identity.issuer, identity.subject, identity.linked) == (sso_on, "carol", "created")
    events = AuditEvent.objects.filter(user=carol)
    assert events.filter(action="login_success", detail="single sign-on (Test Council)").exists()
    assert events.filter(action="otp_verified", detail="by Test Council (amr: pwd mfa)").exists()
    assert events.filter(action="create", detail__startswith="account created at first single sign-on").exists()
    # The role follows the groups at every sign-in, and the change is audited.
    settings.NWD_OIDC_ROLE_MAP = (("nwd-hub-managers", "service_manager", ""),)
    again = Client()
    assert sign_in_with_provider(again, "carol").status_code == 302
    carol.refresh_from_db()
    assert carol.role == Role.SERVICE_MANAGER and User.objects.filter(email=carol.email).count() == 1
    assert events.filter(action="change", detail__contains="role Hub manager to Service manager").exists()


def test_without_mfa_in_amr_the_local_second_factor_is_asked(sso_on):
    client = Client()
    response = sign_in_with_provider(client, "kim", next_page="/hubs/")
    kim = User.objects.get(email="kim.worker@example.org")
    assert kim.role == Role.KEY_WORKER
    assert response.status_code == 302 and response["Location"].startswith("/second-factor/set-up/")
    assert client.get("/").status_code == 302  # signed in, not past the second factor
    assert client.get("/")["Location"].startswith("/second-factor/set-up/")
    # With an authenticator already set up, the code is asked as after a password.
    TOTPDevice.objects.create(user=kim, name="phone", confirmed=True)
    again = Client()
    assert sign_in_with_provider(again, "kim")["Location"].startswith("/second-factor/?")
    assert not AuditEvent.objects.filter(user=kim, action="otp_verified").exists()


def test_two_factors_of_different_kinds_in_amr_count_as_a_second_factor(sso_on):
    client = Client()
    response = sign_in_with_provider(client, "sam")  # amr: pwd and hwk
    assert response.status_code == 302 and response["Location"] == "/"
    assert User.objects.get(email="sam.analyst@example.org").role == Role.ANALYST


def test_no_mapped_group_is_refused_with_a_clear_page_and_audited(sso_on):
    client = Client()
    response = sign_in_with_provider(client, "nora")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You cannot sign in with Test Council" in body
    assert "not in a group that gives a role in No Wrong Door" in body
    assert not User.objects.filter(email="nora.finance@example.org").exists()
    assert "_auth_user_id" not in client.session
    failure = AuditEvent.objects.get(action="login_failure", username="nora.finance@example.org")
    assert "no group maps to a role (groups: finance, all-staff)" in failure.detail


def test_an_existing_local_account_is_never_taken_over_by_email_unless_configured(sso_on, settings):
    dana = UserFactory(username="dana", email="dana.local@example.org", role=Role.ANALYST)
    response = sign_in_with_provider(Client(), "dana")
    assert response.status_code == 403
    assert "not yet linked" in response.content.decode()
    assert not SingleSignOnIdentity.objects.exists()
    assert AuditEvent.objects.filter(action="login_failure", detail__contains="not linked").exists()
    settings.NWD_OIDC_LINK_BY_EMAIL = True
    client = Client()
    assert sign_in_with_provider(client, "dana").status_code == 302
    dana.refresh_from_db()
    assert dana.role == Role.KEY_WORKER  # from the provider's groups now
    assert SingleSignOnIdentity.objects.get(subject="dana").user == dana
    assert int(client.session["_auth_user_id"]) == dana.pk


def test_a_tampered_expired_or_replayed_state_is_refused(sso_on):
    client = Client()
    callback = at_provider(start(client), "carol")
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    tampered = client.get(parts.path, {**query, "state": query["state"] + "x"})
    assert tampered.status_code == 400 and "not started from this browser" in tampered.content.decode()
    session = client.session
    session["oidc_states"][query["state"]]["added_on"] = time.time() - sso.STATE_SECONDS - 1
    session.save()
    expired = client.get(parts.path, query)
    assert expired.status_code == 400 and "took too long" in expired.content.decode()
    replayed = client.get(parts.path, query)  # the state is spent
    assert replayed.status_code == 400
    assert "_auth_user_id" not in client.session
    details = set(AuditEvent.objects.filter(action="login_failure").values_list("detail", flat=True))
    assert {"single sign-on: unknown or used state", "single sign-on: expired state"} <= details
    # A good state with a code that is not the provider's: the token endpoint refuses it.
    callback = at_provider(start(client), "carol")
    parts = urlsplit(callback)
    forged = {**{k: v[0] for k, v in parse_qs(parts.query).items()}, "code": "not-a-real-code"}
    refused = client.get(parts.path, forged)
    assert refused.status_code == 403 and "could not be checked" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_closed_account_cannot_sign_in_through_the_provider(sso_on):
    assert sign_in_with_provider(Client(), "kim").status_code == 302
    User.objects.filter(email="kim.worker@example.org").update(is_active=False)
    response = sign_in_with_provider(Client(), "kim")
    assert response.status_code == 403 and "has been closed" in response.content.decode()


@pytest.mark.parametrize("amr, asserted", [
    (["pwd", "mfa"], True), (["mfa"], True), (["pwd", "otp"], True), (["hwk", "pin"], True), (["swk", "fpt"], True),
    (["pwd"], False), (["hwk"], False), (["otp", "sms"], False), (["pwd", "kba"], False), ([], False),
    (None, False), ("mfa", False),  # not a list: not an assertion
])
def test_which_amr_counts_as_a_second_factor(settings, amr, asserted):
    settings.NWD_OIDC_MFA_AMR = ("mfa",)
    assert sso.second_factor_asserted(amr) is asserted


def test_amr_can_be_distrusted_or_widened(settings):
    settings.NWD_OIDC_MFA_AMR = config.single_sign_on({"NWD_OIDC_MFA_AMR": "none"})["NWD_OIDC_MFA_AMR"]
    assert not sso.second_factor_asserted(["pwd", "mfa"])
    settings.NWD_OIDC_MFA_AMR = ("mfa", "ngcmfa")  # Entra ID's Windows Hello for Business
    assert sso.second_factor_asserted(["ngcmfa"])


def test_the_role_map_is_read_and_checked():
    assert config.role_map("A group=key_worker@north, B=analyst,") == (("A group", "key_worker", "north"),
                                                                      ("B", "analyst", ""))
    with pytest.raises(config.ConfigurationError, match="NWD_OIDC_ROLE_MAP"):
        config.role_map("just-a-group")
    with pytest.raises(config.ConfigurationError, match="NWD_OIDC_ROLE_MAP, NWD_OIDC_ISSUER"):
        config.single_sign_on({"NWD_OIDC_CLIENT_ID": "x", "NWD_OIDC_CLIENT_SECRET": "y"})


def test_a_role_map_naming_no_role_fails_the_system_check(settings):
    settings.NWD_OIDC_ROLE_MAP = (("staff", "wizard", ""),)
    errors = [e for e in checks.run_checks() if e.id == "access.E020"]
    assert len(errors) == 1 and "'wizard'" in errors[0].msg


def test_the_id_token_must_be_for_this_client_from_the_issuer_and_unexpired(settings):
    """What mozilla-django-oidc does not check and nwd.access.sso does (the signature and nonce are the
    library's): tokens signed here with a key of the test's own, as a provider would sign them."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.core.exceptions import SuspiciousOperation
    from josepy.jwa import RS256
    from josepy.jwk import JWKRSA
    from josepy.jws import JWS

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    settings.NWD_OIDC_CLIENT_ID = "nwd-test"
    backend = sso.SingleSignOnBackend()
    backend.endpoints = sso.Endpoints("https://id.example.org", "", "", "", "")
    backend.OIDC_RP_SIGN_ALGO, backend.OIDC_RP_IDP_SIGN_KEY, backend.OIDC_RP_CLIENT_ID = "RS256", public_pem, "nwd-test"
    now = int(time.time())
    good = {"iss": "https://id.example.org", "aud": "nwd-test", "sub": "s1", "nonce": "n", "exp": now + 300, "iat": now}

    def token(**changes):
        claims = {k: v for k, v in {**good, **changes}.items() if v is not None}
        return JWS.sign(json.dumps(claims).encode(), key=JWKRSA(key=private), alg=RS256,
                        protect=frozenset(["alg"])).to_compact()

    assert backend.verify_token(token(), nonce="n")["sub"] == "s1"
    for changes in ({"aud": "another-client"}, {"aud": ["nwd-test", "other"]}, {"iss": "https://evil.example"},
                    {"exp": now - sso.LEEWAY_SECONDS - 5}, {"exp": None}, {"iat": now + 3600}, {"sub": None}):
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(token(**changes), nonce="n")
    assert backend.verify_token(token(aud=["nwd-test", "other"], azp="nwd-test"), nonce="n")["sub"] == "s1"
    with pytest.raises(SuspiciousOperation):  # the library's own check, still made
        backend.verify_token(token(), nonce="another")
