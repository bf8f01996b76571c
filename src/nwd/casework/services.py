"""Changes to casework, each in one transaction: a referral's path to a decision, involvements, key workers.

Views and commands call these rather than saving models themselves, so the rules (a referral is
never closed without a next step, an open involvement always has one key worker) hold however the
change arrives.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import formats, timezone

from nwd.access import audit, scopes
from nwd.access.models import Action
from nwd.access.roles import SPECIALIST_ROLES, Role, why_not_key_worker
from nwd.casework import notifications
from nwd.casework.choices import (
    DECISION_SUPPORT_TYPE,
    AllocationReason,
    Decision,
    ReferralStatus,
)
from nwd.casework.models import (
    Contact,
    FormerChildId,
    GoalProgress,
    Involvement,
    KeyWorkerAllocation,
    Plan,
    PlanGoal,
    PlanReview,
    Referral,
    SignificantPerson,
    SpecialistInvolvement,
    YoungPerson,
)
from nwd.casework.queries import possible_matches
from nwd.core.models import WITHDRAWAL_NEEDS_REASON
from nwd.core.services import save_valid
from nwd.core.validation import Errors
from nwd.hubs.models import Stay

ALREADY_DECIDED = "This referral has already been decided."  # said by triage and by the decision

if TYPE_CHECKING:  # for the annotations only
    from nwd.access.models import User
    from nwd.hubs.models import Hub


@transaction.atomic
def submit_referral(referral: Referral, by: User | None = None) -> Referral:
    """Record a new referral (its young person already saved): status 'received'."""
    referral.status = ReferralStatus.RECEIVED
    referral.decision = ""
    referral.decision_date = None
    if by is not None and referral.submitted_by_id is None:
        referral.submitted_by = by
    return save_valid(referral, by)


@transaction.atomic
def start_triage(referral: Referral, by: User | None = None) -> Referral:
    if referral.is_closed:
        raise ValidationError(ALREADY_DECIDED)
    referral.status = ReferralStatus.TRIAGE
    return save_valid(referral, by)


@transaction.atomic
def decide_referral(
    referral: Referral,
    decision: str,
    decided_on: dt.date,
    by: User | None = None,
    handover_service: str = "",
    notes: str = "",
) -> Referral:
    """Close a referral with its next step. A handover must name the service handed over to."""
    if referral.is_closed:
        raise ValidationError(ALREADY_DECIDED)
    referral.decision = decision
    referral.decision_date = decided_on
    referral.handover_service = handover_service.strip() if decision == Decision.HANDOVER else ""
    referral.decision_notes = notes
    referral.decided_by = by
    referral.status = ReferralStatus.CLOSED
    save_valid(referral, by)
    notifications.queue_decision_email(referral)  # in this transaction: no decision, no email
    return referral


@transaction.atomic
def start_involvement(
    young_person: YoungPerson,
    hub: Hub,
    support_type: str,
    key_worker: User,
    start: dt.date,
    by: User | None = None,
    referral: Referral | None = None,
) -> Involvement:
    """Open the young person's involvement with its first key worker, together or not at all."""
    if referral is not None and referral.decision not in DECISION_SUPPORT_TYPE:
        raise ValidationError("Support can only start from a referral decided for outreach, a hub stay or an emergency bed.")
    _check_key_worker(key_worker, hub)
    involvement = save_valid(
        Involvement(young_person=young_person, hub=hub, support_type=support_type, start=start, referral=referral),
        by,
    )
    save_valid(
        KeyWorkerAllocation(involvement=involvement, key_worker=key_worker, start=start, reason=AllocationReason.FIRST),
        by,
    )
    return involvement


def _check_key_worker(key_worker: User, hub: Hub | None) -> None:
    refusal = why_not_key_worker(key_worker, hub)
    if refusal is not None:
        raise ValidationError({"key_worker": refusal})


def current_allocation(involvement: Involvement) -> KeyWorkerAllocation | None:
    return involvement.allocations.filter(end__isnull=True).select_related("key_worker").first()


