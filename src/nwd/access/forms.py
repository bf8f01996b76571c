"""Forms of the sign-in journey and the audit pages, with the messages a person reads."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from nwd.access import enrolment, lockout
from nwd.access.models import Action, User

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


class SignInForm(AuthenticationForm):
    """Django's sign-in form with plain-English messages (never saying which of the two was wrong)."""

    error_messages = {
        "invalid_login": "Enter a correct user name and password. After 5 wrong passwords, signing in to the "
                         "account is paused for 15 minutes.",
        "inactive": "This account has been closed. Ask your manager if you still need it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})

    def clean_username(self) -> str:
        """Refuse a user name longer than any account can have, before it reaches authentication.

        Django's form does not check the length, and django-axes writes the name typed into a
        255-character column when a sign-in fails: on PostgreSQL a longer one was a server error.
        """
        username = self.cleaned_data["username"]
        if len(username) > USERNAME_MAX_LENGTH:
            raise forms.ValidationError(f"A user name is at most {USERNAME_MAX_LENGTH} characters: check what you typed")
        return username

    def clean(self):
        lockout.clear_expired()  # a lock that has run its length no longer refuses (nwd.access.lockout)
        return super().clean()


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code is 6 digits, for example 123456")
        return code


class EnrolmentCodeForm(forms.Form):
    """The one-time set-up code an administrator gave the person (``nwd.access.enrolment``)."""

    code = forms.CharField(
        label="Set-up code",
        max_length=40,
        error_messages={"required": "Enter the set-up code your administrator gave you"},
    )

    def clean_code(self) -> str:
        code = enrolment.normalise(self.cleaned_data["code"])
        if len(code) != enrolment.LENGTH or any(ch not in enrolment.ALPHABET for ch in code):
            raise forms.ValidationError("The set-up code is 12 letters and numbers, for example 7K3M-Q9XD-2HPA")
        return code


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="User name", required=False)
    action = forms.ChoiceField(label="What happened", required=False,
                               choices=[("", "Anything"), *Action.choices])
    child_id = forms.CharField(label="Council child id", required=False)
    date_from = forms.DateField(label="From (dd/mm/yyyy)", required=False,
                                error_messages={"invalid": "Enter the date as dd/mm/yyyy, for example 01/06/2025"})
    date_to = forms.DateField(label="To (dd/mm/yyyy)", required=False,
                              error_messages={"invalid": "Enter the date as dd/mm/yyyy, for example 30/06/2025"})
    ip_address = forms.GenericIPAddressField(label="IP address", required=False,
                                             error_messages={"invalid": "Enter an IP address, like 192.0.2.10"})

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be on or after the 'from' date")
        return data
