"""The placement pages, mounted at /placements/ (``nwd.urls``) under the ``placements`` namespace:
the provider register and a provider's page (commissioning), the placements flagged as unlawful or
unsuitable (managers), and sufficiency with its charts. Views parse and render; ``queries`` and
``sufficiency`` do the work."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render

from nwd.access import audit
from nwd.access.decorators import requires
from nwd.care.models import Provider
from nwd.codelists import codes
from nwd.codelists.groups import RESIDENTIAL_GROUPS, PlacementGroup
from nwd.core import dates
from nwd.placements import charts, queries, services, sufficiency
from nwd.placements.forms import QualityEventForm, StandingForm

MOST_FLAGS_SHOWN = 500


@requires("placements.view_register")
def register(request):
    today = dates.today()
    providers = list(queries.register(today))
    rows = [
        {"provider": p, "type": codes.label("PLACE_PROVIDER", p.place_provider),
         "standing": getattr(p, "standing", None), "judgement": queries.worst_judgement(list(p.settings.all()))}
        for p in providers
    ]
    totals = {"placed": sum(p.placed_now for p in providers), "cost": sum(p.weekly_cost_now for p in providers)}
    return render(request, "placements/register.html", {"rows": rows, "today": today, "totals": totals})


@requires("placements.view_register")
def provider(request, provider_id: int):
    # A provider is no record about a young person (the policy's permissions here ask of no record),
    # so it is looked up here rather than declared as the URL's record.
    record = get_object_or_404(Provider.objects.select_related("standing"), pk=provider_id)
    today = dates.today()
    may_record = request.user.has_perm("placements.record_quality")
    event_form = QualityEventForm(provider=record, prefix="event")
    standing = getattr(record, "standing", None)
    standing_form = StandingForm(prefix="standing", initial={"status": standing.status if standing else "approved",
                                                             "reason": standing.reason if standing else ""})
    if request.method == "POST" and may_record:
        if "event-kind" in request.POST or "event-summary" in request.POST:
            event_form = QualityEventForm(request.POST, provider=record, prefix="event")
            if event_form.is_valid() and event_form.run(lambda: services.record_quality_event(
                    record, kind=event_form.cleaned_data["kind"], happened=event_form.cleaned_data["happened"],
                    summary=event_form.cleaned_data["summary"], setting=event_form.cleaned_data["setting"],
                    by=request.user)):
                return redirect("placements:provider", provider_id=record.pk)
        else:
            standing_form = StandingForm(request.POST, prefix="standing")
            if standing_form.is_valid() and standing_form.run(lambda: services.set_standing(
                    record, status=standing_form.cleaned_data["status"], since=standing_form.cleaned_data["since"],
                    reason=standing_form.cleaned_data["reason"], by=request.user)):
                return redirect("placements:provider", provider_id=record.pk)
    placements = list(queries.placements_with(record, today))
    audit.record_rows(request, [p.young_person_id for p in placements], detail=f"placements with provider {record.pk}")
    return render(request, "placements/provider.html", {
        "provider": record, "standing": standing, "settings": list(record.settings.all()),
        "events": list(record.quality_events.select_related("setting")[:50]), "placements": placements,
        "weekly_cost": sum(p.weekly_cost or 0 for p in placements), "today": today, "may_record": may_record,
        "event_form": event_form, "standing_form": standing_form,
        "type": codes.label("PLACE_PROVIDER", record.place_provider),
    })


@requires("placements.view_flagged")
def flagged(request):
    today = dates.today()
    everything = request.GET.get("show") == "all"
    flags = queries.flagged(today, ongoing_only=not everything)
    shown = flags[:MOST_FLAGS_SHOWN]
    audit.record_rows(request, [f.young_person_id for f in shown], detail="flagged placements")
    return render(request, "placements/flagged.html", {
        "unlawful": [f for f in shown if f.kind == queries.UNLAWFUL],
        "unsuitable": [f for f in shown if f.kind == queries.QUALITY],
        "everything": everything, "more": len(flags) - len(shown), "today": today,
    })


def _share(request) -> tuple[int, str | None]:
    raw = request.GET.get("share", "").strip()
    if not raw:
        return round(sufficiency.DEFAULT_SHARE * 100), None
    if not raw.isdigit() or not 0 <= int(raw) <= 100:
        return round(sufficiency.DEFAULT_SHARE * 100), "Enter a whole number from 0 to 100"
    return int(raw), None


def _projection(today):
    """The projection is the slow part (the forecast): kept for a few minutes per day of the records."""
    key = f"nwd-sufficiency-projection-{today.isoformat()}"
    kept = cache.get(key)
    if kept is None:
        try:
            kept = sufficiency.project(today)
        except ValueError as error:
            kept = str(error)
        cache.set(key, kept, settings.NWD_EVIDENCE_CACHE_SECONDS)
    return kept


def _kept_chart(name: str, data, draw) -> str:
    """A chart drawn once for the same numbers (matplotlib takes a good fraction of a second a chart)."""
    digest = hashlib.sha256(json.dumps([name, data], sort_keys=True, default=str).encode()).hexdigest()[:32]
    key = f"nwd-sufficiency-chart-{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, settings.NWD_EVIDENCE_CACHE_SECONDS)
    return svg


@requires("placements.view_sufficiency")
def sufficiency_page(request):
    today = dates.today()
    share, share_error = _share(request)
    projection = _projection(today)
    problem = projection if isinstance(projection, str) else None
    report = sufficiency.build(today, share=share / 100, projection=None if problem else projection,
                               problem=problem, flags=False)
    current = report["current"]
    context = {
        "report": report, "current": current, "today": today, "share": share, "share_error": share_error,
        "now_chart": _kept_chart("now", current["groups"], lambda: charts.placed_now(current["groups"])),
        "flag_counts": queries.flag_counts(today),
    }
    if "groups" in report["projection"]:
        residential = tuple(g.value for g in RESIDENTIAL_GROUPS if g != PlacementGroup.SECURE)
        projected = report["projection"]
        context["residential_chart"] = _kept_chart("residential", projected, lambda: charts.places_needed(
            projected, residential, "suff-res", "Children's home places needed, without and with the service"))
        context["all_chart"] = _kept_chart("all", projected, lambda: charts.places_needed(
            projected, tuple(g.value for g in PlacementGroup), "suff-all",
            "Places needed in every placement group, without and with the service"))
    return render(request, "placements/sufficiency.html", context)
