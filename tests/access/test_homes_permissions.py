"""The children's home records (issue 15) in the policy's own words, on the hand-built population. Every
cell is also checked by test_policy_table against docs/permissions.md; this says the promise plainly."""

from __future__ import annotations

import pytest

from nwd.access.roles import HUB_ROLES, Role

pytestmark = pytest.mark.django_db


def _holders(population, name, record=None) -> set[str]:
    return {role.value for role in Role if population.users[role.value].has_perm(name, record)}


def test_hub_staff_write_the_daily_log_of_their_hubs_young_people(population):
    hub_person, other_hub_person = population.people["hub"], population.people["other_hub"]
    assert _holders(population, "homes.write_daily_log", hub_person) == {r.value for r in HUB_ROLES}
    assert _holders(population, "homes.write_daily_log", other_hub_person) == set()
    # The service manager reads every hub's log; no specialist, partner or analyst reads it.
    assert _holders(population, "homes.view_daily_log", other_hub_person) == {Role.SERVICE_MANAGER.value}


def test_only_the_hub_manager_signs_the_response_to_a_report(population):
    hub, other = population.hubs["hub"], population.hubs["other_hub"]
    assert _holders(population, "homes.sign_off_reports", hub) == {Role.HUB_MANAGER.value}
    assert _holders(population, "homes.sign_off_reports", other) == set()
    assert _holders(population, "homes.keep_quality_reports", other) == {Role.SERVICE_MANAGER.value}
    assert _holders(population, "homes.view_admission_register", hub) == {Role.HUB_MANAGER.value,
                                                                          Role.SERVICE_MANAGER.value}


def test_the_hubs_staff_keep_the_visitors_record(population):
    hub = population.hubs["hub"]
    assert _holders(population, "homes.keep_visitors", hub) == {r.value for r in HUB_ROLES} | {
        Role.SERVICE_MANAGER.value}
