"""Referrals: the records a referral's young person may be (offered at triage), and the young person
as the referral named them (what a partner's pages show)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from nwd.casework.models import UPN_UNKNOWN, Referral, YoungPerson

# A young person's identifiers as a referral gives them: nhs_number, upn, given_name, family_name
# (strings, possibly empty) and date_of_birth (a date or None); a form's cleaned data is one.
Details = dict[str, Any]

MATCHED_ON = {0: "NHS number", 1: "unique pupil number", 2: "name and date of birth"}


def _match_terms(details: Details) -> list[tuple[int, Q]]:
    """(rank, condition) for each identifier ``details`` carry: the NHS number, the UPN (not one of
    the DfE's "no UPN" codes, which thousands of children share), the same names and date of birth."""
    terms = []
    nhs = (details.get("nhs_number") or "").replace(" ", "")
    if nhs:
        spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
        terms.append((0, Q(nhs_number__in=sorted({nhs, spaced, (details.get("nhs_number") or "").strip()}))))
    upn = (details.get("upn") or "").strip().upper()
    if upn and upn not in UPN_UNKNOWN:
        terms.append((1, Q(upn__iexact=upn)))
    given, family = (details.get("given_name") or "").strip(), (details.get("family_name") or "").strip()
    if given and family and details.get("date_of_birth"):
        terms.append((2, Q(given_name__iexact=given, family_name__iexact=family, date_of_birth=details["date_of_birth"])))
    return terms


def details_of(person: YoungPerson) -> Details:
    """A young person's identifiers, as a referral gives them (for matching one record against others)."""
    return {
        "nhs_number": person.nhs_number, "upn": person.upn, "given_name": person.given_name,
        "family_name": person.family_name, "date_of_birth": person.date_of_birth,
    }


def possible_matches(details: Details, among: QuerySet[YoungPerson]) -> QuerySet[YoungPerson]:
    """Young people in ``among`` who clearly are the one ``details`` describe, the strongest match first.

    ``among`` is always a scope of the access policy (``nwd.access.scopes.visible_young_people``
    of the user who will see the answer): a match is only ever looked for where the user could
    have found the young person anyway, so identifiers cannot be used to look a child up.
    Each row has ``match_rank`` (0 NHS number, 1 UPN, 2 names and date of birth).
    """
    terms = _match_terms(details)
    if not terms:
        return among.none()
    condition = Q()
    for _, term in terms:
        condition |= term
    rank = Case(*[When(term, then=Value(r)) for r, term in terms], default=Value(9), output_field=IntegerField())
    return among.filter(condition).annotate(match_rank=rank).order_by("match_rank", "family_name", "given_name", "pk")


def referral_matches(referral: Referral, people: QuerySet[YoungPerson], limit: int = 10) -> list[Any]:
    """Existing records (in ``people``, the triaging user's scope) that the referral's young person
    may be, each with ``matched_on`` in words: what the hub manager is offered to link at triage."""
    among = people.exclude(pk=referral.young_person_id)
    rows: list[Any] = list(possible_matches(details_of(referral.young_person), among)[:limit])
    for row in rows:
        row.matched_on = MATCHED_ON.get(row.match_rank, "")
    return rows


@dataclass(frozen=True)
class AsReferred:
    """The young person as a referral named them: what the referrer typed, not the record linked since."""

    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: dt.date | None

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}".strip()


def name_referrals(referrals: list[Any], identity_visible: set[int]) -> list[Any]:
    """Set ``referral.named`` on each referral: the identity its pages show.

    The young person's record where the viewer may see it (``identity_visible``: ids from
    ``nwd.access.scopes.visible_young_people``); otherwise the young person as the referral first
    named them (from the change history: the record it came with, as it was then). So a partner's
    pages show what the partner typed, never the existing record a hub manager linked it to.
    Two queries, only when some referral needs them. ``referrals`` are Referral rows, given
    ``named`` (a YoungPerson or an ``AsReferred``) here.
    """
    hidden = [r for r in referrals if r.young_person_id not in identity_visible]
    for referral in referrals:
        referral.named = referral.young_person
    if not hidden:
        return referrals
    first: dict[int, tuple[int, dt.datetime | None]] = {}
    for pk, person_id, when in (
        Referral.history.filter(id__in=[r.pk for r in hidden]).order_by("history_date", "history_id")
        .values_list("id", "young_person_id", "history_date")
    ):
        first.setdefault(pk, (person_id, when))
    wanted = {first.get(r.pk, (r.young_person_id, None))[0] for r in hidden}
    versions: dict[int, list[dict[str, Any]]] = {}
    for version in (
        YoungPerson.history.filter(id__in=wanted).order_by("history_date", "history_id")
        .values("id", "given_name", "family_name", "preferred_name", "date_of_birth", "history_date")
    ):
        versions.setdefault(version["id"], []).append(version)
    for referral in hidden:
        person_id, when = first.get(referral.pk, (referral.young_person_id, None))
        rows = versions.get(person_id, [])
        earlier = [row for row in rows if when is None or row["history_date"] <= when]
        chosen = earlier[-1] if earlier else rows[0] if rows else None
        if chosen is not None:
            referral.named = AsReferred(chosen["given_name"], chosen["family_name"], chosen["preferred_name"],
                                        chosen["date_of_birth"])
        elif person_id != referral.young_person_id:
            referral.named = AsReferred("", "", "", None)  # linked since, and nothing kept of what was typed
    return referrals
