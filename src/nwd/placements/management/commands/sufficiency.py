"""``nwd sufficiency --json PATH --as USERNAME``: placements now, flagged placements and the places needed.

Writes ``nwd.placements.sufficiency.build`` as JSON: the children placed now by placement group, in
and out of area, in-house and external, with the weekly cost; the placements flagged as unlawful or
unsuitable (by CHILD id); the places projected in each group and year with and without the service;
and the saving if a share of external residential placements were met in-house. The file names
children by their CHILD id, so the command runs as a named user who may see it (``--as``, needing
``placements.view_sufficiency``), and the export is in the audit log, one line per child flagged.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError

from nwd.access import audit
from nwd.access.models import Action, AuditEvent
from nwd.access.run_as import named_user
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.placements import sufficiency

PERMISSION = "placements.view_sufficiency"


class Command(BaseCommand):
    help = ("Sufficiency: children placed now by placement group, area and provider type with the weekly cost, "
            "the placements flagged as unlawful or unsuitable, and the places needed each year with and without "
            "the service.")

    def add_arguments(self, parser):
        parser.add_argument("--json", metavar="PATH", required=True, help="write the figures as JSON here")
        parser.add_argument("--as", dest="username", required=True,
                            help=f"the user producing it (needs {PERMISSION}); recorded in the audit log")
        parser.add_argument("--share", type=float, default=sufficiency.DEFAULT_SHARE,
                            help="the share (0 to 1) of external residential placements the scenario meets in-house "
                                 f"(default {sufficiency.DEFAULT_SHARE})")
        parser.add_argument("--draws", type=int, default=sufficiency.DEFAULT_DRAWS,
                            help=f"forecast draws (default {sufficiency.DEFAULT_DRAWS})")
        parser.add_argument("--years", type=int, help="horizon in years (default: the forecast scenario's)")

    def handle(self, *args, **options):
        user = named_user(options["username"], PERMISSION)
        if not 0 <= options["share"] <= 1:
            raise CommandError("--share must be from 0 to 1 (0.25 is a quarter).")
        if options["draws"] < 1:
            raise CommandError("--draws must be at least 1")
        if options["years"] is not None and not 1 <= options["years"] <= 25:
            raise CommandError("--years must be from 1 to 25")
        report = sufficiency.build(dates.today(), share=options["share"], draws=options["draws"],
                                   years=options["years"])
        path = Path(options["json"])
        path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        flagged = report["flagged"]["unlawful"] + report["flagged"]["unsuitable"]
        children = sorted({f["child"] for f in flagged})
        detail = f"sufficiency JSON written to {path.resolve()}"
        template = audit.record(None, Action.EXPORT, detail=f"{detail} ({len(children)} children flagged)", user=user)
        content_type = ContentType.objects.get_for_model(YoungPerson)
        shared = {name: getattr(template, name) for name in
                  ("user", "username", "ip_address", "user_agent", "method", "path", "at")}
        ids = YoungPerson.objects.filter(child_id__in=children).values_list("pk", flat=True)
        AuditEvent.objects.bulk_create(
            (AuditEvent(action=Action.EXPORT, detail=detail, content_type=content_type, object_id=str(pk),
                        young_person_id=pk, **shared) for pk in ids),
            batch_size=2000,
        )
        total = report["current"]["total"]
        self.stdout.write(
            f"{total['children']} children placed on {report['date']}, £{total['weekly_cost']:,.0f} a week; "
            f"{len(report['flagged']['unlawful'])} unlawful and {len(report['flagged']['unsuitable'])} unsuitable "
            f"placements flagged. Wrote {path}"
        )
        if "problem" in report["projection"]:
            self.stderr.write(f"note: no projection: {report['projection']['problem']}")
