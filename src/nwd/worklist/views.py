"""The worklist's pages: my tasks (and the hub's), a task, notifications and email choices, meetings.
Views parse and render; the changes are ``services``', the reads ``queries``'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nwd.access import audit, scopes
from nwd.access.decorators import from_url, not_found, requires
from nwd.access.models import Action
from nwd.casework.models import YoungPerson
from nwd.core import dates
from nwd.worklist import queries, services
from nwd.worklist.choices import NotificationKind
from nwd.worklist.forms import CompleteForm, EmailChoicesForm, MeetingForm, ReassignForm, TaskForm
from nwd.worklist.models import EmailChoice, Meeting, Notification, Task

IDENTITY = "casework.view_identity"
USE = "worklist.use_worklist"


def _errors_to(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def named_rows(request, tasks: list[Task]) -> list[Task]:
    """Each task's ``person`` is its young person when the viewer may see who they are (else None);
    the names shown are written to the audit log."""
    ids = {t.young_person_id for t in tasks if t.young_person_id}
    visible = set(scopes.young_people(request.user, IDENTITY).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    today = dates.today()
    for task in tasks:
        task.person = task.young_person if task.young_person_id in visible else None
        task.is_overdue = task.overdue(today)
    shown = [t.young_person_id for t in tasks if t.person is not None]
    if shown:
        audit.record_rows(request, shown, Action.LIST, detail="tasks")
    return tasks


@requires(USE)
def tasks(request):
    """My open tasks, overdue first; a hub manager also sees the hub's."""
    mine = named_rows(request, list(queries.my_tasks(request.user)[:200]))
    hub = named_rows(request, list(queries.hub_tasks(request.user).exclude(owner=request.user)[:200]))
    return render(request, "worklist/tasks.html", {"mine": mine, "hub": hub,
                                                   "may_manage": request.user.has_perm(queries.MANAGE),
                                                   "may_add": request.user.has_perm("worklist.add_team_task")})


def _task_or_404(request, task_id: int) -> Task:
    task = Task.objects.select_related("owner", "young_person", "hub", "meeting", "completed_by").filter(pk=task_id).first()
    if task is None or not queries.may_act_on(request.user, task):
        raise not_found(request, task, detail="task: neither its owner nor a manager of its hub")
    return task


def _task_page(request, task: Task, complete=None, reassign=None, status=200):
    named_rows(request, [task])
    may_reassign = task.hub_id is not None and request.user.has_perm(queries.MANAGE, task.hub)
    return render(request, "worklist/task.html", {
        "task": task, "complete_form": complete or CompleteForm(),
        "reassign_form": reassign or (ReassignForm(user=request.user) if may_reassign else None),
        "may_reassign": may_reassign, "history": task.history.select_related("history_user").order_by("-history_date")[:20],
    }, status=status)


@requires(USE)
def task(request, task_id: int):
    found = _task_or_404(request, task_id)
    audit.record(request, Action.VIEW, found)
    return _task_page(request, found)


@require_POST
@requires(USE)
def complete(request, task_id: int):
    found = _task_or_404(request, task_id)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_task(found, outcome=form.cleaned_data["outcome"], by=request.user)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, f"Task {found.reference} is done")
            return redirect("worklist:tasks")
    return _task_page(request, found, complete=form, status=422)


@require_POST
@requires(USE)
def reassign(request, task_id: int):
    found = _task_or_404(request, task_id)
    if found.hub_id is None or not request.user.has_perm(queries.MANAGE, found.hub):
        raise not_found(request, found, detail="reassign: not a manager of the task's hub")
    form = ReassignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.reassign_task(found, owner=form.cleaned_data["owner"], by=request.user)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, f"Task {found.reference} given to {form.cleaned_data['owner']}")
            return redirect("worklist:task", task_id=found.pk)
    return _task_page(request, found, reassign=form, status=422)


