"""The bed board: each hub the user may see, every bed, who is in it, and the next 14 days."""

from __future__ import annotations

from django.shortcuts import render

from nwd.access import audit, scopes
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.hubs.queries import CELL_LABELS, bed_boards


@requires("hubs.view_bed_board", listing=True)
def bed_board(request):
    boards = bed_boards(scopes.hubs(request.user))
    people = [row.stay.young_person_id for board in boards for row in board.rows if row.stay]
    audit.record_rows(request, people, Action.LIST, detail="bed board")
    openable = set(scopes.young_people(request.user).filter(pk__in=people).values_list("pk", flat=True))
    return render(request, "web/beds/board.html", {"boards": boards, "openable": openable, "legend": CELL_LABELS})
