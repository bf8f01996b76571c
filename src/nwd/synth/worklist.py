"""The county's worklist (issue 16): tasks raised by the clocks, tasks set by hand, meetings with their
actions, and the notifications of tasks assigned, as on the county's as-of date. A small step of its
own after the records the clocks read are written; bulk-written like the rest of the county.

At plausible rates: the clocks raise what the records make due (plan reviews within a week or
overdue, referrals past the decision target, pathway plan reviews, adviser contacts); about a third
of the young people supported now had a multi-agency meeting in the last four months (staff, an
outside professional, one action that became a task, done about 7 times in 10 once due); about one
in five has a task set by hand, some overdue.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from nwd.access.models import User
from nwd.access.roles import Role
from nwd.casework.models import KeyWorkerAllocation
from nwd.synth.writer import Writer
from nwd.worklist import clocks
from nwd.worklist.choices import MeetingKind, NotificationKind, Source, State
from nwd.worklist.models import Attendee, Meeting, Notification, Task

MEETING_SHARE = 0.33
HAND_TASK_SHARE = 0.2
DONE_WHEN_DUE = 0.7
OUTSIDE = [("Sam Patel", "Greenfields Academy"), ("Dr Ruth Okafor", "CAMHS"), ("PC Lee Warren", "Norfolk Police"),
           ("Jo Marsh", "Youth Justice Service"), ("Alex Carr", "Housing Options"), ("Priya Shah", "School nurse")]
VIEWS = ["Wants to stay living at home and go back to school part time.",
         "Said they feel safer since the weekly sessions started; wants the same key worker.",
         "Did not want to attend; their view was given through their key worker: wants more time with friends.",
         "Wants help with money and a college place in September."]
DECISIONS = ["Outreach continues twice a week; review in six weeks.",
             "A part-time timetable is agreed with the school.",
             "A referral to CAMHS is made; the family is offered support sessions.",
             "A return home plan is agreed, with a review after the first month."]
ACTIONS = ["Ask the school for a start date", "Book the CAMHS appointment", "Send the plan to the family",
           "Arrange the next review", "Check the college application"]
HAND = ["Ring the school about attendance", "Write up the home visit", "Check the bus pass renewal",
        "Ask the GP for the health check date"]


def write(as_of: dt.date, writer: Writer, rng: np.random.Generator) -> None:
    """Write the worklist of the county already in the database."""
    users = {u.pk: u for u in User.objects.filter(is_active=True)}
    raised = [Task(title=due.title, details=due.details, owner=due.owner, due=due.due, young_person=due.young_person,
                   hub_id=due.owner.hub_id, source=Source.CLOCK, clock=name, clock_key=due.key)
              for name, found in clocks.load().items() for due in found.find(as_of)]
    writer.write(Task, raised, lambda task: task, len(raised))
    managers = {u.hub_id: u for u in users.values() if u.role == Role.HUB_MANAGER and u.hub_id}
    supported = list(KeyWorkerAllocation.objects.filter(end__isnull=True, involvement__end__isnull=True)
                     .order_by("pk").values_list("involvement__young_person_id", "key_worker_id", "involvement__hub_id"))
    meetings: list[Meeting] = []
    plans: list[tuple[int, int, int]] = []
    for person, worker, hub in supported:
        if rng.random() < MEETING_SHARE and worker in users:
            held = as_of - dt.timedelta(days=int(rng.integers(3, 120)))
            meetings.append(Meeting(young_person_id=person, kind=str(rng.choice(MeetingKind.values)), held_on=held,
                                    chair_id=managers[hub].pk if hub in managers else worker,
                                    young_persons_view=str(rng.choice(VIEWS)), decisions=str(rng.choice(DECISIONS))))
            plans.append((person, worker, hub))
    meeting_ids = writer.write(Meeting, meetings, lambda m: m, len(meetings), keep_pks=True)
    attendees, tasks = [], []
    for meeting_id, meeting, (person, worker, hub) in zip(meeting_ids, meetings, plans, strict=True):
        attendees.append(Attendee(meeting_id=meeting_id, staff_id=worker))
        if hub in managers:
            attendees.append(Attendee(meeting_id=meeting_id, staff_id=managers[hub].pk))
        name, agency = OUTSIDE[int(rng.integers(len(OUTSIDE)))]
        attendees.append(Attendee(meeting_id=meeting_id, name=name, agency=agency))
        due = meeting.held_on + dt.timedelta(days=int(rng.integers(7, 29)))
        done = due <= as_of and rng.random() < DONE_WHEN_DUE
        tasks.append(Task(title=str(rng.choice(ACTIONS)), owner_id=worker, due=due, young_person_id=person, hub_id=hub,
                          source=Source.MEETING, meeting_id=meeting_id, state=State.DONE if done else State.OPEN,
                          completed_on=due if done else None, completed_by_id=worker if done else None,
                          details=f"Agreed at the meeting on {meeting.held_on:%d/%m/%Y}."))
    for person, worker, hub in supported:
        if rng.random() < HAND_TASK_SHARE and worker in users:
            tasks.append(Task(title=str(rng.choice(HAND)), owner_id=worker, young_person_id=person, hub_id=hub,
                              due=as_of + dt.timedelta(days=int(rng.integers(-10, 15))), source=Source.HAND))
    writer.write(Attendee, attendees, lambda a: a, len(attendees))
    task_ids = writer.write(Task, tasks, lambda t: t, len(tasks), keep_pks=True)
    told = [Notification(user_id=task.owner_id, kind=NotificationKind.TASK_ASSIGNED, reference=f"T-{pk:06d}",
                         text=f"Task T-{pk:06d} is assigned to you, due {task.due:%d/%m/%Y}.", link=f"/tasks/{pk}/")
            for pk, task in zip(task_ids, tasks, strict=True) if task.state == State.OPEN]
    writer.write(Notification, told, lambda n: n, len(told))
