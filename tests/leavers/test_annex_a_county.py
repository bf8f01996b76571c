"""Annex A on the synthetic county (the suite's own county fixture): List 8 against the project's own
SSDA903 export, List 9 against the care leaver records, the spreadsheet's sheets and headers, the
command, and OC3 written from the care leaver records."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.codelists.codes import collection_year_of, year_bounds
from nwd.core import dates
from nwd.core.dates import age_on
from nwd.leavers import annex_a
from nwd.leavers.models import AdviserContact, CareLeaver, PathwayPlan
from nwd.returns.exporter import build_year, care_leaver_oc3
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _a_date_in_last_complete_year() -> dt.date:
    first, last = year_bounds(collection_year_of(dates.today()))
    return dt.date(first.year - 1, 12, 31)  # inside the year before this one, which is over


@pytest.fixture(scope="module")
def built(county, django_db_blocker):
    on = _a_date_in_last_complete_year()
    with django_db_blocker.unblock():
        return on, annex_a.build(on), build_year(collection_year_of(on))


def test_list_8_counts_the_children_looked_after_as_the_903_export_does(built):
    on, lists, year_return = built
    episodes = year_return.tables["Episodes"]
    open_on = {child for child, decom, dec in episodes.select("CHILD", "DECOM", "DEC").iter_rows()
               if decom <= on and (dec is None or dec > on)}
    assert len(open_on) > 100  # the county has a care population: the comparison means something
    assert lists.looked_after_on_date == len(open_on)
    looked_after = {row[0] for row in lists.list_8 if row[19] is None}  # no "Date Ceased to be Looked After"
    assert looked_after == open_on
    assert lists.left_in_six_months > 0
    for row in lists.list_8:
        if row[19] is not None:
            assert on - dt.timedelta(days=184) < row[19] <= on


def test_list_9_lists_every_care_leaver_of_the_ages(built):
    on, lists, _ = built
    listed = {row[0] for row in lists.list_9}
    wanted = set()
    for leaver in CareLeaver.objects.select_related("young_person").exclude(category="eligible"):
        if leaver.left_care is None or leaver.left_care > on:
            continue
        age = age_on(leaver.young_person.date_of_birth, on)
        receiving = leaver.support_ended is None or leaver.support_ended > on
        if 17 <= age <= 21 or (22 <= age <= 25 and receiving):
            wanted.add(leaver.young_person.child_id)
    assert len(wanted) > 20
    assert wanted <= listed
    ages = [row[4] for row in lists.list_9]
    assert min(ages) >= 17 and max(ages) <= 25
    assert all(row[17] == "Y" for row in lists.list_9 if row[4] >= 22)


def test_the_county_holds_care_leavers_with_advisers_plans_and_contacts(county):
    leavers = CareLeaver.objects.count()
    assert leavers > 50
    assert CareLeaver.objects.filter(personal_adviser__role=Role.PERSONAL_ADVISER).count() == leavers
    assert PathwayPlan.objects.values("care_leaver").distinct().count() == leavers
    assert AdviserContact.objects.count() > 2 * leavers


def test_the_xlsx_opens_with_the_sheets_and_headers_and_the_command_audits_it(county, tmp_path):
    analyst = UserFactory(username="annex_analyst", role=Role.ANALYST, hub=None)
    path = tmp_path / "annex-a.xlsx"
    out = io.StringIO()
    on = _a_date_in_last_complete_year()
    call_command("annex-a", "--date", on.isoformat(), "--xlsx", str(path), "--as", analyst.username, stdout=out)
    assert "List 8" in out.getvalue() and "left blank" in out.getvalue()
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["List 8", "List 9"]
    header_8 = next(book["List 8"].iter_rows(max_row=1, values_only=True))
    header_9 = next(book["List 9"].iter_rows(max_row=1, values_only=True))
    assert list(header_8) == [c.name for c in annex_a.LIST_8]
    assert list(header_9) == [c.name for c in annex_a.LIST_9]
    assert header_8[:5] == ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
    assert header_9[8] == "Eligibility Category"
    assert sum(1 for _ in book["List 8"].iter_rows(min_row=2, values_only=True)) > 100
    exported = AuditEvent.objects.filter(user=analyst, action="export")
    assert exported.filter(young_person__isnull=True).count() == 1
    assert exported.filter(young_person__isnull=False).count() > 100


def test_oc3_rows_come_from_the_care_leaver_records(county):
    year = collection_year_of(dates.today())
    rows = care_leaver_oc3(year)
    tables = build_year(year).tables
    if not rows:
        pytest.skip("No care leaver's status was confirmed in this year in the county")
    oc3 = {r[0]: r for r in tables["OC3"].select("CHILD", "IN_TOUCH", "ACTIV", "ACCOM").iter_rows()}
    for child, _dob, in_touch, activity, accommodation in rows.values():
        assert oc3[child] == (child, in_touch, activity, accommodation)
