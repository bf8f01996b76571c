"""The bed board: each hub the user may see, every bed, who is in it, and the next 14 days."""

from __future__ import annotations

from django.shortcuts import render

from nwd.access import audit, scopes
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.hubs.queries import CELL_LABELS, bed_boards


@requires("hubs.view_bed_board", listing=True)
def bed_board(request):
    """The hub's beds; a bed's occupant is named only to those who may see their identity (a
    restricted young person only to the users named on their record), the bed shown taken either way."""
    boards = bed_boards(scopes.hubs(request.user))
    people = [row.stay.young_person_id for board in boards for row in board.rows if row.stay]
    shown = scopes.named_and_openable(request.user, people)
    audit.record_rows(request, list(shown), Action.LIST, detail="bed board")
    openable = {pk for pk, may_open in shown.items() if may_open}
    context = {"boards": boards, "named": set(shown), "openable": openable, "legend": CELL_LABELS}
    return render(request, "web/beds/board.html", context)
