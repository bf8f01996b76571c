"""A plan's reviews as the plan's PDF prints them: each review's summary and every goal's note.

The page shows each goal's latest progress (``queries.plan_areas``); a printed plan taken to a
meeting needs the record behind it too: what each review concluded (its summary) and what was noted
on each goal, review by review. Kept apart from ``casework/queries.py`` (a package being split by
page) as a read of its own: two queries whatever the number of reviews.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from nwd.casework.models import GoalProgress, Plan, PlanReview, PortfolioArea


@dataclass(frozen=True)
class GoalNote:
    area: str
    goal: str
    progress: str
    note: str


@dataclass(frozen=True)
class ReviewRecord:
    reviewed_on: dt.date
    reviewed_by: str
    summary: str
    goals: list[GoalNote] = field(default_factory=list)


def plan_reviews(plan: Plan | None) -> list[ReviewRecord]:
    """The plan's reviews, latest first, each with its summary and the progress and note on each goal."""
    if plan is None:
        return []
    areas = dict(PortfolioArea.choices)
    progress = GoalProgress.objects.select_related("goal").order_by("goal__area", "goal_id")
    reviews = (PlanReview.objects.filter(plan=plan).select_related("reviewed_by")
               .prefetch_related(Prefetch("progress", queryset=progress)).order_by("-reviewed_on", "-pk"))
    return [
        ReviewRecord(
            reviewed_on=review.reviewed_on,
            reviewed_by=review.reviewed_by.get_full_name() or review.reviewed_by.get_username(),
            summary=review.summary,
            goals=[GoalNote(area=str(areas.get(p.goal.area, p.goal.area)), goal=p.goal.description,
                            progress=p.get_progress_display(), note=p.note) for p in review.progress.all()],
        )
        for review in reviews
    ]
