"""The home's records: their rules and messages, history and audit, the alerts of the clocks on the
hub manager's home page, and the admission register built from stays and care episodes."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.access.testing import sign_in
from nwd.care.models import CareEpisode, CarePeriod
from nwd.homes import queries, services
from nwd.homes.models import Handover, LogEntry
from nwd.hubs import services as hubs
from tests.factories import BedFactory, HubFactory, UserFactory, YoungPersonFactory, open_involvement

pytestmark = pytest.mark.django_db
D = dt.date


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def home():
    hub = HubFactory(code="hubh", name="Breckland")
    bed = BedFactory(hub=hub, label="Room 1")
    worker = UserFactory(username="rw.h", role=Role.RESIDENTIAL_WORKER, hub=hub)
    manager = UserFactory(username="hm.h", role=Role.HUB_MANAGER, hub=hub, first_name="Hana", last_name="Moss")
    involvement = open_involvement(hub=hub, start=D(2025, 5, 1))
    stay = hubs.admit(involvement.young_person, bed, D(2025, 5, 10))
    return type("Home", (), {"hub": hub, "bed": bed, "worker": worker, "manager": manager, "stay": stay,
                             "person": involvement.young_person})


def _messages(error: ValidationError) -> list[str]:
    return [m for messages in error.message_dict.values() for m in messages]


def test_a_log_entry_is_written_with_its_shift_and_kept_in_history(home):
    entry = services.write_log_entry(home.stay, text="Went to college, home by 4.", at=_at(D(2025, 5, 12), 16),
                                     by=home.worker)
    assert entry.shift == "late" and entry.recorded_by == home.worker
    assert entry.history.count() == 1 and entry.history.first().history_user == home.worker
    assert AuditEvent.objects.filter(action="create", young_person_id=home.person.pk).exists()


@pytest.mark.parametrize(("day", "text", "message"), [
    (D(2025, 5, 9), "Fine", "before"),  # the day before the admission
    (D(2025, 5, 12), "   ", "an entry cannot be empty"),
])
def test_a_log_entry_needs_words_and_a_time_within_the_stay(home, day, text, message):
    with pytest.raises(ValidationError) as caught:
        services.write_log_entry(home.stay, text=text, at=_at(day, 10), by=home.worker)
    assert any(message in m for m in _messages(caught.value))
    assert not LogEntry.objects.exists()


def test_a_log_entry_on_the_admission_and_discharge_days_is_within_the_stay(home):
    services.write_log_entry(home.stay, text="Arrived, settled in.", at=_at(D(2025, 5, 10), 20))
    hubs.discharge(home.stay, discharged=D(2025, 5, 20), destination="home", planned=True)
    services.write_log_entry(home.stay, text="Left with mum.", at=_at(D(2025, 5, 20), 10))
    with pytest.raises(ValidationError, match="after .* left the hub"):
        services.write_log_entry(home.stay, text="Too late", at=_at(D(2025, 5, 21), 10))


def test_a_log_entry_cannot_be_in_the_future(home):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.write_log_entry(home.stay, text="Not yet", at=timezone.now() + dt.timedelta(days=2))


def test_one_handover_per_shift(home):
    services.write_handover(home.stay, on=D(2025, 5, 12), shift="late", summary="Low mood after the call with dad.",
                            by=home.worker)
    with pytest.raises(ValidationError, match="already written"):
        services.write_handover(home.stay, on=D(2025, 5, 12), shift="late", summary="Again")
    night = services.write_handover(home.stay, on=D(2025, 5, 12), shift="night", summary="Slept well.")
    services.write_handover(home.stay, on=D(2025, 5, 12), shift="early", summary="College.")
    assert queries.latest_handovers([home.stay.pk])[home.stay.pk] == night  # the night is the day's last shift
    with pytest.raises(ValidationError, match="what the next shift must know"):
        services.write_handover(home.stay, on=D(2025, 5, 13), shift="early", summary="")
    assert Handover.objects.count() == 3


def test_the_hub_manager_signs_the_response(home):
    visit = services.record_visit(home.hub, visited_on=D(2025, 5, 14), independent_person="Pat Ives",
                                  summary="Warm home; fire doors propped open.", children_spoken_to=2, by=home.manager)
    with pytest.raises(ValidationError, match="not the manager of this hub"):
        services.sign_off(visit, response="Doors fixed.", by=home.worker)
    visit.refresh_from_db()
    with pytest.raises(ValidationError, match="Write the hub manager's response"):
        services.sign_off(visit, response=" ", by=home.manager)
    visit.refresh_from_db()
    services.sign_off(visit, response="Doors fixed the same day.", by=home.manager, on=D(2025, 5, 15))
    assert visit.history.count() == 2
    with pytest.raises(ValidationError, match="already signed off"):
        services.sign_off(visit, response="Again", by=home.manager)


def test_a_visit_needs_its_independent_person_and_findings(home):
    with pytest.raises(ValidationError) as caught:
        services.record_visit(home.hub, visited_on=D(2025, 5, 14), independent_person="", summary="")
    assert set(caught.value.message_dict) == {"independent_person", "summary"}


def test_an_action_has_an_owner_at_the_hub_and_a_due_date_after_the_report(home):
    visit = services.record_visit(home.hub, visited_on=D(2025, 5, 14), independent_person="Pat Ives", summary="Ok")
    elsewhere = UserFactory(username="rw.else", role=Role.RESIDENTIAL_WORKER)
    with pytest.raises(ValidationError) as caught:
        services.add_action(visit, recommendation="Fix the doors", owner=elsewhere, due=D(2025, 5, 1))
    assert set(caught.value.message_dict) == {"owner", "due"}
    action = services.add_action(visit, recommendation="Fix the doors", owner=home.worker, due=D(2025, 5, 21))
    with pytest.raises(ValidationError, match="Say what was done"):
        services.complete_action(action, done_on=D(2025, 5, 20), outcome="")
    action.refresh_from_db()
    services.complete_action(action, done_on=D(2025, 5, 20), outcome="Closers fitted.")
    assert action.history.count() == 2


def test_a_review_report_is_sent_after_the_review(home):
    review = services.record_review(home.hub, reviewed_on=D(2025, 5, 1), period_start=D(2024, 11, 1), summary="Good")
    with pytest.raises(ValidationError, match="cannot be sent before the review"):
        services.mark_sent_to_ofsted(review, sent_on=D(2025, 4, 30))
    review.refresh_from_db()
    services.mark_sent_to_ofsted(review, sent_on=D(2025, 5, 29))
    with pytest.raises(ValidationError, match="period reviewed"):
        services.record_review(home.hub, reviewed_on=D(2025, 5, 1), period_start=D(2025, 6, 1), summary="x")


def test_a_visitor_is_signed_in_to_see_someone_staying_at_the_hub(home):
    with pytest.raises(ValidationError, match="Say whom they visited"):
        services.sign_in_visitor(home.hub, name="Sam Lee", capacity="Uncle", arrived=_at(D(2025, 5, 12), 14),
                                 id_checked=True)
    with pytest.raises(ValidationError, match="was not staying at this hub"):
        services.sign_in_visitor(home.hub, name="Sam Lee", capacity="Uncle", arrived=_at(D(2025, 5, 1), 14),
                                 id_checked=True, young_person=home.person)
    visitor = services.sign_in_visitor(home.hub, name="Sam Lee", capacity="Uncle", arrived=_at(D(2025, 5, 12), 14),
                                       id_checked=True, young_person=home.person, by=home.worker)
    with pytest.raises(ValidationError, match="must be on or after the time they arrived"):
        services.sign_out_visitor(visitor, left=_at(D(2025, 5, 12), 13))
    visitor.refresh_from_db()
    services.sign_out_visitor(visitor, left=_at(D(2025, 5, 12), 16))
    assert visitor.history.count() == 2


def _texts(hub, today):
    texts = [alert.text for alert in queries.alerts(hub, today)]
    # The home page reads the alerts of all the hubs at once: the same alerts.
    assert [alert.text for alert in queries.alerts_of(type(hub).objects.filter(pk=hub.pk), today)] == texts
    return texts


def test_the_alerts_around_each_clock(home):
    services.record_visit(home.hub, visited_on=D(2025, 1, 31), independent_person="Pat Ives", summary="Ok")
    review = services.record_review(home.hub, reviewed_on=D(2025, 2, 1), period_start=D(2024, 8, 1), summary="Ok")
    # The visit of 31 January is due again by 28 February; the report of 1 February is due at Ofsted by 1 March.
    assert not any("visit" in t for t in _texts(home.hub, D(2025, 2, 28)))
    assert any("visit (regulation 44) overdue since 28/02/2025" in t for t in _texts(home.hub, D(2025, 3, 1)))
    assert any("to send to Ofsted by 01/03/2025" in t for t in _texts(home.hub, D(2025, 3, 1)))
    assert any("not sent to Ofsted" in t for t in _texts(home.hub, D(2025, 3, 2)))
    services.mark_sent_to_ofsted(review, sent_on=D(2025, 3, 1))
    assert not any("Ofsted" in t for t in _texts(home.hub, D(2025, 3, 2)))
    # Six months after 1 February: due by 1 August, overdue from 2 August.
    assert not any("regulation 45" in t for t in _texts(home.hub, D(2025, 8, 1)))
    assert any("review (regulation 45) overdue since 01/08/2025" in t for t in _texts(home.hub, D(2025, 8, 2)))


def test_an_action_is_overdue_the_day_after_its_due_date(home):
    visit = services.record_visit(home.hub, visited_on=D(2025, 5, 14), independent_person="Pat Ives", summary="Ok")
    services.add_action(visit, recommendation="Fix the doors", owner=home.worker, due=D(2025, 5, 21))
    assert not any("Action overdue" in t for t in _texts(home.hub, D(2025, 5, 21)))
    assert any("Action overdue since 21/05/2025" in t for t in _texts(home.hub, D(2025, 5, 22)))


def test_the_alerts_are_on_the_hub_managers_home_page(home):
    services.record_visit(home.hub, visited_on=D(2025, 1, 31), independent_person="Pat Ives", summary="Ok")
    client = Client()
    sign_in(client, home.manager)
    page = client.get("/").content.decode()
    assert "Children&#x27;s home records" in page or "Children's home records" in page
    assert "visit (regulation 44) overdue since 28/02/2025" in page
    worker = Client()
    sign_in(worker, home.worker)
    assert "overdue since" not in worker.get("/").content.decode()


def test_the_admission_register_is_built_from_stays_and_episodes(home, settings):
    settings.NWD_PLACING_AUTHORITY = "Norfolk County Council"
    looked_after = YoungPersonFactory(given_name="=HYPERLINK(\"x\")", family_name="Cole")
    open_involvement(young_person=looked_after, hub=home.hub, start=D(2025, 4, 1))
    stay = hubs.admit(looked_after, BedFactory(hub=home.hub, label="Room 2"), D(2025, 4, 2))
    hubs.discharge(stay, discharged=D(2025, 4, 30), destination="foster_care", planned=True)
    period = CarePeriod.objects.create(young_person=looked_after, start=D(2025, 4, 2))
    CareEpisode.objects.create(young_person=looked_after, period=period, decom=D(2025, 4, 2), rne="S", ls="V2",
                               cin="N4", place="K2", place_provider="PR1", stay=stay)
    rows = queries.admission_register(home.hub, D(2025, 1, 1), D(2025, 6, 30))
    assert [(r.stay.young_person, r.legal_status, r.placing_authority) for r in rows] == [
        (looked_after, "V2", "Norfolk County Council"), (home.person, "", "")]
    assert rows[1].legal_basis == queries.NOT_LOOKED_AFTER
    assert queries.admission_register(home.hub, D(2025, 5, 1), D(2025, 6, 30))[0].stay == home.stay  # left in April
    manager = Client()
    sign_in(manager, home.manager)
    page = manager.get("/homes/hubh/admissions/?date_from=01/01/2025&date_to=30/06/2025")
    assert page.status_code == 200 and "Norfolk County Council" in page.content.decode()
    download = manager.get("/homes/hubh/admissions/register.csv?date_from=01/01/2025&date_to=30/06/2025")
    assert download.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode()
                                        if download.streaming else download.content.decode())))
    assert lines[1][1].startswith("'=HYPERLINK")  # escaped against formula injection
    assert AuditEvent.objects.filter(young_person_id=looked_after.pk, action="download").exists()
    xlsx = manager.get("/homes/hubh/admissions/register.xlsx?date_from=01/01/2025&date_to=30/06/2025")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    worker = Client()
    sign_in(worker, home.worker)
    assert worker.get("/homes/hubh/admissions/").status_code in (403, 404)
