"""Tasks, notifications and meetings (issue 16), at the site's root (namespace ``worklist``)."""

from django.urls import path

from nwd.worklist import views

app_name = "worklist"

urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/new/", views.new_team_task, name="new_team_task"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("tasks/<int:task_id>/done/", views.complete, name="complete"),
    path("tasks/<int:task_id>/reassign/", views.reassign, name="reassign"),
    path("young-people/<int:young_person_id>/tasks/new/", views.new_task, name="new_task"),
    path("young-people/<int:young_person_id>/meetings/", views.meetings, name="meetings"),
    path("young-people/<int:young_person_id>/meetings/new/", views.new_meeting, name="new_meeting"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:notification_id>/", views.open_notification, name="open_notification"),
    path("notifications/read/", views.read_all, name="read_all"),
    path("notifications/email/", views.email_choices, name="email_choices"),
]
