"""Ofsted's Annex A lists that this platform can fill: List 8 (children in care) and List 9 (care leavers).

When Ofsted inspects the council's children's services (ILACS), its first request is the Annex A
lists. The columns, their names and their order are Ofsted's (the ILACS Annex A template as
published: sheets "List 8" and "List 9"), written down once here (``LIST_8``, ``LIST_9``). A column
the records cannot fill is present and left blank (``Column.held`` is False), and the page says
which; columns this platform adds after Ofsted's are marked "(additional)".

- **List 8**: every child looked after on the date (an SSDA903 episode open on it: DECOM on or
  before the date, DEC after it or none), and every child who ceased to be looked after in the 6
  months before it. Missing and away episodes, return interviews and placements are counted in the
  12 months to the date.
- **List 9**: care leavers aged 17 to 21 on the date, and those 22 to 25 still receiving support:
  everyone with a care leaver's record (``nwd.leavers.models.CareLeaver``) who has left care, and
  anyone the care history makes relevant or former relevant who has no record yet (the derivation
  of ``nwd.leavers.eligibility``; their adviser, plan and status are then blank).

``build(date)`` reads the database (a fixed handful of queries) and returns both lists;
``write_xlsx`` writes them (every cell through ``nwd.exports.escape_cell``); ``export`` is the whole
thing for a named user: permission ``leavers.annex_a`` checked and the export of every child named
recorded in the audit log, as an SSDA903 export is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from nwd.access import audit, downloads
from nwd.access.models import Action, AuditEvent
from nwd.care.models import CareEpisode, CarePeriod, CareReview
from nwd.casework.models import YoungPerson
from nwd.codelists import codes
from nwd.core.dates import age_on
from nwd.events.models import MissingEpisode, MissingKind
from nwd.leavers import eligibility, queries
from nwd.leavers.choices import Category
from nwd.leavers.models import Accommodation, CareLeaver, StayingArrangement
from nwd.leavers.queries import add_months

PERMISSION = "leavers.annex_a"
LIST_8_SHEET, LIST_9_SHEET = "List 8", "List 9"
LEFT_WITHIN_MONTHS = 6
WINDOW_MONTHS = 12
CHANGE_ONLY_OF_LEGAL_STATUS = "L"


@dataclass(frozen=True)
class Column:
    name: str
    held: bool = True  # False: the records cannot fill it; present and left blank


# Ofsted's List 8 ("Children in care"), in the template's order.
LIST_8: tuple[Column, ...] = (
    Column("Child Unique ID"),
    Column("Gender"),
    Column("Ethnicity"),
    Column("Date of Birth"),
    Column("Age of Child (Years)"),
    Column("Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)"),
    Column("Does the Child have a Disability"),
    Column("Date Started to be Looked After"),
    Column("Child's Category of Need"),
    Column("Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)"),
    Column("Start date of current legal status"),
    Column("Child's Legal Status"),
    Column("Date of Latest Statutory Review"),
    Column("Date of Last Social Work Visit", held=False),
    Column("What is the permanence plan for this child?", held=False),
    Column("Date of Last IRO Visit / Contact to the Child", held=False),
    Column("Date of Last Health Assessment", held=False),
    Column("Date of Last Dental Check", held=False),
    Column("Number of Placements in the Last 12 months"),
    Column("Date Ceased to be Looked After"),
    Column("Reason Ceased to be Looked After"),
    Column("Start Date of Most Recent Placement"),
    Column("Placement Type"),
    Column("Placement Provider"),
    Column("Placement postcode"),
    Column("URN of Placement"),
    Column("Placement Location"),
    Column("LA of Placement", held=False),
    Column("Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"),
    Column("Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"),
    Column("Was the child offered a Return Interview after their last missing episode (Y/N)?"),
    Column("Did the child accept a Return Interview after their last missing episode (Y/N)?"),
    Column("Allocated Team", held=False),
    Column("Allocated Worker", held=False),
    # What the platform adds after Ofsted's columns.
    Column("Placement moves in the last 12 months (additional)"),
    Column("Placement provider name (additional)"),
)

# Ofsted's List 9 ("Care leavers"), in the template's order.
LIST_9: tuple[Column, ...] = (
    Column("Child Unique ID"),
    Column("Gender"),
    Column("Ethnicity"),
    Column("Date of Birth"),
    Column("Age of Child (Years)"),
    Column("Does the Child have a Disability"),
    Column("Allocated Team", held=False),
    Column("Allocated Worker"),
    Column("Eligibility Category"),
    Column("LA in Touch"),
    Column("Type of Accommodation"),
    Column("Suitability of Accommodation"),
    Column("Activity Status"),
    Column("Date of latest pathway plan review (additional)"),
    Column("Pathway plan review due (additional)"),
    Column("Date of last personal adviser contact (additional)"),
    Column("Staying Put or Staying Close (additional)"),
    Column("Receiving support after 21 (additional)"),
)

SEX_WORDS = {"1": "Male", "2": "Female", "U": "Not known"}
CATEGORY_WORDS: dict[str, str] = {Category.ELIGIBLE: "Eligible", Category.RELEVANT: "Relevant",
                  Category.FORMER_RELEVANT: "Former relevant", Category.QUALIFYING: "Qualifying"}
_ACCOM_KINDS = {c.code[0]: c.label.rsplit(",", 1)[0] for c in codes.ACCOM if c.code != "0"}
_LABELS = {name: {c.code: c.label for c in codes.LISTS[name]} for name in ("IN_TOUCH", "ACTIV")}


@dataclass
class AnnexA:
    """Both lists as of ``on``: rows in Ofsted's column order, and the young people named."""

    on: dt.date
    list_8: list[list[Any]] = field(default_factory=list)
    list_9: list[list[Any]] = field(default_factory=list)
    looked_after_on_date: int = 0
    left_in_six_months: int = 0
    young_person_ids: list[int] = field(default_factory=list)

    def sheets(self) -> dict[str, tuple[Sequence[str], list[list[Any]]]]:
        return {LIST_8_SHEET: ([c.name for c in LIST_8], self.list_8),
                LIST_9_SHEET: ([c.name for c in LIST_9], self.list_9)}


