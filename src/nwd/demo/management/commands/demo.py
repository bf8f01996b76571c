"""``nwd demo``: migrate the embedded database, load the synthetic county once, serve it.

It serves through ``nwd serve`` (gunicorn, the production server) and runs ``nwd worker`` (the task
queue's worker) beside it when that command exists, as two processes stopped together by Ctrl-C.

Only on a database the demo created: the first run writes the demo's marker (with the accounts it
created) in the same transaction as the county; any database holding an account the demo did not
create, or records without the marker, is refused before anything is changed (``nwd.demo.logins``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nwd.casework.models import YoungPerson
from nwd.core import server
from nwd.demo.logins import (
    DEMO_PASSWORD,
    NotADemoDatabase,
    check_is_demo_database,
    mark_demo_database,
    set_demo_passwords,
)

DEMO_SEED = 2021


class Command(BaseCommand):
    help = "Set up and serve the demo: migrate, load the synthetic county (once), create demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Stop after loading; do not serve.")

    def handle(self, *args, port: int, no_serve: bool, **options):
        if not settings.NWD_DEMO:
            raise CommandError("Run the demo through the nwd command (nwd demo), which turns demo mode on.")
        self.stdout.write("Preparing the database...")
        try:
            check_is_demo_database()  # before migrate: a refused database is left exactly as it was
            call_command("migrate", interactive=False, verbosity=0)
            if YoungPerson.objects.exists():
                self.stdout.write("The synthetic county is already loaded: keeping it.")
            else:
                self.stdout.write("Loading the synthetic county (scale 1); this takes a minute or so...")
                with transaction.atomic():
                    call_command("synth", scale=1.0, seed=DEMO_SEED, stdout=self.stdout)
                    mark_demo_database()
            logins = set_demo_passwords()
        except NotADemoDatabase as refusal:
            raise CommandError(str(refusal)) from None
        address = f"http://127.0.0.1:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"No Wrong Door demo: {address}"))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        width = min(max((len(login.role_label) for login in logins), default=10), 34)
        for login in logins:
            self.stdout.write(f"  {login.role_label:<{width}}  {login.username}")
        self.stdout.write("This is synthetic data. Demo logins skip the second factor, in demo mode only.")
        if no_serve:
            return
        # The production server (nwd serve: gunicorn, WhiteNoise), and the task worker when this
        # installation has one (nwd worker): what a newcomer sees is what production runs.
        code = server.run_processes(server.demo_commands(port), stdout=self.stdout)
        if code:
            raise CommandError(f"The demo stopped: a process it started ended with status {code}.")
