"""The bed board: each hub the user may see, every bed, who is in it, and the next 14 days."""

from __future__ import annotations

from django.shortcuts import render

from nwd.access import audit, scopes
from nwd.access.decorators import requires
from nwd.access.models import Action
from nwd.access.relations import user_key
from nwd.casework import prepared
from nwd.hubs.queries import CELL_LABELS, bed_boards


@requires("hubs.view_bed_board", listing=True)
def bed_board(request):
    """The hub's beds; a bed's occupant is named only to those who may see their identity (a
    restricted young person only to the users named on their record), the bed shown taken either way.

    Its queries are compiled to SQL once a process for what the user's scopes depend on
    (``nwd.casework.prepared``; ``user_key``), the scopes built only then; the rows are read on
    every request.
    """
    user = request.user
    reader = user_key(user)
    boards = bed_boards(scopes.hubs(user), read=lambda name, build, moments: prepared.kept_at(
        ("bed board", name, reader), build, moments))
    people = [row.stay.young_person_id for board in boards for row in board.rows if row.stay]
    shown = scopes.named_and_openable(user, people, read=lambda build, ids: prepared.rows_among(
        ("bed board", "named and openable", reader), build, ids, prepared.size_for(ids)))
    audit.record_rows(request, list(shown), Action.LIST, detail="bed board")
    openable = {pk for pk, may_open in shown.items() if may_open}
    context = {"boards": boards, "named": set(shown), "openable": openable, "legend": CELL_LABELS}
    return render(request, "web/beds/board.html", context)
