"""Issue 11 #6: twenty nines in a date, a NUL byte in a box or an address: a message, never a server error.

Every form is found by walking every URL of the project (``nwd.access.urlwalk``): each page is
opened as a user allowed to use it (on a record they may act on), the fields of its POST forms are
read from the HTML, and the form is posted back five ways: twenty nines in the day of every date
(its month and year real, so the date is read: this overflowed), then in the month, then in the
year; every text box holding a NUL; and the same NUL as a draft save. GET forms that take a date
(the evidence pages' period) get the twenty nines too, and every page is asked for with a NUL in
its query (the search box, the filters). Nothing may answer 500, and nothing may be saved (the
rows of every table but the audit log, sessions and drafts are counted before and after; a draft
may be saved, without the NUL).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.template.library import InclusionNode
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.test import Client

from nwd.access import policy, scopes
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.access.urlwalk import endpoints
from nwd.core.forms import NULL_MESSAGE
from nwd.core.middleware import MESSAGE as ADDRESS_MESSAGE
from nwd.drafts.models import Draft

pytestmark = pytest.mark.django_db
NINES = "9" * 20
NUL = "Twenty\x00nines"
DATE_PART = re.compile(r"_(day|month|year)$")
NOT_COUNTED = {"accessevent", "auditevent", "session", "draft", "accessattempt", "accesslog", "accessfailurelog"}
ENDPOINTS = [e for e in endpoints() if e.declaration and e.declaration.kind in ("requires", "signed_in")]
FILTER_NAMES = ("q", "page", "kind", "figure", "row", "offset", "hub", "year", "discard", "date_from", "username",
                "child_id", "action", "ip_address", "timeout", "next")


class FormFields(HTMLParser):
    """The POST forms of a page: (action, {name: (tag, type, a value for it)}) each."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str | None, dict]] = []
        self.get_forms: list[tuple[str | None, dict]] = []
        self.current: dict | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {}
            post = (attrs.get("method") or "").lower() == "post"
            (self.forms if post else self.get_forms).append((attrs.get("action"), self.current))
        elif self.current is None or not attrs.get("name"):
            return
        elif tag in ("input", "textarea"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image"):
                return
            self.current.setdefault(attrs["name"], (tag, kind, attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs["name"]
            self.current.setdefault(attrs["name"], ("select", "select", ""))
        if tag == "option" and self.select and attrs.get("value") and not self.current[self.select][2]:
            self.current[self.select] = ("select", "select", attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def date_parts(fields) -> set[str]:
    """The names of the day, month and year boxes of the dates a form takes (all three present)."""
    stems = {DATE_PART.sub("", name) for name in fields if DATE_PART.search(name)}
    dated = {stem for stem in stems if all(f"{stem}_{part}" in fields for part in ("day", "month", "year"))}
    return {f"{stem}_{part}" for stem in dated for part in ("day", "month", "year")}


def forms_of(html: str) -> tuple[list, list]:
    """(the page's POST forms, its GET forms (filters, the period picker) that take a date typed in parts),
    from one reading of the page."""
    parser = FormFields()
    parser.feed(html)
    return parser.forms, [(action, fields) for action, fields in parser.get_forms if date_parts(fields)]


def counts() -> dict[str, int]:
    """Each model's ``_default_manager.count()`` (its current rows, for a model whose manager leaves out
    the withdrawn ones), all asked in one statement: the form test asks before and after every post."""
    counted = [model for model in apps.get_models()
               if model._meta.model_name not in NOT_COUNTED and not model._meta.proxy]
    parts, params = [], []
    for model in counted:
        sql, args = model._default_manager.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 (Django's own SQL)
        params.extend(args)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {model._meta.label: number for model, number in zip(counted, row, strict=True)}


def users_by_role() -> list:
    User = get_user_model()
    found = []
    for role in Role:
        user = User.objects.filter(role=role, is_active=True, is_superuser=False).order_by("pk").first()
        if user is not None:
            found.append(user)
    return found


def allowed_urls(endpoint, users):
    """(user, URL) pairs allowed by the endpoint's declaration, on records the user may act on."""
    declaration = endpoint.declaration
    if not endpoint.kwargs:
        for user in users:
            if all(user.has_perm(name) for name in declaration.permissions):
                yield user, "/" + endpoint.route
        return
    model = declaration.record_model
    if model is None:
        return
    first = policy.BY_NAME[declaration.permissions[0]]
    for user in users:
        candidates = (scopes.permitted(user, declaration.permissions[0]).order_by("-pk")[:40]
                      if first.takes_record and policy.MODEL_OF_KIND[first.kind] is model
                      else model._default_manager.order_by("-pk")[:40])
        for record in candidates:
            if not isinstance(record, model) or not all(
                    user.has_perm(name, record if policy.BY_NAME[name].takes_record else None)
                    for name in declaration.permissions):
                continue
            yield user, url_of(endpoint, record)


def url_of(endpoint, record) -> str:
    declaration = endpoint.declaration

    def value(match) -> str:
        name = match.group(1)
        return str(getattr(record, declaration.record.field if name == declaration.record.kwarg else name))

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, endpoint.route)


def text_of(response) -> str:
    """The body of any answer as text: a download (a streaming response: a document, a report file)
    is read to its end too, so the walk meets its errors; its bytes are no page, so it has no forms."""
    if response.streaming:
        body = b"".join(response.streaming_content)  # the test client closes it at the end, quietly
        return body.decode(errors="replace") if response.get("Content-Type", "").startswith("text/html") else ""
    return response.content.decode(errors="replace")


def signed_in(clients: dict, user, raise_request_exception: bool = False) -> Client:
    """The user's client, signed in (second factor passed) once and reused for their GETs: a GET of a
    page changes nothing a later page reads (``fetch`` signs in again should one have signed them out)."""
    if user.pk not in clients:
        clients[user.pk] = Client(raise_request_exception=raise_request_exception)
        sign_in(clients[user.pk], user)
    return clients[user.pk]


def fetch(clients: dict, user, url, data=None, raise_request_exception: bool = False):
    """GET ``url`` as ``user`` on their client, as a fresh signed-in client would."""
    client = signed_in(clients, user, raise_request_exception)
    response = client.get(url, data)
    if response.status_code == 302 and response["Location"].startswith("/sign-in/"):
        sign_in(client, user)
        response = client.get(url, data)
    return response


def page_forms(user, url, clients: dict | None = None) -> tuple[int, list, list, bool, bool]:
    """(status, POST forms, GET forms, whether the answer is a file: a PDF, a spreadsheet, a CSV,
    whether another record could show the user a POST form here: ``may_show_a_form``)."""
    page = fetch({} if clients is None else clients, user, url, raise_request_exception=True)
    html = text_of(page) if page.status_code == 200 else ""
    posts, gets = forms_of(html)
    forms = [(action or url, fields) for action, fields in posts
             if set(fields) - {"csrfmiddlewaretoken"} and action not in ("/sign-out/", "/keep-alive/")]
    a_file = page.status_code == 200 and not page.get("Content-Type", "").startswith("text/html")
    may = page.status_code != 200 or a_file or may_show_a_form(page)
    return page.status_code, forms, [(action or url, fields) for action, fields in gets], a_file, may


FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
POSTS = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
SHELL_FORM = re.compile(r"""action\s*=\s*["']\{%\s*url\s+["'](?:access:sign_out|keep_alive)["']\s*%\}["']""")


def may_show_a_form(page) -> bool:
    """Whether a POST form could be on this page for another record: whether any template the page was
    rendered with, or any the templates may include on another branch of their ``{% if %}`` (for
    another record), holds one other than the page shell's (sign out). A page rendered from no named
    template: yes (unknown)."""
    templates = getattr(page, "templates", None) or []
    return not templates or any(t.name is None or holds_a_form(t.name) for t in templates)


@functools.cache
def holds_a_form(name: str) -> bool:
    """Whether the template ``name``, or one it extends or may include (every branch), holds a POST
    form other than the shell's. An include by a variable's name (unknown): yes."""
    template = get_template(name).template
    if any(POSTS.search(tag) and not SHELL_FORM.search(tag) for tag in FORM_TAG.findall(template.source)):
        return True
    names = []
    for node in template.nodelist.get_nodes_by_type(IncludeNode):
        names.append(node.template.var if not node.template.filters else None)
    for node in template.nodelist.get_nodes_by_type(ExtendsNode):
        names.append(node.parent_name.var if not node.parent_name.filters else None)
    for node in template.nodelist.get_nodes_by_type(InclusionNode):
        names.append(node.filename if isinstance(node.filename, str) else None)
    return any(not isinstance(found, str) or holds_a_form(found) for found in names)


def payload(fields: dict, bad: str) -> dict:
    """The form's own values, with one part of every date twenty nines (``bad`` is 'day', 'month' or
    'year': the others are today's, so the date would be read), or every text box holding NUL ('nul')."""
    today = dt.date.today()
    data = {}
    dated = date_parts(fields)
    for name, (_tag, kind, value) in fields.items():
        part = DATE_PART.search(name) if name in dated else None
        if name == "csrfmiddlewaretoken":
            continue
        if part:
            good = {"day": today.day, "month": today.month, "year": today.year}[part.group(1)]
            data[name] = NINES if bad == part.group(1) else str(good)
        elif kind in ("radio", "checkbox", "select", "hidden"):
            data[name] = value
        else:
            data[name] = NUL if bad == "nul" else "Some text"
    return data


def every_row() -> dict[str, int]:
    """The rows of every table, the audit log and sessions included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models() if not model._meta.proxy}


@pytest.fixture(scope="module")
def walk(county, django_db_blocker):
    """(user, url, fields) for every form of every page, as a user allowed to post it.

    Opening the pages signs in and writes audit events about the county's records. The walk runs
    outside any test's transaction, so it runs in one of its own, rolled back: committed, those
    events would outlive the module and stop a later test deleting the county (``delete_county``).
    """
    with django_db_blocker.unblock():
        before = every_row()
        with transaction.atomic():
            walked = _walk()
            transaction.set_rollback(True)
        after = every_row()  # once (not once per table)
        walk_left = {k: (n, after[k]) for k, n in before.items() if after[k] != n}
    return (*walked, walk_left)


def _walk():
    """(found, skipped, found_get): the pages' POST forms, the routes with no page, the GET forms with a date."""
    users = users_by_role()
    clients: dict = {}
    found = []
    found_get = []
    skipped = []
    for endpoint in ENDPOINTS:
        first, user, url, forms = _walk_route(endpoint, users, clients, found_get)
        if first is None:
            skipped.append(endpoint.route)
            continue
        if not forms:
            user, url, status = first
            if status == 405:  # POST only, no page: the names such views read, NUL in each (not a form: it may save)
                forms = [(url, dict.fromkeys(("token", "mode", "year", "hub"), ("input", "guessed", "")))]
        found.append((endpoint.route, user, url, forms))
    return found, skipped, found_get


def _walk_route(endpoint, users, clients: dict, found_get: list):
    """(the first page tried: (user, URL, status), the user and URL of the page with forms, its forms).

    Up to 61 pages, each user's in turn (their first record, then each one's second...), until one
    shows a form: which user sees a form matters more than which record (a hub manager's sign-off on a
    restraint, a record only its author's manager may correct). A user whose page could show no form
    on any record (``may_show_a_form``: none of its templates holds one), or who may not GET it (405),
    is tried no further; a route that answers a file answers every record with one, never a form."""
    queues = [allowed_urls(endpoint, [user]) for user in users]
    first = None
    tried = 0
    while queues and tried <= 60:
        for queue in list(queues):
            page = next(queue, None)
            if page is None:
                queues.remove(queue)
                continue
            user, url = page
            status, forms, searches, a_file, may = page_forms(user, url, clients)
            tried += 1
            first = first or (user, url, status)
            found_get.extend((endpoint.route, user, action, fields) for action, fields in searches)
            if forms or a_file:
                return first, user, url, forms
            if status == 405 or not may:
                queues.remove(queue)
            if tried > 60:
                break
    return first, None, None, []


def test_the_walk_leaves_the_database_as_it_found_it(walk):
    """Its audit events and sessions, committed, would stop ``delete_county`` in a later test."""
    *_, walk_left = walk
    assert walk_left == {}


def test_the_walk_finds_the_forms(walk):
    found, *_ = walk
    with_forms = sorted(route for route, _, _, forms in found if forms)
    print("forms walked:", *with_forms, sep="\n  ")
    assert len(with_forms) >= 25, (with_forms, sorted(route for route, _, _, forms in found if not forms))
    fields = {name for _, _, _, forms in found for _, fields in forms for name in fields}
    assert {"date_of_birth_day", "date_day", "reason"} <= fields


def test_twenty_nines_and_nul_in_every_form_are_messages(walk):
    found, *_ = walk
    problems = []
    posted = 0
    for route, user, _url, forms in found:
        client = Client(raise_request_exception=False)
        sign_in(client, user)
        for action, fields in forms:
            dated = date_parts(fields)
            has = {"day": bool(dated), "month": bool(dated), "year": bool(dated),
                   "nul": any(kind in ("text", "textarea", "email", "tel", "number", "search") and name not in dated
                              for name, (_tag, kind, _value) in fields.items())}
            for bad in ("day", "month", "year", "nul"):
                data = payload(fields, bad)
                before = counts()
                response = client.post(action, data)
                posted += 1
                if response.status_code >= 500:
                    problems.append(f"{bad} at {action} ({route}): {response.status_code}")
                if not has[bad]:
                    continue  # nothing bad was posted (no date or no text box): the form may well save
                after = counts()
                changed = {k: (v, after[k]) for k, v in before.items() if after[k] != v}
                if changed:
                    problems.append(f"{bad} at {action} ({route}) saved {changed}")
                html = text_of(response)
                shows_form = response.status_code in (200, 422) and 'method="post"' in html
                said = "null character" if bad == "nul" else "must be a real date"
                if shows_form and said not in html:
                    problems.append(f"{bad} at {action} ({route}): {response.status_code} without '{said}'")
    assert posted >= 100
    assert not problems, "\n".join(problems)


def test_twenty_nines_in_every_date_of_a_get_form_are_messages(walk):
    """The period picker of the evidence pages and any filter typed as day, month and year."""
    _, _, found_get, _ = walk
    assert {route for route, *_ in found_get} >= {"evidence/"}
    problems = []
    clients: dict = {}
    for route, user, action, fields in found_get:
        for part in ("day", "month", "year"):
            response = fetch(clients, user, action, payload(fields, part))
            if response.status_code >= 500:
                problems.append(f"{part} at {action} ({route}): {response.status_code}")
            elif "must be a real date" not in text_of(response):
                problems.append(f"{part} at {action} ({route}): no 'must be a real date' message")
    assert not problems, "\n".join(problems)


def test_nul_in_a_draft_save_is_never_stored(walk):
    found, *_ = walk
    problems = []
    for route, user, _url, forms in found:
        client = Client(raise_request_exception=False)
        sign_in(client, user)
        for action, fields in forms:
            data = payload(fields, "nul")
            data.update({f"{name}\x00": "x" for name in list(data)[:1]})
            response = client.post(action, data, HTTP_X_NWD_DRAFT="save")
            if response.status_code >= 500:
                problems.append(f"draft at {action} ({route}): {response.status_code}")
    stored = [d.data for d in Draft.objects.all()]
    assert stored, "no draft was saved: the walk did not reach the draft saves"
    assert not [d for d in stored if "\x00" in repr(d)]
    assert not problems, "\n".join(problems)


def test_nul_in_any_address_is_refused_with_a_plain_page(walk):
    found, *_ = walk
    problems = []
    clients: dict = {}
    for _route, user, url, _forms in found:
        client = signed_in(clients, user)  # every answer is the middleware's refusal: nothing changes
        for name in FILTER_NAMES:
            response = client.get(url, {name: NUL})
            if response.status_code != 400 or ADDRESS_MESSAGE not in text_of(response):
                problems.append(f"?{name}=NUL at {url}: {response.status_code}")
        response = client.get(url, {"q": "a", NUL: "b"})
        if response.status_code != 400:
            problems.append(f"a NUL in a parameter's name at {url}: {response.status_code}")
    assert not problems, "\n".join(problems[:40])


def test_the_search_box_with_nul_says_so(county):
    user = get_user_model().objects.filter(role=Role.KEY_WORKER, is_active=True).order_by("pk").first()
    client = Client()
    sign_in(client, user)
    response = client.get("/search/", {"q": "Smith\x00"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()
    assert client.get("/search/", {"q": "Smith"}).status_code == 200


def test_sign_in_with_nul_is_a_message(db):
    client = Client()
    page = client.post("/sign-in/", {"username": "someone\x00", "password": "a password\x00"})
    assert page.status_code < 500
    assert page.status_code != 302


def test_the_messages_are_plain():
    assert "null character" in NULL_MESSAGE and "null character" in ADDRESS_MESSAGE
