"""The menu's items are worked out once a process per ``user_key`` (``nwd.web.navigation.allowed_items``):
they are the items the user's role-level ``has_perm`` allows, and they follow a change of role or hub."""

from __future__ import annotations

import pytest

from nwd.access.roles import Role
from nwd.web.navigation import ITEMS, allowed_items
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _asked(user):
    return tuple(item for item in ITEMS if not item.permission or user.has_perm(item.permission))


def test_the_kept_items_are_the_ones_has_perm_allows_for_every_role():
    for role in Role.values:
        user = UserFactory(role=role)
        assert allowed_items(user) == _asked(user), role
        assert allowed_items(user) == _asked(user), role  # kept


def test_the_items_follow_a_change_of_role_and_a_deactivation():
    user = UserFactory(role=Role.HUB_MANAGER)
    as_manager = allowed_items(user)
    user.role = Role.ANALYST
    user.save()
    assert allowed_items(user) == _asked(user) != as_manager
    user.is_active = False
    assert allowed_items(user) == _asked(user) == tuple(item for item in ITEMS if not item.permission)
