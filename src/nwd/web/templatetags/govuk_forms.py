"""Template helpers that let Django form fields be drawn as GOV.UK Design System components.

The markup itself is in ``web/components/*.html`` (Django templates in place of the Nunjucks
macros govuk-frontend ships), the one component family of the site: every form, the service's
own and Django's (sign-in, the audit log's filters), is drawn by ``field.html`` and summarised by
``error_summary.html``. These filters only tell a template which component a field is and hand it
the values it needs, so every form is drawn the same way and every error links to its box (a
date's to its day box).
"""

from __future__ import annotations

import datetime as dt

from django import forms, template

from nwd.core.forms import DateWidget, error_summary, govuk_field_id

register = template.Library()


@register.filter
def govuk_kind(bound) -> str:
    """Which GOV.UK component draws this field: text, textarea, select, radios, checkboxes, date, checkbox."""
    widget = bound.field.widget
    if isinstance(widget, DateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect in Django: ask first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "text"


@register.filter
def date_parts(bound) -> list[dict]:
    """The day, month and year boxes of a date field, with what is in them."""
    value = bound.value()
    if isinstance(value, dt.date):
        values = [str(value.day), str(value.month), str(value.year)]
    elif isinstance(value, list | tuple):
        values = [str(v or "") for v in (list(value) + ["", "", ""])[:3]]
    else:
        values = ["", "", ""]
    widths = [2, 2, 4]
    return [
        {"name": f"{bound.html_name}_{part}", "id": f"{bound.auto_id}_{part}", "label": part.title(),
         "value": value_, "width": width}
        for part, value_, width in zip(("day", "month", "year"), values, widths)
    ]


@register.filter
def options(bound) -> list[dict]:
    """The choices of a radios, checkboxes or select field, each with whether it is chosen."""
    value = bound.value()
    chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
    items = []
    index = 0
    for option_value, label in bound.field.choices:
        text_value = "" if option_value is None else str(option_value)
        if text_value == "" and govuk_kind(bound) in ("radios", "checkboxes"):
            continue
        items.append({
            "value": text_value, "label": label, "checked": text_value in chosen and text_value != "",
            "id": f"{bound.auto_id}_{index}",
        })
        index += 1
    return items


@register.filter
def error_target(bound) -> str:
    """The id the error summary links to for this field."""
    return govuk_field_id(bound)


@register.filter
def summary_of(form) -> list[tuple[str | None, str]]:
    """(id to link to, message) for the error summary of any form (``nwd.core.forms.error_summary``)."""
    return error_summary(form)


@register.filter
def described_by(bound, hint: str = "") -> str:
    """The ids of the hint and the error message of a field, for aria-describedby (``hint``: a hint
    the template gives in place of the field's help text)."""
    ids = []
    if hint or bound.help_text:
        ids.append(f"{bound.auto_id}-hint")
    if bound.errors:
        ids.append(f"{bound.auto_id}-error")
    return " ".join(ids)


@register.filter
def textarea_rows(bound) -> int:
    return int(bound.field.widget.attrs.get("rows", 5))


@register.filter
def field_value(bound) -> str:
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


@register.simple_tag
def field_named(form, name):
    """``{% field_named form "goal_12" as bound %}``: a bound field whose name is built in the template."""
    return form[name]