@transaction.atomic
def reallocate_key_worker(
    involvement: Involvement,
    key_worker: User,
    on: dt.date,
    reason: str,
    by: User | None = None,
    note: str = "",
) -> KeyWorkerAllocation:
    """Hand the young person to a new key worker from ``on``; the change is dated and has a reason."""
    if not involvement.is_open:
        raise ValidationError("This involvement has ended: reopen support before allocating a key worker.")
    if not reason or reason == AllocationReason.FIRST:
        raise ValidationError({"reason": "Say why the key worker is changing."})
    current = current_allocation(involvement)
    if current is not None:
        if current.key_worker_id == key_worker.pk:
            raise ValidationError({"key_worker": f"{key_worker} is already the key worker."})
        if on < current.start:
            raise ValidationError({"start": f"The change cannot be before the current allocation began ({formats.date_format(current.start)})."})
        current.end = on
        save_valid(current, by)
    _check_key_worker(key_worker, involvement.hub)
    return save_valid(
        KeyWorkerAllocation(involvement=involvement, key_worker=key_worker, start=on, reason=reason, note=note), by
    )


def key_worker_changes(young_person: YoungPerson) -> int:
    """How many times the young person's key worker has changed, across all their involvements."""
    allocations = KeyWorkerAllocation.objects.filter(involvement__young_person=young_person)
    return allocations.exclude(reason=AllocationReason.FIRST).count()


@transaction.atomic
def close_involvement(involvement: Involvement, end: dt.date, end_reason: str, by: User | None = None) -> Involvement:
    """End support: the key worker allocation and the specialists' involvements end the same day.

    Refused while the young person is still in a hub bed: discharge comes first.
    """
    if not involvement.is_open:
        raise ValidationError("This involvement has already ended.")
    if involvement.stays.filter(discharged__isnull=True).exists():
        raise ValidationError("The young person is still in a hub bed: record their discharge first.")
    involvement.end = end
    involvement.end_reason = end_reason
    save_valid(involvement, by)
    for allocation in involvement.allocations.filter(end__isnull=True):
        allocation.end = max(end, allocation.start)
        save_valid(allocation, by)
    for specialist in SpecialistInvolvement.objects.filter(involvement=involvement, end__isnull=True):
        specialist.end = max(end, specialist.start)
        save_valid(specialist, by)
    return involvement


@transaction.atomic
def draw_in_specialist(young_person: YoungPerson, specialist: User, start: dt.date, by: User | None = None, reason: str = "") -> SpecialistInvolvement:
    """The key worker draws a specialist into the team around the young person."""
    if specialist.role not in SPECIALIST_ROLES:
        raise ValidationError({"specialist": f"{specialist} is not one of the service's specialists."})
    involvement = Involvement.objects.open_for(young_person).first()
    return save_valid(
        SpecialistInvolvement(
            young_person=young_person, involvement=involvement, specialist=specialist,
            drawn_in_by=by, start=start, reason=reason,
        ),
        by,
    )


@transaction.atomic
def end_specialist_involvement(drawn_in: SpecialistInvolvement, *, end: dt.date, by: User | None = None) -> SpecialistInvolvement:
    """The specialist's work with the young person ends, and with it their sight of the record (the
    policy's "drawn in" scope needs an open involvement). Not in the future: access ends when it is recorded."""
    if drawn_in.end is not None:
        raise ValidationError(f"{drawn_in.specialist}'s work with this young person has already ended.")
    drawn_in.end = end
    return save_valid(drawn_in, by)


# --- Recording from the practitioner pages -------------------------------------------------------


def _open_involvement(young_person: YoungPerson) -> Involvement | None:
    return Involvement.objects.open_for(young_person).first()


def find_or_create_young_person(details: dict[str, Any], by: User | None = None) -> YoungPerson:
    """The young person a referral is about: an existing record when one clearly matches among the
    young people ``by`` may see by name, else a new record holding the referral's own details.

    Why match at all: a second record for the same child would split their story in two. Why only
    among the records ``by`` may see (``casework.view_identity``, restricted records included): the
    referral's pages show its young person, so matching anywhere else would let whoever refers look
    a child up by NHS number or UPN and read back their name and date of birth. A partner referrer
    sees no young person, so their referral always brings its own record; the hub manager links it
    to the existing one at triage (``link_referral``), where the possible matches are offered to
    them within their own scope. The match is strict (NHS number, UPN, or the same names and date of
    birth); anything looser is left to triage too.
    """
    person = matching_young_person(details, by)
    return person if person is not None else save_valid(new_young_person(details), by)


