"""Small template helpers the GOV.UK templates need."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: ``{{ people|get_item:event.young_person_id }}``."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
