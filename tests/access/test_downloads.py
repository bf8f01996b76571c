"""Downloads: their own permission, cells escaped against formula injection, every one audited;
and the subject access export."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from openpyxl import load_workbook

from nwd.access import downloads
from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from tests.factories import ContactFactory, UserFactory, YoungPersonFactory

DANGEROUS = ["=HYPERLINK(\"http://evil.example\")", "+1+2", "-3+4", "@SUM(A1)", "plain", -5, None]


def request_as(user):
    request = RequestFactory().get("/download/")
    request.user = user
    return request


@pytest.mark.django_db
def test_csv_download_escapes_cells_and_audits_each_young_person():
    analyst = UserFactory(role=Role.SERVICE_MANAGER)
    people = YoungPersonFactory.create_batch(2)
    response = downloads.csv_response(
        request_as(analyst), "list.csv", ["name", "value"], [["x", v] for v in DANGEROUS],
        young_people=[p.pk for p in people],
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    values = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert values == ["'=HYPERLINK(\"http://evil.example\")", "'+1+2", "'-3+4", "'@SUM(A1)", "plain", "-5", ""]
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert AuditEvent.objects.filter(action="download", user=analyst, young_person_id__isnull=True).count() == 1
    assert set(AuditEvent.objects.filter(action="download", young_person_id__isnull=False)
               .values_list("young_person_id", flat=True)) == {p.pk for p in people}


@pytest.mark.django_db
def test_xlsx_download_escapes_cells():
    manager = UserFactory(role=Role.HUB_MANAGER)
    response = downloads.xlsx_response(request_as(manager), "report.xlsx", {"Sheet: one": (["v"], [[v] for v in DANGEROUS])})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[:5] == ["'=HYPERLINK(\"http://evil.example\")", "'+1+2", "'-3+4", "'@SUM(A1)", "plain"]
    assert values[5] == -5  # numbers stay numbers
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_downloads_need_their_own_permission():
    key_worker = UserFactory(role=Role.KEY_WORKER)
    with pytest.raises(PermissionDenied):
        downloads.csv_response(request_as(key_worker), "x.csv", ["a"], [])
    assert not AuditEvent.objects.filter(action="download").exists()


def test_file_names_cannot_break_the_header():
    assert downloads.safe_filename('a"b\r\n/../c.csv') == "a-b-..-c.csv"


@pytest.mark.django_db
def test_subject_access_export_holds_everything_and_is_for_the_dpo_only():
    contact = ContactFactory(summary="=cmd|' /C calc'!A0")
    person = contact.young_person
    dpo = UserFactory(role=Role.DATA_PROTECTION_OFFICER)
    manager = UserFactory(role=Role.SERVICE_MANAGER)
    client = Client()
    sign_in(client, manager)
    assert client.post(f"/young-people/{person.pk}/subject-access/").status_code == 404
    sign_in(client, dpo)
    assert "Download the export" in client.get(f"/young-people/{person.pk}/subject-access/").content.decode()
    response = client.post(f"/young-people/{person.pk}/subject-access/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"young_person.csv", "casework_contact.csv", "changes.csv", "access_log.csv", "README.txt",
            "manifest.json"} <= names
    assert "events_missingepisode.csv" in names and "care_careepisode.csv" in names
    contacts = archive.read("casework_contact.csv").decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in contacts
    assert person.child_id in archive.read("young_person.csv").decode("utf-8-sig")
    assert AuditEvent.objects.filter(action="export", user=dpo, young_person_id=person.pk).exists()
