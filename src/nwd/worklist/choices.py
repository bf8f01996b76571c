"""The worklist's choices: where a task came from, its state, the kinds of notification and meeting."""

from django.db import models


class Source(models.TextChoices):
    HAND = "hand", "Set by hand"
    CLOCK = "clock", "Raised by a clock"
    MEETING = "meeting", "Action from a meeting"


class State(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    # A clock's task whose condition was met another way (the review was held, the referral decided).
    CLOSED = "closed", "No longer needed"


class NotificationKind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", "A task is assigned to me"
    EMERGENCY_REFERRAL = "emergency_referral", "An emergency referral is received"
    REFERRED_AGAIN = "referred_again", "A young person I support is referred again"
    MISSING = "missing", "A missing episode is opened for one of my young people"


class MeetingKind(models.TextChoices):
    TEAM_AROUND = "team_around", "Team around the young person"
    STRATEGY = "strategy", "Strategy meeting"
    REVIEW = "review", "Review meeting"
