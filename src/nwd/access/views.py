"""Pages of the access app: sign in and out, the second factor, the audit log, and per young person
"who has viewed this record", its change history and the subject access export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from nwd.access import audit, enrolment, policy, queries, scopes, second_factor, sso, subject_access
from nwd.access.decorators import from_url, public, requires, signed_in
from nwd.access.downloads import file_response
from nwd.access.forms import AuditFilterForm, CodeForm, EnrolmentCodeForm, SignInForm
from nwd.access.history import young_person_history
from nwd.access.models import Action
from nwd.access.relations import model_of

PAGE_SIZE = 50
# Set in the session when its user has spent a set-up code: only then does set-up show the key.
ENROLMENT_SESSION_KEY = "nwd_enrolment_code_spent"


@public
class SignInView(LoginView):
    """Django's sign-in, with the GOV.UK layout; django-axes counts failures through the auth backend."""

    template_name = "access/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
        if sso.enabled():  # "Sign in with <provider>" (nwd.access.sso), coming back to the same page
            query = urlencode({"next": context.get("next")}) if context.get("next") else ""
            context["sso"] = {"name": sso.provider_name(), "url": reverse("access:sso_start") + (f"?{query}" if query else "")}
        return context

    def get_success_url(self):
        target = self.get_redirect_url() or resolve_url(settings.LOGIN_REDIRECT_URL)
        if second_factor.passed(self.request):
            return target
        name = "access:verify" if user_has_device(self.request.user, confirmed=True) else "access:enrol"
        return f"{reverse(name)}?{urlencode({'next': target})}"


@require_POST
@signed_in(second_factor=False)
def sign_out(request):
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("access:sign_in")


@signed_in(second_factor=False)
def enrol(request):
    """Set up an authenticator app: first the one-time set-up code an administrator issued, then scan
    the QR code (or type the key), then type a code from the app to prove it.

    The QR code and key are shown only in a session that has spent a set-up code: the password
    alone never enrols a device (``nwd.access.enrolment``).
    """
    if user_has_device(request.user, confirmed=True):
        return redirect(f"{reverse('access:verify')}?{urlencode({'next': second_factor.safe_next(request)})}")
    if request.session.get(ENROLMENT_SESSION_KEY) != request.user.pk:
        return _enrolment_code(request)
    device = second_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            audit.record(request, Action.OTP_ENROLLED)
            messages.success(request, "Your authenticator app is set up. You will need it each time you sign in.")
            return redirect(second_factor.safe_next(request))
        audit.record(request, Action.OTP_FAILURE, detail="enrolment")
        if not allowed:
            form.add_error("code", "Too many wrong codes. Wait a minute, then enter the newest code")
        else:
            form.add_error("code", "That code is not right. Check the time on your phone is correct and enter the newest code")
    return render(request, "access/enrol.html", {
        "form": form,
        "qr_svg": second_factor.qr_svg(device.config_url),
        "secret": second_factor.secret_for_typing(device),
        "next": second_factor.safe_next(request),
    })


def _enrolment_code(request):
    """The first step of set-up: the set-up code, or, with none outstanding, "ask your administrator"."""
    user = request.user
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolment.redeem(user, form.cleaned_data["code"], request=request):
            # A fresh key, never one an earlier visit might have shown.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            request.session[ENROLMENT_SESSION_KEY] = user.pk
            return redirect(f"{reverse('access:enrol')}?{urlencode({'next': second_factor.safe_next(request)})}")
        form.add_error("code", "That set-up code is not right, or it has expired or been replaced. Check it, "
                               "or ask your administrator for a new one")
    return render(request, "access/enrolment_code.html", {
        "form": form,
        "has_code": enrolment.has_outstanding(user),
        "next": second_factor.safe_next(request),
    })


@signed_in(second_factor=False)
def verify(request):
    """Type the code from the authenticator app (each device throttles repeated wrong codes)."""
    if second_factor.passed(request):
        return redirect(second_factor.safe_next(request))
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('access:enrol')}?{urlencode({'next': second_factor.safe_next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                otp_login(request, device)
                audit.record(request, Action.OTP_VERIFIED)
                return redirect(second_factor.safe_next(request))
        audit.record(request, Action.OTP_FAILURE)
        if not any(device.verify_is_allowed()[0] for device in devices):
            form.add_error("code", "Too many wrong codes. Wait a minute, then enter the newest code")
        else:
            form.add_error("code", "That code is not right. Enter the newest code from your authenticator app")
    return render(request, "access/verify.html", {"form": form, "next": second_factor.safe_next(request)})


@requires("access.view_audit")
def audit_log(request):
    """The data protection officer's view of the whole log, filtered; read only."""
    form = AuditFilterForm(request.GET or None)
    events = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        young_person_id = None
        if data["child_id"]:
            young_person_id = (
                model_of(policy.YOUNG_PERSON)._default_manager.filter(child_id=data["child_id"].strip()).values_list("pk", flat=True).first() or -1
            )
        events = queries.search_log(queries.LogFilter(
            username=data["username"], action=data["action"], young_person_id=young_person_id,
            date_from=data["date_from"], date_to=data["date_to"], ip_address=data["ip_address"] or "",
        ))
    elif not form.is_bound:
        events = queries.search_log(queries.LogFilter())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")) if events is not None else None
    people, trail = {}, {}
    if page is not None:
        ids = {event.young_person_id for event in page if event.young_person_id}
        people = {p.pk: p for p in scopes.visible_young_people(request.user).filter(pk__in=ids)}
        trail = queries.record_trail(request.user, ids)
    audit.record(request, Action.VIEW, detail=f"audit log {request.GET.urlencode()}"[:500])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "access/audit_log.html", {
        "form": form, "page": page, "people": people, "trail": trail, "query": query.urlencode(),
    })



YOUNG_PERSON = from_url(model_of(policy.YOUNG_PERSON), "young_person_id")


@requires("access.view_access_log", record=YOUNG_PERSON)
def viewed_by(request, young_person_id):
    """Who has viewed this young person's record: each person once, then every read, newest first."""
    person = request.record
    page = Paginator(queries.reads_of(person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "access/viewed_by.html", {
        "young_person": person, "viewers": queries.viewers_of(person), "page": page,
    })


@requires("access.view_record_history", record=YOUNG_PERSON)
def change_history(request, young_person_id):
    person = request.record
    page = Paginator(young_person_history(person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "access/change_history.html", {"young_person": person, "page": page})


@requires("access.subject_access_export", "exports.download", record=YOUNG_PERSON)
def subject_access_export(request, young_person_id):
    """GET: what the export holds; POST: the ZIP (a POST, so no link prefetch ever builds one)."""
    person = request.record
    if request.method == "POST":
        content = subject_access.archive(person, by=request.user)
        return file_response(
            request, subject_access.filename_for(person), content, "application/zip",
            young_people=[person.pk], detail="subject access export", action=Action.EXPORT,
        )
    tables = [model._meta.verbose_name_plural for model in subject_access.models_about_a_young_person()]
    return render(request, "access/subject_access.html", {"young_person": person, "tables": tables})
