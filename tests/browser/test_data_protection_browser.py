"""The data protection officer corrects a young person's name and restricts the record, in the
browser: found by search, with axe-core on the data protection page and on both forms (with and
without errors)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nwd.access.roles import Role
from nwd.casework.models import YoungPerson
from tests.browser.world import PASSWORD, _user, build_world

pytestmark = pytest.mark.browser


def test_the_officer_corrects_identity_details_and_restricts_the_record(browse):
    world = build_world()
    officer = _user("dana.officer", "Dana", "Officer", Role.DATA_PROTECTION_OFFICER)
    tyler = world.people["Tyler"]
    dpo = browse()
    page = dpo.page
    dpo.sign_in(officer, PASSWORD)

    dpo.go("/search/?q=Reeve")
    page.get_by_role("link", name="Tyler Reeve").click()
    expect(page.get_by_role("heading", name="Data protection: Tyler Reeve")).to_be_visible()
    dpo.axe("data protection page")

    page.get_by_role("link", name="Correct identity details").click()
    expect(page.get_by_role("heading", name="Correct identity details")).to_be_visible()
    dpo.axe("correct identity details form")
    page.get_by_label("Name they like to be called (optional)").fill("Ty")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the details are being corrected")
    dpo.axe("correct identity details form with errors")
    page.get_by_label("Why are you correcting these details?").fill("The name Tyler goes by, he asked")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("heading", name="Data protection: Ty Reeve")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Identity details corrected")

    dpo.follow(page.get_by_role("link", name="Restrict this record"))
    expect(page.get_by_role("heading", name="Restrict the record")).to_be_visible()
    dpo.axe("restriction form")
    page.get_by_label("Yes").check()
    page.get_by_label("Why is the restriction changing?").fill("His aunt works at the hub")
    page.get_by_role("button", name="Save the restriction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Name at least one person who may see the record")
    dpo.axe("restriction form with errors")
    page.get_by_label("Dana Officer, data protection officer").check()
    page.get_by_label("Sam Okafor, key worker, Breckland Hub").check()
    page.get_by_role("button", name="Save the restriction").click()
    expect(page.locator("main")).to_contain_text("This record is restricted")
    dpo.axe("data protection page, restricted")

    tyler = YoungPerson.objects.get(pk=tyler.pk)
    assert tyler.restricted and set(tyler.restricted_to.values_list("username", flat=True)) == {
        "dana.officer", "sam.okafor"}
    assert tyler.history.order_by("-history_id").first().history_change_reason == "His aunt works at the hub"
