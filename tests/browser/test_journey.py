"""The whole journey, as the users would walk it, with axe-core on every page and the README screenshots.

A school refers Jordan; the hub manager triages, decides on an emergency bed, allocates a key worker
and admits; the key worker records a contact, a missing episode and its return, a plan goal and a
plan review; the hub manager discharges Jordan home and ends the involvement. Each step is checked
on screen. Every page, and every recording form, is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


def fill_date(page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def open_recording(page, button: str):
    page.get_by_role("link", name=button, exact=True).click()
    panel = page.locator("#recording-panel")
    expect(panel.locator("h2").first).to_be_visible()
    expect(panel.locator("h2").first).to_be_focused()
    return panel


def test_referral_to_close(browse):
    world = build_world()
    users = world.users
    today = timezone.localdate()

    # --- A school refers -----------------------------------------------------------------------------
    school = browse()
    page = school.page
    school.sign_in(users["school"], PASSWORD)
    expect(page.get_by_role("heading", name="Refer a young person")).to_be_visible()
    school.axe("partner home")
    page.get_by_role("button", name="Make a referral").click()
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    school.axe("referral form")
    page.get_by_role("button", name="Send referral").click()  # nothing filled in: the messages
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the young person's first name")
    school.axe("referral form with errors")
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Ashby")
    fill_date(page, "date_of_birth", today.replace(year=today.year - 15) - dt.timedelta(days=20))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("How can we reach the referrer?").fill("01362 000000, Mr Lane")
    page.get_by_label("What is happening for the young person?").fill(
        "Jordan has slept at friends' houses all week after arguments at home and says he will not go back.")
    page.get_by_label("Emergency (needs a bed or visit today)").check()
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    school.axe("referral sent")
    page.get_by_role("link", name="See the referral's status").click()
    expect(page.locator("main")).to_contain_text("Received")
    school.axe("referral status (partner)")

    # --- The hub manager triages, decides, allocates and admits -------------------------------------------
    manager = browse()
    page = manager.page
    manager.sign_in(users["manager"], PASSWORD)
    expect(page.get_by_role("heading", name="Breckland Hub", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Jordan Ashby")
    manager.axe("hub manager home")
    manager.screenshot("hub-manager-home")
    manager.go("/referrals/")
    expect(page.get_by_role("heading", name="Referrals", exact=True)).to_be_visible()
    manager.axe("referral queue")
    manager.screenshot("referral-queue")
    manager.follow(page.get_by_role("link", name="Jordan Ashby"))
    manager.axe("referral (manager)")
    page.get_by_role("button", name="Start triage").click()
    expect(page.get_by_role("heading", name="Record the decision")).to_be_visible()
    manager.axe("decision form")
    page.get_by_label("Not taken on: warm handover to a named service").check()
    page.get_by_role("button", name="Record the decision").click()  # a handover must name the service
    expect(page.locator(".govuk-error-summary")).to_contain_text("Name the service the young person is being handed over to.")
    manager.axe("decision form with errors")
    page.get_by_label("Emergency bed").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Allocate a key worker")).to_be_visible()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded: emergency bed")
    manager.axe("allocate a key worker")
    page.get_by_label("Key worker").select_option(label="Sam Okafor, key worker (6 young people)")
    page.get_by_role("button", name="Start support").click()
    expect(page.get_by_role("heading", name="Admit to an emergency bed")).to_be_visible()
    manager.axe("admit to a bed")
    page.get_by_label("Emergency 1 (emergency)").check()
    fill_date(page, "planned_discharge", today + dt.timedelta(days=3))
    page.get_by_role("button", name="Admit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Jordan Ashby admitted to Emergency 1")
    expect(page.get_by_role("heading", name="Jordan Ashby")).to_be_visible()
    expect(page.locator("main")).to_contain_text("In Emergency 1 (emergency) at Breckland Hub")
    manager.go("/beds/")
    expect(page.locator("#hub-breckland")).to_contain_text("Jordan Ashby")
    manager.axe("bed board")
    manager.screenshot("bed-board")

    # --- The key worker records -------------------------------------------------------------------------
    worker = browse()
    page = worker.page
    worker.sign_in(users["key_worker"], PASSWORD)
    expect(page.get_by_role("heading", name="My young people")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Jordan Ashby")
    worker.axe("key worker home")
    worker.screenshot("key-worker-home")
    page.get_by_role("link", name="Jordan Ashby").click()
    expect(page.get_by_role("heading", name="Jordan Ashby")).to_be_visible()
    jordan = page.url.replace(worker.base_url, "")
    worker.axe("young person page")

    panel = open_recording(page, "Add a contact")
    worker.axe("contact form")
    worker.screenshot("recording-form", full_page=False)
    panel.get_by_role("button", name="Save").click()
    expect(panel.locator(".govuk-error-summary")).to_contain_text("Write what happened in a sentence or two")
    worker.axe("contact form with errors")
    panel.get_by_label("Home visit").check()
    panel.get_by_label("What happened").fill("Sat with Jordan at the hub; he wants to see his little sister this weekend.")
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Contact recorded")
    expect(page.locator("#timeline")).to_contain_text("he wants to see his little sister")

    page.get_by_role("link", name=re.compile(r"^Correct this note")).first.click()
    panel = page.locator("#recording-panel")
    expect(panel.get_by_role("heading", name="Correct a contact note")).to_be_focused()
    worker.axe("correct a contact note form")
    panel.get_by_label("What happened").fill("Sat with Jordan at the hub; he wants to see his little sister on Saturday.")
    panel.get_by_label("Why are you correcting this note?").fill("Added the day")
    panel.get_by_role("button", name="Save the correction").click()
    expect(panel).to_contain_text("Contact note corrected")
    expect(page.locator("#timeline")).to_contain_text("his little sister on Saturday")

    went = timezone.localtime() - dt.timedelta(hours=6)
    panel = open_recording(page, "Missing episode")
    worker.axe("missing episode form")
    fill_date(page, "date", went.date())
    panel.get_by_label("Time they were last seen").fill(went.strftime("%H:%M"))
    panel.get_by_label("Circumstances (optional)").fill("Did not come back after college.")
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Missing episode recorded")
    expect(page.locator("#status")).to_contain_text("Missing now")
    expect(page.locator("#timeline")).to_contain_text("Missing: not yet returned")

    back = timezone.localtime() - dt.timedelta(hours=1)
    page.reload()
    panel = open_recording(page, "Record the return from missing")
    worker.axe("return form")
    fill_date(page, "date", back.date())
    panel.get_by_label("Time they returned").fill(back.strftime("%H:%M"))
    panel.locator("#id_return_interview_offered_0").check()
    panel.locator("#id_return_interview_accepted_0").check()
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Return recorded")
    expect(page.locator("#status")).not_to_contain_text("Missing now")
    expect(page.locator("#timeline")).to_contain_text("Missing for 5 hours")

    for button in ("Police contact", "Exploitation concern", "Health event", "Substance use", "EET status"):
        open_recording(page, button)
        worker.axe(f"{button} form")

    panel = open_recording(page, "Plan goal")
    worker.axe("plan goal form")
    panel.get_by_label("Relationships").check()
    panel.get_by_label("Goal").fill("See his sister every weekend, at Gran's.")
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Goal added to the plan")
    page.reload()
    expect(page.locator(".nwd-plan")).to_contain_text("See his sister every weekend")

    panel = open_recording(page, "Plan review")
    worker.axe("plan review form")
    panel.get_by_label("Good progress").check()
    fill_date(page, "next_review_due", today + dt.timedelta(days=28))
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_contain_text("Plan review recorded")
    page.reload()
    expect(page.locator(".nwd-plan")).to_contain_text("Good progress")
    worker.axe("young person page after recording")
    worker.screenshot("young-person")

    page.get_by_role("link", name="Draw in a specialist").click()
    expect(page.get_by_role("heading", name="Draw in a specialist")).to_be_visible()
    worker.axe("draw in a specialist form")
    page.go_back()

    narrow = browse(width=320, height=800)
    narrow.context.add_cookies(worker.context.cookies())
    narrow.go(jordan)
    expect(narrow.page.get_by_role("heading", name="Jordan Ashby")).to_be_visible()
    narrow.no_horizontal_scroll()
    narrow.axe("young person page at 320px")
    narrow.screenshot("young-person-320")

    # --- The hub manager discharges Jordan home and ends support -------------------------------------------
    page = manager.page
    manager.go(jordan)
    manager.axe("young person page (manager)")
    manager.follow(page.get_by_role("link", name="Record discharge"))
    manager.axe("discharge form")
    page.get_by_label("Home to parents").check()
    page.locator("#id_planned_0").check()
    page.get_by_role("button", name="Record discharge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Jordan Ashby discharged: home to parents")
    manager.follow(page.get_by_role("link", name="End support"))
    manager.axe("end support form")
    page.get_by_label("Living safely at home").check()
    page.get_by_role("button", name="End support").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Support for Jordan Ashby has ended")
    expect(page.locator("main")).to_contain_text("Support ended")
    expect(page.locator("#timeline")).to_contain_text("Discharged from Emergency 1 at Breckland Hub to home to parents")

    # The school sees the outcome of its referral.
    school.page.reload()
    expect(school.page.locator("main")).to_contain_text("Emergency bed")
