"""One date format across the pages: "10 May 2012", and "7 Dec 2026, 14:30" with a time.

Django's British English writes dates this way already ("j M Y"); only the date with a time differs
("7 Dec 2026, 2:30 p.m."), and pages mixed "10 May 2012", "10 May 2012" with the month in full and
"07/12/2026". Templates write ``|date`` and ``|date:"DATETIME_FORMAT"``, Python
``django.utils.formats.date_format(value)``; a test keeps any other date format out of the templates.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
