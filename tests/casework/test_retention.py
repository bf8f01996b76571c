"""Retention: the rules at their boundaries, the dry run that changes nothing, and --apply, which
destroys exactly the young people due (and everything about them, with its history) and leaves one
audit entry of counts without personal data.

Hand-made records, dated from today: a looked-after child whose 75th birthday is yesterday, today
or tomorrow; a looked-after child who died at 10, 15 years ago give or take a day; a young person
never looked after around the council's period (the 25th birthday plus NWD_RETENTION_YEARS_AFTER_25).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from nwd.access import audit
from nwd.access.models import Action, AuditEvent
from nwd.access.roles import Role
from nwd.care.models import CareEpisode, CarePeriod, CareReview
from nwd.casework import retention
from nwd.casework.models import (
    Contact,
    GoalProgress,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    Referral,
    SpecialistInvolvement,
    YoungPerson,
)
from nwd.config import ConfigurationError, retention_years_after_25
from nwd.core import dates
from nwd.drafts.models import Draft
from nwd.events.models import EETPeriod, ExploitationConcern, HealthEvent, MissingEpisode, PoliceContact
from nwd.hubs.models import Stay
from tests.factories import BedFactory, HubFactory, UserFactory

TODAY = dates.today()
ONE_DAY = dt.timedelta(days=1)


def born_to_turn(age: int, on: dt.date) -> dt.date:
    """A date of birth that makes someone ``age`` on ``on`` (their birthday)."""
    return dates.birthday(on, -age) if (on.month, on.day) != (2, 29) else dt.date(on.year - age, 3, 1)


# --- The rules, without a database ----------------------------------------------------------------


def test_a_looked_after_childs_records_are_kept_to_the_75th_birthday():
    born = dt.date(1950, 6, 15)
    assert retention.kept_until(born, looked_after=True) == (retention.LOOKED_AFTER, dt.date(2025, 6, 15))


def test_a_looked_after_child_who_died_before_18_is_kept_15_years_after_the_death():
    born = dt.date(2000, 6, 15)
    rule, until = retention.kept_until(born, looked_after=True, date_of_death=dt.date(2010, 1, 2))
    assert (rule, until) == (retention.DIED_YOUNG, dt.date(2025, 1, 2))
    # Dying on the 18th birthday or later: the 75th birthday again.
    assert retention.kept_until(born, looked_after=True, date_of_death=dt.date(2018, 6, 15)) == (
        retention.LOOKED_AFTER, dt.date(2075, 6, 15))
    assert retention.kept_until(born, looked_after=True, date_of_death=dt.date(2018, 6, 14))[0] == retention.DIED_YOUNG


def test_other_service_records_are_kept_the_councils_years_after_the_25th_birthday_or_the_end_of_support():
    born = dt.date(2000, 6, 15)
    assert retention.kept_until(born, looked_after=False, years=6) == (retention.SERVICE, dt.date(2031, 6, 15))
    assert retention.kept_until(born, looked_after=False, years=0)[1] == dt.date(2025, 6, 15)
    later = dt.date(2026, 1, 31)  # support ran past the 25th birthday
    assert retention.kept_until(born, looked_after=False, last_service_day=later, years=6)[1] == dt.date(2032, 1, 31)
    earlier = dt.date(2019, 1, 31)
    assert retention.kept_until(born, looked_after=False, last_service_day=earlier, years=6)[1] == dt.date(2031, 6, 15)


def test_a_birthday_on_29_february_falls_on_1_march():
    assert retention.kept_until(dt.date(1952, 2, 29), looked_after=True)[1] == dt.date(2027, 3, 1)


def test_the_councils_period_comes_from_the_environment_with_a_default_of_6_years():
    assert retention_years_after_25({}) == 6
    assert retention_years_after_25({"NWD_RETENTION_YEARS_AFTER_25": " 10 "}) == 10
    for bad in ("-1", "six", "2.5", "99"):
        with pytest.raises(ConfigurationError, match="NWD_RETENTION_YEARS_AFTER_25"):
            retention_years_after_25({"NWD_RETENTION_YEARS_AFTER_25": bad})


# --- Hand-made records ----------------------------------------------------------------------------


class World:
    def __init__(self):
        self.hub = HubFactory()
        self.bed = BedFactory(hub=self.hub)
        self.key_worker = UserFactory(role=Role.KEY_WORKER, hub=self.hub)
        self.specialist = UserFactory(role=Role.LIFE_COACH)
        self.dpo = UserFactory(role=Role.DATA_PROTECTION_OFFICER, username="dpo_retention")
        self.people: dict[str, YoungPerson] = {}
        self.n = 0

    def person(self, key: str, born: dt.date, *, looked_after: str | None = "care", died: dt.date | None = None,
               support_end: dt.date | None = None, open_support: bool = False) -> YoungPerson:
        """A young person with one of everything a record can hold about them."""
        self.n += 1
        person = YoungPerson.objects.create(
            child_id=f"RET{self.n:04d}", given_name=f"Given{key}", family_name="Retention", date_of_birth=born,
            sex="2", ethnicity="WBRI", nhs_number="9434765919", date_of_death=died,
        )
        person.restricted_to.add(self.key_worker)  # a version of the named users in simple-history's m2m table
        person.given_name = f"Renamed{key}"
        person.save()  # a second history version, saying the old name
        at_12 = dates.birthday(born, 12)
        end = support_end or dates.birthday(born, 17)
        referral = Referral.objects.create(young_person=person, source_agency="school", received=at_12,
                                           reason="Worries", status="closed", decision="outreach",
                                           decision_date=at_12)
        involvement = Involvement.objects.create(
            young_person=person, referral=referral, hub=self.hub, support_type="outreach", start=at_12,
            end=None if open_support else end, end_reason="" if open_support else "goals_met")
        KeyWorkerAllocation.objects.create(involvement=involvement, key_worker=self.key_worker, start=at_12,
                                           end=None if open_support else end, reason="first")
        SpecialistInvolvement.objects.create(young_person=person, involvement=involvement,
                                             specialist=self.specialist, start=at_12, end=end)
        Contact.objects.create(young_person=person, involvement=involvement, staff=self.key_worker,
                               at=timezone.make_aware(dt.datetime.combine(at_12, dt.time(10))), kind="face_to_face",
                               summary=f"Met Given{key} at home.")
        plan = Plan.objects.create(young_person=person, involvement=involvement, started=at_12)
        goal = PlanGoal.objects.create(plan=plan, area="safety", description="Home by ten")
        review = PlanReview.objects.create(plan=plan, reviewed_on=at_12, reviewed_by=self.key_worker)
        GoalProgress.objects.create(review=review, goal=goal, progress="some")
        moment = timezone.make_aware(dt.datetime.combine(at_12, dt.time(20)))
        MissingEpisode.objects.create(young_person=person, started_at=moment, ended_at=moment + dt.timedelta(hours=3))
        PoliceContact.objects.create(young_person=person, occurred_on=at_12, kind="arrest")
        HealthEvent.objects.create(young_person=person, occurred_on=at_12, kind="ae")
        ExploitationConcern.objects.create(young_person=person, raised_on=at_12, kind="criminal", closed_on=at_12)
        EETPeriod.objects.create(young_person=person, status="school", start=at_12)
        Draft.objects.create(user=self.key_worker, form="contact", record=f"young_person:{person.pk}",
                             young_person=person, data={"summary": [f"About Given{key}"]})
        if looked_after == "care":
            period = CarePeriod.objects.create(young_person=person, start=at_12, end=end)
            CareEpisode.objects.create(young_person=person, period=period, decom=at_12, dec=end, rne="S", ls="V2",
                                       cin="N1", place="K2", place_provider="PR1", rec="E8")
            CareReview.objects.create(young_person=person, review_date=at_12)
        elif looked_after == "stay":
            Stay.objects.create(bed=self.bed, young_person=person, involvement=involvement, admitted=at_12,
                                discharged=at_12 + ONE_DAY, destination="home", planned=True)
        audit.record(None, Action.VIEW, person, user=self.key_worker)
        self.people[key] = person
        return person


@pytest.fixture
def world(db, settings):
    settings.NWD_RETENTION_YEARS_AFTER_25 = 6
    w = World()
    w.person("la_yesterday", born_to_turn(75, TODAY - ONE_DAY))  # 75th birthday yesterday: due
    w.person("la_today", born_to_turn(75, TODAY))  # the birthday itself: still kept
    w.person("la_tomorrow", born_to_turn(75, TODAY + ONE_DAY))  # the day before the birthday: kept
    w.person("stay_yesterday", born_to_turn(75, TODAY - ONE_DAY), looked_after="stay")  # a hub stay counts
    died_due = dates.birthday(TODAY, -15) - ONE_DAY
    w.person("died_due", born_to_turn(10, died_due), died=died_due)  # died at 10, 15 years and a day ago
    died_kept = dates.birthday(TODAY, -15) + ONE_DAY
    w.person("died_kept", born_to_turn(10, died_kept), died=died_kept)  # 15 years less a day ago
    w.person("other_tomorrow", born_to_turn(31, TODAY + ONE_DAY), looked_after=None)
    late_born = born_to_turn(31, TODAY - ONE_DAY)
    w.person("other_supported_late", late_born, looked_after=None,  # support ended after the 25th birthday
             support_end=dates.birthday(late_born, 25) + dt.timedelta(days=30))
    w.person("la_open", born_to_turn(76, TODAY), open_support=True)  # due, but support is still open
    w.person("other_yesterday", born_to_turn(31, TODAY - ONE_DAY), looked_after=None)  # 25 + 6 years; made last
    return w


DUE = {"la_yesterday", "stay_yesterday", "died_due", "other_yesterday"}


def _keys(world, found) -> set[str]:
    by_pk = {p.pk: key for key, p in world.people.items()}
    return {by_pk[d.young_person_id] for d in found}


def _all_rows() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model is not AuditEvent}


def test_the_records_due_are_found_by_rule(world):
    found = retention.due()
    assert _keys(world, found) == DUE | {"la_open"}
    rules = {key: d.rule.key for d in found for key in _keys(world, [d])}
    assert rules == {"la_yesterday": "looked_after", "stay_yesterday": "looked_after", "died_due": "died_before_18",
                     "other_yesterday": "service_records", "la_open": "looked_after"}
    assert [d.still_open for d in found if _keys(world, [d]) == {"la_open"}] == [True]
    one = next(d for d in found if _keys(world, [d]) == {"la_yesterday"})
    assert one.kept_until == TODAY - ONE_DAY
    assert one.records["casework.Contact"] == 1 and one.records["care.CareEpisode"] == 1
    assert one.audit_rows == 1


def test_the_councils_period_is_read_from_the_settings(world, settings):
    settings.NWD_RETENTION_YEARS_AFTER_25 = 7
    assert "other_yesterday" not in _keys(world, retention.due())
    settings.NWD_RETENTION_YEARS_AFTER_25 = 5
    assert {"other_yesterday", "other_tomorrow"} <= _keys(world, retention.due())


def test_the_dry_run_lists_them_and_changes_nothing(world):
    before = _all_rows()
    events_before = AuditEvent.objects.count()
    out = StringIO()
    call_command("retention", "--dry-run", "--as", "dpo_retention", stdout=out)
    text = out.getvalue()
    for key in DUE:
        assert world.people[key].child_id in text
    for key in ("la_today", "la_tomorrow", "died_kept", "other_tomorrow", "other_supported_late"):
        assert world.people[key].child_id not in text
    assert "STILL OPEN" in text and "Nothing was destroyed" in text
    assert _all_rows() == before
    listed = AuditEvent.objects.filter(detail="retention dry run")
    assert AuditEvent.objects.count() == events_before + listed.count() == events_before + len(DUE) + 1
    assert set(listed.values_list("user__username", flat=True)) == {"dpo_retention"}


def test_apply_destroys_exactly_those_due_with_their_history_and_leaves_one_audit_entry(world):
    due_ids = [world.people[key].pk for key in DUE]
    kept_ids = [p.pk for key, p in world.people.items() if key not in DUE]
    kept_rows_before = _rows_about(kept_ids)
    audit_about_due = AuditEvent.objects.filter(young_person_id__in=due_ids).count()
    last_event = AuditEvent.objects.order_by("-pk").first().pk
    out = StringIO()
    call_command("retention", "--apply", "--as", "dpo_retention", stdout=out)

    assert set(YoungPerson.objects.values_list("pk", flat=True)) == set(kept_ids)
    assert all(n == 0 for n in _rows_about(due_ids).values()), _rows_about(due_ids)
    assert _rows_about(kept_ids) == kept_rows_before
    for key in DUE:  # no version of any record says who they were
        person = world.people[key]
        for model in retention.models_about_a_young_person():
            history = getattr(model, "history", None)
            if history is not None and "young_person_id" in {f.attname for f in history.model._meta.fields}:
                assert not history.model.objects.filter(young_person_id=person.pk).exists(), model
        assert not YoungPerson.history.model.objects.filter(id=person.pk).exists()
        assert not YoungPerson.history.model.objects.filter(given_name__endswith=key).exists()
        assert not Contact.history.model.objects.filter(summary__contains=f"Given{key}").exists()
    m2m = YoungPerson.history.model._history_m2m_fields[0]
    from simple_history.models import HistoricalRecords

    assert not HistoricalRecords.m2m_models[m2m].objects.filter(youngperson_id__in=due_ids).exists()
    assert not Draft.objects.filter(young_person_id__in=due_ids).exists()

    # The audit log keeps its rows (append-only), and gains exactly one entry, of counts.
    assert AuditEvent.objects.filter(young_person_id__in=due_ids).count() == audit_about_due
    new = list(AuditEvent.objects.filter(pk__gt=last_event))
    assert len(new) == 1
    entry = new[0]
    assert (entry.action, entry.user.username, entry.young_person_id, entry.object_id) == (
        Action.DELETE, "dpo_retention", None, "")
    assert "looked_after 2 young people" in entry.detail
    assert "died_before_18 1 young people" in entry.detail and "service_records 1 young people" in entry.detail
    assert "1 due but still open, kept" in entry.detail
    for key in DUE:
        person = world.people[key]
        for personal in (person.child_id, key, "Retention", f"{person.date_of_birth:%d/%m/%Y}",
                         person.date_of_birth.isoformat(), person.nhs_number):
            assert personal not in entry.detail
    assert "destroyed" in out.getvalue()
    # The audit rows' ids lead nowhere: an id is never given again, so they cannot come to mean someone else.
    newcomer = YoungPerson.objects.create(child_id="NEW0001", given_name="New", family_name="Person",
                                          date_of_birth=dt.date(2012, 1, 1), sex="1")
    assert newcomer.pk > max(due_ids + kept_ids)
    assert retention.due() == [d for d in retention.due() if d.still_open]  # only the open one is left due


def _rows_about(ids) -> dict[str, int]:
    rows = {}
    for model in retention.models_about_a_young_person():
        path = "pk" if model is YoungPerson else retention._path(model)
        rows[model._meta.label] = model._default_manager.filter(**{f"{path}__in": ids}).count()
    return rows


def test_every_model_about_a_young_person_is_destroyed_in_a_safe_order(db):
    order = retention.models_about_a_young_person()
    assert order[-1] is YoungPerson
    for model in (Referral, Involvement, Contact, Plan, PlanGoal, GoalProgress, CareEpisode, CarePeriod, Stay, Draft,
                  MissingEpisode, EETPeriod):
        assert model in order
    assert order.index(GoalProgress) < order.index(PlanReview) < order.index(Plan) < order.index(Involvement)
    assert order.index(Involvement) < order.index(Referral)
    assert order.index(CareEpisode) < order.index(Stay) and order.index(CareEpisode) < order.index(CarePeriod)
    assert AuditEvent not in order


def test_apply_is_all_or_nothing(world, monkeypatch):
    before = _all_rows()
    original = retention._destroy_history

    def fail_late(model, pks, ids):
        if model is YoungPerson:
            raise RuntimeError("disk full")
        return original(model, pks, ids)

    monkeypatch.setattr(retention, "_destroy_history", fail_late)
    with pytest.raises(CommandError, match="Nothing was destroyed"):
        call_command("retention", "--apply", "--as", "dpo_retention", stdout=StringIO())
    assert _all_rows() == before


def test_only_the_data_protection_officer_may_run_it(world):
    UserFactory(role=Role.SERVICE_MANAGER, username="sm_retention")
    with pytest.raises(CommandError, match="casework.apply_retention"):
        call_command("retention", "--dry-run", "--as", "sm_retention", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("retention", "--apply", stdout=StringIO())  # --as is required
