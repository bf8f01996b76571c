"""Who may do what, to which records: the policy, in one module.

Three layers, each readable on its own:

1. **Relations** between a user and a record, named as the policy says them: ``is_key_worker_of``,
   ``works_at_hub_of``, ``is_drawn_in_for``, ``referred_by_my_agency``,
   ``named_on_restricted_record``... (each answerable for one record and in the database, see
   ``nwd.access.relations``).
2. **Scopes**: the handful of answers a cell of the policy table can give ("their hub's young
   people", "young people they are drawn in for", "their agency's referrals"), each a relation.
3. **The table**: for every permission, which role gets which scope. ``docs/permissions.md`` is
   generated from it (``nwd permissions_doc``; a test fails when they differ), and a test
   checks every cell against hand-built records.

Restricted records (for example a staff member's relative) sit above the table: whatever the cell
says, a restricted young person, their referrals and contacts are seen only by the users named on
the record, and a hub permission asked of a record about them (a stay, an involvement) needs the
user named too. Naming a user never widens what their role allows.

Permissions are registered with ``rules.add_perm``, so views ask ``user.has_perm(name, record)``;
list pages and search use ``nwd.access.scopes`` (the same relations, as database filters).
Superuser status opens the admin site only (``nwd.access.admin_site``): it grants nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules
from django.db.models import Q
from django.utils.functional import LazyObject, empty

from nwd.access.relations import (
    ALL,
    KINDS,
    NOTHING,
    Relation,
    declared,
    everything,
    has_role,
    model_of,
    register_kind,
    relation,
    signed_in,
)
from nwd.access.roles import Role
from nwd.hubs.models import Hub

# The kinds of record a permission is asked about. Access owns none but the hub: the casework
# records (young person, referral, contact) are above it in the layers, so casework registers their
# models and answers the relations over them when its models load (``nwd.casework.relations``).
YOUNG_PERSON = "young person"
REFERRAL = "referral"
CONTACT = "contact"
HUB = "hub"
GLOBAL = "no record"

register_kind(HUB, Hub)

# --------------------------------------------------------------------------------------------
# 1. Relations
# --------------------------------------------------------------------------------------------

# Over casework's records: what each means here, how it is answered in nwd.casework.relations.
works_at_hub_of = declared("works_at_hub_of", YOUNG_PERSON,
                           "The young person has (or had) an involvement at the hub the user works at.")
is_key_worker_of = declared("is_key_worker_of", YOUNG_PERSON, "The user is the young person's current key worker.")
is_drawn_in_for = declared("is_drawn_in_for", YOUNG_PERSON,
                           "The key worker has drawn the user in as a specialist, and the involvement is still open.")
is_awaiting_decision = declared("is_awaiting_decision", YOUNG_PERSON,
                                "The young person has a referral waiting for a decision (so the triaging manager may read it).")
is_known_to_service = declared("is_known_to_service", YOUNG_PERSON,
                               "The young person has been referred to, or supported by, the service (not only in care data).")
is_supported_near_me = declared("is_supported_near_me", YOUNG_PERSON,
                                "The young person is supported by the service now (at the user's hub, if they have one).")
named_on_restricted_record = declared("named_on_restricted_record", YOUNG_PERSON,
                                      "The record is not restricted, or the user is one of the people named on it.")
referred_by_my_agency = declared("referred_by_my_agency", REFERRAL,
                                 "The user sent the referral, or a colleague of the same agency and organisation did.")
wrote_this_note = declared("wrote_this_note", CONTACT, "The user made the contact and wrote its note.")


@relation(Hub, lambda user: Q(pk=user.hub_id) if user.hub_id else NOTHING)
def is_my_hub(user, hub) -> bool:
    """The user works at this hub."""
    return bool(user.hub_id) and hub.pk == user.hub_id


# Over the care leaver records (issue 17), answered in nwd.leavers.relations: need to know.
is_personal_adviser_of = declared("is_personal_adviser_of", YOUNG_PERSON, "The user is the care leaver's personal adviser.")
is_care_leaver = declared("is_care_leaver", YOUNG_PERSON,
                          "The young person has a care leaver's record (eligible, relevant, former relevant or qualifying).")


# Over the hubs as children's homes (issue 15), answered in nwd.safeguarding.relations: an inspector's
# time-limited grant.
is_inspecting = declared("is_inspecting", HUB,
                         "The user holds an inspector's grant to the hub that has started and not yet expired.")


# Rules predicates under the names above, for use in templates ({% test_rule %}) and elsewhere.
for _relation in (
    works_at_hub_of, is_key_worker_of, is_drawn_in_for, is_awaiting_decision, is_known_to_service,
    is_supported_near_me, named_on_restricted_record, referred_by_my_agency, wrote_this_note, is_my_hub,
    is_personal_adviser_of, is_care_leaver, is_inspecting,
):
    rules.set_rule(f"nwd.{_relation.name}", _relation.predicate)

# --------------------------------------------------------------------------------------------
# 2. Scopes: what a cell of the table can say
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """One answer a cell can give: a short label for the table, its meaning, and the relation."""

    label: str
    meaning: str
    relation: Relation = field(compare=False)


# Young people
EVERY_RECORD = Scope("every record", "every young person the platform holds, including those known only from care data",
                     everything(YOUNG_PERSON))
KNOWN_TO_SERVICE = Scope("all", "every young person referred to or supported by the service, at every hub",
                         is_known_to_service)
THEIR_HUB = Scope("hub", "young people with an involvement (open or closed) at the user's hub, and those "
                  "the user is key worker of", works_at_hub_of | is_key_worker_of)
# (THEIR_HUB's relation itself, then the queue: the same rule, and ``reaches`` sees it holds wherever THEIR_HUB does.)
HUB_AND_QUEUE = Scope("hub + queue", "their hub's young people, and anyone with a referral waiting for a decision",
                      THEIR_HUB.relation | is_awaiting_decision)
KEY_WORKER = Scope("key worker", "only young people the user is the current key worker of", is_key_worker_of)
DRAWN_IN = Scope("drawn in", "only young people the user is drawn in for as a specialist (open involvement)",
                 is_drawn_in_for)
SUPPORTED = Scope("supported now", "young people supported by the service now (at the user's hub, if they have one)",
                  is_supported_near_me)

# Care leavers (issue 17)
OWN_CARE_LEAVERS = Scope("own care leavers", "only care leavers the user is personal adviser of",
                         is_personal_adviser_of)
ALL_CARE_LEAVERS = Scope("care leavers", "every young person with a care leaver's record", is_care_leaver)

# Referrals
ALL_REFERRALS = Scope("all", "every referral", everything(REFERRAL))
MY_AGENCY = Scope("own agency", "referrals the user sent, or a colleague of the same agency and organisation sent",
                  referred_by_my_agency)
HUB_REFERRALS = Scope("hub", "referrals of their hub's young people", THEIR_HUB.relation.via("young_person", REFERRAL))

# Contacts (notes)
ALL_CONTACTS = Scope("all", "every contact note", everything(CONTACT))
HUB_CONTACTS = Scope("hub", "contact notes about their hub's young people",
                     THEIR_HUB.relation.via("young_person", CONTACT))
OWN_NOTES = Scope("own notes", "only notes the user wrote, about young people they are drawn in for",
                  DRAWN_IN.relation.via("young_person", CONTACT) & wrote_this_note)
OWN_HUB_NOTES = Scope("own notes at hub", "only notes the user wrote, about their hub's young people",
                      HUB_CONTACTS.relation & wrote_this_note)
OWN_ANY_NOTES = Scope("own notes anywhere", "only notes the user wrote, about any young person",
                      ALL_CONTACTS.relation & wrote_this_note)

# Hubs
ALL_HUBS = Scope("all", "every hub", everything(Hub))
OWN_HUB = Scope("own hub", "the hub the user works at", is_my_hub)
INSPECTED_HUB = Scope("inspected hub", "the hub the inspector's grant names, while the grant runs (it expires)",
                      is_inspecting)

# No record
YES = Scope("yes", "may do it (no record involved)", everything(None))

SCOPES = [EVERY_RECORD, KNOWN_TO_SERVICE, THEIR_HUB, HUB_AND_QUEUE, KEY_WORKER, DRAWN_IN, SUPPORTED,
          ALL_REFERRALS, MY_AGENCY, HUB_REFERRALS, ALL_CONTACTS, HUB_CONTACTS, OWN_NOTES, OWN_HUB_NOTES, OWN_ANY_NOTES,
          ALL_HUBS, OWN_HUB, YES, OWN_CARE_LEAVERS, ALL_CARE_LEAVERS, INSPECTED_HUB]

# --------------------------------------------------------------------------------------------
# 3. The table
# --------------------------------------------------------------------------------------------

R = Role
KW, RW, PL, HM, SM = R.KEY_WORKER, R.RESIDENTIAL_WORKER, R.PORTFOLIO_LEAD, R.HUB_MANAGER, R.SERVICE_MANAGER
LC, CS, MH, SU = R.LIFE_COACH, R.COMMUNICATION_SUPPORT, R.MENTAL_HEALTH, R.SUBSTANCE_MISUSE
PO, PR, AN, DPO = R.POLICE_LIAISON, R.PARTNER_REFERRER, R.ANALYST, R.DATA_PROTECTION_OFFICER
PA = R.PERSONAL_ADVISER
CO = R.COMMISSIONING_OFFICER
INS = R.INSPECTOR
HUB_STAFF = (KW, RW, PL)
SPECIALISTS = (LC, CS, MH, SU)


def _each(roles, scope) -> dict:
    return dict.fromkeys(roles, scope)


@dataclass(frozen=True)
class Permission:
    """A permission: its name (the API views use), what it allows, the record it is asked of, who gets it."""

    name: str
    kind: str
    allows: str
    grants: dict = field(compare=False)

    @property
    def takes_record(self) -> bool:
        return self.kind != GLOBAL

    def scope_for(self, role: str) -> Scope | None:
        return self.grants.get(role)


def _hub_casework(**others) -> dict:
    """Hub staff and the hub manager on their hub; the service manager everywhere; then ``others``."""
    return {**_each((*HUB_STAFF, HM), THEIR_HUB), SM: KNOWN_TO_SERVICE, **others}


PERMISSIONS: list[Permission] = [
    # The young person's record
    Permission("casework.view_identity", YOUNG_PERSON,
               "See the minimum identity: name, date of birth, council child id (headings, lists, search results).",
               {**_hub_casework(), HM: HUB_AND_QUEUE, **_each(SPECIALISTS, DRAWN_IN), PO: SUPPORTED,
                DPO: EVERY_RECORD}),
    Permission("casework.view_young_person", YOUNG_PERSON,
               "Open the young person's page: key facts, key worker, stay or outreach, the team, EET, timeline "
               "(each section also needs its own permission below).",
               {**_hub_casework(), HM: HUB_AND_QUEUE, **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("casework.view_plan", YOUNG_PERSON, "See the plan, its goals and reviews.",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("casework.view_contacts", YOUNG_PERSON,
               "See the contacts section (which notes: see casework.view_contact).",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("casework.view_contact", CONTACT, "Read one contact note.",
               {**_each((*HUB_STAFF, HM), HUB_CONTACTS), SM: ALL_CONTACTS, **_each(SPECIALISTS, OWN_NOTES)}),
    Permission("casework.view_care_history", YOUNG_PERSON,
               "See periods of care and placements (the SSDA903 episodes).", _hub_casework()),
    Permission("events.view_police_shared", YOUNG_PERSON,
               "See missing episodes, police contacts and exploitation concerns.",
               _hub_casework(**{PO: SUPPORTED})),
    Permission("events.view_health", YOUNG_PERSON,
               "See health events (A&E, admissions, crisis presentations) and substance use.",
               _hub_casework(**_each((LC, MH, SU), DRAWN_IN))),
    Permission("casework.record_contact", YOUNG_PERSON, "Record a contact (a specialist records their own notes).",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("casework.correct_contact", CONTACT,
               "Correct a contact note the user wrote (the change history keeps what it said before).",
               {**_each((*HUB_STAFF, HM), OWN_HUB_NOTES), SM: OWN_ANY_NOTES, **_each(SPECIALISTS, OWN_NOTES)}),
    Permission("casework.record_casework", YOUNG_PERSON,
               "Record and change plans, plan reviews, EET status, health events and substance use.",
               _hub_casework()),
    Permission("events.record_police_shared", YOUNG_PERSON,
               "Record missing episodes and returns, police contacts and exploitation concerns.",
               _hub_casework(**{PO: SUPPORTED})),
    # Only while the young person is supported: after support ends nobody draws a specialist in.
    Permission("casework.draw_in_specialist", YOUNG_PERSON,
               "Draw a specialist into the team around the young person, while the service supports them.",
               {KW: KEY_WORKER, RW: KEY_WORKER, HM: SUPPORTED, SM: SUPPORTED}),
    # Ending support (and discharging from a bed, below) stays the hub manager's decision (issue 12 #12):
    # it frees a place on the hub's caseload or a bed and ends every specialist's sight of the record, so
    # the person accountable for the hub's places makes it. The key worker proposes it, and their page
    # names the hub manager to ask; no agreement is recorded for a key worker to act on.
    Permission("casework.close_involvement", YOUNG_PERSON,
               "End the young person's involvement with the service: the hub manager's decision (the key "
               "worker asks them; the young person's page names whom to ask).",
               {HM: THEIR_HUB, SM: KNOWN_TO_SERVICE}),
    Permission("access.view_access_log", YOUNG_PERSON, "See who has viewed the young person's record.",
               {HM: THEIR_HUB, SM: KNOWN_TO_SERVICE, DPO: EVERY_RECORD}),
    Permission("access.view_record_history", YOUNG_PERSON,
               "See the change history of every record about the young person.",
               {HM: THEIR_HUB, SM: KNOWN_TO_SERVICE, DPO: EVERY_RECORD}),
    Permission("access.subject_access_export", YOUNG_PERSON,
               "Download everything held about the young person (subject access request).", {DPO: EVERY_RECORD}),
    # Referrals
    Permission("casework.submit_referral", GLOBAL, "Refer a young person to the service.",
               _each((*HUB_STAFF, HM, SM, *SPECIALISTS, PO, PR), YES)),
    Permission("casework.view_referral", REFERRAL, "Read a referral and follow its status.",
               {**_each(HUB_STAFF, HUB_REFERRALS), HM: ALL_REFERRALS, SM: ALL_REFERRALS, PR: MY_AGENCY}),
    Permission("casework.triage_referrals", GLOBAL, "Work the queue of referrals waiting for a decision.",
               _each((HM, SM), YES)),
    Permission("casework.decide_referral", REFERRAL, "Decide a referral: outreach, hub stay, emergency bed or handover.",
               _each((HM, SM), ALL_REFERRALS)),
    # Hubs
    Permission("casework.allocate_key_worker", HUB, "Allocate or change a key worker (start support at the hub).",
               {HM: OWN_HUB, SM: ALL_HUBS}),
    Permission("hubs.view_bed_board", HUB, "See the hub's bed board: who is in which bed, planned discharges, free beds.",
               {**_each((*HUB_STAFF, HM), OWN_HUB), SM: ALL_HUBS}),
    Permission("hubs.view_caseloads", HUB, "See the hub's caseloads (young people per key worker).",
               {HM: OWN_HUB, SM: ALL_HUBS}),
    Permission("hubs.admit", HUB, "Admit a young person to a bed at the hub.", {HM: OWN_HUB, SM: ALL_HUBS}),
    Permission("hubs.discharge", HUB, "Discharge a young person from a bed at the hub: the hub manager's decision "
               "(the key worker asks them).", {HM: OWN_HUB, SM: ALL_HUBS}),
    # Finding people
    Permission("casework.search", GLOBAL,
               "Search young people by name, id or date of birth (results limited to casework.view_identity).",
               _each((*HUB_STAFF, HM, SM, *SPECIALISTS, PO, DPO), YES)),
    # Audit, exports and the tools
    Permission("access.view_audit", GLOBAL, "Read the audit log of reads, changes and sign-ins (read only).",
               {DPO: YES}),
    Permission("exports.download", GLOBAL,
               "Download any export (CSV, spreadsheet, report); each download also needs the permission of what it holds.",
               _each((HM, SM, AN, DPO), YES)),
    Permission("returns.import_903", GLOBAL, "Import an SSDA903 return.", {AN: YES}),
    Permission("returns.export_903", GLOBAL, "Produce the SSDA903 return.", {AN: YES}),
    Permission("forecast.use", GLOBAL, "Run forecasts and savings scenarios.", _each((SM, AN), YES)),
    Permission("evaluation.view_dashboard", GLOBAL, "See the outcome indicators, de-identified and aggregated.",
               _each((HM, SM, AN), YES)),
    Permission("evaluation.view_named_lists", GLOBAL,
               "See the young people behind a figure (limited to casework.view_identity).", _each((HM, SM), YES)),
    Permission("evaluation.download_report", GLOBAL, "Download the evaluation report (PDF, XLSX).",
               _each((HM, SM, AN), YES)),
]

# Data protection: rectifying identity details, restricting a record to named users, and retention
# (the data protection officer, and the service manager for the first two). The restriction still
# applies: on a restricted record they must be named, as for everything else.
PERMISSIONS += [
    Permission("casework.rectify_identity", YOUNG_PERSON,
               "Correct the young person's identity details (names, date of birth, sex, gender, ethnicity, NHS "
               "number, UPN, home postcode, date of death), with a reason the change history keeps.",
               {SM: KNOWN_TO_SERVICE, DPO: EVERY_RECORD}),
    Permission("casework.restrict_record", YOUNG_PERSON,
               "Restrict the record to named users, change who is named, or lift the restriction, with a reason "
               "the change history keeps.",
               {SM: KNOWN_TO_SERVICE, DPO: EVERY_RECORD}),
    Permission("casework.apply_retention", GLOBAL,
               "List the records past their retention period and destroy them (nwd retention, on the command line).",
               {DPO: YES}),
]

# Care leavers and Ofsted's Annex A (issue 17). The personal adviser sees their own care leavers'
# identity and leaving-care record and nothing else of the casework; the service manager every care
# leaver's. Annex A names every child in care and care leaver: the service manager and the analyst
# who prepare the inspection, with a permission of its own (and exports.download for the file).
for _name in ("casework.view_identity", "casework.search"):
    _spec = next(p for p in PERMISSIONS if p.name == _name)
    _spec.grants[PA] = OWN_CARE_LEAVERS if _spec.takes_record else YES
PERMISSIONS += [
    Permission("leavers.view_care_leaver", YOUNG_PERSON,
               "See the care leaver's record: category, personal adviser, pathway plan and reviews, contacts, "
               "accommodation, activity, in touch, Staying Put or Close.",
               {PA: OWN_CARE_LEAVERS, SM: ALL_CARE_LEAVERS, DPO: EVERY_RECORD}),
    Permission("leavers.record_care_leaver", YOUNG_PERSON,
               "Record and change the care leaver's record, pathway plan reviews and adviser contacts.",
               {PA: OWN_CARE_LEAVERS, SM: ALL_CARE_LEAVERS}),
    Permission("leavers.start_care_leaver", GLOBAL,
               "Open a care leaver's record for a young person who has left care, and name the personal adviser.",
               {SM: YES}),
    Permission("leavers.annex_a", GLOBAL,
               "Produce Ofsted's Annex A lists (List 8 children in care, List 9 care leavers): every child named.",
               _each((SM, AN), YES)),
]

# Placements, providers and sufficiency (nwd.placements, issue 18). The commissioning officer sees
# providers, placements and their weekly costs, and the placements flagged as unlawful or unsuitable
# (by CHILD id, never a name or a case note); the service manager the same. Only the commissioning
# officer keeps the quality record. None of these opens a young person's record.
PERMISSIONS += [
    Permission("placements.view_register", GLOBAL,
               "See the provider register: each provider's settings, Ofsted judgements, standing, quality record, "
               "and the placements (by CHILD id) and weekly cost with it now.",
               _each((SM, CO), YES)),
    Permission("placements.record_quality", GLOBAL,
               "Record a provider's monitoring visits, concerns and complaints, and change its standing "
               "(approved, under review, suspended).",
               {CO: YES}),
    Permission("placements.view_flagged", GLOBAL,
               "See the placements flagged as unlawful (under 16 not in a registered children's home; 16 or 17 in "
               "unregistered accommodation) or unsuitable (provider judged inadequate or under review), by CHILD id.",
               _each((SM, CO), YES)),
    Permission("placements.view_sufficiency", GLOBAL,
               "See sufficiency: children placed now by group, area and provider type with the weekly cost, the "
               "places projected with and without the service, and the in-house scenario (nwd sufficiency).",
               _each((SM, CO), YES)),
]

# The partner systems' API (nwd.api, issue 19). A partner agency's system is a partner referrer's
# account (it refers and follows its own agency's referrals, as on the pages). The council's case
# system is the integration role: it reads what the service knows of the young people referred to or
# supported by it (identity, the young person's record, involvements and key workers, stays, care
# episodes, missing episodes, police contacts and exploitation concerns) and every referral, and
# changes nothing. Not contact notes, plans or health events: those stay with the people working
# with the young person.
IN = R.INTEGRATION
for _name, _scope in (("casework.view_identity", KNOWN_TO_SERVICE), ("casework.view_young_person", KNOWN_TO_SERVICE),
                      ("casework.view_care_history", KNOWN_TO_SERVICE), ("events.view_police_shared", KNOWN_TO_SERVICE),
                      ("casework.view_referral", ALL_REFERRALS)):
    next(p for p in PERMISSIONS if p.name == _name).grants[IN] = _scope

# Tasks and reminders, notifications and meetings (issue 16, nwd.worklist). Everyone on the staff has
# their own tasks and notifications (a task's page opens for its owner, or a manager of its hub); a
# task about a young person is set, and a meeting seen, by those who may see their casework.
PERMISSIONS += [
    Permission("worklist.use_worklist", GLOBAL,
               "See and complete your own tasks, read your notifications, choose which come by email.",
               _each((*HUB_STAFF, HM, SM, *SPECIALISTS, PO, AN, DPO, PA, CO), YES)),
    Permission("worklist.add_task", YOUNG_PERSON, "Set a task about the young person, for yourself or a colleague.",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN), PA: OWN_CARE_LEAVERS}),
    Permission("worklist.add_team_task", GLOBAL,
               "Set a task about no young person (a job of the team or the hub), for yourself or a colleague.",
               _each((*HUB_STAFF, HM, SM, *SPECIALISTS, PO, AN, DPO, PA, CO), YES)),
    Permission("worklist.manage_tasks", HUB, "See the hub's tasks, reassign them, and complete them for a colleague.",
               {HM: OWN_HUB, SM: ALL_HUBS}),
    Permission("worklist.view_meetings", YOUNG_PERSON,
               "See the young person's meetings: who attended, the young person's view, decisions and actions.",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("worklist.record_meeting", YOUNG_PERSON,
               "Record a multi-agency meeting about the young person, its decisions and the actions that become tasks.",
               _hub_casework()),
]

# The hubs as registered children's homes (nwd.homes, issue 15). Residential workers and the other
# hub staff write the daily log and the shift handover of the young people staying at their hub, and
# sign visitors in and out; the hub manager keeps the regulation 44 and 45 reports and signs the
# responses; the service manager reads every hub's and records reports, but the sign-off is the hub
# manager's (the registered manager's). The admission register names every child admitted.
PERMISSIONS += [
    Permission("homes.view_daily_log", YOUNG_PERSON,
               "Read the young person's daily log and shift handovers while they stay in a hub.",
               _hub_casework()),
    Permission("homes.write_daily_log", YOUNG_PERSON,
               "Write daily log entries and the shift handover for a young person staying at the hub.",
               _each((*HUB_STAFF, HM), THEIR_HUB)),
    Permission("homes.correct_daily_log", YOUNG_PERSON,
               "Correct a daily log entry or a shift handover, with a reason the change history keeps (hub staff: "
               "only what they wrote; managers: any).",
               {**_each((*HUB_STAFF, HM), THEIR_HUB), SM: KNOWN_TO_SERVICE}),
    Permission("homes.keep_visitors", HUB,
               "See the hub's visitors' record, and sign visitors in and out (schedule 4).",
               {**_each((*HUB_STAFF, HM), OWN_HUB), SM: ALL_HUBS}),
    Permission("homes.view_admission_register", HUB,
               "See the hub's admission register (schedule 4): every admission and leaving, with the placing "
               "authority and legal basis, built from the stays and care episodes.",
               {HM: OWN_HUB, SM: ALL_HUBS}),
    Permission("homes.keep_quality_reports", HUB,
               "See and record the independent person's visits (regulation 44), the quality of care reviews "
               "(regulation 45), their recommendations as actions, and the report's sending to Ofsted.",
               {HM: OWN_HUB, SM: ALL_HUBS}),
    Permission("homes.sign_off_reports", HUB,
               "Sign the hub manager's response to a regulation 44 or 45 report (the registered manager).",
               {HM: OWN_HUB}),
]

# The team's daily tools (issue 16, items 3, 7 and 8): the people around the young person, corrections
# and withdrawals of any record, and duplicates. Correcting or withdrawing is for the record's author
# or a manager: the cell says whose records the role reaches, and the service
# (``casework.services.may_change_record``) that a key worker, residential worker or portfolio lead
# changes only what they recorded themselves.
PERMISSIONS += [
    Permission("casework.view_network", YOUNG_PERSON,
               "See the people around the young person: family, carers and other significant people, their "
               "contact details, parental responsibility, whether they may be contacted and what may be shared.",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("casework.record_network", YOUNG_PERSON,
               "Add someone to the people around the young person, or change what is held about them.",
               _hub_casework()),
    Permission("casework.correct_record", YOUNG_PERSON,
               "Correct an event, a plan goal or review, a referral or a stay, with a reason the change history "
               "keeps (hub staff: only records they recorded; managers: any).",
               _hub_casework()),
    Permission("casework.withdraw_record", YOUNG_PERSON,
               "Withdraw a record entered in error, with a reason: kept in the history and the audit log, out of "
               "every count, list, timeline, alert and export (hub staff: only records they recorded; managers: any).",
               _hub_casework()),
    Permission("casework.merge_duplicates", GLOBAL,
               "See possible duplicate young people (same names and date of birth, or the same NHS number or UPN) "
               "among those the user may see, and merge two records of one young person.",
               _each((HM, SM), YES)),
]

# The hubs as children's homes (issue 15, nwd.safeguarding): restraint records (regulation 35),
# notifications (regulation 40), return home interviews and Ofsted's counts. Hub staff keep them for
# their own hub; only the registered manager (the hub manager) signs the talk with the staff member.
# An inspector reads one hub's records while a grant runs (it expires): the hub's registered manager
# gives it for their home, the service manager for any hub; either may end it early.
PERMISSIONS += [
    Permission("safeguarding.view_records", HUB,
               "See the hub's restraint records, regulation 40 notifications and return home interviews.",
               {**_each((*HUB_STAFF, HM), OWN_HUB), SM: ALL_HUBS, INS: INSPECTED_HUB}),
    Permission("safeguarding.record", HUB,
               "Record a restraint, a regulation 40 notification and who was told, a return home interview, and "
               "confirm the talk with the young person after a restraint.",
               {**_each((*HUB_STAFF, HM), OWN_HUB), SM: ALL_HUBS}),
    Permission("safeguarding.sign_restraint", HUB,
               "Sign the registered manager's record of speaking to the staff member after a restraint.",
               {HM: OWN_HUB}),
    Permission("safeguarding.ofsted_counts", HUB,
               "See Ofsted's counts for a period (admissions, restraints, missing episodes, exploitation) and "
               "download the period's records as a PDF (nwd ofsted-counts).",
               {HM: OWN_HUB, SM: ALL_HUBS, INS: INSPECTED_HUB}),
    Permission("safeguarding.grant_inspection", HUB,
               "Give an inspector read access to the hub's records for a limited time, see who has it, and end it "
               "early (the registered manager for their own home, the service manager for any).",
               {HM: OWN_HUB, SM: ALL_HUBS}),
]

# Documents and the chronology (nwd.documents, issue 16 items 5 and 6). A document is opened by
# those who may read the young person's records, as a contact note is; the police liaison officer
# opens only documents marked as shared with police, about young people supported now (as missing
# episodes and police contacts: events.view_police_shared). The chronology is hub casework.
DOCUMENT = "document"
is_shared_with_police = declared("is_shared_with_police", DOCUMENT, "The document is marked as shared with police.")
rules.set_rule("nwd.is_shared_with_police", is_shared_with_police.predicate)
HUB_DOCUMENTS = Scope("hub", "documents about their hub's young people", THEIR_HUB.relation.via("young_person", DOCUMENT))
KNOWN_DOCUMENTS = Scope("all", "documents about every young person referred to or supported by the service",
                        KNOWN_TO_SERVICE.relation.via("young_person", DOCUMENT))
DRAWN_IN_DOCUMENTS = Scope("drawn in", "documents about young people the user is drawn in for (open involvement)",
                           DRAWN_IN.relation.via("young_person", DOCUMENT))
POLICE_DOCUMENTS = Scope("shared with police", "documents marked as shared with police, about young people "
                         "supported now", SUPPORTED.relation.via("young_person", DOCUMENT) & is_shared_with_police)
SCOPES += [HUB_DOCUMENTS, KNOWN_DOCUMENTS, DRAWN_IN_DOCUMENTS, POLICE_DOCUMENTS]
PERMISSIONS += [
    Permission("documents.view_documents", YOUNG_PERSON,
               "See the documents section of the young person's page (which files: documents.open_document).",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN), PO: SUPPORTED}),
    Permission("documents.open_document", DOCUMENT,
               "Open (download) one document, once the virus check has found it clean; every download is audited.",
               {**_each((*HUB_STAFF, HM), HUB_DOCUMENTS), SM: KNOWN_DOCUMENTS, **_each(SPECIALISTS, DRAWN_IN_DOCUMENTS),
                PO: POLICE_DOCUMENTS}),
    Permission("documents.attach_document", YOUNG_PERSON,
               "Attach a document (consent form, letter, report) to the young person or one of their records.",
               {**_hub_casework(), **_each(SPECIALISTS, DRAWN_IN)}),
    Permission("documents.chronology", YOUNG_PERSON,
               "Choose the significant events of the timeline and export the chronology (PDF, CSV) for a court, a "
               "conference or a review.", _hub_casework()),
]

BY_NAME: dict[str, Permission] = {p.name: p for p in PERMISSIONS}

ROLE_CAPTIONS = {
    KW: "key worker", RW: "residential worker", PL: "portfolio lead", HM: "hub manager", SM: "service manager",
    LC: "life coach", CS: "communication support", MH: "mental health", SU: "substance misuse",
    PO: "police liaison", PR: "partner referrer", AN: "analyst", DPO: "data protection officer",
    PA: "personal adviser",
    CO: "commissioning officer",
    IN: "integration (read only)",
    INS: "inspector",
}

# Everything about a young person, their referrals and their notes, is closed to anyone not named on a
# restricted record, whatever the cell says.
RESTRICTION = {
    YOUNG_PERSON: named_on_restricted_record,
    REFERRAL: named_on_restricted_record.via("young_person", REFERRAL),
    CONTACT: named_on_restricted_record.via("young_person", CONTACT),
}
RESTRICTION[DOCUMENT] = named_on_restricted_record.via("young_person", DOCUMENT)  # documents (issue 16)

MODEL_OF_KIND = KINDS  # {kind: model}, registered by the apps that own the records


def rule_for(permission: Permission) -> Relation:
    """The relation a permission stands for: (role and scope) for each granted role, under the restriction."""
    granted: Relation | None = None
    for role, scope in permission.grants.items():
        term = has_role(role) & scope.relation
        granted = term if granted is None else granted | term
    if granted is None:
        return Relation(f"{permission.name}: nobody", lambda u, r: False, lambda u: NOTHING, None)
    if permission.kind in RESTRICTION:
        granted = RESTRICTION[permission.kind] & granted
    granted.name = permission.name
    granted.remembered = True  # its parts, ``&`` and ``|`` of roles and scopes, do not (``Relation.remembered``)
    return granted


RULES: dict[str, Relation] = {p.name: rule_for(p) for p in PERMISSIONS}


def as_record_of(kind: str, record):
    """The record a permission of ``kind`` is asked about, from what the view has in hand.

    A page about a contact, a plan or a stay asks young-person permissions of the young person it
    belongs to; a bed or a stay asks hub permissions of its hub.
    """
    if record is None or kind == GLOBAL:
        return None
    model = MODEL_OF_KIND[kind]
    if isinstance(record, model):
        return record
    if kind == YOUNG_PERSON:
        return young_person_of(record)
    if kind == HUB:
        return hub_of(record)
    raise TypeError(f"A {kind} permission cannot be asked of a {type(record).__name__}.")


def young_person_of(record):
    """The young person a casework record is about (None if it is about no one)."""
    if isinstance(record, model_of(YOUNG_PERSON)):
        return record
    for path in ("young_person", "involvement", "plan", "review", "care_leaver", "stay"):
        if hasattr(record, f"{path}_id") or hasattr(record, path):
            target = getattr(record, path, None)
            if target is not None:
                return young_person_of(target)
    return None


def hub_of(record):
    if isinstance(record, Hub):
        return record
    for path in ("hub", "bed", "involvement"):
        target = getattr(record, path, None)
        if target is not None:
            return hub_of(target)
    raise TypeError(f"A {type(record).__name__} belongs to no hub.")


def restriction_holds(user, record) -> bool:
    """The restriction of the young person ``record`` is about, asked of ``user`` (True if about no one).

    Permissions about a young person, a referral or a contact carry the restriction in their rule
    (``RESTRICTION``); a hub permission is asked of the hub, but the record in hand (a stay, an
    involvement) may be about a restricted young person, and then the hub is not enough: only the
    named users may discharge, admit or change the key worker of a restricted young person.
    """
    if record is None:
        return True
    try:
        person = young_person_of(record)
    except TypeError:
        return True
    return person is None or named_on_restricted_record.test(user, person)


def _registered(permission: Permission):
    relation_ = RULES[permission.name]
    restricted_in_rule = permission.kind in RESTRICTION

    def check(user, record=None) -> bool:
        if not relation_.test(user, as_record_of(permission.kind, record)):
            return False
        return restricted_in_rule or restriction_holds(user, record)

    check.__name__ = permission.name.replace(".", "__")
    return rules.predicate(check, name=permission.name)


for _permission in PERMISSIONS:
    rules.set_perm(_permission.name, _registered(_permission))


def unwrapped(user):
    """The user a lazy ``request.user`` stands for (itself if it is not lazy; the second factor's
    middleware wraps the lazy user of Django's in one of its own)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def answers(user, record, names) -> dict[str, bool]:
    """``user.has_perm(name, record)`` for each of ``names``, worked out together from the table above.

    A page asks some twenty permissions of the one record it shows (the young person's page: what
    its sections, links and forms need). Through ``rules`` each walks its whole rule, ``restriction &
    (role A & scope | role B & scope | ...)``, testing every role of the row in turn; here the user's
    role picks its scope from each permission's row at once, and only the restriction and that scope
    are tested: the very relations the rule would test, in the same order (the restriction first),
    so the answers are the rule's and, within ``remembering()``, the database is asked nothing more.
    A name outside the policy, or a permission asked of no record, is left to ``has_perm``.

    ``request.user`` is a lazy object, every attribute of which is a detour through Django's proxy
    (some microseconds; the relations read the user's key, six attributes, for each answer they
    remember): the user behind it is asked instead.
    """
    user = unwrapped(user)
    given: dict[str, bool] = {}
    role = getattr(user, "role", None)
    for name in names:
        if name in given:
            continue
        permission = BY_NAME.get(name)
        target = as_record_of(permission.kind, record) if permission is not None else None
        if permission is None or target is None or getattr(target, "pk", None) is None:
            given[name] = user.has_perm(name, record)
            continue
        if not signed_in(user):
            given[name] = False
            continue
        scope = permission.scope_for(role)
        restriction = RESTRICTION.get(permission.kind)
        given[name] = (
            scope is not None  # no term of the rule names the user's role
            and (restriction is None or restriction.test(user, target))
            and scope.relation.test(user, target)
            and (restriction is not None or restriction_holds(user, record))
        )
    return given


def same_reach(user, permission: str, other: str) -> bool:
    """Does ``user`` hold ``permission`` for exactly the records they hold ``other`` for?

    True when both are about the same kind of record and the user's role gets the very same scope
    from both (the restriction is the same for every permission of a kind): a list already limited
    to ``other`` then needs no second filter for ``permission``.
    """
    first, second = BY_NAME[permission], BY_NAME[other]
    scope = first.scope_for(getattr(user, "role", None))
    return first.kind == second.kind and scope is not None and scope is second.scope_for(user.role)


def reaches(user, permission: str, other: str) -> bool:
    """Does ``user`` hold ``permission`` for every record they hold ``other`` for?

    True when both are about the same kind of record and the user's role gets, from ``permission``, a
    scope whose relation is the one ``other`` gives or an ``|`` of it (a hub manager's "hub + queue"
    for a young person's page against "hub" for their plan: the restriction is the same for every
    permission of a kind). A list already limited to ``other`` then needs no second filter for
    ``permission``. False when it is not known so (then ask the database).
    """
    if same_reach(user, permission, other):
        return True
    first, second = BY_NAME[permission], BY_NAME[other]
    role = getattr(user, "role", None)
    scope, within = first.scope_for(role), second.scope_for(role)
    return (first.kind == second.kind and scope is not None and within is not None
            and scope.relation.reaches(within.relation))


def is_policy_permission(name: str) -> bool:
    return name in BY_NAME


def role_may(role: str, name: str) -> bool:
    """Does ``role`` get permission ``name`` for at least some records? (For navigation and docs.)"""
    return BY_NAME[name].scope_for(role) is not None


__all__ = [
    "ALL", "NOTHING", "PERMISSIONS", "BY_NAME", "RULES", "SCOPES", "Permission", "Scope",
    "as_record_of", "young_person_of", "hub_of", "is_policy_permission", "role_may", "reaches", "answers", "unwrapped",
]
