"""Form building blocks every recording form shares: GOV.UK date inputs, times, yes/no, service errors.

Why here and not in ``nwd.web``: the forms live beside the services they call (casework, hubs,
events), and those apps must not import the web layer. The GOV.UK look itself is in the web
templates; these classes only carry what the templates need (``govuk_kind``) and the messages.

Model rules are the authority: a form checks only that what was typed can be read (a real date, a
time, a choice), then calls a service, and the service's ``ValidationError`` (from ``save_valid``)
is filed next to the right field by ``ServiceForm.add_service_error``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import ErrorDict
from django.utils import timezone

from nwd.core import dates


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input): names ``<field>_day``, ``_month``, ``_year``."""

    template_name = "django/forms/widgets/multiwidget.html"
    govuk_kind = "date"

    def __init__(self, attrs=None):
        super().__init__(
            {"day": forms.TextInput(), "month": forms.TextInput(), "year": forms.TextInput()}, attrs
        )

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [str(day.day), str(day.month), str(day.year)]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK pattern's messages."""

    widget = DateWidget

    def __init__(self, *, label_text: str = "The date", **kwargs):
        self.label_text = label_text
        parts = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {label_text[0].lower() + label_text[1:]}")
        kwargs["error_messages"].setdefault("incomplete", f"Enter {label_text[0].lower() + label_text[1:]}")
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (list(data_list) + [None, None, None])[:3]
        return dates.date_from_parts(day, month, year, self.label_text)


class TimeField(forms.TimeField):
    """A time typed as 14:30, 14.30, 2:30pm or 2pm."""

    input_formats = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I.%M%p", "%I%p", "%I:%M %p", "%I %p"]
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 14:30")
        kwargs.setdefault("error_messages", {"invalid": "Enter a time like 14:30", "required": "Enter the time"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "")
        return super().to_python(value)


def yes_no(label: str, required: bool = True, unknown: str | None = None, **kwargs) -> forms.TypedChoiceField:
    """A yes/no question as radios (optionally with a third 'not known' answer, stored as None)."""
    choices = [("yes", "Yes"), ("no", "No")]
    if unknown:
        choices.append(("unknown", unknown))
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=required,
        error_messages={"required": f"Select yes or no: {label[0].lower() + label[1:].rstrip('?')}"},
        **kwargs,
    )