@requires("worklist.add_task", record=from_url(YoungPerson, "young_person_id"))
def new_task(request, young_person_id: int):
    person = request.record
    return _task_form(request, person, done=lambda: redirect("web:young_person", young_person_id=person.pk))


@requires("worklist.add_team_task")
def new_team_task(request):
    """A task about no young person: a job of the team or the hub (issue 16, item 1)."""
    return _task_form(request, None, done=lambda: redirect("worklist:tasks"))


def _task_form(request, person, *, done):
    """The task form, about ``person`` (None: about no young person); ``done`` answers once it is set."""
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.add_task(person, title=data["title"], owner=data["owner"], due=data["due"],
                                     details=data["details"], by=request.user)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, f"Task {made.reference} set for {made.owner}")
            return done()
    return render(request, "worklist/new_task.html", {"form": form, "person": person},
                  status=422 if request.method == "POST" else 200)


@requires(USE)
def notifications(request):
    found = list(Notification.objects.filter(user=request.user)[:100])
    return render(request, "worklist/notifications.html", {"notifications": found})


@requires(USE)
def open_notification(request, notification_id: int):
    """Mark the notification read and go to its page (the page checks its own permission)."""
    found = get_object_or_404(Notification, pk=notification_id, user=request.user)
    services.mark_read(found, by=request.user)
    return HttpResponseRedirect(found.link)


@requires(USE)  # outermost: a role without the permission is refused (403) before the method is asked
@require_POST
def read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read")
    return redirect("worklist:notifications")


@requires(USE)
def email_choices(request):
    saying_no = set(EmailChoice.objects.filter(user=request.user, email=False).values_list("kind", flat=True))
    initial = [kind for kind in NotificationKind.values if kind not in saying_no]
    form = EmailChoicesForm(request.POST or None, initial={"kinds": initial})
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["kinds"])
        try:
            for kind in NotificationKind.values:
                if (kind in wanted) != (kind not in saying_no):
                    services.set_email_choice(request.user, kind=kind, email=kind in wanted, by=request.user)
        except ValidationError as error:
            form.add_error("kinds", " ".join(error.messages))
        else:
            messages.success(request, "Your email choices are saved")
            return redirect("worklist:notifications")
    return render(request, "worklist/email_choices.html", {"form": form, "has_email": bool(request.user.email)},
                  status=422 if form.errors else 200)


@requires("worklist.record_meeting", record=from_url(YoungPerson, "young_person_id"))
def new_meeting(request, young_person_id: int):
    person = request.record
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions = []
        if data["action"]:
            actions.append(services.Action(title=data["action"], owner=data["action_owner"], due=data["action_due"]))
        try:
            meeting = services.record_meeting(
                person, kind=data["kind"], held_on=data["held_on"], young_persons_view=data["young_persons_view"],
                decisions=data["decisions"], staff=list(data["staff"]), others=data["others"], actions=actions,
                chair=request.user, by=request.user)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, "Meeting recorded" + (": its action is a task now" if actions else ""))
            return redirect("worklist:meeting", meeting_id=meeting.pk)
    return render(request, "worklist/new_meeting.html", {"form": form, "person": person},
                  status=422 if request.method == "POST" else 200)


@requires("worklist.view_meetings", record=from_url(Meeting, "meeting_id"))
def meeting(request, meeting_id: int):
    found = queries.meetings_of(request.record.young_person).get(pk=meeting_id)
    return render(request, "worklist/meeting.html", {"meeting": found, "person": found.young_person})


@requires("worklist.view_meetings", record=from_url(YoungPerson, "young_person_id"))
def meetings(request, young_person_id: int):
    return render(request, "worklist/meetings.html", {"person": request.record,
                                                      "meetings": queries.meetings_of(request.record),
                                                      "may_record": request.user.has_perm("worklist.record_meeting", request.record),
                                                      "may_add_task": request.user.has_perm("worklist.add_task", request.record),
                                                      "new_task": reverse("worklist:new_task", args=[request.record.pk])})
