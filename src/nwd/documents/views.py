"""The documents and chronology pages. Views parse and render; the work is in services, queries and
chronology. Every view states its permission (docs/permissions.md) and every download is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from nwd.access import audit, downloads
from nwd.access.decorators import from_url, not_found, requires
from nwd.access.models import Action
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.documents import chronology as chrono
from nwd.documents import queries, services
from nwd.documents.forms import AttachForm, ChooseForm
from nwd.documents.models import Document, ScanState

PERSON = from_url(YoungPerson, "young_person_id")
DOCUMENT = from_url(Document, "document_id", select_related=("young_person",))


def _documents_page(request, form=None, status=200):
    person = request.record
    may_attach = request.user.has_perm("documents.attach_document", person)
    if may_attach and form is None:
        form = AttachForm(about_choices=queries.about_choices(request.user, person.pk))
    return render(request, "documents/index.html", {
        "person": person, "documents": queries.openable_documents(request.user, person.pk),
        "form": form if may_attach else None, "types": ", ".join(t.label for t in services.allowed_types()),
        "max_mb": services.settings.NWD_DOCUMENT_MAX_BYTES // 1048576,
        "may_chronology": request.user.has_perm("documents.chronology", person),
    }, status=status)


@requires("documents.view_documents", record=PERSON)
def index(request, young_person_id: int):
    """The young person's documents the user may open, and the form to attach one."""
    return _documents_page(request)


@requires("documents.view_documents", "documents.attach_document", record=PERSON)
def attach(request, young_person_id: int):
    if request.method != "POST":
        return redirect("documents:index", young_person_id=young_person_id)
    person = request.record
    form = AttachForm(request.POST, request.FILES, about_choices=queries.about_choices(request.user, person.pk))
    if form.is_valid():
        data = form.cleaned_data
        about = queries.about_record(request.user, person.pk, data["about"]) if data["about"] else None
        try:
            services.attach_document(person, upload=data["file"], title=data["title"], kind=data["kind"],
                                     dated=data["dated"], about=about, shared_with_police=data["shared_with_police"],
                                     by=request.user)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            return redirect(reverse("documents:index", kwargs={"young_person_id": person.pk}) + "?attached=1")
    return _documents_page(request, form=form, status=422)


@requires("documents.open_document", record=DOCUMENT, audit_as=None)
def download(request, document_id: int):
    """The document's bytes, only once the virus check found it clean; the download is audited."""
    document = request.record
    if document.scan_state != ScanState.CLEAN or not document.file:
        audit.record(request, Action.DENIED, document, detail=f"document not openable: {document.scan_state}")
        return render(request, "documents/not_open.html", {"document": document, "person": document.young_person},
                      status=409)
    audit.record(request, Action.DOWNLOAD, document, detail=f"document: {document.original_name}")
    response = FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=True,
                            filename=downloads.safe_filename(document.original_name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _chronology_context(request, form=None) -> dict:
    person = request.record
    return {"person": person, "lines": chrono.chronology(request.user, person),
            "candidates": chrono.candidates(request.user, person), "form": form or ChooseForm(),
            "today": dates.today()}


@requires("casework.view_young_person", "documents.chronology", record=PERSON)
def chronology(request, young_person_id: int):
    """The chronology so far, and the newest timeline lines to choose from (add or take out)."""
    person = request.record
    if request.method == "POST":
        form = ChooseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["remove"]:
                    entry = person.chronology.filter(entry_key=data["entry_key"]).first()
                    if entry is not None:
                        services.remove_from_chronology(entry, by=request.user)
                else:
                    services.choose_for_chronology(person, entry_key=data["entry_key"], on=data["on"],
                                                   note=data["note"], by=request.user)
            except ValidationError as error:
                for messages in error.message_dict.values():
                    for message in messages:
                        form.add_error(None, message)
            else:
                return redirect("documents:chronology", young_person_id=person.pk)
        return render(request, "documents/chronology.html", _chronology_context(request, form), status=422)
    return render(request, "documents/chronology.html", _chronology_context(request))


def _export_name(person, suffix: str) -> str:
    return slugify(f"chronology {person.child_id} {dates.today():%Y-%m-%d}") + suffix


@requires("casework.view_young_person", "documents.chronology", record=PERSON, audit_as=Action.DOWNLOAD)
def chronology_csv(request, young_person_id: int):
    """The chronology as CSV, every cell escaped against formula injection (nwd.exports)."""
    person = request.record
    rows = [line.as_row() for line in chrono.chronology(request.user, person)]
    response = HttpResponse(downloads.csv_text(chrono.HEADER, rows), content_type=downloads.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_export_name(person, ".csv")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("casework.view_young_person", "documents.chronology", record=PERSON, audit_as=Action.DOWNLOAD)
def chronology_pdf(request, young_person_id: int):
    """The chronology as a PDF for a court, a conference or a review (WeasyPrint, as the plan's)."""
    from weasyprint import HTML  # heavy: loaded only for a PDF

    person = request.record
    html = render_to_string("documents/chronology_pdf.html", {
        "person": person, "lines": chrono.chronology(request.user, person), "today": dates.today(),
        "by": request.user}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(person, ".pdf")}"'
    return response


__all__ = ["index", "attach", "download", "chronology", "chronology_csv", "chronology_pdf", "not_found"]
