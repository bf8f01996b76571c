"""Placements now, flagged placements and ``nwd sufficiency --json`` against records built by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from nwd.access.models import AuditEvent
from nwd.access.roles import Role
from nwd.casework import prepared
from nwd.placements import queries, services
from nwd.placements.models import Judgement, ProviderStatus, QualityKind, RegistrationType
from tests.factories import UserFactory
from tests.placements.builders import TODAY, child, placed, provider, years_ago

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def build():
    """Six children on today's date, and one whose placement has ended:

    - A (14): private children's home, out of area, £5,000: external, private residential
    - B (13): in-house children's home, £3,000: in-house residential
    - C (17): unregistered supported accommodation (Z12) for 200 days (since 16), £800: external, supported; unlawful
    - D (15): registered supported accommodation (K3), £700, provider under review: unlawful and unsuitable
    - E (10): in-house foster carer, cost not recorded; a temporary placement (T1) since yesterday
    - F (8): placed with parents (no provider), in area
    - G (16): ended last year in unregistered H5: a breach that is over, not counted now
    """
    private = provider("Harbour Homes Ltd", "PR4", in_area=False, urn="1000001")
    own = provider("County homes", "PR1", urn="1000002")
    unregistered = provider("Riverside Lets", "PR4", regulated=False)
    supported = provider("Step Up Supported", "PR5", urn="1000003")
    fostering = provider("County fostering", "PR1")
    start = TODAY - dt.timedelta(days=100)
    people = {
        "A": child("A00001", years_ago(14)), "B": child("B00001", years_ago(13)),
        "C": child("C00001", years_ago(17)), "D": child("D00001", years_ago(15)),
        "E": child("E00001", years_ago(10)), "F": child("F00001", years_ago(8)), "G": child("G00001", years_ago(17)),
    }
    placed(people["A"], "K2", start, code="PR4", with_provider=private, cost="5000", in_area=False, urn="1000001")
    placed(people["B"], "K2", start, code="PR1", with_provider=own, cost="3000", urn="1000002")
    placed(people["C"], "Z12", TODAY - dt.timedelta(days=200), with_provider=unregistered, cost="800", regulated=False)
    placed(people["D"], "K3", start, code="PR5", with_provider=supported, cost="700", urn="1000003")
    foster = placed(people["E"], "U4", start, code="PR1", with_provider=fostering, end=TODAY - DAY)
    placed(people["E"], "T1", TODAY - DAY, period=foster.period)
    placed(people["F"], "P1", start, code="PR0")
    placed(people["G"], "H5", TODAY - dt.timedelta(days=500), code="PR4", end=TODAY - dt.timedelta(days=400),
           with_provider=unregistered, regulated=False, cost="900")
    services.set_standing(supported, status=ProviderStatus.UNDER_REVIEW, since=TODAY, reason="Staffing concerns.")
    return people, {"private": private, "own": own, "unregistered": unregistered, "supported": supported}


def test_placements_now_by_group_area_and_provider_type():
    build()
    now = queries.current(TODAY)
    by = {g.group: g.to_json() for g in now.groups}
    assert now.total.to_json() == {
        "group": "total", "label": "All placements", "children": 6, "in_area": 5, "out_of_area": 1, "in_house": 2,
        "external": 3, "no_provider": 1, "weekly_cost": 9500.0, "costed": 4, "average_weekly_cost": 2375.0,
    }
    assert by["private_residential"] | {} == {**by["private_residential"], "children": 1, "out_of_area": 1,
                                              "external": 1, "weekly_cost": 5000.0}
    assert (by["in_house_residential"]["children"], by["in_house_residential"]["in_house"]) == (1, 1)
    assert (by["supported"]["children"], by["supported"]["external"], by["supported"]["weekly_cost"]) == (2, 2, 1500.0)
    # The temporary placement counts in the group of the foster placement before it.
    assert (by["in_house_fostering"]["children"], by["in_house_fostering"]["costed"]) == (1, 0)
    assert (by["with_parents"]["children"], by["with_parents"]["no_provider"]) == (1, 1)
    assert by["agency_fostering"]["children"] == 0


def test_flagged_placements():
    people, providers = build()
    found = queries.flagged(TODAY)
    summary = {(f.child_id, f.kind, f.ongoing) for f in found}
    assert summary == {
        ("C00001", "unlawful", True), ("D00001", "unlawful", True), ("D00001", "quality", True),
        ("G00001", "unlawful", False),
    }
    d = next(f for f in found if f.child_id == "D00001" and f.kind == "unlawful")
    assert d.days == 101 and d.ongoing and d.provider == "Step Up Supported"
    assert next(f for f in found if f.child_id == "G00001").days == 100
    assert {f.child_id for f in queries.flagged(TODAY, ongoing_only=True)} == {"C00001", "D00001"}
    mine = queries.flagged(TODAY, young_person_id=people["C"].pk)
    assert [f.reason for f in mine] == ["16 or 17 in accommodation not registered with Ofsted (unlawful since 28 October 2023)"]


def test_one_young_persons_flags_read_with_other_queries_are_flagged():
    """``flagged_reading`` (the young person's page sends its two queries with its others) gives
    what ``flagged`` does for one young person: unlawful, at a provider of concern, both, none."""
    people, providers = build()
    services.record_setting(providers["private"], name="Harbour House", registration=RegistrationType.CHILDRENS_HOME,
                            urn="1000001", inspected=TODAY - dt.timedelta(days=30), judgement=Judgement.INADEQUATE)
    kinds = set()
    for person in people.values():
        flag_queries, made = queries.flagged_reading(TODAY, person.pk)
        read = made(iter(prepared.together(flag_queries)))
        assert read == queries.flagged(TODAY, young_person_id=person.pk)
        kinds |= {(person.child_id, flag.kind) for flag in read}
    assert kinds == {("A00001", "quality"), ("C00001", "unlawful"), ("D00001", "unlawful"), ("D00001", "quality"),
                     ("G00001", "unlawful")}


def test_a_provider_judged_inadequate_flags_its_placements():
    people, providers = build()
    services.record_setting(providers["private"], name="Harbour House", registration=RegistrationType.CHILDRENS_HOME,
                            urn="1000001", inspected=TODAY - dt.timedelta(days=30), judgement=Judgement.INADEQUATE)
    flags = [f for f in queries.flagged(TODAY) if f.child_id == "A00001"]
    assert [(f.kind, f.reason) for f in flags] == [("quality", "Judged inadequate by Ofsted (Harbour House)")]


def test_the_rules_of_the_records():
    _, providers = build()
    with pytest.raises(ValidationError) as error:
        services.set_standing(providers["own"], status=ProviderStatus.SUSPENDED, since=TODAY)
    assert error.value.message_dict["reason"] == ["Say why the provider is suspended."]
    with pytest.raises(ValidationError) as error:
        services.record_setting(providers["own"], name="Oak", registration=RegistrationType.CHILDRENS_HOME,
                                judgement=Judgement.GOOD)
    assert "A children's home needs its Ofsted URN." in error.value.message_dict["urn"]
    assert "A judgement needs the date of the inspection that gave it." in error.value.message_dict["inspected"]
    with pytest.raises(ValidationError) as error:
        services.record_quality_event(providers["own"], kind=QualityKind.CONCERN, happened=TODAY + DAY, summary=" ")
    assert error.value.message_dict["happened"] == ["The date cannot be in the future."]
    event = services.record_quality_event(providers["own"], kind=QualityKind.CONCERN, happened=TODAY, summary="Damp.")
    with pytest.raises(ValidationError) as error:
        services.resolve_quality_event(event, resolved=TODAY - DAY, outcome="")
    assert error.value.message_dict["resolved"] == ["The date resolved must be on or after the date it was raised."]
    assert event.history.count() == 1


def test_nwd_sufficiency_json_from_hand_built_records(tmp_path):
    build()
    officer = UserFactory(role=Role.COMMISSIONING_OFFICER, username="commissioner")
    path = tmp_path / "sufficiency.json"
    call_command("sufficiency", "--json", str(path), "--as", "commissioner", "--draws", "5")
    report = json.loads(path.read_text())
    assert set(report) == {"date", "current", "flagged", "projection", "insourcing"}
    assert report["current"]["total"]["children"] == 6 and report["current"]["total"]["weekly_cost"] == 9500.0
    assert {f["child"] for f in report["flagged"]["unlawful"]} == {"C00001", "D00001", "G00001"}
    assert [f["child"] for f in report["flagged"]["unsuitable"]] == ["D00001"]
    # Seven children are too few to learn rates from: the file says why there is no projection.
    assert set(report["projection"]) == {"problem"} or "groups" in report["projection"]
    exports = AuditEvent.objects.filter(user=officer, action="export")
    assert exports.filter(young_person__isnull=True).count() == 1
    assert set(exports.exclude(young_person__isnull=True).values_list("young_person__child_id", flat=True)) == {
        "C00001", "D00001", "G00001"}


def test_nwd_sufficiency_needs_a_user_who_may():
    UserFactory(role=Role.KEY_WORKER, username="worker")
    with pytest.raises(CommandError, match="placements.view_sufficiency"):
        call_command("sufficiency", "--json", "unused.json", "--as", "worker")
