"""Walk every URL of the project: every view declares who may use it, and no URL that carries a
record lets the wrong role see it.

The URLs are found at run time (``nwd.access.urlwalk``), so a page added by any app is walked
without anyone listing it here. Records come from the synthetic county (fixture ``county``) when it
is available, else from the hand-built population.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from nwd.access import policy, scopes
from nwd.access.models import AuditEvent
from nwd.access.policy import young_person_of
from nwd.access.roles import HUB_ROLES, Role
from nwd.access.testing import new_session, sign_in
from nwd.access.urlwalk import endpoints

ENDPOINTS = list(endpoints())
RECORD_ENDPOINTS = [e for e in ENDPOINTS if e.declaration and e.declaration.record is not None]
PLAIN_ENDPOINTS = [
    e for e in ENDPOINTS
    if e.declaration and e.declaration.kind == "requires" and e.declaration.record is None and not e.kwargs
]
ADMIN_ENDPOINTS = [e for e in ENDPOINTS if e.declaration and e.declaration.kind == "admin" and e.name]
# The partner systems' API (nwd.api): its views declare as the pages do (kind "api"), and are called
# with a token of the account instead of a session.
API_ENDPOINTS = [e for e in ENDPOINTS if e.declaration and e.declaration.kind == "api"]
API_LISTS = [e for e in API_ENDPOINTS if e.declaration.record is None and not e.kwargs]
SAMPLES_PER_MODEL = 3
ADMIN_KWARGS = {"object_id": "1", "app_label": "hubs", "content_type_id": "1", "url": "nowhere"}


def test_every_view_declares_its_permission():
    undeclared = [f"/{e.route} ({e.view_name})" for e in ENDPOINTS if e.declaration is None]
    assert not undeclared, "Views without @requires / @signed_in / @public:\n" + "\n".join(undeclared)


def test_the_walk_reaches_the_record_pages():
    names = {e.name for e in RECORD_ENDPOINTS}
    assert {"access:viewed_by", "access:change_history", "access:subject_access"} <= names


def test_record_declarations_say_which_record():
    """The second walk can only try URLs whose record it can look up: from_url(Model, 'kwarg')."""
    opaque = [f"/{e.route}" for e in RECORD_ENDPOINTS if e.declaration.record_model is None]
    assert not opaque, "Declare record=from_url(Model, 'kwarg') so the URL walk can try it:\n" + "\n".join(opaque)


@pytest.fixture
def world(request):
    """The records to walk with: the synthetic county if the suite has it, else the population.

    Function-scoped on purpose: the county is the session's, so there is nothing to build once per
    module, and a module-scoped fixture would send the whole walk (the suite's longest module) to one
    worker of a parallel run (tests/conftest.py groups such modules)."""
    try:
        request.getfixturevalue("county")
    except pytest.FixtureLookupError:
        request.getfixturevalue("population")
    return True


def user_for(role: str):
    User = get_user_model()
    user = User.objects.filter(role=role, is_active=True, is_superuser=False).order_by("username").first()
    if user is None:
        from nwd.hubs.models import Hub

        hub = Hub.objects.order_by("pk").first() if role in HUB_ROLES else None
        user = User.objects.create_user(f"walk_{role}", password="a long enough walk password", role=role, hub=hub)
    return user


def client_for(user, endpoint, tokens: dict | None = None) -> Client:
    """A client signed in as ``user`` the way ``endpoint`` expects: a session past the second factor
    for a page, an API token of the account for the API (one per user, kept in ``tokens``)."""
    if endpoint.declaration.kind == "api":
        from nwd.api import services as api_tokens

        tokens = {} if tokens is None else tokens
        if user.pk not in tokens:
            tokens[user.pk] = api_tokens.create_token(user, name="URL walk", days=1).secret
        return Client(headers={"Authorization": f"Bearer {tokens[user.pk]}"}, raise_request_exception=True)
    client = Client(raise_request_exception=True)
    signed_in_session(client, user)
    return client


def signed_in_session(client: Client, user) -> None:
    """Give ``client`` a session as ``sign_in`` leaves it (``new_session``: the walk signs every role in
    afresh for each URL, since each test's records and sessions are rolled back)."""
    client.cookies[settings.SESSION_COOKIE_NAME] = new_session(user)


def url_for(endpoint, record) -> str:
    values = {}
    for kwarg in endpoint.kwargs:
        if kwarg == endpoint.declaration.record.kwarg:
            values[kwarg] = getattr(record, endpoint.declaration.record.field)
        elif hasattr(record, kwarg):
            values[kwarg] = getattr(record, kwarg)
        else:
            raise AssertionError(f"/{endpoint.route}: cannot fill <{kwarg}> from a {type(record).__name__}")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), endpoint.route)


