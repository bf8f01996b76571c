"""Background work: long work (a return's check and import, emails) runs as a task on a queue.

The queue is Django's Tasks API through the django-tasks backport and its database backend
(docs/decisions/0008-task-queue.md). ``nwd worker`` runs a worker (``nwd.jobs.worker``); what a
person asked for is a ``Job`` (who, what, its state, progress and result), which a page shows.
"""
