"""Refuses a null character (NUL, ``%00``) anywhere in a request's address, before any view runs.

Why a middleware: a NUL in the path or a query parameter (the search box, a page's filters) would
reach a database query, and PostgreSQL refuses text holding one with an error, not an empty result.
Forms refuse NUL field by field with a message by the field (``nwd.core.forms.guard_field``); an
address has no field to show a message by, so the whole request is refused, with a plain page (400).
Request bodies are left to the forms (and the drafts, which drop the character): reading a body here
would read an upload before its size is checked (``nwd.core.uploads``).
"""

from __future__ import annotations

from django.shortcuts import render

from nwd.core.forms import NULL_CHARACTER

MESSAGE = ("The address of the page, or what was typed into a search or filter box, holds an invisible "
           "character (a null character) that cannot be used. Delete it and try again.")


def address_has_null_character(request) -> bool:
    if NULL_CHARACTER in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    return any(NULL_CHARACTER in key or any(NULL_CHARACTER in value for value in values)
               for key, values in request.GET.lists())


class RefuseNullCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if address_has_null_character(request):
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