def blank_columns() -> dict[str, list[str]]:
    """The columns each list leaves blank because the records cannot fill them (the page lists them)."""
    return {LIST_8_SHEET: [c.name for c in LIST_8 if not c.held], LIST_9_SHEET: [c.name for c in LIST_9 if not c.held]}


def _yn(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def looked_after_on(decom: dt.date, dec: dt.date | None, on: dt.date) -> bool:
    """An episode open on ``on``: begun on or before it, not ceased on or before it."""
    return decom <= on and (dec is None or dec > on)


def build(on: dt.date) -> AnnexA:
    result = AnnexA(on=on)
    _list_8(result)
    _list_9(result)
    return result


def _list_8(result: AnnexA) -> None:
    on = result.on
    left_since = add_months(on, -LEFT_WITHIN_MONTHS)
    window_start = add_months(on, -WINDOW_MONTHS)
    open_on = Q(decom__lte=on) & (Q(dec__isnull=True) | Q(dec__gt=on))
    ceased_recently = Q(period__end__gt=left_since, period__end__lte=on)
    chosen = set(CareEpisode.objects.filter(open_on | ceased_recently).values_list("young_person_id", flat=True))
    episodes: dict[int, list[CareEpisode]] = defaultdict(list)
    for episode in (CareEpisode.objects.filter(young_person_id__in=chosen, decom__lte=on)
                    .select_related("provider").order_by("young_person_id", "decom")):
        episodes[episode.young_person_id].append(episode)
    periods: dict[int, list[CarePeriod]] = defaultdict(list)
    for held in CarePeriod.objects.filter(young_person_id__in=chosen, start__lte=on).order_by("start"):
        periods[held.young_person_id].append(held)
    reviews: dict[int, dt.date] = {}
    for person_id, day in (CareReview.objects.filter(young_person_id__in=chosen, review_date__lte=on)
                           .order_by("review_date").values_list("young_person_id", "review_date")):
        reviews[person_id] = day
    missing: dict[int, list[MissingEpisode]] = defaultdict(list)
    for m in (MissingEpisode.objects.filter(young_person_id__in=chosen, started_at__date__gt=window_start,
                                            started_at__date__lte=on).order_by("started_at")):
        missing[m.young_person_id].append(m)
    people = YoungPerson.objects.filter(pk__in=chosen).order_by("child_id")
    for person in people:
        spans = episodes[person.pk]
        if not spans:
            continue
        current = spans[-1]
        looked_after = looked_after_on(current.decom, current.dec, on)
        period: CarePeriod | None = next((p for p in reversed(periods[person.pk]) if p.pk == current.period_id),
                                         None)
        if looked_after:
            result.looked_after_on_date += 1
        else:
            result.left_in_six_months += 1
        earlier = [p for p in periods[person.pk] if p.pk != current.period_id and p.end is not None
                   and p.end > window_start and period is not None and p.start < period.start]
        legal_from = current.decom
        for episode in reversed(spans[:-1]):
            if episode.period_id != current.period_id or episode.ls != current.ls:
                break
            legal_from = episode.decom
        placed_from = current.decom
        for episode, after in zip(reversed(spans[:-1]), reversed(spans[1:]), strict=True):
            if after.rne != CHANGE_ONLY_OF_LEGAL_STATUS or episode.period_id != current.period_id:
                break
            placed_from = episode.decom
        in_window = [e for e in spans if e.dec is None or e.dec > window_start]
        placements = (1 + sum(1 for e in in_window[1:] if e.rne != CHANGE_ONLY_OF_LEGAL_STATUS)) if in_window else 0
        person_missing = missing[person.pk]
        last_missing = next((m for m in reversed(person_missing) if m.kind == MissingKind.MISSING), None)
        uasc = person.uasc and (person.uasc_ceased is None or person.uasc_ceased > window_start)
        result.list_8.append([
            person.child_id, SEX_WORDS.get(person.sex, person.sex), person.ethnicity, person.date_of_birth,
            age_on(person.date_of_birth, on), _yn(uasc), _yn(person.disability),
            period.start if period else current.decom, current.cin, _yn(bool(earlier)), legal_from, current.ls,
            reviews.get(person.pk), None, None, None, None, None,
            placements, None if looked_after else current.dec, "" if looked_after else current.rec,
            placed_from, current.place, current.place_provider, current.pl_post, current.urn,
            "In" if current.in_area else "Out", None,
            sum(1 for m in person_missing if m.kind == MissingKind.MISSING),
            sum(1 for m in person_missing if m.kind == MissingKind.AWAY),
            _yn(last_missing.return_interview_offered) if last_missing else "",
            _yn(last_missing.return_interview_accepted) if last_missing else "",
            None, None,
            max(placements - 1, 0), current.provider.name if current.provider else "",
        ])
        result.young_person_ids.append(person.pk)


def in_list_9_ages(dob: dt.date, on: dt.date, receiving_support: bool) -> bool:
    """17 to 21 on the date, or 22 to 25 and still receiving support."""
    age = age_on(dob, on)
    return 17 <= age <= 21 or (22 <= age <= 25 and receiving_support)


def _list_9(result: AnnexA) -> None:
    on = result.on
    records: dict[int, Any] = {leaver.young_person_id: leaver
                               for leaver in queries.with_due(CareLeaver.objects.all())}
    arrangements: dict[int, str] = {}
    for leaver_id, kind in (StayingArrangement.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gt=on))
                            .values_list("care_leaver__young_person_id", "kind")):
        arrangements[leaver_id] = kind
    homes: dict[int, Accommodation] = {}
    for lived in Accommodation.objects.filter(start__lte=on).order_by("start"):
        homes[lived.care_leaver_id] = lived
    # Young people the care history makes care leavers, whether or not they have a record yet.
    histories: dict[int, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    oldest = dt.date(on.year - 26, on.month, 1)
    for person_id, decom, dec, ls in (CareEpisode.objects.filter(young_person__date_of_birth__gt=oldest,
                                                                 decom__lte=on)
                                      .values_list("young_person_id", "decom", "dec", "ls")):
        histories[person_id].append((decom, dec, ls))
    people = YoungPerson.objects.filter(Q(pk__in=list(records)) | Q(pk__in=list(histories))).order_by("child_id")
    for person in people:
        leaver = records.get(person.pk)
        if leaver is not None:
            if leaver.category == Category.ELIGIBLE or (leaver.left_care is not None and leaver.left_care > on):
                continue
            receiving = leaver.support_ended is None or leaver.support_ended > on
            category = leaver.category
        else:
            derived = eligibility.derive(person.date_of_birth, histories[person.pk], on)
            if derived.category not in (Category.RELEVANT, Category.FORMER_RELEVANT):
                continue
            receiving, category = True, derived.category
        if not in_list_9_ages(person.date_of_birth, on, receiving):
            continue
        home: Accommodation | None = homes.get(leaver.pk) if leaver else None
        adviser = leaver.personal_adviser if leaver else None
        review_due = queries.review_due(leaver) if leaver else None
        result.list_9.append([
            person.child_id, SEX_WORDS.get(person.sex, person.sex), person.ethnicity, person.date_of_birth,
            age_on(person.date_of_birth, on), _yn(person.disability), None,
            adviser.get_full_name() if adviser else "", CATEGORY_WORDS.get(category, category),
            _LABELS["IN_TOUCH"].get(leaver.in_touch, "") if leaver else "",
            _ACCOM_KINDS.get(home.accommodation[0], "") if home else "",
            {True: "Suitable", False: "Not suitable", None: ""}[home.suitable] if home else "",
            _LABELS["ACTIV"].get(leaver.activity, "") if leaver else "",
            leaver.last_review if leaver else None, review_due,
            leaver.last_contact if leaver else None,
            {"staying_put": "Staying Put", "staying_close": "Staying Close"}.get(
                arrangements.get(person.pk, ""), ""),
            _yn(receiving) if age_on(person.date_of_birth, on) >= 21 else "",
        ])
        if person.pk not in result.young_person_ids:
            result.young_person_ids.append(person.pk)


def xlsx_bytes(result: AnnexA) -> bytes:
    """The lists as a spreadsheet, one sheet each, every cell escaped against formula injection."""
    return downloads.xlsx_bytes(result.sheets())


def export(on: dt.date, path: Path | str, user: Any) -> AnnexA:
    """Build, write and audit the lists as of ``on`` for ``user``, who needs ``leavers.annex_a``."""
    if user is None or not user.is_active or not user.has_perm(PERMISSION):
        raise PermissionDenied(PERMISSION)
    result = build(on)
    Path(path).write_bytes(xlsx_bytes(result))
    audit_export(user, result, f"Annex A as at {on:%d/%m/%Y} written to {Path(path).resolve()}")
    return result


def audit_export(user: Any, result: AnnexA, detail: str, request: Any = None) -> None:
    """One audit line for the export and one per young person named (as an export of their record)."""
    note = f"{detail} (List 8 {len(result.list_8)}, List 9 {len(result.list_9)})"
    template = audit.record(request, Action.EXPORT, detail=note, user=user)
    content_type = ContentType.objects.get_for_model(YoungPerson)
    shared = {name: getattr(template, name) for name in
              ("user", "username", "ip_address", "user_agent", "method", "path", "at")}
    AuditEvent.objects.bulk_create(
        (AuditEvent(action=Action.EXPORT, detail=note, content_type=content_type, object_id=str(pk),
                    young_person_id=pk, **shared) for pk in result.young_person_ids),
        batch_size=2000,
    )
