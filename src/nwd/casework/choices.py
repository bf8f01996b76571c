"""Code lists of the casework model. The SSDA903 lists live in ``nwd.codelists.codes``."""

from django.db import models

# Two lists staff accounts carry too (a partner referrer's agency, a portfolio lead's area): they live
# with the accounts in access, below casework, and the casework records name the same lists.
from nwd.access.roles import PortfolioArea, SourceAgency  # noqa: F401 (names of this module)


class Sex(models.TextChoices):
    """Sex as the SSDA903 return recorded it until 2023-24 (1/2), and "U" (not known) from 2024-25.

    The return writes M/F from 2024-25; ``nwd.codelists.codes.sex_for_year`` converts on the way out
    and the importer on the way in, so the record holds one spelling whatever the year.
    """

    MALE = "1", "Male"
    FEMALE = "2", "Female"
    NOT_KNOWN = "U", "Not known"


class Gender(models.TextChoices):
    BOY = "boy", "Boy or young man"
    GIRL = "girl", "Girl or young woman"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Describes themselves another way"
    NOT_STATED = "not_stated", "Not stated"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine (decision within 5 working days)"
    URGENT = "urgent", "Urgent (decision within 24 hours)"
    EMERGENCY = "emergency", "Emergency (needs a bed or visit today)"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    TRIAGE = "triage", "In triage"
    CLOSED = "closed", "Decided"


class Decision(models.TextChoices):
    """Every referral ends in one of these: there is no 'no further action'."""

    OUTREACH = "outreach", "Outreach support"
    HUB_STAY = "hub_stay", "Hub stay"
    EMERGENCY_BED = "emergency_bed", "Emergency bed"
    HANDOVER = "handover", "Not taken on: warm handover to a named service"


class SupportType(models.TextChoices):
    OUTREACH = "outreach", "Outreach"
    RESIDENTIAL = "residential", "Hub stay"
    EMERGENCY = "emergency", "Emergency bed"


DECISION_SUPPORT_TYPE = {
    Decision.OUTREACH: SupportType.OUTREACH,
    Decision.HUB_STAY: SupportType.RESIDENTIAL,
    Decision.EMERGENCY_BED: SupportType.EMERGENCY,
}


class InvolvementEndReason(models.TextChoices):
    GOALS_MET = "goals_met", "Plan goals met"
    STABLE_AT_HOME = "stable_at_home", "Living safely at home"
    WITH_FAMILY = "with_family", "Moved to live with family or friends"
    FOSTER_CARE = "foster_care", "Moved to foster care"
    SUPPORTED_HOUSING = "supported_housing", "Moved to supported accommodation"
    ENTERED_CARE = "entered_care", "Became looked after elsewhere"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    DECLINED = "declined", "Young person chose to stop"
    AGE_LIMIT = "age_limit", "Reached 25"
    CUSTODY = "custody", "Custodial sentence"
    OTHER = "other", "Other"


class AllocationReason(models.TextChoices):
    FIRST = "first", "First allocation"
    STAFF_LEFT = "staff_left", "Key worker left the service"
    STAFF_MOVED = "staff_moved", "Key worker moved role or hub"
    YOUNG_PERSON_ASKED = "young_person_asked", "Young person asked for a change"
    BETTER_MATCH = "better_match", "A better match for the young person"
    LONG_ABSENCE = "long_absence", "Key worker on long-term absence"
    WORKLOAD = "workload", "Caseload balancing"
    OTHER = "other", "Other"


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    HOME_VISIT = "home_visit", "Home visit"
    SCHOOL_VISIT = "school_visit", "School or college visit"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Text or message"
    GROUP = "group", "Group activity"
    ATTEMPTED = "attempted", "Attempted, not seen"


class ContactWith(models.TextChoices):
    YOUNG_PERSON = "young_person", "Young person"
    PARENT_CARER = "parent_carer", "Parent or carer"
    FAMILY = "family", "Wider family"
    PROFESSIONAL = "professional", "Another professional"
    MEETING = "meeting", "Multi-agency meeting"


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    SOME = "some", "Some progress"
    GOOD = "good", "Good progress"
    ACHIEVED = "achieved", "Achieved"
    STOPPED = "stopped", "No longer relevant"


PROGRESS_SCORE = {
    Progress.NOT_STARTED: 0,
    Progress.SOME: 1,
    Progress.GOOD: 2,
    Progress.ACHIEVED: 3,
}


class Relationship(models.TextChoices):
    """Who someone is to the young person: family, carers and other significant people (issue 16)."""

    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent or parent's partner"
    SIBLING = "sibling", "Brother or sister"
    GRANDPARENT = "grandparent", "Grandparent"
    AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
    OTHER_RELATIVE = "relative", "Other relative"
    FOSTER_CARER = "foster_carer", "Foster carer"
    KINSHIP_CARER = "kinship_carer", "Kinship or connected carer"
    SPECIAL_GUARDIAN = "guardian", "Special guardian"
    PARTNER = "partner", "Partner (boyfriend or girlfriend)"
    FRIEND = "friend", "Friend"
    TRUSTED_ADULT = "trusted_adult", "Trusted adult (teacher, coach, faith leader)"
    OTHER = "other", "Someone else"


class Sharing(models.TextChoices):
    """What may be shared with someone in the young person's network."""

    ANYTHING = "anything", "Anything relevant to the young person's support"
    AGREED = "agreed", "Only what the young person agrees each time"
    WELLBEING = "wellbeing", "Only that the young person is safe and well"
    NOTHING = "nothing", "Nothing: do not share information"
