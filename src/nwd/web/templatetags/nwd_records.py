"""Which records the timeline offers to correct or withdraw (issue 16): ``{{ entry.record|correction_key }}``."""

from django import template

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
