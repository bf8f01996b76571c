"""Small sections other pages include (the bed board, the young person's page, the manager's home page),
so those pages show the home's records without knowing them: ``{% load homes %}`` then a tag."""

from __future__ import annotations

from django import template

from nwd.access import scopes
from nwd.access.relations import user_key
from nwd.casework import prepared
from nwd.core import dates
from nwd.homes import queries

register = template.Library()


@register.inclusion_tag("homes/_manager_alerts.html", takes_context=True)
def homes_manager_alerts(context) -> dict:
    """The regulation 44 and 45 alerts of the hubs whose reports the user keeps."""
    user = context["request"].user
    today = dates.today()
    # Compiled once a process for what the user's scope depends on (``nwd.casework.prepared.kept``).
    alerts = queries.alerts_of(lambda: scopes.hubs(user, "homes.keep_quality_reports"), today,
                               reader=user_key(user))
    return {"alerts": alerts, "shown": user.has_perm("homes.keep_quality_reports")}


@register.inclusion_tag("homes/_person_log.html", takes_context=True)
def homes_person_log(context, person, read=None) -> dict:
    """On the young person's page: their stay's latest handover and log entries, if they stay in a hub now.

    ``read``: what the page has asked already (``nwd.web.pages.young_people``, which sends the stay's
    query with its others): False when the user may not read the daily log, else the rows of
    ``queries.current_stay_query``. None: the permission and the stay are asked here."""
    user = context["request"].user
    today = dates.today()
    if read is None:
        if not user.has_perm("homes.view_daily_log", person):
            return {"stay": None}
        stay = queries.current_stay(person.pk, today)
    elif read is False:
        return {"stay": None}
    else:
        stay = read[0] if read else None
    if stay is None:
        return {"stay": None}
    return {"stay": stay, "handover": queries.latest_handovers([stay.pk]).get(stay.pk),
            "entries": list(queries.recent_log(stay, today)[:3]),
            "may_write": user.has_perm("homes.write_daily_log", person)}


@register.inclusion_tag("homes/_board_handovers.html", takes_context=True)
def homes_board_handovers(context, board) -> dict:
    """On the bed board: the latest handover of each young person in a bed, for those who may read the log.

    Worked out for every board of the page (``boards``) at its first board, in two queries whatever
    the number of hubs (a service manager's board shows twenty), and kept for the others.
    """
    boards = context.get("boards") or []
    if not any(shown is board for shown in boards):
        boards = [board]
    worked_out = context.render_context.get(_BOARD_HANDOVERS)
    if worked_out is None or id(board) not in worked_out:
        worked_out = context.render_context[_BOARD_HANDOVERS] = _board_handovers(
            context["request"].user, context.get("named", set()), boards)
    return {"board": board, "rows": worked_out[id(board)]}


_BOARD_HANDOVERS = "homes_board_handovers"


def _board_handovers(user, named, boards) -> dict:
    """Each board's hub: its occupants the user may name and read the log of, with their latest handover."""
    shown = [row.stay for board in boards for row in board.rows if row.stay and row.stay.young_person_id in named]
    # Who of them the user may read the log of: the permission's database filter (the same rule as
    # ``has_perm``, ``nwd.access.scopes``), one query for the boards rather than one a bed. Both
    # queries compiled once a process (``nwd.casework.prepared.rows_among``), the first for what the
    # user's scope depends on.
    ids = [s.young_person_id for s in shown]
    readable = {person.pk for person in prepared.rows_among(
        ("homes", "board log readers", user_key(user)),
        lambda among: scopes.young_people(user, "homes.view_daily_log").filter(pk__in=among).only("pk"),
        ids, prepared.size_for(ids))} if shown else set()
    stays = [stay.pk for stay in shown if stay.young_person_id in readable]
    latest = queries.latest_handovers(stays, compiled=True) if stays else {}
    kept = set(stays)
    # By the board's identity: the boards of one page, read while it renders.
    return {id(board): [(row.stay, latest.get(row.stay.pk)) for row in board.rows
                        if row.stay is not None and row.stay.pk in kept] for board in boards}
