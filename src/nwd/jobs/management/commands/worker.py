"""``nwd worker``: run a background worker (django-tasks' ``db_worker``, with a heartbeat).

Run one or more on each worker machine, all against the one database: they share its queue
(``nwd.jobs.worker``). Stop with Ctrl+C or SIGTERM: the task in hand is finished first. The
options are db_worker's (``--interval``, ``--batch``, ``--max-tasks``, ``--queue-name``...), except
``--reload``: the worker never reloads code (restart it after a deployment).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks.backends.database.management.commands import db_worker

from nwd.jobs.worker import Worker


class Command(db_worker.Command):
    help = "Run a background worker: takes tasks from the queue in the database and runs them."
    # The web server runs Django's checks; the worker skips them, so it does not import every page
    # (the URL checks do) only to run tasks: it starts in a fraction of the time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
