"""``nwd sufficiency --json`` on the scale-1 synthetic county (the suite's ``county`` fixture), and what
the county holds for it: providers with inspection judgements, standings and quality concerns, and
unregistered placements either side of 9/9/2021 and 28/10/2023."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.codelists.groups import PlacementGroup
from nwd.core import dates
from nwd.placements import queries
from nwd.placements.lawfulness import SIXTEEN_SEVENTEEN_FROM
from nwd.placements.models import (
    Judgement,
    ProviderStanding,
    ProviderStatus,
    QualityEvent,
    QualityKind,
    Setting,
)

pytestmark = pytest.mark.django_db


def test_nwd_sufficiency_on_the_county(county, tmp_path):
    officer = User.objects.filter(role=Role.COMMISSIONING_OFFICER).first()
    assert officer is not None, "the county has a commissioning officer"
    path = tmp_path / "sufficiency.json"
    call_command("sufficiency", "--json", str(path), "--as", officer.username, "--draws", "50")
    report = json.loads(path.read_text())
    current = report["current"]
    assert {g["group"] for g in current["groups"]} == {g.value for g in PlacementGroup}
    for figures in [*current["groups"], current["total"]]:
        assert figures["in_area"] + figures["out_of_area"] == figures["children"]
        assert figures["in_house"] + figures["external"] + figures["no_provider"] == figures["children"]
    assert current["total"]["children"] == sum(g["children"] for g in current["groups"])
    assert 900 <= current["total"]["children"] <= 1300  # about 1,100 looked after (docs/domain.md)
    assert current["total"]["weekly_cost"] > 0
    unlawful, unsuitable = report["flagged"]["unlawful"], report["flagged"]["unsuitable"]
    assert any(f["ongoing"] for f in unlawful) and any(not f["ongoing"] for f in unlawful)
    assert unsuitable and all(f["ongoing"] for f in unsuitable)
    projection = report["projection"]
    assert projection["years"] >= 3 and len(projection["groups"]) == len(PlacementGroup)
    for group in projection["groups"]:
        assert [row["year"] for row in group["by_year"]] == list(range(1, projection["years"] + 1))
        for row in group["by_year"]:
            for scenario in ("without_service", "with_service"):
                assert row[scenario]["places"] >= row[scenario]["children"] >= 0
    residential = next(g for g in projection["groups"] if g["group"] == "private_residential")
    assert residential["by_year"][-1]["with_service"]["children"] < residential["by_year"][-1]["without_service"]["children"]
    assert report["insourcing"]["total_saving"] > 0 and report["insourcing"]["costs_from"] == "the council's records"


def test_the_county_holds_provider_quality_at_plausible_rates(county):
    judged = Setting.objects.exclude(judgement="")
    homes = judged.filter(registration="childrens_home")
    assert homes.count() >= 40
    inadequate = homes.filter(judgement=Judgement.INADEQUATE).count() / homes.count()
    good_or_better = homes.filter(judgement__in=[Judgement.GOOD, Judgement.OUTSTANDING]).count() / homes.count()
    assert inadequate < 0.15 and good_or_better > 0.6
    assert Setting.objects.filter(registration="supported_accommodation", judgement="").exists()  # not yet inspected
    standings = ProviderStanding.objects.all()
    assert 0 < standings.exclude(status=ProviderStatus.APPROVED).count() < standings.count() * 0.25
    assert QualityEvent.objects.filter(kind=QualityKind.CONCERN, resolved__isnull=True).exists()
    assert QualityEvent.objects.filter(kind=QualityKind.COMPLAINT).exists()


def test_the_county_has_unlawful_placements_either_side_of_the_dates(county):
    flags = queries.unlawful(dates.today())
    assert flags
    sixteen = [f for f in flags if "16 or 17" in f.reason]
    assert any(f.placement_start < SIXTEEN_SEVENTEEN_FROM for f in sixteen)  # ran over 28/10/2023
    assert any(f.placement_start >= SIXTEEN_SEVENTEEN_FROM for f in sixteen)
    under = [f for f in flags if "Under 16" in f.reason]
    assert under and all(f.start >= dt.date(2021, 9, 9) for f in under)