def samples(endpoint, users) -> list:
    """A few records of the URL's model spread over the table, and one each role may open."""
    model = endpoint.declaration.record_model
    queryset = model._default_manager.order_by("pk")
    count = queryset.count()
    chosen = {}
    for index in sorted({0, count // 2, max(count - 1, 0)}):
        record = queryset[index:index + 1].first() if count else None
        if record is not None:
            chosen[record.pk] = record
    first = endpoint.declaration.permissions[0]
    permission = policy.BY_NAME[first]
    if permission.takes_record and policy.MODEL_OF_KIND[permission.kind] is model:
        for user in users:
            record = scopes.permitted(user, first).order_by("pk").first()
            if record is not None:
                chosen.setdefault(record.pk, record)
    return list(chosen.values())


def personal_data(person) -> list[str]:
    if person is None:
        return []
    born = person.date_of_birth
    return [
        f"{person.given_name} {person.family_name}", person.child_id, born.strftime("%d/%m/%Y"),
        born.isoformat(), f"{born.day} {born:%B %Y}", f"{born.day} {born:%b %Y}",
    ]


@pytest.fixture
def one_pdf_layout(monkeypatch):
    """WeasyPrint lays out the first PDF a test asks for; every later one is answered with that PDF.

    A download's view (the plan, the chronology, a safeguarding record) runs in full for every role
    the policy lets in: the access check, the audit row, the queries, the HTML. Only WeasyPrint's
    layout of that HTML (a second or more for each of dozens of answers) is done once: the walk asks
    who may open the URL, not what the PDF looks like, which the downloads' own tests check.
    """
    from weasyprint import HTML

    layout = HTML.write_pdf
    first: list[bytes] = []

    def write_pdf(self, *args, **kwargs):
        if not first:
            first.append(layout(self, *args, **kwargs))
        return first[0]

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", RECORD_ENDPOINTS, ids=[f"/{e.route}" for e in RECORD_ENDPOINTS])
def test_record_urls_as_every_role(world, endpoint, one_pdf_layout):
    users = [user_for(role) for role in Role]
    records = samples(endpoint, users)
    assert records, f"no {endpoint.declaration.record_model.__name__} to try /{endpoint.route} with"
    problems = []
    tokens: dict = {}
    for user in users:
        client = client_for(user, endpoint, tokens)
        for record in records:
            url = url_for(endpoint, record)
            allowed = all(
                user.has_perm(name, record if policy.BY_NAME[name].takes_record else None)
                for name in endpoint.declaration.permissions
            )
            person = young_person_of(record)
            before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(url)
            if response.status_code == 405 and not allowed:
                response = client.post(url)  # a POST-only page: the refusal must come before the view
            events = AuditEvent.objects.filter(pk__gt=before, user=user)
            if not allowed:
                if response.status_code != 404:  # as for a record that does not exist: nothing to probe
                    problems.append(f"{user.role} got {response.status_code} at {url}, which the policy refuses")
                    continue
                body = response.content.decode(errors="replace")
                leaked = [text for text in personal_data(person) if text in body]
                if leaked:
                    problems.append(f"{user.role} refused at {url}, but the page shows {leaked}")
                if person is not None and not events.filter(young_person_id=person.pk, action="denied").exists():
                    problems.append(f"{user.role} refused at {url}, but no 'denied' audit row")
            else:
                if response.status_code == 403:
                    problems.append(f"{user.role} refused at {url}, which the policy allows")
                elif (response.status_code == 200 and person is not None
                      and not events.filter(young_person_id=person.pk).exists()):
                    problems.append(f"{user.role} read {url} and left no audit row about the young person")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", PLAIN_ENDPOINTS, ids=[f"/{e.route}" for e in PLAIN_ENDPOINTS])
def test_plain_urls_refuse_roles_without_the_permission(world, endpoint):
    problems = []
    for role in Role:
        user = user_for(role)
        may = all(user.has_perm(name) for name in endpoint.declaration.permissions)
        client = Client(raise_request_exception=True)
        signed_in_session(client, user)
        response = client.get("/" + endpoint.route)
        if not may and response.status_code != 403:
            problems.append(f"{role} got {response.status_code} at /{endpoint.route}")
        if may and response.status_code == 403:
            problems.append(f"{role} refused at /{endpoint.route}, which the policy allows")
    assert not problems, "\n".join(problems)


def _admin_url(endpoint) -> str:
    from django.urls import NoReverseMatch, reverse

    kwargs = {k: ADMIN_KWARGS.get(k, "1") for k in endpoint.kwargs}
    if kwargs:
        return reverse(endpoint.name, kwargs=kwargs)
    for count in range(4):  # patterns with unnamed groups (simple-history's admin history pages)
        try:
            return reverse(endpoint.name, args=["1"] * count)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {endpoint.name}")


@pytest.mark.django_db
def test_the_admin_is_for_verified_superusers_only(world):
    urls = [_admin_url(e) for e in ADMIN_ENDPOINTS if e.name not in {"admin:logout"}]
    assert "/admin/" in urls
    # Every admin URL as one role; the first URL of each kind of admin page as every role (the
    # site declares all its pages at once, so the kinds are what can differ).
    kinds = {}
    for endpoint, url in zip((e for e in ADMIN_ENDPOINTS if e.name != "admin:logout"), urls):
        kinds.setdefault(endpoint.name.rsplit("_", 1)[-1], url)
    for role in Role:
        client = Client()
        sign_in(client, user_for(role))
        tried = urls if role == Role.KEY_WORKER else list(kinds.values())
        refused = [url for url in tried if client.get(url).status_code != 403]
        assert not refused, f"{role} was not refused at {refused[:5]}"
    admin = get_user_model().objects.create_superuser("walk_admin", "a@example.org", "a long enough admin password")
    unverified = Client()
    sign_in(unverified, admin, verified=False)
    assert unverified.get("/admin/").status_code == 302
    verified = Client()
    sign_in(verified, admin)
    assert verified.get("/admin/").status_code == 200
    assert verified.get("/admin/hubs/hub/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", API_LISTS, ids=[f"/{e.route}" for e in API_LISTS])
def test_api_lists_refuse_roles_without_the_permission(world, endpoint):
    """Every API endpoint that lists (and takes) records, as every role: the policy's answer, 403 as a
    problem when refused. Sending (POST) is asked of its own declared permission."""
    problems = []
    tokens: dict = {}
    for role in Role:
        user = user_for(role)
        client = client_for(user, endpoint, tokens)
        may = all(user.has_perm(name) for name in endpoint.declaration.permissions)
        response = client.get("/" + endpoint.route)
        if not may and (response.status_code != 403 or response["Content-Type"] != "application/problem+json"):
            problems.append(f"{role} got {response.status_code} at /{endpoint.route}")
        if may and response.status_code != 200:
            problems.append(f"{role} got {response.status_code} at /{endpoint.route}, which the policy allows")
        if "POST" in endpoint.declaration.extra:
            may_post = all(user.has_perm(name) for name in endpoint.declaration.extra["POST"])
            sent = client.post("/" + endpoint.route, "{}", content_type="application/json")
            if sent.status_code != (400 if may_post else 403):  # an empty referral: refused for what it lacks
                problems.append(f"{role} got {sent.status_code} sending to /{endpoint.route} (may: {may_post})")
    assert not problems, "\n".join(problems)


def test_every_api_view_states_its_own_permission():
    """An API view is declared on its own class (a subclass does not inherit another's permission
    silently), and every address under /api/v1/ is an API view."""
    from nwd.access.decorators import ATTRIBUTE

    assert {"api:referrals", "api:young_people", "api:referral", "api:young_person"} <= {e.name for e in API_ENDPOINTS}
    for endpoint in ENDPOINTS:
        if endpoint.route.startswith("api/v1/"):
            assert endpoint.declaration is not None and endpoint.declaration.kind == "api", endpoint.route
            assert ATTRIBUTE in vars(endpoint.view.view_class), f"/{endpoint.route}: declare it with @declares"


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(world):
    client = Client()
    for endpoint in ENDPOINTS:
        if endpoint.declaration is None or endpoint.declaration.kind == "public" or endpoint.kwargs:
            continue
        if endpoint.declaration.kind == "api":  # no token: a problem, not the sign-in page
            response = client.get("/" + endpoint.route)
            assert response.status_code == 401, endpoint.route
            assert response["Content-Type"] == "application/problem+json", endpoint.route
            continue
        response = client.get("/" + endpoint.route)
        if response.status_code == 405:  # POST only: says nothing
            response = client.post("/" + endpoint.route)
        assert response.status_code == 302, endpoint.route
        assert response["Location"].startswith("/sign-in/"), endpoint.route
