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


FOLD_AT = 600  # characters shown before "Show more": about six lines of a timeline entry at full width


def fold(text: str, at: int = FOLD_AT) -> tuple[str, str]:
    """``text`` split where a long one folds: the start (cut at a space near ``at``) and the rest ("" when short).

    A 10,000-character referral reason filled the timeline; folded, the rest is in a <details>, so it
    opens without JavaScript and reads on from where the start stopped (nothing shown twice)."""
    text = text or ""
    if len(text) <= at + at // 4:  # a little over is not worth a fold
        return text, ""
    cut = text.rfind(" ", at // 2, at)
    cut = cut if cut > 0 else at
    return text[:cut], text[cut:].lstrip()


@register.inclusion_tag("web/components/folded.html")
def folded(text, css_class: str = "govuk-body"):
    """Long free text, folded after its start with "Show more" (web/components/folded.html)."""
    start, rest = fold(str(text or ""))
    return {"start": start, "rest": rest, "css_class": css_class}
