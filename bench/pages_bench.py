"""Time the practitioner pages on whatever database NWD_DATA_DIR / DATABASE_URL points at (load a county
first: ``nwd synth --scale 10``), and print queries and milliseconds per page. Prints figures; asserts nothing.

    DEBUG=1 NWD_DATA_DIR=var .venv/bin/python bench/pages_bench.py
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwd.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from nwd.access.models import User  # noqa: E402
from nwd.access.roles import Role  # noqa: E402
from nwd.access.testing import sign_in  # noqa: E402
from nwd.casework.models import Referral, YoungPerson  # noqa: E402

RUNS = 5


def measure(client: Client, url: str) -> tuple[int, float]:
    client.get(url)  # warm
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), statistics.median(timings)


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    people = YoungPerson.objects.count()
    busiest = (
        YoungPerson.objects.filter(involvements__end__isnull=True)
        .annotate(n=Count("contacts", distinct=True)).order_by("-n").first()
    )
    worker = (
        User.objects.filter(role=Role.KEY_WORKER, is_active=True)
        .annotate(n=Count("allocations", filter=Q(allocations__end__isnull=True))).order_by("-n").first()
    )
    manager = User.objects.filter(role=Role.HUB_MANAGER, is_active=True).order_by("username").first()
    service = User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).order_by("username").first()
    print(f"{people:,} young people; busiest: {busiest.n} contacts; key worker with {worker.n} young people")
    rows = []
    client = Client()
    sign_in(client, worker)
    keyworked = YoungPerson.objects.filter(involvements__allocations__key_worker=worker,
                                           involvements__allocations__end__isnull=True).first()
    for label, url in [
        ("key worker home", reverse("home")),
        ("young person (their own)", reverse("web:young_person", args=[keyworked.pk])),
        ("search 'smith'", reverse("web:search") + "?q=smith"),
        ("bed board (key worker)", reverse("web:bed_board")),
    ]:
        rows.append((label, *measure(client, url)))
    for user in (manager, service):
        client = Client()
        sign_in(client, user)
        rows.append((f"{user.get_role_display().lower()} home", *measure(client, reverse("home"))))
        rows.append((f"referral queue ({user.get_role_display().lower()})", *measure(client, reverse("web:referral_queue"))))
        rows.append((f"bed board ({user.get_role_display().lower()})", *measure(client, reverse("web:bed_board"))))
    client = Client()
    sign_in(client, service)
    rows.append(("young person (busiest history)", *measure(client, reverse("web:young_person", args=[busiest.pk]))))
    waiting = Referral.objects.exclude(status="closed").first()
    if waiting:
        rows.append(("referral", *measure(client, reverse("web:referral", args=[waiting.pk]))))
    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  queries  median ms ({RUNS} runs)")
    for label, queries, ms in rows:
        print(f"{label:<{width}}  {queries:>7}  {ms:>8.1f}")


if __name__ == "__main__":
    main()
