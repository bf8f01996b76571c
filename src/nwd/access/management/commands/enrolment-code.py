"""``nwd enrolment-code``: the spelling of ``nwd enrolment_code`` the docs use (Django finds command
modules by file name, and a hyphen is allowed there though not in an ``import`` statement)."""

from nwd.access.management.commands.enrolment_code import Command  # noqa: F401
