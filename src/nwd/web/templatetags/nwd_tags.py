"""Small template helpers the GOV.UK templates need."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString

from nwd.access.wording import what_happened as describe
from nwd.web.html import html

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


_FOLD_WHOLE = '<div class="nwd-fold"><p class="{} nwd-fold__start">{}</p></div>\n'
_FOLD_PARTS = (
    '<div class="nwd-fold"><p class="{} nwd-fold__start">{}&hellip;</p>\n<details class="govuk-details nwd-fold__more">\n'
    '  <summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show more'
    '<span class="govuk-visually-hidden"> of this text</span></span></summary>\n'
    '  <div class="govuk-details__text"><p class="{}">&hellip;{}</p></div>\n</details></div>\n'
)


@register.simple_tag
def folded(text, css_class: str = "govuk-body") -> SafeString:
    """Long free text, folded after its start with "Show more": the start in a paragraph, the rest in a
    native ``<details>``, so it opens without JavaScript and a screen reader hears the start once.
    (Written here rather than in a template: a timeline shows dozens; tests/web/test_rows.py keeps
    it the HTML the template wrote.)"""
    start, rest = fold(str(text or ""))
    if not rest:
        return html(_FOLD_WHOLE, css_class, linebreaksbr(start, autoescape=True))
    return html(_FOLD_PARTS, css_class, linebreaksbr(start, autoescape=True), css_class,
                       linebreaksbr(rest, autoescape=True))
