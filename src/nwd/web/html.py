"""Cheap pieces of HTML for the rows of long tables (docs/performance.md, "Templates").

A table of 80 rows written in the template language costs some 0.1 to 0.2 ms a row: every
``{{ a.b }}`` is a resolution through dict, attribute and call lookups, every ``|date`` a pass
through Django's date formatter, every ``{% url %}`` a ``reverse()`` and every ``{% include %}`` a
new context. The row tags (``nwd.web.templatetags.nwd_rows``) write the same HTML from Python with
the helpers here, which give exactly what the template would have:

- ``url(name, pk)``: what ``{% url name pk %}`` gives, the route reversed once (per script prefix and
  URL configuration) and the key put in its place (the ``{% url %}`` tag itself does the same:
  ``nwd.web.templatetags.nwd_url``);
- ``day(value)``: what ``{{ value|date }}`` gives (``DATE_FORMAT``, "4 Dec 2026"), the month's
  name looked up once per language;
- ``field(obj, name)``: what ``{{ obj.name }}`` reads: a missing attribute is "" (as the template's
  ``string_if_invalid``), a method is called; ``display(obj, name)``: ``{{ obj.get_name_display }}``,
  a model's fixed choices read once.

A table's rows take ``links()`` and ``days()`` once per render: ``url`` and ``day`` read the script
prefix, the URL configuration and the language from the request's context (``asgiref``'s ``Local``,
some microseconds each), which do not change within a render. The rows' tags put a row's escaped
pieces together with ``str.format`` rather than nested ``html`` calls: the same text, without a
``SafeString`` and a list per piece (docs/performance.md, "Eighth round").
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from functools import lru_cache, partialmethod
from html import escape as _escape
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
from django.utils.dates import MONTHS_3
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeString
from django.utils.translation import get_language

_MARKER = 918273645  # a key no route holds elsewhere: reversed once, then replaced by the real key


@lru_cache(maxsize=1024)
def _route(name: str, current_app: str | None, prefix: str, urlconf: str | None) -> tuple[str, str] | None:
    """The text of ``name``'s URL before and after its one whole-number argument (None: not so simple)."""
    text = reverse(name, args=[_MARKER], urlconf=urlconf, current_app=current_app)
    if text.count(str(_MARKER)) != 1:
        return None
    before, after = text.split(str(_MARKER))
    return before, after


@lru_cache(maxsize=1024)
def _fixed(name: str, current_app: str | None, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf, current_app=current_app)


@lru_cache(maxsize=1024)
def _with_text(name: str, key: str, current_app: str | None, prefix: str, urlconf: str | None) -> str:
    """``reverse(name, args=[key])`` of a text key (a hub's code): a few a page, from a few routes."""
    return reverse(name, args=[key], urlconf=urlconf, current_app=current_app)


def _urlconf() -> str | None:
    return get_urlconf() or getattr(settings, "ROOT_URLCONF", None)


def url(name: str, pk: Any = None, current_app: str | None = None) -> str:
    """``reverse(name, args=[pk])`` (``reverse(name)`` without ``pk``), the route worked out once per
    script prefix and URL configuration: a whole-number key is put in its place, a text key's link
    kept whole."""
    if pk is None:
        return _fixed(name, current_app, get_script_prefix(), _urlconf())
    if type(pk) is str:
        return _with_text(name, pk, current_app, get_script_prefix(), _urlconf())
    if type(pk) is not int or pk < 0:
        return reverse(name, args=[pk], current_app=current_app)
    parts = _route(name, current_app, get_script_prefix(), _urlconf())
    if parts is None:
        return reverse(name, args=[pk], current_app=current_app)
    return f"{parts[0]}{pk}{parts[1]}"


def links() -> Callable[..., str]:
    """``url`` for the many links of one render (the timeline's 50 lines, two to four links each; the
    menu's dozen): the script prefix and URL configuration, read from the request's context on every
    ``url``, read once."""
    prefix, urlconf = get_script_prefix(), _urlconf()
    routes: dict[str, tuple[str, str] | None] = {}

    def link(name: str, pk: Any = None) -> str:
        if pk is None:
            return _fixed(name, None, prefix, urlconf)
        if type(pk) is not int or pk < 0:
            return url(name, pk)
        try:
            parts = routes[name]
        except KeyError:
            parts = routes[name] = _route(name, None, prefix, urlconf)
        if parts is None:
            return url(name, pk)
        return f"{parts[0]}{pk}{parts[1]}"

    return link


