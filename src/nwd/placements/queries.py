"""The reads the placement pages and ``nwd sufficiency`` share: flagged placements, the placements
now by group, area and provider type, and the provider register. Each a fixed number of queries,
whatever the number of placements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from nwd.care.models import CareEpisode, Provider
from nwd.casework import prepared
from nwd.codelists import codes
from nwd.codelists.codes import TEMPORARY_PLACE
from nwd.codelists.groups import GROUP_LABELS, PlacementGroup, placement_group
from nwd.placements import lawfulness
from nwd.placements.models import (
    CONCERNING_STATUSES,
    REGISTERED_ACCOMMODATION,
    Judgement,
    ProviderStanding,
    ProviderStatus,
    QualityEvent,
    QualityKind,
    Setting,
)

IN_HOUSE = "in_house"
EXTERNAL = "external"
NO_PROVIDER = "no_provider"
PROVIDER_TYPE_LABELS = {IN_HOUSE: "In-house (the council's own)", EXTERNAL: "External (other councils, private, voluntary)",
                        NO_PROVIDER: "No provider (with parents, or not recorded)"}
EXTERNAL_CODES = frozenset({"PR2", "PR3", "PR4", "PR5"})

UNLAWFUL = "unlawful"
QUALITY = "quality"


def provider_type(place_provider: str) -> str:
    """In-house (PR1), external (another council, public body, private or voluntary), or neither."""
    if place_provider == "PR1":
        return IN_HOUSE
    if place_provider in EXTERNAL_CODES:
        return EXTERNAL
    return NO_PROVIDER


def open_on(on: dt.date) -> Q:
    """Episodes a child was in on day ``on``: started by then, not yet ceased (DEC is not a day of it)."""
    return Q(decom__lte=on) & (Q(dec__isnull=True) | Q(dec__gt=on))


# ---------------------------------------------------------------------------------------------
# Flagged placements


@dataclass(frozen=True)
class Flag:
    """A placement flagged as unlawful (a breach of a rule in ``lawfulness``) or unsuitable (the provider)."""

    kind: str  # UNLAWFUL or QUALITY
    reason: str
    episode_id: int
    young_person_id: int
    child_id: str
    place: str
    provider: str
    provider_id: int | None
    placement_start: dt.date
    placement_end: dt.date | None
    start: dt.date  # of the breach (or the placement, for a quality flag)
    end: dt.date  # the last day flagged (inclusive)
    days: int
    ongoing: bool
    age_at_start: int
    weekly_cost: Decimal | None

    @property
    def place_label(self) -> str:
        return codes.label("PLACE", self.place)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "reason": self.reason, "child": self.child_id, "place": self.place,
            "provider": self.provider, "placement_start": self.placement_start.isoformat(),
            "placement_end": self.placement_end.isoformat() if self.placement_end else None,
            "flagged_from": self.start.isoformat(), "flagged_to": self.end.isoformat(), "days": self.days,
            "ongoing": self.ongoing, "age_at_start": self.age_at_start,
            "weekly_cost": float(self.weekly_cost) if self.weekly_cost is not None else None,
        }


def _age(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    return years - 1 if (day.month, day.day) < (date_of_birth.month, date_of_birth.day) else years


def _unregistered_settings() -> QuerySet[Setting]:
    return Setting.objects.filter(urn=OuterRef("urn")).exclude(registration__in=sorted(REGISTERED_ACCOMMODATION))


def _registered(row: dict[str, Any]) -> bool:
    provider_regulated = row["provider__regulated"]
    return bool(row["regulated"]) and provider_regulated is not False and not row["unregistered_setting"]


EPISODE_FIELDS = ("pk", "young_person_id", "young_person__child_id", "young_person__date_of_birth", "place",
                  "decom", "dec", "regulated", "provider_id", "provider__name", "provider__regulated", "weekly_cost",
                  "urn")


def _episodes(young_person_id: int | None) -> QuerySet[CareEpisode]:
    episodes = CareEpisode.objects.all()
    if young_person_id is not None:
        episodes = episodes.filter(young_person_id=young_person_id)
    return episodes


def _unlawful_candidates(on: dt.date, young_person_id: int | None) -> QuerySet[Any, dict[str, Any]]:
    """The placements that may break a rule of ``lawfulness`` on a day to ``on`` (as ``values``)."""
    return (
        _episodes(young_person_id)
        .filter(decom__lte=on)
        .filter(Q(dec__isnull=True) | Q(dec__gt=lawfulness.UNDER_16_FROM))
        .filter(
            Q(place__in=sorted(lawfulness.NOT_A_CHILDRENS_HOME))
            | Q(place="K2", regulated=False)
            | Q(place="K2", provider__regulated=False)
            | (Q(place="K2") & Q(Exists(_unregistered_settings())))
        )
        .annotate(unregistered_setting=Exists(_unregistered_settings()))
        .order_by("young_person_id", "decom")
        .values(*EPISODE_FIELDS, "unregistered_setting")
    )


def unlawful(on: dt.date, *, young_person_id: int | None = None) -> list[Flag]:
    """Every placement that broke a rule of ``lawfulness`` on any day to ``on``, one flag per breach."""
    if young_person_id is None:
        candidates: Iterable[dict[str, Any]] = _unlawful_candidates(on, None)
    else:
        # One young person's (their page): the query is built and compiled once a process and day.
        candidates = prepared.dicts(*_unlawful_of(on, young_person_id))
    return _unlawful_flags(candidates, on)


def _unlawful_of(on: dt.date, young_person_id: int) -> prepared.Values:
    return prepared.Values(("placements", "unlawful", on), lambda pk: _unlawful_candidates(on, pk), young_person_id)


def _unlawful_flags(candidates: Iterable[dict[str, Any]], on: dt.date) -> list[Flag]:
    flags = []
    for row in candidates:
        placement = lawfulness.Placement(
            date_of_birth=row["young_person__date_of_birth"], start=row["decom"], end=row["dec"],
            place=row["place"], registered=_registered(row),
        )
        for breach in lawfulness.breaches(placement, on):
            flags.append(_flag(row, UNLAWFUL, breach.rule.label, breach.start, breach.end, breach.ongoing))
    return flags


def _flag(row: dict[str, Any], kind: str, reason: str, start: dt.date, end: dt.date, ongoing: bool) -> Flag:
    return Flag(
        kind=kind, reason=reason, episode_id=row["pk"], young_person_id=row["young_person_id"],
        child_id=row["young_person__child_id"], place=row["place"], provider=row["provider__name"] or "Not recorded",
        provider_id=row["provider_id"], placement_start=row["decom"], placement_end=row["dec"], start=start, end=end,
        days=(end - start).days + 1, ongoing=ongoing, age_at_start=_age(row["young_person__date_of_birth"], start),
        weekly_cost=row["weekly_cost"],
    )


@dataclass(frozen=True)
class ProviderConcerns:
    """Why placements with providers are flagged: their standing, and settings judged inadequate."""

    status: dict[int, str]  # provider id -> status label, for providers under review or suspended
    inadequate: dict[int, dict[str, str]]  # provider id -> {urn: setting name} of settings judged inadequate
    all_urns: dict[int, set[str]]  # provider id -> URNs of its settings (to tell which setting a placement is in)


def provider_concerns(provider_ids: list[int] | None = None) -> ProviderConcerns:
    """Two queries: standings under review or suspended, and the settings of providers with an inadequate one."""
    standings = ProviderStanding.objects.filter(status__in=sorted(CONCERNING_STATUSES))
    if provider_ids is not None:
        standings = standings.filter(provider_id__in=provider_ids)
    labels = dict(ProviderStatus.choices)
    status = {s["provider_id"]: labels[s["status"]] for s in standings.values("provider_id", "status")}
    settings = Setting.objects.filter(
        provider_id__in=Setting.objects.filter(judgement=Judgement.INADEQUATE).values("provider_id")
    )
    if provider_ids is not None:
        settings = settings.filter(provider_id__in=provider_ids)
    inadequate: dict[int, dict[str, str]] = defaultdict(dict)
    all_urns: dict[int, set[str]] = defaultdict(set)
    for s in settings.values("provider_id", "urn", "name", "judgement"):
        all_urns[s["provider_id"]].add(s["urn"])
        if s["judgement"] == Judgement.INADEQUATE:
            inadequate[s["provider_id"]][s["urn"]] = s["name"]
    return ProviderConcerns(status, dict(inadequate), dict(all_urns))


def quality_reason(concerns: ProviderConcerns, provider_id: int | None, urn: str) -> str | None:
    """Why a placement with this provider (in the setting with this URN) is flagged, or None."""
    if provider_id is None:
        return None
    reasons = []
    if provider_id in concerns.status:
        reasons.append(f"Provider {concerns.status[provider_id].lower()} by the council")
    inadequate = concerns.inadequate.get(provider_id, {})
    in_a_known_setting = urn in concerns.all_urns.get(provider_id, set())
    if inadequate and (urn in inadequate or not in_a_known_setting):
        names = [inadequate[urn]] if urn in inadequate else sorted(inadequate.values())
        reasons.append(f"Judged inadequate by Ofsted ({', '.join(names)})")
    return "; ".join(reasons) or None


def _at_providers_of_concern(on: dt.date, young_person_id: int) -> QuerySet[Any, dict[str, Any]]:
    """The young person's placements open on ``on`` with a provider under review, suspended or with a
    setting judged inadequate (as ``values``)."""
    of_concern = Q(Exists(ProviderStanding.objects.filter(provider_id=OuterRef("provider_id"),
                                                          status__in=sorted(CONCERNING_STATUSES))))
    of_concern |= Q(Exists(Setting.objects.filter(provider_id=OuterRef("provider_id"),
                                                  judgement=Judgement.INADEQUATE)))
    rows: QuerySet[Any, dict[str, Any]] = (_episodes(young_person_id).filter(open_on(on), provider_id__isnull=False)
                                            .filter(of_concern).order_by("decom").values(*EPISODE_FIELDS))
    return rows


def unsuitable(on: dt.date, *, young_person_id: int | None = None) -> list[Flag]:
    """Placements open on ``on`` with a provider under review or suspended, or judged inadequate.

    For one young person (their page) the placements are read first, so a young person with none
    at such a provider costs one query; for everyone, the providers of concern first."""
    if young_person_id is not None:
        # Built and compiled once a process and day (``nwd.casework.prepared``): the page asks it each time.
        return _unsuitable_of_rows(prepared.dicts(*_unsuitable_of(on, young_person_id)), on)
    concerns = provider_concerns()
    providers = set(concerns.status) | set(concerns.inadequate)
    if not providers:
        return []
    rows = list(
        _episodes(None).filter(open_on(on), provider_id__in=sorted(providers))
        .order_by("young_person_id", "decom").values(*EPISODE_FIELDS)
    )
    return _unsuitable_flags(rows, concerns, on)


def _unsuitable_of(on: dt.date, young_person_id: int) -> prepared.Values:
    return prepared.Values(("placements", "unsuitable", on), lambda pk: _at_providers_of_concern(on, pk),
                           young_person_id)


def _unsuitable_of_rows(rows: list[dict[str, Any]], on: dt.date) -> list[Flag]:
    """One young person's flags of ``_at_providers_of_concern``'s rows: their providers' concerns read
    (two queries) only when there are any."""
    if not rows:
        return []
    return _unsuitable_flags(rows, provider_concerns(sorted({r["provider_id"] for r in rows})), on)


def _unsuitable_flags(rows: Iterable[dict[str, Any]], concerns: ProviderConcerns, on: dt.date) -> list[Flag]:
    flags = []
    for row in rows:
        reason = quality_reason(concerns, row["provider_id"], row["urn"])
        if reason:
            flags.append(_flag(row, QUALITY, reason, row["decom"], on, True))
    return flags


def flagged(on: dt.date, *, young_person_id: int | None = None, ongoing_only: bool = False) -> list[Flag]:
    """Unlawful and unsuitable placements, the ongoing first, then the longest."""
    found = unlawful(on, young_person_id=young_person_id) + unsuitable(on, young_person_id=young_person_id)
    return _in_order(found, ongoing_only)


def _in_order(found: list[Flag], ongoing_only: bool = False) -> list[Flag]:
    if ongoing_only:
        found = [f for f in found if f.ongoing]
    return sorted(found, key=lambda f: (not f.ongoing, f.kind != UNLAWFUL, -f.days, f.child_id))


def flagged_reading(on: dt.date, young_person_id: int) -> tuple[list[prepared.Query],
                                                                   Callable[[Iterator[list[Any]]], list[Flag]]]:
    """``flagged(on, young_person_id=...)`` in two halves, for a page that sends its queries with its
    others (``prepared.together``: the young person's page, one round trip rather than two more):
    the two queries, and what makes the flags of their rows, given in order (reading the providers'
    concerns, two queries more, only for a placement at a provider that may be of concern)."""

    def made(results: Iterator[list[Any]]) -> list[Flag]:
        candidates, at_providers = next(results), next(results)
        return _in_order(_unlawful_flags(candidates, on) + _unsuitable_of_rows(at_providers, on))

    return [_unlawful_of(on, young_person_id), _unsuitable_of(on, young_person_id)], made


# ---------------------------------------------------------------------------------------------
# Placements now


@dataclass
class GroupFigures:
    """Children placed now in one placement group (or all), by area and provider type, with the weekly cost."""

    group: str
    label: str
    children: int = 0
    in_area: int = 0
    out_of_area: int = 0
    in_house: int = 0
    external: int = 0
    no_provider: int = 0
    weekly_cost: Decimal = field(default_factory=Decimal)
    costed: int = 0  # placements with a weekly cost recorded

    def add(self, in_area: bool, kind: str, cost: Decimal | None) -> None:
        self.children += 1
        if in_area:
            self.in_area += 1
        else:
            self.out_of_area += 1
        setattr(self, kind, getattr(self, kind) + 1)
        if cost is not None:
            self.weekly_cost += cost
            self.costed += 1

    @property
    def average_weekly_cost(self) -> Decimal | None:
        return (self.weekly_cost / self.costed).quantize(Decimal("0.01")) if self.costed else None

    def to_json(self) -> dict[str, Any]:
        average = self.average_weekly_cost
        return {
            "group": self.group, "label": self.label, "children": self.children, "in_area": self.in_area,
            "out_of_area": self.out_of_area, "in_house": self.in_house, "external": self.external,
            "no_provider": self.no_provider, "weekly_cost": float(self.weekly_cost), "costed": self.costed,
            "average_weekly_cost": float(average) if average is not None else None,
        }


@dataclass
class Current:
    on: dt.date
    groups: list[GroupFigures]
    total: GroupFigures

    def to_json(self) -> dict[str, Any]:
        return {"date": self.on.isoformat(), "groups": [g.to_json() for g in self.groups], "total": self.total.to_json()}


def current(on: dt.date) -> Current:
    """Children placed on ``on`` by placement group, in and out of area, in-house and external, with the
    weekly cost. A temporary placement (T0-T4) counts in the group of the placement before it in the
    same period of care (``nwd.codelists.groups`` leaves that to whoever counts), else as "other".
    Two queries."""
    rows = list(
        CareEpisode.objects.filter(open_on(on)).order_by("young_person_id", "-decom")
        .values("young_person_id", "period_id", "decom", "place", "place_provider", "provider__place_provider",
                "in_area", "weekly_cost")
    )
    temporary = [r for r in rows if r["place"] in TEMPORARY_PLACE]
    before: dict[int, tuple[str, str]] = {}
    if temporary:
        earlier = (
            CareEpisode.objects.filter(period_id__in={r["period_id"] for r in temporary})
            .exclude(place__in=sorted(TEMPORARY_PLACE)).order_by("period_id", "decom")
            .values_list("period_id", "decom", "place", "place_provider")
        )
        starts = {r["period_id"]: r["decom"] for r in temporary}
        for period_id, decom, place, place_provider in earlier:
            if decom < starts[period_id]:
                before[period_id] = (place, place_provider)
    figures = {g: GroupFigures(g.value, GROUP_LABELS[g]) for g in PlacementGroup}
    total = GroupFigures("total", "All placements")
    seen: set[int] = set()
    for row in rows:
        if row["young_person_id"] in seen:  # two open episodes for one child: count the later
            continue
        seen.add(row["young_person_id"])
        place, code = row["place"], row["place_provider"]
        if place in TEMPORARY_PLACE and row["period_id"] in before:
            place, code = before[row["period_id"]]
        group = placement_group(place, code) or PlacementGroup.OTHER
        kind = provider_type(code or row["provider__place_provider"] or "")
        figures[group].add(row["in_area"], kind, row["weekly_cost"])
        total.add(row["in_area"], kind, row["weekly_cost"])
    return Current(on, list(figures.values()), total)


# ---------------------------------------------------------------------------------------------
# The provider register


def _open_concerns() -> Subquery:
    events = (
        QualityEvent.objects.filter(provider_id=OuterRef("pk"), resolved__isnull=True)
        .exclude(kind=QualityKind.MONITORING_VISIT).order_by().values("provider_id")
        .annotate(n=Count("pk")).values("n")
    )
    return Subquery(events, output_field=IntegerField())


def register(on: dt.date) -> QuerySet[Provider]:
    """Every provider with its standing, settings, open concerns and complaints, and the placements
    and weekly cost with it on ``on``: two queries (the providers, their settings)."""
    placed_now = Q(episodes__decom__lte=on) & (Q(episodes__dec__isnull=True) | Q(episodes__dec__gt=on))
    return (
        Provider.objects.select_related("standing")
        .prefetch_related(Prefetch("settings", queryset=Setting.objects.order_by("name")))
        .annotate(
            placed_now=Count("episodes", filter=placed_now),
            weekly_cost_now=Coalesce(Sum("episodes__weekly_cost", filter=placed_now), Value(Decimal("0"))),
            open_concerns=Coalesce(_open_concerns(), Value(0)),
        )
        .order_by("name")
    )


def worst_judgement(settings: list[Setting]) -> str:
    """The worst latest judgement of a provider's settings (the register's summary), or ""."""
    order = {j: i for i, j in enumerate([Judgement.OUTSTANDING, Judgement.GOOD, Judgement.REQUIRES_IMPROVEMENT,
                                         Judgement.INADEQUATE])}
    judged = [s.judgement for s in settings if s.judgement]
    return max(judged, key=lambda j: order[Judgement(j)]) if judged else ""


def placements_with(provider: Provider, on: dt.date) -> QuerySet[CareEpisode]:
    """The placements with ``provider`` on ``on``: child id, placement, start and weekly cost (one query)."""
    return (
        CareEpisode.objects.filter(open_on(on), provider=provider).select_related("young_person")
        .only("young_person__child_id", "young_person__date_of_birth", "place", "place_provider", "decom",
              "weekly_cost", "in_area", "urn")
        .order_by("decom")
    )




def flag_counts(on: dt.date) -> dict[str, int]:
    """How many placements are flagged now (ongoing), unlawful and unsuitable."""
    found = flagged(on, ongoing_only=True)
    unlawful_now = sum(1 for f in found if f.kind == UNLAWFUL)
    return {"unlawful": unlawful_now, "unsuitable": len(found) - unlawful_now}