def matching_young_person(details: dict[str, Any], by: User | None = None) -> YoungPerson | None:
    """The existing record the details clearly match among those ``by`` may see by name, if any."""
    among = scopes.visible_young_people(by) if by is not None else YoungPerson.objects.none()
    match: YoungPerson | None = possible_matches(details, among).first()
    return match


def new_young_person(details: dict[str, Any]) -> YoungPerson:
    """A young person's record (not saved) holding a referral's own details, with a new child id."""
    nhs = (details.get("nhs_number") or "").replace(" ", "")
    upn = (details.get("upn") or "").strip().upper()
    return YoungPerson(
        child_id=_new_child_id(),
        given_name=(details.get("given_name") or "").strip(),
        family_name=(details.get("family_name") or "").strip(),
        preferred_name=(details.get("preferred_name") or "").strip(),
        date_of_birth=details.get("date_of_birth"),  # type: ignore[misc]  # None until full_clean refuses it
        sex=details.get("sex") or "",
        gender=details.get("gender") or YoungPerson._meta.get_field("gender").default,
        upn=upn,
        nhs_number=nhs,
        home_postcode=(details.get("home_postcode") or "").strip().upper(),
    )


@transaction.atomic
def link_referral(referral: Referral, *, young_person: YoungPerson, by: User | None = None) -> Referral:
    """At triage: the referral is about this existing young person, not the record it came with.

    The caller offers only matches the user may see (``nwd.casework.queries.referral_matches``
    within their scope). The record the referral brought is deleted when nothing else is about it
    (its change history keeps what the referrer typed, which their pages go on showing); if
    anything else is about it, it stays, for the service manager to sort out.
    """
    if referral.is_closed:
        raise ValidationError("This referral has already been decided: it can no longer be linked.")
    brought = referral.young_person
    if young_person.pk == brought.pk:
        raise ValidationError("The referral is already about this young person.")
    if not referral.history.exists():
        save_valid(referral, by)  # a referral loaded in bulk: keep what it named before it changes
    referral.young_person = young_person
    referral._change_reason = "linked at triage to the young person's existing record"  # type: ignore[attr-defined]  # django-simple-history reads it
    save_valid(referral, by)
    if not brought.referrals.exists():
        with suppress(ProtectedError):  # something else is about it (a contact, a plan...): it stays
            brought.delete()
    return referral


REFERRAL_CHILD_ID = re.compile(r"R\d{7}")  # what ``_new_child_id`` makes


def _new_child_id() -> str:
    """A council child id for a young person first met through a referral (prefix R, never reused:
    a merged record's id is kept as a former id, and counted)."""
    numbers = [int(last[1:]) for model in (YoungPerson, FormerChildId)
               for last in model.objects.filter(child_id__regex=r"^R[0-9]{7}$").order_by("-child_id")
               .values_list("child_id", flat=True)[:1]]
    return f"R{max(numbers, default=0) + 1:07d}"


@transaction.atomic
def refer(details: dict[str, Any], referral: Referral, by: User | None = None) -> Referral:
    """A referral with the young person's details, from staff or a partner agency: one transaction.

    The young person's rules (a real NHS number, a UPN of 13 characters) and the referral's (12 to
    25 on the day received, a usable contact for the referrer) are all checked before either record
    is written, so the referrer sees every problem at once and a refused referral writes nothing.
    """
    person = matching_young_person(details, by) or new_young_person(details)
    referral.young_person = person
    errors = Errors()
    if person._state.adding:
        errors.check(person.full_clean)
    errors.check(referral.full_clean, exclude=["young_person"])
    errors.raise_if_any()
    if person._state.adding:
        save_valid(person, by)
    referral.young_person = person  # now saved: sets the referral's young_person_id
    submit_referral(referral, by)
    notifications.queue_emergency_email(referral)  # in this transaction: no referral, no email
    return referral


@transaction.atomic
def add_contact(
    young_person: YoungPerson, at: dt.datetime, kind: str, summary: str, staff: User, contact_with: str = "",
    by: User | None = None, people: Iterable[SignificantPerson] = ()) -> Contact:
    contact = Contact(
        young_person=young_person, involvement=_open_involvement(young_person), at=at, kind=kind,
        summary=summary, staff=staff,
    )
    if contact_with:
        contact.contact_with = contact_with
    save_valid(contact, by or staff)
    _name_people(contact, people)
    return contact


