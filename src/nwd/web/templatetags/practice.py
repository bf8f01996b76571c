"""Template tags of the practitioner pages that need the database: the demo logins on the sign-in page."""

from __future__ import annotations

from django import template

from nwd.access.demo_mode import active
from nwd.casework.choices import SupportType
from nwd.demo.logins import DEMO_PASSWORD
from nwd.demo.logins import demo_logins as logins

register = template.Library()


@register.simple_tag
def demo_logins() -> dict:
    """The demo's logins (one per role) and their password, in demo mode only; empty otherwise."""
    if not active():
        return {}

    return {"logins": logins(), "password": DEMO_PASSWORD}


@register.filter
def support_label(value: str) -> str:
    """'residential' -> 'Hub stay': the words the service uses for a kind of support."""
    return dict(SupportType.choices).get(value, value or "")
