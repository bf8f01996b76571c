"""The county's provider quality (issue 18): each provider's homes and settings with their Ofsted
registration and latest inspection, the council's standing with each, its monitoring visits,
concerns and complaints, and a commissioning officer to read them.

A small step of its own, run after the county is written, from its own random stream: it reads the
providers back and draws from their kind, so nothing before it changes. The unregistered placements
themselves (Z11, Z12, H5 not registered, before and after 9/9/2021 and 28/10/2023) are drawn with the
placements (``nwd.synth.placements``); this step adds the settings that say they are unregistered.

Rates (assumptions, in the range Ofsted's published statistics give for children's homes): about
a fifth outstanding, three in five good, one in seven requiring improvement, one in twenty-five
inadequate (never the council's own, whose failure would be the story, not a draw); supported accommodation registered only from 2024, so about half not yet inspected; about
one external provider in twenty under review and one in a hundred suspended, more among those judged
inadequate; a monitoring visit a year to most external providers; a concern about one provider in
five a year, a complaint about one in eight.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from nwd.access.models import User
from nwd.care.models import Provider
from nwd.placements.models import (
    Judgement,
    ProviderStanding,
    ProviderStatus,
    QualityEvent,
    QualityKind,
    RegistrationType,
    Setting,
)
from nwd.synth import names
from nwd.synth.writer import STAFF_EMAIL_DOMAIN

REGISTRATION_BY_KIND = {
    "home_own": RegistrationType.CHILDRENS_HOME, "hub": RegistrationType.CHILDRENS_HOME,
    "home_private": RegistrationType.CHILDRENS_HOME, "home_voluntary": RegistrationType.CHILDRENS_HOME,
    "secure": RegistrationType.CHILDRENS_HOME,
    "supported_own": RegistrationType.SUPPORTED_ACCOMMODATION,
    "supported_private": RegistrationType.SUPPORTED_ACCOMMODATION,
    "supported_voluntary": RegistrationType.SUPPORTED_ACCOMMODATION,
    "fostering_own": RegistrationType.FOSTERING_AGENCY, "agency_private": RegistrationType.FOSTERING_AGENCY,
    "agency_voluntary": RegistrationType.FOSTERING_AGENCY,
    "unregistered": RegistrationType.OTHER,
}
JUDGEMENTS = [Judgement.OUTSTANDING, Judgement.GOOD, Judgement.REQUIRES_IMPROVEMENT, Judgement.INADEQUATE]
JUDGEMENT_SHARES = [0.20, 0.61, 0.15, 0.04]
SUPPORTED_NOT_YET_INSPECTED = 0.5
UNDER_REVIEW, SUSPENDED = 0.05, 0.01
UNDER_REVIEW_IF_INADEQUATE = 0.6
CONCERNS_PER_YEAR, COMPLAINTS_PER_YEAR, VISITS_PER_YEAR = 0.2, 0.125, 0.9
YEARS = 2
CONCERNS = [
    "Staffing below the levels agreed: agency staff covering most night shifts.",
    "A young person reported being left without food money for a weekend.",
    "Missing episodes not reported to the placing council within 24 hours.",
    "The home's manager left and no registered manager is in post.",
    "Damp and broken windows in a young person's room.",
    "Restraint used without a record of what was tried first.",
]
COMPLAINTS = [
    "A parent complained that contact arrangements were cancelled at short notice.",
    "A young person complained that their key worker changed three times in a month.",
    "A neighbour complained about young people being collected late at night by adults.",
    "A young person complained that their allowance was withheld as a sanction.",
]
VISITS = [
    "Monitoring visit: records, rotas and young people's rooms seen; no concerns.",
    "Monitoring visit: two young people spoken to in private; action plan on education agreed.",
    "Monitoring visit: fire drills overdue; provider to send evidence within 14 days.",
]


def _day(as_of: dt.date, rng: np.random.Generator, low: int, high: int) -> dt.date:
    return as_of - dt.timedelta(days=int(rng.integers(low, high)))


def write(providers: list, rng: np.random.Generator, as_of: dt.date) -> dict[str, int]:
    """Write settings, standings, quality events and one commissioning officer; rows written by table.

    ``providers`` is the county plan's provider rows (``nwd.synth.placements.ProviderPlan``): their
    kind says what Ofsted registers them as.
    """
    pk = {(p.name, p.place_provider): p.pk for p in Provider.objects.only("pk", "name", "place_provider")}
    settings, standings, events = [], [], []
    for plan in providers:
        provider_id = pk[(plan.name, plan.code)]
        registration = REGISTRATION_BY_KIND.get(plan.kind)
        judgement = ""
        if registration is not None:
            inspected = None
            if registration != RegistrationType.OTHER and not (
                registration == RegistrationType.SUPPORTED_ACCOMMODATION and rng.random() < SUPPORTED_NOT_YET_INSPECTED
            ):
                judgement = JUDGEMENTS[int(rng.choice(len(JUDGEMENTS), p=JUDGEMENT_SHARES))]
                if plan.code == "PR1" and judgement == Judgement.INADEQUATE:
                    judgement = Judgement.REQUIRES_IMPROVEMENT  # the council's own: an inadequate one is news, not a draw
                inspected = _day(as_of, rng, 20, 900)
            settings.append(Setting(
                provider_id=provider_id, name=plan.name, registration=registration,
                urn=plan.urn if registration != RegistrationType.OTHER else "",
                places=int(rng.integers(2, 7)) if registration == RegistrationType.CHILDRENS_HOME else None,
                inspected=inspected, judgement=judgement,
            ))
        external = plan.code in {"PR4", "PR5"}
        draw = rng.random()
        status, reason = ProviderStatus.APPROVED, ""
        if external and (plan.kind == "unregistered" or draw < SUSPENDED):
            status, reason = ProviderStatus.SUSPENDED, "Placements stopped while the provider's registration is checked."
        elif external and (draw < UNDER_REVIEW or (judgement == Judgement.INADEQUATE
                                                   and rng.random() < UNDER_REVIEW_IF_INADEQUATE)):
            status, reason = ProviderStatus.UNDER_REVIEW, "Concerns about staffing and the care of young people."
        standings.append(ProviderStanding(provider_id=provider_id, status=status, reason=reason,
                                          since=_day(as_of, rng, 0 if status == ProviderStatus.APPROVED else 7, 400)))
        if not external:
            continue
        worse = 3.0 if judgement in (Judgement.INADEQUATE, Judgement.REQUIRES_IMPROVEMENT) else 1.0
        for kind, rate, texts in ((QualityKind.MONITORING_VISIT, VISITS_PER_YEAR, VISITS),
                                  (QualityKind.CONCERN, CONCERNS_PER_YEAR * worse, CONCERNS),
                                  (QualityKind.COMPLAINT, COMPLAINTS_PER_YEAR * worse, COMPLAINTS)):
            for _ in range(int(rng.poisson(rate * YEARS))):
                happened = _day(as_of, rng, 0, 365 * YEARS)
                resolved, outcome = None, ""
                if kind != QualityKind.MONITORING_VISIT and (as_of - happened).days > 60 and rng.random() < 0.7:
                    resolved = happened + dt.timedelta(days=int(rng.integers(7, 60)))
                    outcome = "Provider's action plan received and checked at a visit."
                events.append(QualityEvent(provider_id=provider_id, kind=kind, happened=happened,
                                           summary=texts[int(rng.integers(len(texts)))], resolved=resolved,
                                           outcome=outcome))
    Setting.objects.bulk_create(settings, batch_size=500)
    ProviderStanding.objects.bulk_create(standings, batch_size=500)
    QualityEvent.objects.bulk_create(events, batch_size=500)
    first, last = names.staff_name(rng)
    username = f"{first}.{last}.commissioning".lower().replace(" ", "").replace("'", "")
    User.objects.create(
        username=username[:150], first_name=first, last_name=last, email=f"{username}@{STAFF_EMAIL_DOMAIN}",
        role="commissioning_officer", job_title="Commissioning officer (placements)",
        password=names.unusable_password(rng),
    )
    return {"placements.Setting": len(settings), "placements.ProviderStanding": len(standings),
            "placements.QualityEvent": len(events), "access.User": 1}
