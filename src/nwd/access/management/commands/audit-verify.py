"""``nwd audit-verify [--expect SEQUENCE:HASH ...] [--since SEQUENCE:HASH]``: check the audit log's hash chain.

Prints how many events were checked and the chain head (sequence and hash: note it somewhere the
database's administrators cannot write, and pass it back with ``--expect`` next time, which also
catches a rewritten chain and deleted last events; ``--since`` checks only the events after a
noted one, which keeps a daily check short). Every break is one line naming the row id and what is
wrong; any break makes the command exit with status 1.
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from nwd.access import chain, db_roles
from nwd.access.models import AuditEvent

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _anchor(text: str) -> tuple[int, str]:
    match = ANCHOR.match(text.strip().lower())
    if not match:
        raise CommandError(f"--expect {text!r}: write it as SEQUENCE:HASH, such as 1234:{'ab' * 32}")
    return int(match.group(1)), match.group(2)


class Command(BaseCommand):
    help = "Check the audit log's hash chain: report every altered or missing event (exit status 1 if any)."

    def add_arguments(self, parser):
        parser.add_argument("--expect", action="append", default=[], metavar="SEQUENCE:HASH",
                            help="a chain head noted earlier (repeatable)")
        parser.add_argument("--since", metavar="SEQUENCE:HASH",
                            help="check only from this noted event on (it must still carry this hash)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        expect = dict(_anchor(text) for text in options["expect"])
        alias = options["database"]
        since = _anchor(options["since"]) if options["since"] else None
        result = chain.verify(AuditEvent.objects.using(alias), expect=expect, since=since)
        for problem in result.problems:
            self.stdout.write(str(problem))
        self.stdout.write(
            f"Checked {result.checked:,} audit events. Chain head: {result.head_sequence}:{result.head_hash}"
        )
        for weakness in db_roles.weaknesses(connections[alias]):
            self.stdout.write(f"Warning: {weakness} (see 'nwd db-roles').")
        if not result.intact:
            raise CommandError(
                f"The audit log fails verification: {len(result.problems)} problem(s), listed above.", returncode=1)
        self.stdout.write("The chain is intact.")
