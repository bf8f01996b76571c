"""Every URL pattern of the project, with the view behind it and what the view declared.

Used by the system check ``access.E001`` (``nwd check`` fails on a view that declares nothing) and by
the tests that walk every URL, so a view added tomorrow is covered without anyone listing it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from nwd.access.decorators import Declaration, declaration_of


@dataclass(frozen=True)
class Endpoint:
    route: str  # the pattern as text, e.g. "access/young-people/<int:young_person_id>/history/"
    name: str | None  # "namespace:name", or None
    view: object
    declaration: Declaration | None
    converters: dict  # kwarg -> converter object (from path() patterns)

    @property
    def kwargs(self) -> list[str]:
        return list(self.converters)

    @property
    def view_name(self) -> str:
        view = getattr(self.view, "view_class", self.view)
        return f"{getattr(view, '__module__', '?')}.{getattr(view, '__qualname__', repr(view))}"


def _route_text(pattern) -> str:
    return str(pattern.pattern)


def endpoints(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "",
              converters: dict | None = None) -> Iterator[Endpoint]:
    """Walk ``resolver`` (default: the project's root) recursively, included URLconfs and admin too."""
    resolver = resolver or get_resolver()
    converters = dict(converters or {})
    for entry in resolver.url_patterns:
        route = prefix + _route_text(entry)
        found = dict(converters)
        found.update(getattr(entry.pattern, "converters", {}) or {})
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from endpoints(entry, route, inner, found)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            groups = list(entry.pattern.regex.groupindex)
            for group in groups:
                found.setdefault(group, None)
            yield Endpoint(route, name, entry.callback, declaration_of(entry.callback), found)


def undeclared() -> list[Endpoint]:
    return [endpoint for endpoint in endpoints() if endpoint.declaration is None]
