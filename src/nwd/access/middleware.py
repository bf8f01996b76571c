"""Refuse, at run time, any view that declares no permission.

The URL-walking test and the system check ``access.E001`` catch an undeclared view before it
ships; this is the belt to their braces: if one is ever reached, it answers 403 instead of
running with nobody having said who may use it.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied

from nwd.access.decorators import declaration_of

log = logging.getLogger(__name__)


class DeclaredViewsOnly:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if declaration_of(view_func) is None:
            name = getattr(view_func, "__qualname__", repr(view_func))
            log.error("Refused %s: the view %s declares no permission.", request.path, name)
            raise PermissionDenied("This page declares no permission.")
        return None
