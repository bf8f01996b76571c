"""The policy, asked by the API: what a view declares (``nwd.api.views.declares``), enforced."""

from __future__ import annotations

from rest_framework import permissions

from nwd.access.policy import BY_NAME


class FollowsPolicy(permissions.BasePermission):
    """The client's role holds every permission the view declares (for some records, for a list; a
    view about one record asks it of the record, in ``get_object``, and answers 404 when refused)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method == "POST" and view.required_to_post:
            return all(user.has_perm(name) for name in view.required_to_post)
        for name in view.required:
            if BY_NAME[name].takes_record and view.record_source is not None:
                continue
            if not user.has_perm(name):
                return False
        return True
