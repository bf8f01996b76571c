"""Hubs and beds are reference data the service manager keeps in the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nwd.hubs.models import Bed, Hub


class BedInline(admin.TabularInline):
    model = Bed
    extra = 0


@admin.register(Hub)
class HubAdmin(SimpleHistoryAdmin):
    list_display = ("name", "locality", "opened")
    inlines = [BedInline]


@admin.register(Bed)
class BedAdmin(SimpleHistoryAdmin):
    list_display = ("label", "hub", "kind", "in_use")
    list_filter = ("hub", "kind", "in_use")
