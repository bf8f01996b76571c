"""The care leaver pages and the Annex A page. Views parse and render; the work is in ``queries``,
``services`` and ``annex_a``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from nwd.access import audit, downloads
from nwd.access.decorators import from_url, requires
from nwd.access.models import Action
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.leavers import annex_a as annex
from nwd.leavers import queries, services
from nwd.leavers.forms import AnnexAForm, ContactForm
from nwd.leavers.models import CareLeaver


@requires("leavers.view_care_leaver", listing=True)
def index(request):
    """The care leavers the user may see (a personal adviser: their own), what is overdue first."""
    rows = queries.with_alert_words(list(queries.with_due(queries.visible_care_leavers(request.user))))
    rows.sort(key=lambda r: (not any(a.colour == "red" for a in r.alerts), r.young_person.family_name,
                             r.young_person.given_name))
    audit.record_rows(request, [r.young_person_id for r in rows], action=Action.LIST, detail="care leavers")
    return render(request, "leavers/index.html", {"rows": rows})


def _leaver_page(request, form=None, status=200):
    person = request.record
    leaver = queries.with_due(CareLeaver.objects.filter(young_person=person)).first()
    context = {"person": person, "leaver": leaver, "form": form or ContactForm(),
               "may_record": request.user.has_perm("leavers.record_care_leaver", person)}
    if leaver is not None:
        context.update(alerts=queries.alerts_of(leaver), review_due=queries.review_due(leaver),
                       contact_due=queries.contact_due(leaver),
                       plans=leaver.pathway_plans.prefetch_related("reviews"),
                       contacts=leaver.contacts.select_related("adviser")[:20],
                       homes=leaver.accommodations.all(), arrangements=leaver.arrangements.all())
    return render(request, "leavers/care_leaver.html", context, status=status)


@requires("leavers.view_care_leaver", record=from_url(YoungPerson, "young_person_id"))
def care_leaver(request, young_person_id: int):
    return _leaver_page(request)


@requires("leavers.record_care_leaver", record=from_url(YoungPerson, "young_person_id"))
def record_contact(request, young_person_id: int):
    if request.method != "POST":
        return redirect("leavers:care_leaver", young_person_id=young_person_id)
    form = ContactForm(request.POST)
    leaver = CareLeaver.objects.filter(young_person=request.record).first()
    if leaver is not None and form.is_valid():
        try:
            services.record_contact(leaver, on=form.cleaned_data["on"], kind=form.cleaned_data["kind"],
                                    summary=form.cleaned_data["summary"], adviser=request.user, by=request.user)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            return redirect(reverse("leavers:care_leaver", kwargs={"young_person_id": young_person_id}))
    return _leaver_page(request, form=form, status=422)


@requires("leavers.annex_a")
def annex_a(request):
    """Annex A: the date to write the lists as at, what they hold, and the columns left blank."""
    form = AnnexAForm(request.GET or None, initial={"on": dates.today().strftime("%d/%m/%Y")})
    return render(request, "leavers/annex_a.html", {
        "form": form, "blank": annex.blank_columns(), "list_8": annex.LIST_8, "list_9": annex.LIST_9,
        "may_download": request.user.has_perm("exports.download"),
    })


@requires("leavers.annex_a", "exports.download")
def annex_a_xlsx(request):
    """The lists as a spreadsheet: an export of personal data, recorded for every child named."""
    form = AnnexAForm(request.GET or None)
    if not form.is_valid():
        return render(request, "leavers/annex_a.html", {
            "form": form, "blank": annex.blank_columns(), "list_8": annex.LIST_8, "list_9": annex.LIST_9,
            "may_download": True,
        }, status=400)
    on = form.cleaned_data["on"]
    result = annex.build(on)
    detail = (f"Annex A as at {on:%d/%m/%Y} (List 8 {len(result.list_8)}, List 9 {len(result.list_9)})")
    return downloads.xlsx_response(request, f"annex-a-{on:%Y-%m-%d}.xlsx", result.sheets(),
                                   young_people=result.young_person_ids, detail=detail, action=Action.EXPORT)
