"""The care leaver's choices: eligibility categories, contact kinds, staying put or close.

In touch, activity and accommodation are the DfE's OC3 codes (``nwd.codelists.codes``), so what the
personal adviser records is what the SSDA903 return's OC3 table says.
"""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    """The Children (Leaving Care) Act 2000 categories (Children Act 1989, s.23A-24 and sch. 2 para 19B)."""

    ELIGIBLE = "eligible", "Eligible (16 or 17, still looked after)"
    RELEVANT = "relevant", "Relevant (16 or 17, left care)"
    FORMER_RELEVANT = "former_relevant", "Former relevant (18 to 25)"
    QUALIFYING = "qualifying", "Qualifying (looked after after 16, less than 13 weeks from 14)"


class AdviserContactKind(models.TextChoices):
    VISIT = "visit", "Visit in person"
    MEETING = "meeting", "Meeting elsewhere"
    PHONE = "phone", "Phone or video call"
    MESSAGE = "message", "Message (text, email)"


# A message is not a contact the regulations count: the adviser must keep in touch in person or by voice.
COUNTED_CONTACT_KINDS = (AdviserContactKind.VISIT, AdviserContactKind.MEETING, AdviserContactKind.PHONE)


class Arrangement(models.TextChoices):
    STAYING_PUT = "staying_put", "Staying Put (with former foster carers, to 21)"
    STAYING_CLOSE = "staying_close", "Staying Close (near the children's home they left, to 21)"
