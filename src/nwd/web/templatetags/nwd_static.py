"""``{% static %}`` as Django's, each file's address worked out once a process.

Every page's layout (``base.html``, ``web/layout.html``) names a dozen static files. Django's tag asks
the storage each time: with the manifest's hashed names (``nwd serve``), a look-up in the manifest
and a ``urljoin``, some 10 microseconds a file on every page. The address depends only on the path
and the settings (the storage, ``STATIC_URL``, ``DEBUG``), and the manifest is read once a process:
kept here by path, forgotten when a setting changes (tests). The same text, escaped the same way
(``simple_tag`` escapes as Django's ``StaticNode`` does).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import StaticNode

register = template.Library()


@lru_cache(maxsize=256)
def _address(path: str) -> str:
    return StaticNode.handle_simple(path)


@register.simple_tag
def static(path: Any) -> str:
    """The address of the static file ``path`` (``django.templatetags.static.static``)."""
    # A path written in the template is a ``SafeString``: kept by its text.
    return _address(str(path)) if isinstance(path, str) else StaticNode.handle_simple(path)


@receiver(setting_changed)
def _forget_addresses(**kwargs: Any) -> None:
    _address.cache_clear()
