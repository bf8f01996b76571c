"""Placement providers are reference data; the SSDA903 code lists are shown read-only."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from nwd.care.models import Provider
from nwd.codelists import codes


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "place_provider", "in_area", "regulated", "urn")
    list_filter = ("place_provider", "in_area", "regulated")
    search_fields = ("name", "urn")

    def get_urls(self):
        return [
            path("code-lists/", self.admin_site.admin_view(self.code_lists), name="care_code_lists"),
            *super().get_urls(),
        ]

    def code_lists(self, request):
        """The SSDA903 code lists, with the collection years each code is valid for.

        The lists are kept in code (nwd.codelists.codes), year by year, so they are reviewed like
        code when the DfE changes them; this page lets staff read them.
        """
        lists = [
            (field, [(c.code, c.label, c.first, None if c.last == codes.LAST_YEAR else c.last) for c in items])
            for field, items in codes.LISTS.items()
        ]
        context = {**self.admin_site.each_context(request), "title": "SSDA903 code lists", "lists": lists}
        return TemplateResponse(request, "admin/care/code_lists.html", context)
