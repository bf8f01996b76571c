"""One GOV.UK component family (``web/components``) for every form: the service's ServiceForms and
Django's own (sign-in, second factor, the audit log's filters) are drawn and summarised alike, each
error linking to its box (a date's to its day box, an error of the whole form to the first box)."""

from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from nwd.core.forms import DateField, ServiceForm, error_summary

SRC = Path(__file__).resolve().parents[2] / "src" / "nwd"


class Born(forms.Form):
    """A plain Django form (not a ServiceForm) with a GOV.UK date."""

    name = forms.CharField(label="Name")
    born = DateField(label="Date of birth", label_text="The date of birth")

    def clean(self):
        raise ValidationError("These details do not match a record.")


class Visit(ServiceForm):
    where = forms.CharField(label="Where")
    on = DateField(label="Date of the visit", label_text="The date of the visit")

    def clean(self):
        raise ValidationError("Visits cannot be recorded today.")


def _summary(form) -> str:
    return render_to_string("web/components/error_summary.html", {"form": form})


@pytest.mark.parametrize("form_class", [Born, Visit])
def test_every_error_links_to_its_box_and_a_date_to_its_day_box(form_class):
    date_name = "born" if form_class is Born else "on"
    first = "name" if form_class is Born else "where"
    form = form_class(data={f"{date_name}_day": "31", f"{date_name}_month": "2", f"{date_name}_year": "2011"})
    assert not form.is_valid()
    summary = error_summary(form)
    # The whole form's error (to the first box), the missing text (its box), the date (its day box).
    assert [target for target, _ in summary] == [f"id_{first}", f"id_{first}", f"id_{date_name}_day"]
    assert "real date" in summary[2][1]
    html = _summary(form)
    assert html.count('<a href="#') == len(summary)
    assert f'<a href="#id_{date_name}_day">' in html and f'<a href="#id_{first}">' in html


def test_the_date_error_message_sits_by_the_day_box_it_describes():
    form = Born(data={"name": "Kai", "born_day": "31", "born_month": "2", "born_year": "2011"})
    form.is_valid()
    html = render_to_string("web/components/field.html", {"field": form["born"]})
    assert 'id="id_born-error"' in html and 'aria-describedby="id_born-error"' in html
    assert 'id="id_born_day"' in html


def test_a_password_box_is_drawn_by_the_same_component_without_its_value():
    class SignIn(forms.Form):
        password = forms.CharField(label="Password")

    form = SignIn(data={"password": "secret-typed"})
    html = render_to_string("web/components/field.html", {"field": form["password"], "type": "password",
                                                           "autocomplete": "current-password", "plain_label": True})
    assert 'type="password"' in html and "secret-typed" not in html
    assert '<label class="govuk-label" for="id_password">' in html


def test_the_second_family_is_gone():
    for name in ("govuk/input.html", "govuk/select.html", "govuk/error_summary.html", "govuk/pagination.html"):
        with pytest.raises(TemplateDoesNotExist):
            get_template(name)
    including = [str(p.relative_to(SRC)) for p in SRC.rglob("*.html") if '"govuk/' in p.read_text()]
    assert including == []
