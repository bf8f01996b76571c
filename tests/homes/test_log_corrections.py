"""Correcting a daily log entry or a shift handover (issue 16, item 7 for the log of issue 15): its author
or a manager, a reason, the change history keeping what it said before, the audit log the change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.core import dates
from nwd.homes import services
from tests.factories import HubFactory, UserFactory
from tests.homes.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_author_corrects_an_entry_with_a_reason_the_history_keeps(stay):
    worker = UserFactory(username="rw.c", role=Role.RESIDENTIAL_WORKER, hub=stay.bed.hub)
    entry = services.write_log_entry(stay, text="Went to bed at 10, calm.", by=worker)
    client = signed_in(worker)
    assert f"/homes/log/{entry.pk}/correct/" in client.get(f"/homes/stay/{stay.pk}/log/").content.decode()
    page = client.get(f"/homes/log/{entry.pk}/correct/")
    assert page.status_code == 200 and "Went to bed at 10, calm." in page.content.decode()
    refused = client.post(f"/homes/log/{entry.pk}/correct/", {"text": "Went to bed at 11, calm.", "why_corrected": ""})
    assert refused.status_code == 422 and "Say why it is being corrected." in refused.content.decode()
    same = client.post(f"/homes/log/{entry.pk}/correct/", {"text": "Went to bed at 10, calm.", "why_corrected": "x"})
    assert same.status_code == 422 and "Nothing has changed" in same.content.decode()
    done = client.post(f"/homes/log/{entry.pk}/correct/", {"text": "Went to bed at 11, calm.",
                                                          "why_corrected": "wrong time"})
    assert done.status_code == 302 and done["Location"].endswith(f"/homes/stay/{stay.pk}/log/#log")
    entry.refresh_from_db()
    assert entry.text == "Went to bed at 11, calm." and entry.recorded_by == worker
    latest, before = entry.history.order_by("-history_date")[:2]
    assert (latest.history_change_reason, latest.history_user, before.text) == ("wrong time", worker,
                                                                                "Went to bed at 10, calm.")
    assert AuditEvent.objects.filter(user=worker, action="change", young_person_id=stay.young_person_id).exists()
    assert "wrong time" in client.get(f"/homes/log/{entry.pk}/correct/").content.decode()  # earlier versions shown


def test_only_the_author_or_a_manager_corrects_a_handover(stay):
    hub = stay.bed.hub
    author = UserFactory(username="rw.a", role=Role.RESIDENTIAL_WORKER, hub=hub)
    colleague = UserFactory(username="rw.b", role=Role.RESIDENTIAL_WORKER, hub=hub)
    manager = UserFactory(username="hm.c", role=Role.HUB_MANAGER, hub=hub)
    handover = services.write_handover(stay, on=dates.today(), shift="early", summary="Dentist at 3.", by=author)
    with pytest.raises(ValidationError, match="Only the person who recorded this"):
        services.correct_handover(handover, summary="Dentist at 4.", reason="wrong time", by=colleague)
    page = signed_in(colleague).get(f"/homes/stay/{stay.pk}/log/").content.decode()
    assert f"/homes/handovers/{handover.pk}/correct/" not in page
    assert signed_in(colleague).get(f"/homes/handovers/{handover.pk}/correct/").status_code == 404
    with pytest.raises(ValidationError) as caught:
        services.correct_handover(handover, summary=" ", reason="emptied", by=author)
    assert "Write what the next shift must know" in str(caught.value)
    client = signed_in(manager)
    assert f"/homes/handovers/{handover.pk}/correct/" in client.get(f"/homes/stay/{stay.pk}/log/").content.decode()
    done = client.post(f"/homes/handovers/{handover.pk}/correct/", {"summary": "Dentist at 4.",
                                                                    "why_corrected": "appointment moved"})
    assert done.status_code == 302
    handover.refresh_from_db()
    assert handover.summary == "Dentist at 4." and handover.history.latest().history_user == manager
    other_hub = UserFactory(username="hm.o", role=Role.HUB_MANAGER, hub=HubFactory(code="hubo"))
    assert signed_in(other_hub).get(f"/homes/handovers/{handover.pk}/correct/").status_code in (403, 404)