@receiver(setting_changed)
def _forget_routes(*, setting: str, **kwargs: Any) -> None:
    """A test that changes the URL configuration gets its own routes."""
    if setting == "ROOT_URLCONF":
        _route.cache_clear()
        _fixed.cache_clear()
        _with_text.cache_clear()


@lru_cache(maxsize=32)
def _months(language: str | None) -> tuple[str, ...] | None:
    """The months' short names when the language's DATE_FORMAT is "j M Y" (None: use Django's)."""
    if formats.get_format("DATE_FORMAT", language) != "j M Y":
        return None
    return ("",) + tuple(str(MONTHS_3[month]).title() for month in range(1, 13))


def day(value: Any) -> str:
    """``{{ value|date }}``: "4 Dec 2026" (a datetime on its local day); "" for None or ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    months = _months(get_language())
    if months is None or not isinstance(value, dt.date):
        from django.template.defaultfilters import date

        return date(value)
    return f"{value.day} {months[value.month]} {value.year:04d}"


def days() -> Callable[[Any], str]:
    """``day`` for the many dates of one render (a table's rows, two or three dates each): the
    language, read from the request's context on every ``day`` (some microseconds: ``asgiref``'s
    ``Local``), read once. A date is written in place; anything else goes to ``day``."""
    months = _months(get_language())
    if months is None:
        return day

    def on(value: Any) -> str:
        if type(value) is dt.date:
            return f"{value.day} {months[value.month]} {value.year:04d}"
        return day(value)

    return on


def field(obj: Any, name: str) -> Any:
    """``obj.name`` as the template reads it: "" when missing, a method called."""
    value = getattr(obj, name, "")
    return value() if callable(value) else value


@lru_cache(maxsize=256)
def _labels(model: type, name: str) -> tuple[str, dict[Any, Any]] | None:
    """The attribute and the labels by value of ``model``'s field ``name``, when ``get_<name>_display``
    is Django's own and its choices a fixed list (None otherwise: the method is called)."""
    method = inspect.getattr_static(model, f"get_{name}_display", None)
    if not isinstance(method, partialmethod) or method.func is not getattr(Model, "_get_FIELD_display", None):
        return None
    model_field = method.keywords["field"]
    if not isinstance(model_field.choices, (list, tuple)):
        return None
    return model_field.attname, dict(make_hashable(model_field.flatchoices))


def display(obj: Any, name: str) -> Any:
    """``obj.get_<name>_display``, as ``field`` reads it.

    Django's own method builds the dict of the field's choices afresh on every call (some 5
    microseconds, a row of the referral queue's costliest part); a model's fixed choices are read
    once here (``_labels``), and the label is made text when it is asked for (a lazy label is
    translated into the language active then, as Django's method does)."""
    labels = _labels(type(obj), name) if isinstance(obj, Model) else None
    if labels is None:
        return field(obj, f"get_{name}_display")
    attname, by_value = labels
    value = getattr(obj, attname)
    return force_str(by_value.get(make_hashable(value), value), strings_only=True)


def iso_day(value: Any) -> str:
    """``{{ value|date:'Y-m-d' }}``."""
    if type(value) is dt.date:
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    from django.template.defaultfilters import date

    return date(value, "Y-m-d")


def iso_moment(value: Any) -> str:
    """``{{ value|date:'c' }}``: ISO 8601, an aware datetime in local time."""
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    from django.template.defaultfilters import date

    return date(value, "c")


def hours_minutes(value: Any) -> str:
    """``{{ value|time:"H:i" }}`` of a time of day."""
    if type(value) is dt.time:
        return f"{value.hour:02d}:{value.minute:02d}"
    from django.template.defaultfilters import time

    return time(value, "H:i")


def escape(value: Any) -> str:
    """``conditional_escape(value)``: safe text as it is, anything else as text with ``<>&"'`` escaped."""
    if type(value) is str:  # most arguments: plain text, which has no ``__html__``
        return _escape(value)
    to_html = getattr(value, "__html__", None)
    if to_html is not None:
        return to_html()
    return _escape(str(value))


def html(template: str, *args: Any) -> SafeString:
    """``format_html(template, *args)``: each argument escaped unless it is safe already.

    The same text; without ``format_html``'s checks for lazy arguments on every escape (Django's
    ``keep_lazy``), which cost more than the escaping itself in a table of 80 rows."""
    return SafeString(template.format(*[escape(arg) for arg in args]))


def joined(parts: Iterable[Any]) -> SafeString:
    """``format_html_join("", "{}", ((part,) for part in parts))``."""
    return SafeString("".join([escape(part) for part in parts]))
