"""The worklist's journey in Chromium (issue 16): a task raised by a clock is on the key worker's home
page, they complete it; a meeting is recorded whose action becomes a task. axe finds nothing on any
page, and the pages fit 320 pixels."""

from __future__ import annotations

import datetime as dt

import pytest

from nwd.access.roles import Role
from nwd.casework import services as casework
from nwd.core import dates
from nwd.hubs.models import Hub
from nwd.worklist import clocks
from nwd.worklist.choices import Source, State
from nwd.worklist.models import Task
from tests.browser.conftest import CHROMIUM, browse, chromium  # noqa: F401 (the browser fixtures)
from tests.browser.world import PASSWORD, _person, _user

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"No Chromium at {CHROMIUM} (set NWD_CHROMIUM)")]


def _fill_date(page, field: str, day: dt.date) -> None:
    page.locator(f"#id_{field}_day").fill(str(day.day))
    page.locator(f"#id_{field}_month").fill(str(day.month))
    page.locator(f"#id_{field}_year").fill(str(day.year))


def test_a_task_from_a_clock_is_completed_and_a_meetings_action_becomes_a_task(browse):  # noqa: F811
    today = dates.today()
    hub = Hub.objects.create(name="Breckland hub", code="BRK", locality="Dereham", opened=dt.date(2021, 6, 1))
    worker = _user("kim.kw", "Kim", "Ashworth", Role.KEY_WORKER, hub=hub)
    person = _person("C300401", "Riley", "Marsh", 15)
    casework.start_involvement(person, hub, "outreach", worker, today - dt.timedelta(days=120))
    casework.start_plan(person, today - dt.timedelta(days=100), next_review_due=today + dt.timedelta(days=2))
    assert clocks.run(only=["plan-review"])["plan-review"]["raised"] == 1

    browser = browse(width=320, height=800)
    page = browser.page
    browser.sign_in(worker, PASSWORD)
    browser.go("/")
    section = page.locator("section.nwd-my-tasks")
    assert "Review the plan" in section.inner_text()
    assert page.locator("#unread-count").inner_text().startswith("1")  # told of the task assigned
    browser.axe("home page with my tasks")
    browser.no_horizontal_scroll()
    browser.follow(section.get_by_role("link", name="Review the plan"))
    browser.axe("the task")
    page.locator("#id_outcome").fill("Review booked with Riley for Thursday.")
    page.get_by_role("button", name="Mark as done").click()
    page.wait_for_url("**/tasks/")
    browser.axe("tasks")
    task = Task.objects.get(clock="plan-review")
    assert task.state == State.DONE and task.completed_by == worker

    browser.go(f"/young-people/{person.pk}/meetings/")
    browser.axe("meetings")
    browser.follow(page.get_by_role("link", name="Record a meeting"))
    browser.axe("record a meeting")
    page.get_by_label("Team around the young person").check()
    _fill_date(page, "held_on", today)
    page.get_by_label("Kim Ashworth").first.check()
    page.locator("#id_others").fill("Sam Patel, Greenfields Academy")
    page.locator("#id_young_persons_view").fill("Riley wants to go back to school part time.")
    page.locator("#id_decisions").fill("A part-time timetable is agreed.")
    page.locator("#id_action").fill("Ask the school for a start date")
    page.locator("#id_action_owner").select_option(label="Kim Ashworth")
    _fill_date(page, "action_due", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_url("**/meetings/*/")
    assert "Sam Patel, Greenfields Academy" in page.content()
    browser.axe("the meeting")
    browser.no_horizontal_scroll()
    action = Task.objects.get(source=Source.MEETING)
    assert (action.owner, action.young_person, action.due) == (worker, person, today + dt.timedelta(days=7))
    browser.go("/tasks/")
    assert "Ask the school for a start date" in page.content()
    browser.go("/notifications/")
    browser.axe("notifications")
    browser.go("/notifications/email/")
    browser.axe("email choices")