OTHER_PERSONS_NETWORK = "Choose only people around this young person: one of those chosen is someone else's."


def _name_people(contact: Contact, people: Iterable[SignificantPerson]) -> None:
    """Who from the young person's network the contact was with (only their own network)."""
    chosen = list(people)
    if any(person.young_person_id != contact.young_person_id for person in chosen):
        raise ValidationError({"people": OTHER_PERSONS_NETWORK})
    if set(contact.people.values_list("pk", flat=True)) != {p.pk for p in chosen}:
        contact.people.set(chosen)


@transaction.atomic
def correct_contact(contact: Contact, *, at: dt.datetime, kind: str, contact_with: str, summary: str, reason: str,
                    by: User | None = None, people: Iterable[SignificantPerson] | None = None) -> Contact:
    """Correct a contact note (a wrong date, a typo, the wrong kind): the record changes, and its change
    history keeps what it said before, who changed it and why."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the note is being corrected."})
    contact.at, contact.kind, contact.contact_with, contact.summary = at, kind, contact_with, summary
    contact._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]  # django-simple-history reads it
    save_valid(contact, by)
    if people is not None:
        _name_people(contact, people)
    return contact


def current_plan(young_person: YoungPerson) -> Plan | None:
    return young_person.plans.order_by("-started", "-pk").first()


@transaction.atomic
def start_plan(young_person: YoungPerson, started: dt.date, next_review_due: dt.date | None = None, by: User | None = None) -> Plan:
    return save_valid(
        Plan(young_person=young_person, involvement=_open_involvement(young_person), started=started,
             next_review_due=next_review_due),
        by,
    )


@transaction.atomic
def add_plan_goals(plan: Plan, goals: list[tuple[str, str, dt.date | None]], by: User | None = None) -> list[PlanGoal]:
    """Add goals (area, description, target date) to a plan; blank descriptions are skipped."""
    added: list[PlanGoal] = []
    for area, description, target_date in goals:
        if not (description or "").strip():
            continue
        added.append(save_valid(PlanGoal(plan=plan, area=area, description=description.strip(), target_date=target_date), by))
    if not added:
        raise ValidationError({"description": "Describe at least one goal."})
    return added


@transaction.atomic
def record_plan_review(
    plan: Plan,
    *,
    reviewed_on: dt.date,
    progress: Mapping[int, tuple[str, str]],
    by: User | None,
    summary: str = "",
    next_review_due: dt.date | None = None,
) -> PlanReview:
    """A review of the plan: progress on each goal reviewed, and the date of the next review.

    ``progress`` maps a goal's id to (progress, note); goals left out were not reviewed this time.
    Goals of another plan are refused, so a stale form cannot write progress on the wrong plan.
    """
    review = save_valid(PlanReview(plan=plan, reviewed_on=reviewed_on, reviewed_by=by, summary=summary), by)
    goals = {goal.pk: goal for goal in plan.goals.all()}
    for goal_id, (level, note) in progress.items():
        if not level:
            continue
        goal = goals.get(int(goal_id))
        if goal is None:
            raise ValidationError("One of the goals reviewed is not part of this plan: reload the page.")
        save_valid(GoalProgress(review=review, goal=goal, progress=level, note=note or ""), by)
    if next_review_due is not None:
        if next_review_due < reviewed_on:
            raise ValidationError({"next_review_due": "The next review must be on or after this review."})
        plan.next_review_due = next_review_due
        save_valid(plan, by)
    return review


# --- Data protection: rectification and restriction ------------------------------------------------

IDENTITY_FIELDS = ("given_name", "family_name", "preferred_name", "date_of_birth", "sex", "gender", "ethnicity",
                   "nhs_number", "upn", "home_postcode", "date_of_death")


def _reason(reason: str, what: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": f"Say why {what}."})
    return reason.strip()[:100]


@transaction.atomic
def rectify_identity(young_person: YoungPerson, *, details: Mapping[str, Any], reason: str, by: User | None = None) -> YoungPerson:
    """Correct the young person's identity details (UK GDPR's right to rectification).

    The record changes; its change history keeps what it said before, who changed it and why, and
    the change is audited like every other. Only ``IDENTITY_FIELDS`` may change here.
    """
    reason = _reason(reason, "the details are being corrected")
    unknown = set(details) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"Not identity details: {', '.join(sorted(unknown))}")
    normalised = {
        **details,
        "nhs_number": (details.get("nhs_number", young_person.nhs_number) or "").replace(" ", ""),
        "upn": (details.get("upn", young_person.upn) or "").strip().upper(),
        "home_postcode": (details.get("home_postcode", young_person.home_postcode) or "").strip().upper(),
    }
    changed = {name: value for name, value in normalised.items()
               if name in details and getattr(young_person, name) != value}
    if not changed:
        raise ValidationError("Nothing has changed: correct a detail, or cancel.")
    for name, value in changed.items():
        setattr(young_person, name, value)
    young_person._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history reads it
    return save_valid(young_person, by)


@transaction.atomic
def set_restriction(
    young_person: YoungPerson, *, restricted: bool, named: Iterable[User], reason: str, by: User | None = None) -> YoungPerson:
    """Restrict the record to ``named`` users, change who is named, or lift the restriction.

    One change history version (with the reason and the names) and one audit entry, however many
    names change: the names are set without simple-history's per-change versions, then the record
    is saved once. Lifting the restriction removes the names (the history keeps them). A restricted
    record names at least one data protection officer or service manager, so that someone can
    always change the restriction again; naming someone never widens what their role allows.
    """
    reason = _reason(reason, "the restriction is changing")
    named = list(dict.fromkeys(named)) if restricted else []
    if restricted and not named:
        raise ValidationError({"named": "Name at least one person who may see the record."})
    if restricted and not any(u.role in (Role.DATA_PROTECTION_OFFICER, Role.SERVICE_MANAGER) for u in named):
        raise ValidationError({"named": "Name at least one data protection officer or service manager, so that "
                                        "someone can change the restriction later."})
    inactive = [str(u) for u in named if not u.is_active]
    if inactive:
        raise ValidationError({"named": f"{', '.join(inactive)}: this account is no longer active."})
    before = set(young_person.restricted_to.values_list("pk", flat=True))
    if young_person.restricted == restricted and before == {u.pk for u in named}:
        raise ValidationError("Nothing has changed: change the restriction or who is named, or cancel.")
    young_person.skip_history_when_saving = True  # type: ignore[attr-defined]  # no version per name: the save below makes one
    try:
        young_person.restricted_to.set(named)
    finally:
        del young_person.skip_history_when_saving  # type: ignore[attr-defined]
    young_person.restricted = restricted
    young_person._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history reads it
    return save_valid(young_person, by)


# --- The people around the young person (issue 16) --------------------------------------------------

NETWORK_FIELDS = ("name", "relationship", "relationship_detail", "phone", "email", "address",
                  "parental_responsibility", "may_contact", "no_contact_reason", "sharing", "notes", "ended_on")


def _network_details(details: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(details) - set(NETWORK_FIELDS)
    if unknown:
        raise ValueError(f"Not details of a significant person: {', '.join(sorted(unknown))}")
    return {name: (value.strip() if isinstance(value, str) else value) for name, value in details.items()}


@transaction.atomic
def add_significant_person(young_person: YoungPerson, *, details: Mapping[str, Any],
                           by: User | None = None) -> SignificantPerson:
    """Add someone to the people around the young person: family, a carer, a friend, a trusted adult."""
    return save_valid(SignificantPerson(young_person=young_person, **_network_details(details)), by)


@transaction.atomic
def change_significant_person(person: SignificantPerson, *, details: Mapping[str, Any],
                              by: User | None = None) -> SignificantPerson:
    """Change what is held about someone in the network; the change history keeps what it said before."""
    for name, value in _network_details(details).items():
        setattr(person, name, value)
    return save_valid(person, by)


# --- Corrections and withdrawals of any record (issue 16) -------------------------------------------

ONLY_AUTHOR_OR_MANAGER = ("Only the person who recorded this, or a hub or service manager, may correct or "
                          "withdraw it: ask them.")
ALREADY_WITHDRAWN = "This record has already been withdrawn."
NOTHING_CORRECTED = "Nothing has changed: correct a detail, or cancel."


def may_change_record(user: User, record: Any) -> bool:
    """The author of a record, or a hub or service manager (the policy has already said they may see
    and correct the young person's records at all: ``casework.correct_record``)."""
    if user.role in (Role.HUB_MANAGER, Role.SERVICE_MANAGER):
        return True
    author = getattr(record, "recorded_by_id", None)
    return author is not None and author == user.pk


@transaction.atomic
def correct_record(record: Any, *, changes: Mapping[str, Any], reason: str, by: User | None = None) -> Any:
    """Correct a record (an event, a plan goal or review, a referral, a stay): the record changes, its
    rules run again, and its change history keeps what it said before, who changed it and why."""
    if not (reason or "").strip():
        raise ValidationError({"why_corrected": "Say why the record is being corrected."})
    reason = reason.strip()[:100]
    if getattr(record, "withdrawn_at", None) is not None:
        raise ValidationError(ALREADY_WITHDRAWN)
    fields = {f.name for f in record._meta.concrete_fields}
    unknown = set(changes) - fields - {"id", "young_person", "recorded_by", "created_at"}
    if unknown:
        raise ValueError(f"Not fields of a {record._meta.verbose_name}: {', '.join(sorted(unknown))}")
    changed = {name: value for name, value in changes.items() if getattr(record, name) != value}
    if not changed:
        raise ValidationError(NOTHING_CORRECTED)
    for name, value in changed.items():
        setattr(record, name, value)
    record._change_reason = reason
    return save_valid(record, by)


@transaction.atomic
def withdraw_record(record: Any, *, reason: str, by: User | None = None) -> Any:
    """Withdraw a record entered in error (the wrong young person, recorded twice): it is kept, with
    the reason, in its change history and the audit log, and is out of every count, list, timeline,
    alert and export from now on (the default manager of a withdrawable record leaves it out).

    Only the withdrawal's own fields change, so a record whose other details break today's rules
    (that may be why it is withdrawn) can still be taken out.
    """
    if not (reason or "").strip():
        raise ValidationError({"withdrawn_reason": WITHDRAWAL_NEEDS_REASON})
    if record.withdrawn_at is not None:
        raise ValidationError(ALREADY_WITHDRAWN)
    record.withdrawn_at = timezone.now()
    record.withdrawn_reason = reason.strip()[:200]
    record.withdrawn_by = by
    record._change_reason = f"withdrawn: {reason.strip()}"[:100]
    if by is not None:
        record._history_user = by
    record.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    return record


# --- Duplicates: merging two records of one young person (issue 16) ----------------------------------

# Identity details the kept record takes from the duplicate where it has none of its own.
MERGE_FILLS_BLANKS = ("preferred_name", "upn", "nhs_number", "home_postcode")


def _is_log(model: Any) -> bool:
    """The change history and the audit log say what was: they keep the duplicate's id, never move."""
    return (model.__name__.startswith("Historical") or hasattr(model, "instance_type")
            or model._meta.label == "access.AuditEvent")


def relations_to_young_person() -> list[Any]:
    """Every relation any model holds to a young person (foreign keys, one-to-ones and many-to-manys,
    hidden ones included), found from Django's ``_meta`` so a model added later is moved too; the
    change history and the audit log excepted (``_is_log``)."""
    found = []
    for relation in YoungPerson._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or not relation.is_relation:
            continue
        if _is_log(relation.related_model):
            continue
        found.append(relation)
    return found


def merge_refusals(keep: YoungPerson, duplicate: YoungPerson) -> list[str]:
    """Why these two records cannot be merged as they stand, in a practitioner's words (empty: they can)."""
    if keep.pk == duplicate.pk:
        return ["Choose two different records to merge."]
    problems = []
    if keep.restricted or duplicate.restricted:
        problems.append("One of the records is restricted: ask the data protection officer to merge it.")
    if keep.involvements.open().exists() and duplicate.involvements.open().exists():
        problems.append("Both records have open support with the service: end the support on one of them "
                        "(the one opened by mistake) before merging.")
    for relation in relations_to_young_person():
        if relation.one_to_one:
            model = relation.related_model
            name = relation.field.name
            if (model._base_manager.filter(**{name: keep}).exists()
                    and model._base_manager.filter(**{name: duplicate}).exists()):
                problems.append(f"Both records have a {model._meta.verbose_name}: a young person has one. "
                                "Close or correct one of them before merging.")
    for stay in Stay.objects.filter(young_person=duplicate):
        elsewhere = stay._overlapping(Stay.objects.filter(young_person=keep)).first()
        if elsewhere is not None:
            problems.append(f"Both records have a hub stay on the same nights ({elsewhere.bed.label} from "
                            f"{formats.date_format(elsewhere.admitted)}): correct or withdraw one stay first.")
            break
    return problems


@transaction.atomic
def merge_young_people(keep: YoungPerson, *, duplicate: YoungPerson, reason: str,
                       by: User | None = None) -> YoungPerson:
    """Move every record of ``duplicate`` to ``keep``, in one transaction, then delete the duplicate.

    Every relation to a young person is found from Django's ``_meta`` (``relations_to_young_person``),
    so a model added later is moved too. Each moved record is saved (not updated in bulk), so its
    change history says it moved and why, and the audit log has a line for it; the kept record's
    history and the audit log say which record was merged into it. Merges that would break a rule
    (two open involvements, two care leaver records, two stays on the same nights) are refused.
    """
    reason = _reason(reason, "the records are being merged")
    keep = YoungPerson.objects.select_for_update().get(pk=keep.pk)
    duplicate = YoungPerson.objects.select_for_update().get(pk=duplicate.pk)
    problems = merge_refusals(keep, duplicate)
    if problems:
        raise ValidationError(problems)
    note = f"merged from duplicate record {duplicate.child_id}: {reason}"[:100]
    try:
        with transaction.atomic():
            for relation in relations_to_young_person():
                _move(relation, duplicate, keep, note, by)
    except IntegrityError as error:
        raise ValidationError("The records cannot be merged: moving them would break a rule of the records "
                              f"({error.__class__.__name__}). Correct the duplicate's records first.") from error
    for name in MERGE_FILLS_BLANKS:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    gone = duplicate.child_id
    if REFERRAL_CHILD_ID.fullmatch(keep.child_id) and not REFERRAL_CHILD_ID.fullmatch(duplicate.child_id):
        # The kept record was made from a referral and the duplicate carries the council's CHILD (the
        # SSDA903's): the record keeps the council's id, so the return it is exported into and the
        # next one imported both name it as the council's system does.
        gone, keep.child_id = keep.child_id, duplicate.child_id
    audit.record(None, Action.CHANGE, keep, user=by,
                 detail=f"merged duplicate record {duplicate.child_id} (id {duplicate.pk}) into this record: {reason}"[:200])
    duplicate._change_reason = f"merged into record {keep.child_id}: {reason}"[:100]  # type: ignore[attr-defined]
    if by is not None:
        duplicate._history_user = by  # type: ignore[attr-defined]
    duplicate.restricted_to.clear()
    duplicate.delete()  # before the kept record may take its council child id (unique)
    keep._change_reason = f"merged with duplicate record {duplicate.child_id}: {reason}"[:100]  # type: ignore[attr-defined]
    save_valid(keep, by)
    save_valid(FormerChildId(child_id=gone, young_person=keep), by)
    return keep


def _move(relation: Any, duplicate: YoungPerson, keep: YoungPerson, note: str, by: User | None) -> None:
    model = relation.related_model
    if relation.many_to_many:
        # A many-to-many from another model to young people: move the rows of its through table.
        through = relation.through if hasattr(relation, "through") else relation.field.remote_field.through
        column = relation.field.m2m_reverse_field_name()
        owner = relation.field.m2m_field_name()
        already = set(through._base_manager.filter(**{column: keep}).values_list(owner, flat=True))
        through._base_manager.filter(**{column: duplicate}, **{f"{owner}__in": already}).delete()
        through._base_manager.filter(**{column: duplicate}).update(**{column: keep})
        return
    name = relation.field.name
    for row in model._base_manager.filter(**{name: duplicate}):
        setattr(row, name, keep)
        row._change_reason = note
        if by is not None:
            row._history_user = by
        row.save(update_fields=[relation.field.attname])
