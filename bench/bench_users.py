"""The pages of issue 14's table and who views each, chosen from the county in the database (shared by
bench/profile_pages.py and bench/load_bench.py). Needs django set up."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework.models import YoungPerson


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    user: User


def key_worker() -> User:
    """The active key worker with the most young people."""
    return (
        User.objects.filter(role=Role.KEY_WORKER, is_active=True)
        .annotate(n=Count("allocations", filter=Q(allocations__end__isnull=True))).order_by("-n", "pk").first()
    )


def hub_manager() -> User:
    return User.objects.filter(role=Role.HUB_MANAGER, is_active=True).order_by("username").first()


def service_manager() -> User:
    return User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).order_by("username").first()


def longest_history() -> YoungPerson:
    """The young person supported now with the most contacts."""
    return (
        YoungPerson.objects.filter(involvements__end__isnull=True)
        .annotate(n=Count("contacts", distinct=True)).order_by("-n", "pk").first()
    )


def pages() -> list[Page]:
    worker, manager, service = key_worker(), hub_manager(), service_manager()
    person = longest_history()
    return [
        Page("key worker home", reverse("home"), worker),
        Page("young person (long history)", reverse("web:young_person", args=[person.pk]), service),
        Page("hub manager home", reverse("home"), manager),
        Page("bed board", reverse("web:bed_board"), manager),
        Page("search 'smith'", reverse("web:search") + "?q=smith", manager),
        Page("referral queue", reverse("web:referral_queue"), manager),
    ]
