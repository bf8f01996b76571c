"""The people around the county's young people, and a few young people recorded twice (issue 16).

Written after the rest of the county, from the database, with a stream of its own: so the demo shows
families (mothers and fathers with parental responsibility, a father who may not be contacted, a
grandmother, an older brother, a trusted adult), contact notes that name who they were with, and a few
duplicate records for the duplicates page (names typed differently, an NHS number with spaces), each
with a referral waiting, as a young person already known is often referred again.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from nwd.casework.choices import ContactWith, ReferralStatus, Relationship, Sharing, SourceAgency, Urgency
from nwd.casework.models import Contact, Involvement, Referral, SignificantPerson, YoungPerson
from nwd.synth import names
from nwd.synth.writer import Writer

# (relationship, share of young people who have one recorded, parental responsibility share)
MEMBERS = (
    (Relationship.MOTHER, 0.85, 0.95),
    (Relationship.FATHER, 0.55, 0.6),
    (Relationship.GRANDPARENT, 0.3, 0.05),
    (Relationship.SIBLING, 0.35, 0.0),
    (Relationship.AUNT_UNCLE, 0.15, 0.05),
    (Relationship.TRUSTED_ADULT, 0.1, 0.0),
)
NO_CONTACT_REASONS = (
    "Non-molestation order: no contact while it is in force",
    "The young person has asked that he is not contacted",
    "Risk of harm: strategy meeting decision, review at the next meeting",
)
TRUSTED = ("youth club leader", "football coach", "teacher at school", "mentor from the youth project")
DUPLICATES_PER_SCALE = 4


def _phone(rng: np.random.Generator) -> str:
    return f"07700 900{int(rng.integers(0, 1000)):03d}"  # Ofcom's drama range: never a real number


def write(as_of: dt.date, writer: Writer, rng: np.random.Generator, scale: float) -> None:
    """Write networks for the young people the service has supported, and a few duplicate pairs."""
    people = list(YoungPerson.objects.filter(pk__in=Involvement.objects.values("young_person_id"))
                  .order_by("pk").values_list("pk", "family_name", "sex"))
    rows: list[SignificantPerson] = []
    for pk, family, _sex in people:
        for relationship, share, responsibility in MEMBERS:
            if rng.random() >= share:
                continue
            first = (names.GIRLS if relationship == Relationship.MOTHER else names.BOYS if relationship == Relationship.FATHER
                     else names.BOYS + names.GIRLS)
            may_contact = not (relationship == Relationship.FATHER and rng.random() < 0.15)
            sharing = (Sharing.ANYTHING if relationship in (Relationship.MOTHER, Relationship.FATHER) and rng.random() < 0.6
                       else Sharing.WELLBEING if relationship == Relationship.TRUSTED_ADULT else Sharing.AGREED)
            rows.append(SignificantPerson(
                young_person_id=pk, name=f"{first[int(rng.integers(len(first)))]} "
                f"{family if relationship != Relationship.TRUSTED_ADULT else names.SURNAMES[int(rng.integers(len(names.SURNAMES)))]}",
                relationship=relationship,
                relationship_detail=TRUSTED[int(rng.integers(len(TRUSTED)))] if relationship == Relationship.TRUSTED_ADULT
                else "older brother" if relationship == Relationship.SIBLING else "",
                phone=_phone(rng) if may_contact else "",
                parental_responsibility=bool(rng.random() < responsibility),
                may_contact=may_contact,
                no_contact_reason="" if may_contact else NO_CONTACT_REASONS[int(rng.integers(len(NO_CONTACT_REASONS)))],
                sharing=Sharing.NOTHING if not may_contact else sharing,
            ))
    writer.write(SignificantPerson, rows, lambda row: row, len(rows))
    _name_on_contacts(writer)
    _duplicates(as_of, writer, rng, scale)


def _name_on_contacts(writer: Writer) -> None:
    """Contacts with a parent, carer or the wider family name the mother or father (or a grandparent)."""
    first_of: dict[int, dict[str, int]] = {}
    for pk, person_id, relationship in SignificantPerson.objects.order_by("pk").values_list(
            "pk", "young_person_id", "relationship"):
        first_of.setdefault(person_id, {}).setdefault(relationship, pk)
    through = Contact.people.through
    links = []
    for contact_id, person_id, contact_with in Contact.objects.filter(
            contact_with__in=(ContactWith.PARENT_CARER, ContactWith.FAMILY)).values_list("pk", "young_person_id",
                                                                                        "contact_with"):
        family = first_of.get(person_id, {})
        wanted = ((Relationship.MOTHER, Relationship.FATHER) if contact_with == ContactWith.PARENT_CARER
                  else (Relationship.GRANDPARENT, Relationship.AUNT_UNCLE, Relationship.SIBLING))
        chosen = next((family[r] for r in wanted if r in family), None)
        if chosen is not None:
            links.append(through(contact_id=contact_id, significantperson_id=chosen))
    writer.write(through, links, lambda row: row, len(links))


def _duplicates(as_of: dt.date, writer: Writer, rng: np.random.Generator, scale: float) -> None:
    """A few young people recorded a second time from a new referral: the names typed differently
    (case, a hyphen, an apostrophe dropped), or the NHS number written with spaces."""
    known = list(YoungPerson.objects.filter(pk__in=Involvement.objects.filter(end__isnull=False)
                                            .values("young_person_id"))
                 .filter(date_of_birth__lt=as_of - dt.timedelta(days=366 * 13),
                         date_of_birth__gt=as_of - dt.timedelta(days=365 * 24))
                 .exclude(restricted=True).order_by("pk")[:400])
    count = min(len(known), max(2, round(DUPLICATES_PER_SCALE * scale)))
    chosen = [known[int(i)] for i in rng.choice(len(known), size=count, replace=False)] if known else []
    twins = []
    for i, person in enumerate(chosen):
        by_number = i % 2 == 1 and len(person.nhs_number) == 10
        number = person.nhs_number
        twins.append(YoungPerson(
            child_id=f"R9{i:06d}",
            given_name=person.given_name if by_number else person.given_name.lower(),
            family_name=person.family_name.upper() if not by_number else person.family_name,
            date_of_birth=person.date_of_birth if not by_number else person.date_of_birth + dt.timedelta(days=31),
            nhs_number=f"{number[:3]} {number[3:6]} {number[6:]}" if by_number else "",
            sex=person.sex, ethnicity=person.ethnicity,
            # A new referral seldom brings the UPN (the DfE's UN5: not yet known); the home is the same one.
            upn="UN5", home_postcode=person.home_postcode,
        ))
    written = writer.write(YoungPerson, twins, lambda row: row, len(twins), keep_pks=True)
    received = as_of - dt.timedelta(days=2)
    writer.write(Referral, written, lambda pk: Referral(
        young_person_id=pk, source_agency=SourceAgency.SCHOOL, referrer_name="Pastoral lead",
        referrer_organisation="County high school", received=received, urgency=Urgency.ROUTINE,
        status=ReferralStatus.RECEIVED, reason="Not in school for two weeks; staying with friends, family worried.",
    ), len(written))