def at_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """A date and a time typed in the local time zone, as an aware date-time."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def now_local() -> dt.datetime:
    return timezone.localtime(timezone.now())


NULL_CHARACTER = "\x00"
NULL_MESSAGE = ("This answer holds an invisible character (a null character) that cannot be saved: "
                "delete it, or type the answer again")
# A whole number typed into a form fits the databases' integer column; other numbers a billion times
# beyond any sum of money the service handles are a slip of the keyboard, not a value.
INTEGER_RANGE = (-(2**31 - 1), 2**31 - 1)
NUMBER_RANGE = (-1e15, 1e15)


def has_null_character(value) -> bool:
    """Whether a value as posted (text, or the several texts of a date or a multiple choice) holds NUL."""
    if isinstance(value, str):
        return NULL_CHARACTER in value
    if isinstance(value, list | tuple):
        return any(has_null_character(item) for item in value)
    return False


def guard_field(field: forms.Field) -> forms.Field:
    """Make ``field`` refuse a NUL character and a number out of range, each with a plain message.

    Why every field and here: a NUL cannot be stored by PostgreSQL and a number beyond the column
    overflows it (a server error, not a message), whatever the field is for. Done once per field;
    idempotent, so a form may call it again for fields it adds after ``__init__``.
    """
    if getattr(field, "_nwd_guarded", False):
        return field
    clean = field.clean

    def checked(value, *args, **kwargs):
        if has_null_character(value):
            raise ValidationError(NULL_MESSAGE, code="null_characters_not_allowed")
        return clean(value, *args, **kwargs)

    field.clean = checked
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        low, high = INTEGER_RANGE if type(field) is forms.IntegerField else NUMBER_RANGE
        if field.max_value is None:
            field.validators.append(MaxValueValidator(high, f"Enter a number no bigger than {high:,.0f}"))
        if field.min_value is None:
            field.validators.append(MinValueValidator(low, f"Enter a number no smaller than {low:,.0f}"))
    field._nwd_guarded = True
    return field


class CheckedForm(forms.Form):
    """The base of every form a person fills in: each field refuses NUL and out-of-range numbers.

    The guard is put on the fields when the form is cleaned, so fields a form adds in its own
    ``__init__`` (after this one's) are guarded too.
    """

    def full_clean(self):
        for field in self.fields.values():
            guard_field(field)
        super().full_clean()


class ServiceForm(CheckedForm):
    """A form whose changes are made by a service; the service's rule messages land next to the fields.

    ``field_map`` names the form field a model field's message belongs to (for example the model's
    ``at`` is typed in the form's ``date``). A message for a field the form does not show goes to
    the top of the form, in the error summary.
    """

    field_map: dict[str, str] = {}
    draft_name: str = ""
    # The model whose rules the form's answers meet (see ``rule_records``): None for a form with none.
    rule_model: type | None = None

    # --- Every message at once ---------------------------------------------------------------------
    # The service (and so the model's rules) runs only on a form whose every field could be read, so
    # on its own a form would answer in rounds: "write what happened" first, and only once that is
    # filled "the date cannot be in the future". Like Django's ModelForm, the form therefore checks
    # the model's rules on what it could read whenever some field failed, and files each message by
    # a field that has none of its own (a message on a field already in error, or on one the form
    # does not show, is left for the service to give once the form is complete).

    def rule_values(self, data: dict) -> dict:
        """The model's field values from what was read: by default the fields of the same name
        (through ``field_map``). A form overrides it where it builds a value from several boxes."""
        names = {field.name for field in self.rule_model._meta.fields}
        return {name: data[self.field_map.get(name, name)] for name in names
                if self.field_map.get(name, name) in data}

    def rule_records(self) -> list:
        """Unsaved records built from what was read, whose rules to check when some field failed."""
        if self.rule_model is None:
            return []
        return [self.rule_model(**self.rule_values(self.cleaned_data))]

    def _post_clean(self):
        super()._post_clean()
        if self._errors and not getattr(self, "from_draft", False):
            self.check_rules_anyway()

    def check_rules_anyway(self) -> None:
        """File the rules' messages for the fields that were read (see the note above)."""
        in_error = set(self._errors)
        for record in self.rule_records():
            unset = [f.name for f in record._meta.fields if getattr(record, f.attname) in (None, "")]
            try:
                record.full_clean(exclude=unset, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    target = self.field_map.get(name, name)
                    if target in self.fields and target not in in_error:
                        for message in messages:
                            self.add_error(target, message)

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = self.field_map.get(name, name)
                if target == NON_FIELD_ERRORS or target not in self.fields:
                    target = None
                for item in errors:
                    self.add_error(target, item)
        else:
            self.add_error(None, error)

    def run(self, action):
        """Call ``action()`` (a service); on a rule broken, file its messages here and return None."""
        try:
            return action()
        except ValidationError as error:
            self.add_service_error(error)
            return None

    @classmethod
    def restored(cls, data, **kwargs) -> ServiceForm:
        """A form filled from a saved draft, showing what was typed without complaining about it yet.

        Why: a half-filled draft is not an error; the messages come when the user submits. The form
        is bound (so every box shows what was typed) with its errors set empty, so it must not be
        saved: views only ever call ``is_valid()`` on forms built from a POST.
        """
        form = cls(data=data, **kwargs)
        form._errors = ErrorDict()
        form.from_draft = True
        return form

    @property
    def error_summary(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) for the GOV.UK error summary (``error_summary``)."""
        return error_summary(self)


def error_summary(form: forms.BaseForm) -> list[tuple[str | None, str]]:
    """(id to link to, message) for the GOV.UK error summary of any form, form errors first, then
    the fields' in order: each links to its field's box (``govuk_field_id``: a date to its day box),
    and an error of the whole form to the form's first box (None when the form has none)."""
    visible = form.visible_fields()
    first = govuk_field_id(visible[0]) if visible else None
    summary: list[tuple[str | None, str]] = [(first, str(m)) for m in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            summary.append((govuk_field_id(bound), str(message)))
    return summary


def govuk_field_id(bound) -> str:
    """The id the error summary links to: a date links to its day box, radios to their first option."""
    widget = bound.field.widget
    if isinstance(widget, DateWidget):
        return f"{bound.auto_id}_day"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id
