"""``nwd retention --dry-run | --apply --as USER``: records past their retention period, by rule.

``--dry-run`` lists each young person due (council child id, name, date of birth, the rule, the
last day kept, how many records of each kind) and changes nothing but the audit log (the listing is
a read of those records). ``--apply`` destroys them in one transaction and prints counts only; the
audit log gets one entry of counts by rule and no personal data. The rules: ``nwd.casework.retention``
and docs/permissions.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

PERMISSION = "casework.apply_retention"


class Command(BaseCommand):
    help = "List (--dry-run) or destroy (--apply) the records of young people past their retention period."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", dest="dry_run", help="List what is due; destroy nothing.")
        mode.add_argument("--apply", action="store_true", help="Destroy what is due, in one transaction.")
        parser.add_argument("--as", dest="username", required=True,
                            help=f"Run as this user (needs {PERMISSION}, the data protection officer): named in the "
                                 "audit log.")

    def handle(self, *args, dry_run, apply, username, **options):
        from nwd.casework import retention
        from nwd.returns.management.named_user import named_user

        user = named_user(username, PERMISSION)
        found = retention.due(count_records=dry_run)
        if dry_run:
            self._list(found)
            retention.audit_listing(found, user)
            return
        if not found:
            self.stdout.write("Nothing is past its retention period.")
            return
        try:
            result = retention.destroy(found, by=user)
        except Exception as error:  # one transaction: nothing was destroyed
            raise CommandError(f"Nothing was destroyed: {error}") from error
        for rule in retention.RULES:
            self.stdout.write(f"{retention.rule_label(rule)}: {result.people[rule.key]} young people, "
                              f"{result.records[rule.key]} records destroyed")
        self.stdout.write(f"{result.versions} history versions destroyed; "
                          f"{result.kept_open} young people due but with something still open were kept.")

    def _list(self, found) -> None:
        from nwd.casework import retention

        write = self.stdout.write
        if not found:
            write("Nothing is past its retention period.")
            return
        for rule in retention.RULES:
            mine = [d for d in found if d.rule == rule]
            write(f"{retention.rule_label(rule)}: {len(mine)} young people")
            for d in mine:
                kinds = ", ".join(f"{label} {n}" for label, n in sorted(d.records.items()))
                held = "  STILL OPEN: kept, check the record" if d.still_open else ""
                write(f"  {d.child_id}  {d.name}  born {d.date_of_birth:%d/%m/%Y}  kept until "
                      f"{d.kept_until:%d/%m/%Y}  {sum(d.records.values())} records ({kinds}){held}")
        audit_rows = sum(d.audit_rows for d in found)
        searches = sum(d.audit_searches for d in found)
        write(f"Audit log rows about them, kept (append-only; ids, staff, times and pages): {audit_rows}, "
              f"of which searches (the words typed are kept): {searches}")
        write("Nothing was destroyed (dry run). Run with --apply to destroy.")
