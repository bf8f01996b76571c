"""Small template helpers the GOV.UK templates need."""

from django import template

from nwd.access.wording import what_happened as describe

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None: ``{{ people|get_item:event.young_person_id }}``."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def what_happened(event):
    """An audit event as a sentence for a person, and the note worth showing beneath it (nwd.access.wording)."""
    return describe(event)
