"""Subject access: everything the platform holds about one young person, as a ZIP of CSV files.

UK GDPR gives a young person (or someone acting for them) the right to a copy of their data. The
data protection officer downloads this ZIP and reviews it before it is released (third parties'
details may need redacting; that judgement stays with a person).

Which tables are included is found from the models, not listed by hand: every model with a path to
a young person (``young_person``, or through an involvement, plan, review or care period), so a
table added later is included without anyone remembering to. The change history and the access log
(who has read the record) are included too.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.apps import apps
from django.utils import timezone

from nwd.access.downloads import csv_text
from nwd.access.history import paths_to_young_person, young_person_history
from nwd.access.models import AuditEvent

README = """Subject access export from No Wrong Door
==========================================

Young person: {name} (council child id {child_id})
Produced: {produced:%d/%m/%Y %H:%M} by {by}

Each CSV file holds one kind of record about the young person, one row per record:
{files}

changes.csv lists every change to these records (who, when, which field, from what to what).
access_log.csv lists every time someone read, listed, exported or downloaded the record.

Review before release: notes may name other people (family members, other young people, staff),
whose details may need to be withheld under UK GDPR and the Data Protection Act 2018.
"""


def models_about_a_young_person() -> list:
    """Every model (not history, not the audit log) whose rows are about a young person."""
    found = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical") or model is AuditEvent:
            continue
        if paths_to_young_person(model):
            found.append(model)
    return found


def _value(record, field) -> object:
    if field.many_to_one or field.one_to_one:
        related = getattr(record, field.name, None)
        return "" if related is None else str(related)
    value = getattr(record, field.attname)
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _table(model, queryset) -> tuple[list[str], list[list]]:
    fields = list(model._meta.concrete_fields)
    header = [str(f.verbose_name) for f in fields]
    related = [f.name for f in fields if f.many_to_one or f.one_to_one]
    rows = [[_value(record, f) for f in fields] for record in queryset.select_related(*related)]
    return header, rows


def archive(young_person, by=None) -> bytes:
    """The ZIP, as bytes."""
    buffer = io.BytesIO()
    files = []
    counts = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        person_model = type(young_person)
        header, rows = _table(person_model, person_model.objects.filter(pk=young_person.pk))
        header.append("restricted to")
        rows[0].append("; ".join(str(u) for u in young_person.restricted_to.all()))
        zip_file.writestr("young_person.csv", csv_text(header, rows))
        files.append("young_person.csv")
        counts["young_person"] = 1
        for model in models_about_a_young_person():
            path = paths_to_young_person(model)[0]
            queryset = model._base_manager.filter(**{path: young_person})
            header, rows = _table(model, queryset)
            name = f"{model._meta.app_label}_{model._meta.model_name}.csv"
            zip_file.writestr(name, csv_text(header, rows))
            files.append(name)
            counts[f"{model._meta.app_label}.{model._meta.model_name}"] = len(rows)
        changes = young_person_history(young_person)
        change_rows = []
        for change in changes:
            if change.fields:
                for item in change.fields:
                    change_rows.append([change.at.isoformat(), change.user_name, change.record_type, change.record,
                                        change.kind, item.field, item.old, item.new])
            else:
                change_rows.append([change.at.isoformat(), change.user_name, change.record_type, change.record,
                                    change.kind, "", "", ""])
        zip_file.writestr("changes.csv", csv_text(
            ["when", "who", "record type", "record", "change", "field", "from", "to"], change_rows))
        reads = AuditEvent.objects.filter(young_person_id=young_person.pk).select_related("user").order_by("at")
        zip_file.writestr("access_log.csv", csv_text(
            ["when", "who", "action", "page", "detail"],
            ([e.at.isoformat(), str(e.user) if e.user else e.username, e.get_action_display(), e.path, e.detail]
             for e in reads),
        ))
        produced = timezone.localtime()
        zip_file.writestr("README.txt", README.format(
            name=young_person.full_name, child_id=young_person.child_id, produced=produced,
            by=str(by) if by else "the system", files="\n".join(f"- {f}" for f in files),
        ))
        zip_file.writestr("manifest.json", json.dumps(
            {"young_person": young_person.pk, "produced": produced.isoformat(), "rows": counts}, indent=2))
    return buffer.getvalue()


def filename_for(young_person) -> str:
    return f"subject-access-{young_person.child_id}-{timezone.localdate():%Y-%m-%d}.zip"
