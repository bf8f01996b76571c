"""Small template helpers the GOV.UK templates need."""

import re
from html import escape as _escape

from django import template
from django.utils.safestring import SafeData, SafeString

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
        return html(_FOLD_WHOLE, css_class, _lines(start))
    return html(_FOLD_PARTS, css_class, _lines(start), css_class, _lines(rest))


_NEWLINES = re.compile(r"\r\n|\r")


def _lines(text: str) -> SafeString:
    """``text|linebreaksbr`` as the template writes it (newlines made one kind, then ``<br>``; escaped
    unless safe already): without the filter's lazy-text checks on each of its three steps, which
    cost more than the work for the timeline's fifty details."""
    text = str(text)
    if not isinstance(text, SafeData):
        text = _escape(text)
    return SafeString(_NEWLINES.sub("\n", text).replace("\n", "<br>"))
