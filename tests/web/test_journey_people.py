"""Issue 16's journey for the people around the young person, corrections and duplicates, in the
browser (the machine's Chromium), with axe-core on every page and form: the hub manager adds a family
member, corrects a police contact recorded with the wrong details, and merges a young person recorded
twice. The browser fixtures are tests/browser's (imported: this journey has its own file here)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from nwd.casework.models import Referral, SignificantPerson, YoungPerson
from nwd.events.models import PoliceContact
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401, F811  (fixtures)
from tests.browser.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM}")]


def test_family_member_correction_and_merge(browse):  # noqa: F811  (the fixture imported above)
    world = build_world()
    jayden = world.people["Jayden"]
    manager = world.users["manager"]
    # Jayden recorded twice: a second record from a referral, the same names typed differently.
    twin = YoungPerson.objects.create(child_id="R0000099", given_name="jayden", family_name="COLE",
                                      date_of_birth=jayden.date_of_birth, sex="1", ethnicity="WBRI",
                                      nhs_number="9434765919")
    Referral.objects.create(young_person=twin, source_agency="school", received=jayden.date_of_birth.replace(
        year=jayden.date_of_birth.year + 13), reason="Not in school for two weeks.")
    helen = browse()
    page = helen.page
    helen.sign_in(manager, PASSWORD)

    # 1. A family member, from the young person's page.
    helen.go(f"/young-people/{jayden.pk}/")
    page.get_by_role("link", name=re.compile("^Family, carers and others")).click()
    expect(page.get_by_role("heading", name="Family, carers and others around them")).to_be_visible()
    helen.axe("the people around the young person")
    page.get_by_role("link", name="Add someone").click()
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's name")
    helen.axe("add someone, with errors")
    page.get_by_label("Name", exact=True).fill("Donna Cole")
    page.get_by_label("Who they are to the young person").select_option("mother")
    page.get_by_role("group", name="Do they hold parental responsibility?").get_by_label("Yes").check()
    page.get_by_role("group", name="May they be contacted?").get_by_label("Yes").check()
    page.get_by_label("Anything relevant to the young person's support").check()
    page.get_by_label("Phone (optional)").fill("07700 900123")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("main")).to_contain_text("Person added")
    expect(page.get_by_role("heading", name="Donna Cole")).to_be_visible()
    helen.axe("the people around the young person, with one")
    assert SignificantPerson.objects.get(young_person=jayden).parental_responsibility is True

    # 2. Correct an event: the police contact's details were wrong.
    helen.go(f"/young-people/{jayden.pk}/")
    expect(page.locator("#network")).to_contain_text("Donna Cole")
    page.get_by_role("link", name=re.compile("^Correct police")).click()
    expect(page.get_by_role("heading", name="Correct a police contact")).to_be_visible()
    helen.axe("correct a police contact")
    page.get_by_label("What happened (optional)").fill("Police called to a row in the street, not at home.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the police contact is being corrected")
    helen.axe("correct a police contact, with errors")
    page.get_by_label("Why are you correcting this police contact?").fill("Wrong place, checked with the police")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("main")).to_contain_text("Police contact corrected")
    police = PoliceContact.objects.get(young_person=jayden)
    assert police.summary.startswith("Police called to a row in the street")
    assert police.history.order_by("-history_id").first().history_change_reason == "Wrong place, checked with the police"

    # 3. Merge the duplicate.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Duplicates").click()
    expect(page.get_by_role("heading", name="Possible duplicate records")).to_be_visible()
    helen.axe("possible duplicates")
    helen.follow(page.get_by_role("link", name=re.compile("^Compare and merge")))
    helen.axe("merge two records")
    page.get_by_label(re.compile(f"council child id {jayden.child_id}$")).check()
    page.get_by_label("Why are these the same young person?").fill("Same date of birth and school, confirmed")
    page.get_by_role("button", name="Merge the records").click()
    expect(page.locator("main")).to_contain_text("Records merged")
    helen.axe("the young person's page after the merge")
    assert not YoungPerson.objects.filter(pk=twin.pk).exists()
    assert Referral.objects.filter(young_person=jayden, reason="Not in school for two weeks.").exists()
    assert YoungPerson.objects.get(pk=jayden.pk).nhs_number == "9434765919"
