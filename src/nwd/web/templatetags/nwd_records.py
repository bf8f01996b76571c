"""Which records the timeline offers to correct or withdraw (issue 16): ``{{ entry.record|correction_key }}``."""

from django import template
from django.urls import reverse

from nwd.casework.corrections import CORRECTABLE, key_of

register = template.Library()


@register.filter
def correction_key(record) -> str:
    """The key of a record that can be withdrawn here ("" for any other)."""
    return key_of(record)


@register.filter
def correctable(key: str) -> bool:
    """Whether records of ``key`` are corrected by the generic form (contacts have their own)."""
    return key in CORRECTABLE


# The timeline's kinds of event a regulation 40 notification is raised from (issue 15, item 3).
NOTIFY_ROUTES = {"police": "safeguarding:raise_from_police", "health": "safeguarding:raise_from_health",
                 "exploitation": "safeguarding:raise_from_concern", "missing": "safeguarding:raise_from_episode"}


@register.simple_tag
def notify_url(entry) -> str:
    """Where to raise a regulation 40 notification from a timeline entry ("" for a kind that raises none)."""
    route = NOTIFY_ROUTES.get(entry.kind)
    return reverse(route, kwargs={"pk": entry.record.pk}) if route else ""
