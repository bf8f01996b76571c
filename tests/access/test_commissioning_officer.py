"""The commissioning officer (issue 18): placements, providers and their costs, never a young person's
record or case notes. Every cell of the role is also checked by test_policy_table against the document;
this says the role's promise in its own words, on the hand-built population."""

from __future__ import annotations

import pytest

from nwd.access import policy, scopes
from nwd.access.roles import Role

pytestmark = pytest.mark.django_db
PLACEMENTS = {"placements.view_register", "placements.record_quality", "placements.view_flagged",
              "placements.view_sufficiency",
              # their own tasks and notifications (issue 16), and tasks about no young person
              "worklist.use_worklist", "worklist.add_team_task"}


def test_the_commissioning_officer_sees_placements_and_costs(population):
    officer = population.users[Role.COMMISSIONING_OFFICER.value]
    assert {p.name for p in policy.PERMISSIONS if officer.has_perm(p.name)} == PLACEMENTS


def test_the_commissioning_officer_sees_no_young_person_and_no_note(population):
    officer = population.users[Role.COMMISSIONING_OFFICER.value]
    for person in population.people.values():
        for name in ("casework.view_identity", "casework.view_young_person", "casework.view_contacts",
                     "casework.view_care_history", "events.view_health", "events.view_police_shared"):
            assert not officer.has_perm(name, person), name
    for note in population.contacts.values():
        assert not officer.has_perm("casework.view_contact", note)
    assert not scopes.visible_young_people(officer).exists()
    for name in ("casework.search", "exports.download", "forecast.use", "access.view_audit"):
        assert not officer.has_perm(name)


def test_only_the_commissioning_officer_keeps_the_quality_record(population):
    holders = {role for role in Role if population.users[role.value].has_perm("placements.record_quality")}
    assert holders == {Role.COMMISSIONING_OFFICER}
    readers = {role for role in Role if population.users[role.value].has_perm("placements.view_register")}
    assert readers == {Role.COMMISSIONING_OFFICER, Role.SERVICE_MANAGER}
