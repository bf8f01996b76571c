"""The children's home records (issue 15): rules and their messages, services, history and audit,
and the deadlines around their boundaries (the hour before, at, the hour after)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.events import services as events
from nwd.events.models import ExploitationKind
from nwd.safeguarding import queries, services
from nwd.safeguarding.models import Body, InspectorGrant, NotifiableKind, RestraintRecord
from tests.factories import HubFactory, UserFactory
from tests.safeguarding.conftest import EVENT

HOUR = dt.timedelta(hours=1)
FULL = {"place": "Kitchen", "measure": "restraint", "used_by": "Sam Worker", "led_to": "Threw a chair.",
        "tried_first": "Talking, space.", "effect": "Calmed within minutes.", "duration_minutes": 4}


def _messages(error: ValidationError) -> dict:
    return error.message_dict


def _restraint(home, **kw):
    fields = {**FULL, "written_at": EVENT + HOUR, **kw}
    return services.record_restraint(home.hub, young_person=home.person, occurred_at=EVENT, by=home.worker, **fields)


def test_a_restraint_record_keeps_its_rules(home):
    with pytest.raises(ValidationError) as caught:
        _restraint(home, led_to="", tried_first="", effect="", duration_minutes=None, injury=True)
    messages = _messages(caught.value)
    assert messages["led_to"] == ["Say what led to it: the regulation asks for it in the record."]
    assert messages["tried_first"] == ["Say what was tried first: the regulation asks for it in the record."]
    assert messages["duration_minutes"] == ["Enter how long it lasted, in minutes."]
    assert messages["injury_treatment"] == ["Say who was injured, how, and the treatment given."]
    with pytest.raises(ValidationError) as caught:
        _restraint(home, duration_minutes=2000)
    assert "from 1 to 1440" in _messages(caught.value)["duration_minutes"][0]
    assert not RestraintRecord.objects.exists()


def test_a_record_written_after_24_hours_says_why(home):
    assert _restraint(home, written_at=EVENT + dt.timedelta(hours=24)).pk  # at the deadline: in time
    with pytest.raises(ValidationError) as caught:
        _restraint(home, written_at=EVENT + dt.timedelta(hours=24, minutes=1))
    assert _messages(caught.value)["late_reason"] == [
        "The record is written more than 24 hours after the event: say why it is late."]
    assert _restraint(home, written_at=EVENT + dt.timedelta(hours=30), late_reason="Night shift off sick.").pk


def test_only_the_hubs_manager_signs_the_talk_with_the_staff_member(home):
    record = _restraint(home)
    with pytest.raises(ValidationError) as caught:
        services.sign_staff_talk(record, notes="Talked it through.", spoken_at=EVENT + HOUR * 2, by=home.worker)
    assert "is not this home's registered manager" in _messages(caught.value)["staff_signed_by"][0]
    other_manager = UserFactory(username="other_mgr", role=Role.HUB_MANAGER, hub=HubFactory())
    with pytest.raises(ValidationError):
        services.sign_staff_talk(record, notes="Talked.", spoken_at=EVENT + HOUR * 2, by=other_manager)
    record.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.sign_staff_talk(record, notes="", spoken_at=EVENT - HOUR, by=home.manager)
    assert _messages(caught.value)["staff_spoken_at"] == [
        "The manager cannot speak to the staff member about it before it happened."]
    assert _messages(caught.value)["staff_notes"] == ["Say what the manager and the staff member said."]
    record.refresh_from_db()
    signed = services.sign_staff_talk(record, notes="Talked it through.", spoken_at=EVENT + HOUR * 2, by=home.manager)
    assert signed.staff_signed_by == home.manager
    # history and audit
    assert signed.history.count() == 2
    assert signed.history.first().history_user == home.manager


def test_the_restraint_deadlines_around_their_boundaries(home):
    noted = services.record_restraint(home.hub, young_person=home.person, occurred_at=EVENT, place="Hall",
                                      measure="guide", used_by="Sam", complete=False, by=home.worker)
    records = RestraintRecord.objects.filter(pk=noted.pk)

    def red(now):
        return {a.text.split(":")[0] for a in queries.restraint_alerts(records, now) if a.colour == "red"}

    for what, limit in (("Restraint record written", dt.timedelta(hours=24)),
                        ("Manager's talk with the staff member signed", dt.timedelta(hours=48)),
                        ("Talk with the young person confirmed", dt.timedelta(days=5))):
        assert what not in red(EVENT + limit - HOUR)
        assert what not in red(EVENT + limit)
        assert what in red(EVENT + limit + HOUR)
    # done, the alert goes
    services.complete_restraint(noted, led_to="x", duration_minutes=1, tried_first="y", effect="z",
                                written_at=EVENT + HOUR, by=home.worker)
    services.sign_staff_talk(noted, notes="ok", spoken_at=EVENT + HOUR * 3, by=home.manager)
    services.confirm_young_person_talk(noted, view="They were upset.", spoken_at=EVENT + HOUR * 4, by=home.worker)
    assert red(EVENT + dt.timedelta(days=6)) == set()


def test_a_notification_raised_from_an_exploitation_concern(home):
    concern = events.raise_exploitation_concern(home.person, EVENT.date(), ExploitationKind.SEXUAL,
                                                summary="Older men.", by=home.worker)
    # unnotified: an alert for the hub manager
    assert any("Sexual exploitation" in a.text for a in queries.unnotified(home.hub, EVENT + HOUR))
    made = services.raise_notification(home.hub, young_person=home.person, summary="Seen with older men.",
                                       source=concern, by=home.manager)
    assert made.kind == NotifiableKind.CSE and made.exploitation_concern == concern
    start = made.event_at  # the start of the day the concern was raised
    assert start.hour == 0 and start.date() == EVENT.date()
    assert set(made.required_bodies()) == {Body.OFSTED, Body.PLACING, Body.HOST, Body.POLICE}
    assert not any("Sexual exploitation" in a.text for a in queries.unnotified(home.hub, EVENT + HOUR))
    notifications = type(made).objects.filter(pk=made.pk)

    def red(now):
        return [a for a in queries.notification_alerts(notifications, now) if a.colour == "red"]

    limit = dt.timedelta(hours=24)
    assert not red(start + limit - HOUR)
    assert not red(start + limit)
    assert red(start + limit + HOUR)
    with override_settings(NWD_REG40_NOTIFY_HOURS=48):
        assert not red(start + limit + HOUR)
    with pytest.raises(ValidationError) as caught:
        services.record_told(made, body=Body.OFSTED, told_at=start - HOUR, by=home.manager)
    assert "Nobody can be told before the event" in _messages(caught.value)["told_at"][0]
    for body in made.required_bodies():
        services.record_told(made, body=body, told_at=start + HOUR * 10, how="Phone", by=home.manager)
    with pytest.raises(ValidationError) as caught:
        services.record_told(made, body=Body.OFSTED, told_at=start + HOUR * 11, by=home.manager)
    assert _messages(caught.value)["body"] == ["Ofsted (HMCI) is already recorded as told: correct that entry instead."]
    assert not red(start + dt.timedelta(days=3))
    assert AuditEvent.objects.filter(user=home.manager, action="create").exists()


def test_a_notification_of_another_young_persons_event_or_a_kind_not_notified_here_is_refused(home):
    other = type(home.person).objects.create(child_id="OTH1", given_name="Other", family_name="Person",
                                             date_of_birth=dt.date(2010, 1, 1), sex="1", ethnicity="WBRI")
    episode = events.record_missing_episode(other, EVENT - HOUR * 3)
    with pytest.raises(ValidationError) as caught:
        services.raise_notification(home.hub, young_person=home.person, summary="x", source=episode)
    assert caught.value.message_dict["missing_episode"] == [
        "The event is another young person's: raise the notification from their record."]
    with override_settings(NWD_REG40_LOCAL_EVENTS=()), pytest.raises(ValidationError) as caught:
        services.raise_notification(home.hub, young_person=other, summary="x", source=episode)
    assert "is not notified in this council" in caught.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as caught:
        services.raise_notification(home.hub, young_person=other, summary=" ", kind=NotifiableKind.DEATH,
                                    event_at=EVENT)
    assert caught.value.message_dict["summary"] == ["Say what happened: the people told read it."]


def test_the_return_interview_and_its_72_hours(home):
    episode = events.record_missing_episode(home.person, EVENT - HOUR * 6)
    with pytest.raises(ValidationError) as caught:
        services.record_return_interview(episode, offered_at=EVENT)
    assert caught.value.message_dict["missing_episode"] == [
        "Record the young person's return first: the interview follows it."]
    episode = events.record_return(episode, ended_at=EVENT)
    episodes = type(episode).objects.filter(pk=episode.pk)

    def red(now, who=None):
        found = queries.interview_alerts(episodes, now) if who is None else queries.key_worker_alerts(who, now)
        return [a for a in found if a.colour == "red"]

    limit = dt.timedelta(hours=72)
    assert not red(EVENT + limit - HOUR)
    assert not red(EVENT + limit)
    assert red(EVENT + limit + HOUR)
    # the key worker and the hub manager see it
    assert red(EVENT + limit + HOUR, home.key_worker)
    assert any("Return interview" in a.text and a.colour == "red" for a in queries.hub_alerts(home.hub, EVENT + limit + HOUR))
    assert not red(EVENT + limit + HOUR, home.worker)
    with pytest.raises(ValidationError) as caught:
        services.record_return_interview(episode, offered_at=EVENT - HOUR)
    assert "cannot be offered before the young person returned" in caught.value.message_dict["offered_at"][0]
    with pytest.raises(ValidationError) as caught:
        services.record_return_interview(episode, offered_at=EVENT + HOUR, held_at=EVENT + HOUR * 5)
    assert caught.value.message_dict["conducted_by"] == ["Say who did the interview (name and organisation)."]
    assert "Say what was learnt" in caught.value.message_dict["learnt"][0]
    with pytest.raises(ValidationError) as caught:
        services.record_return_interview(episode, offered_at=EVENT + HOUR, held_at=EVENT + HOUR * 5, declined=True,
                                         conducted_by="Jo, Children's Society", learnt="Went to a party.")
    assert "A declined interview was not held" in caught.value.message_dict["declined"][0]
    services.record_return_interview(episode, offered_at=EVENT + HOUR, held_at=EVENT + HOUR * 5,
                                     conducted_by="Jo, Children's Society", learnt="Went to a party.", by=home.key_worker)
    assert not red(EVENT + limit + HOUR)


def test_an_inspector_grant_is_for_an_inspector_and_lasts_a_limited_time(home):
    inspector = UserFactory(username="ofsted1", role=Role.INSPECTOR)
    with pytest.raises(ValidationError) as caught:
        services.grant_inspection(home.hub, inspector=home.worker, starts=EVENT, expires=EVENT + HOUR, reason="x")
    assert "is not an inspector" in caught.value.message_dict["inspector"][0]
    with pytest.raises(ValidationError) as caught:
        services.grant_inspection(home.hub, inspector=inspector, starts=EVENT, expires=EVENT + dt.timedelta(days=15),
                                  reason="Full inspection")
    assert "lasts at most 14 days" in caught.value.message_dict["expires"][0]
    with pytest.raises(ValidationError) as caught:
        services.grant_inspection(home.hub, inspector=inspector, starts=EVENT, expires=EVENT, reason="")
    assert caught.value.message_dict["reason"] == ["Say which inspection the access is for."]
    from django.utils import timezone
    now = timezone.now()
    grant = services.grant_inspection(home.hub, inspector=inspector, starts=now - HOUR, expires=now + HOUR,
                                      reason="Full inspection")
    assert inspector.has_perm("safeguarding.view_records", home.hub)
    assert not inspector.has_perm("safeguarding.view_records", HubFactory())
    assert not inspector.has_perm("safeguarding.record", home.hub)
    services.end_inspection(grant)
    assert not inspector.has_perm("safeguarding.view_records", home.hub)
    assert InspectorGrant.objects.get().history.count() == 2


def test_a_signed_talk_is_not_signed_again(home, client):
    """A second post (a double click, a second tab, another manager's stale page) leaves the first
    signature as it was, and says so; the same for the confirmed talk with the young person."""
    from django.urls import reverse

    from nwd.access.testing import sign_in

    record = _restraint(home)
    services.sign_staff_talk(record, notes="Talked it through.", spoken_at=EVENT + HOUR * 2, by=home.manager)
    services.confirm_young_person_talk(record, view="Felt it was fair.", spoken_at=EVENT + HOUR * 3, by=home.worker)
    stale = RestraintRecord.objects.get(pk=record.pk)
    stale.staff_spoken_at = stale.young_person_spoken_at = None  # as a page read before the signing
    with pytest.raises(ValidationError) as caught:
        services.sign_staff_talk(stale, notes="Something else.", by=home.manager)
    assert caught.value.message_dict["__all__"] == [
        f"{home.manager.get_full_name() or home.manager.username} already signed the talk with the staff member "
        "on 02/06/2025. Nothing was changed: a signed record is not signed again."]
    with pytest.raises(ValidationError, match="already confirmed the talk with the young person"):
        services.confirm_young_person_talk(stale, view="Another view.", by=home.manager)

    sign_in(client, home.manager)
    response = client.post(reverse("safeguarding:sign_staff_talk", args=[record.pk]), {"staff_notes": "Again."})
    assert response.status_code == 422
    assert "already signed the talk with the staff member" in response.content.decode()
    record.refresh_from_db()
    assert (record.staff_notes, record.staff_spoken_at, record.young_person_view) == (
        "Talked it through.", EVENT + HOUR * 2, "Felt it was fair.")
    assert record.history.count() == 3  # made, signed, confirmed: nothing since


def test_the_alerts_window_holds_at_its_edges_whatever_was_asked_before(home):
    """The hub's alerts look back ``ALERT_DAYS`` from the moment asked, to the microsecond, though the
    window's day is written into the compiled query (``nwd.core.windows``): asked on another day
    before or after, the query of that day answers."""
    _restraint(home)  # the talks with the staff member and the young person still to do
    edge = EVENT + dt.timedelta(days=queries.ALERT_DAYS)
    tick = dt.timedelta(microseconds=1)

    def restraint_alerts(now):
        return [a for a in queries.hub_alerts(home.hub, now) if a.text.startswith("Manager's talk")]

    for now, shown in ((edge + dt.timedelta(days=3), False), (edge, True), (edge + tick, False), (EVENT + HOUR, True),
                       (edge - tick, True), (edge + tick, False)):
        assert bool(restraint_alerts(now)) is shown, now
