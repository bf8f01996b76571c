"""The daily log page and the sections other pages include, through Django's test client."""

from __future__ import annotations

import pytest

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.core import dates
from nwd.homes import services
from nwd.homes.models import Handover, LogEntry
from nwd.hubs import services as hubs
from tests.factories import HubFactory, UserFactory
from tests.homes.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_a_residential_worker_writes_the_log_and_the_handover(stay):
    worker = UserFactory(username="rw.p", role=Role.RESIDENTIAL_WORKER, hub=stay.bed.hub)
    client = signed_in(worker)
    assert client.get(f"/homes/stay/{stay.pk}/log/").status_code == 200
    assert client.post(f"/homes/stay/{stay.pk}/log/entry/", {"text": "Home from school, calm."}).status_code == 302
    empty = client.post(f"/homes/stay/{stay.pk}/log/entry/", {"text": ""})
    assert empty.status_code == 422 and "an entry cannot be empty" in empty.content.decode()
    answer = client.post(f"/homes/stay/{stay.pk}/log/handover/", {
        "on": dates.today().strftime("%d/%m/%Y"), "shift": "early", "summary": "Dentist at 3: needs a lift."})
    assert answer.status_code == 302
    assert LogEntry.objects.get().recorded_by == worker and Handover.objects.get().recorded_by == worker
    again = client.post(f"/homes/stay/{stay.pk}/log/handover/", {
        "on": dates.today().strftime("%d/%m/%Y"), "shift": "early", "summary": "Again"})
    assert again.status_code == 422 and "already written" in again.content.decode()
    # Shown on the young person's page and the bed board.
    assert "Dentist at 3: needs a lift." in client.get(f"/young-people/{stay.young_person_id}/").content.decode()
    assert "Dentist at 3: needs a lift." in client.get("/beds/").content.decode()
    assert AuditEvent.objects.filter(user=worker, action="view", young_person_id=stay.young_person_id).exists()


def test_staff_of_another_hub_and_specialists_cannot_open_the_log(stay):
    services.write_log_entry(stay, text="Private entry")
    other = UserFactory(username="rw.other", role=Role.RESIDENTIAL_WORKER, hub=HubFactory(code="otherp"))
    coach = UserFactory(username="lc.p", role=Role.LIFE_COACH)
    for user in (other, coach):
        client = signed_in(user)
        assert client.get(f"/homes/stay/{stay.pk}/log/").status_code == 404
        assert client.post(f"/homes/stay/{stay.pk}/log/entry/", {"text": "x"}).status_code == 404
    assert LogEntry.objects.count() == 1


def test_the_log_of_an_ended_stay_is_read_only(stay):
    hubs.discharge(stay, discharged=dates.today(), destination="home", planned=True)
    worker = UserFactory(username="rw.q", role=Role.RESIDENTIAL_WORKER, hub=stay.bed.hub)
    page = signed_in(worker).get(f"/homes/stay/{stay.pk}/log/").content.decode()
    assert "Add to the log" not in page


def test_visitors_are_signed_in_and_out(stay):
    worker = UserFactory(username="rw.v", role=Role.RESIDENTIAL_WORKER, hub=stay.bed.hub)
    client = signed_in(worker)
    answer = client.post("/homes/hubp/visitors/", {"name": "Dee Lane", "capacity": "Mother",
                                                    "young_person": str(stay.young_person_id), "id_checked": "on"})
    assert answer.status_code == 302
    page = client.get("/homes/hubp/visitors/").content.decode()
    assert "Dee Lane" in page and stay.young_person.full_name in page
    from nwd.homes.models import Visitor

    visitor = Visitor.objects.get()
    assert client.post(f"/homes/visitors/{visitor.pk}/out/").status_code == 302
    visitor.refresh_from_db()
    assert visitor.left is not None and visitor.id_checked
