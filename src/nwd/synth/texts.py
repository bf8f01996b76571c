"""The words in the records: referral reasons, contact summaries, plan goals, notes.

Short, plain sentences of the kind practitioners write, with no names in them (a page shows the
young person's name beside the record anyway), so that no text can ever describe a real person.
"""

from __future__ import annotations

import numpy as np

REFERRAL_REASONS = {
    "police": (
        "Reported missing three times this month; found with older males in the city centre.",
        "Arrested for possession with intent to supply; concerns about county lines involvement.",
        "Repeated call-outs to the family home after arguments between the young person and parent.",
        "Found intoxicated late at night; says they do not want to go home.",
        "Victim of an assault; not engaging with support offered so far.",
    ),
    "school": (
        "Attendance has dropped below 50% this term; says home is difficult at the moment.",
        "Excluded twice for fighting; staff worried about what is happening outside school.",
        "Disclosed self-harm to a teacher; parent struggling to keep them safe.",
        "Seen getting into cars with adults after school; has new phones and clothes.",
        "Stopped coming to school since moving in with an older friend.",
    ),
    "social_care": (
        "Family relationships have broken down; parent asking for the young person to be accommodated.",
        "Placement at risk of breaking down after repeated missing episodes.",
        "Child in need plan not making progress; family would accept intensive support.",
        "Returning home from care; needs support for the move to last.",
        "Care leaver struggling with the tenancy and money; at risk of eviction.",
    ),
    "health": (
        "Attended A&E twice after drinking heavily; parent unsure how to help.",
        "Eating very little and withdrawn; GP asking for support around the family.",
        "Pregnant at 16 and not in touch with services; relationship with mother strained.",
    ),
    "camhs": (
        "Low mood and self-harm; family needs help keeping them safe at home between appointments.",
        "Discharged from the inpatient unit; needs support to settle back at home.",
        "Anxiety stopping them leaving the house; not in education for six months.",
    ),
    "youth_justice": (
        "On a referral order; offending linked to friends and drug use.",
        "Released from custody; needs somewhere stable and someone to work with.",
        "Breach of court order after missing appointments; family relationships poor.",
    ),
    "housing": (
        "Sofa-surfing after being asked to leave home; aged 16.",
        "Presented as homeless; family mediation has not worked so far.",
    ),
    "family": (
        "Parent says they cannot cope with their child's behaviour and is frightened of them.",
        "Young person asked for help: arguments at home every night, wants to leave.",
        "Grandparent caring for them and worried about who they are spending time with.",
    ),
    "voluntary": (
        "Youth club staff worried about exploitation: new friends, money and a second phone.",
        "Young carer at breaking point; missing school to look after a parent.",
    ),
    "other": (
        "Concerns raised by the sports coach about bruising and going missing.",
        "Neighbour reported the young person sleeping in a car park.",
    ),
}

HANDOVER_SERVICES = {
    "camhs": ("CAMHS Norwich", "CAMHS West Norfolk", "CAMHS Great Yarmouth and Waveney"),
    "early_help": ("Early Help Hub", "Family Support Team", "Early Help family worker"),
    "youth_justice": ("Youth Justice Service",),
    "leaving_care": ("Leaving Care Team", "Personal adviser, Leaving Care Team"),
    "housing": ("Housing Options", "Young people's supported housing pathway"),
    "substance": ("Young people's drug and alcohol service",),
    "disability": ("Children with Disabilities Team",),
    "carers": ("Young Carers Service",),
    "school": ("School nursing service", "Inclusion and attendance service"),
}

DECISION_NOTES = {
    "outreach": ("Agreed outreach support; key worker to visit within the week.",
                 "Outreach agreed with the family; first visit booked."),
    "hub_stay": ("A planned stay at the hub to give everyone a break, with support for going home.",
                 "Hub stay agreed while the plan for going home is put together."),
    "emergency_bed": ("Emergency bed tonight; review in the morning with the family.",
                      "Could not go home tonight; emergency bed at the hub."),
    "handover": ("Needs are better met elsewhere: handed over in a joint visit.",
                 "Warm handover agreed with the family: introduced in person to the new worker."),
}

CONTACT_SUMMARIES = {
    "face_to_face": ("Met at the hub; talked about school and friendships.",
                     "Went for a walk and a coffee; talked about how things are at home.",
                     "Worked on the safety plan together; agreed who to call if things get hard.",
                     "Took them to the college open day; they liked the motor vehicle course.",
                     "Session on managing anger; practised what to do when arguments start."),
    "home_visit": ("Home visit: calmer week at home, parent reports fewer arguments.",
                   "Home visit with parent; agreed house rules and a curfew together.",
                   "Home visit: room tidy, sleeping better, attending school most days.",
                   "Visited at home after a missing episode last night; return conversation held."),
    "school_visit": ("Met at school with the head of year; attendance improving.",
                     "School visit: reviewed the reduced timetable and agreed next steps."),
    "phone": ("Phone call to check in after a difficult weekend.",
              "Called to confirm tomorrow's appointment; sounded positive.",
              "Phone call with parent about the plan for the holidays."),
    "video": ("Video call; talked about the new placement and settling in.",
              "Video call with the young person and the life coach."),
    "message": ("Messages about meeting up on Thursday.",
                "Sent a reminder about the dentist; replied with a thumbs up.",
                "Checked in by text; said things were okay."),
    "group": ("Group cooking session at the hub; joined in well.",
              "Group activity: climbing wall trip with three other young people."),
    "attempted": ("Called round; no answer. Left a card and sent a message.",
                  "Planned visit, but they were not in; parent says they are with friends."),
}
CONTACT_WITH_OTHER = {
    "parent_carer": "Spoke with parent about progress and worries this week.",
    "family": "Talked with an aunt who has offered weekends at hers.",
    "professional": "Discussed the young person with the school's safeguarding lead.",
    "meeting": "Multi-agency meeting: plan reviewed, actions shared.",
}

GOALS = {
    "safety": ("Stay safe when going out: tell someone where they are and be home by the agreed time.",
               "Understand the risks from older people offering money or lifts, and know who to tell.",
               "No missing episodes for a month."),
    "relationships": ("Spend time with family without arguments turning into fights.",
                      "Rebuild contact with dad through regular Saturday visits.",
                      "Make friends at college who are a good influence."),
    "accommodation": ("Move home with a plan that everyone agrees to.",
                      "Be ready to move into supported lodgings: budgeting and cooking.",
                      "Settle in the new placement and stay there."),
    "eet": ("Go back to school full time by the end of term.",
            "Start a college course in September.",
            "Apply for an apprenticeship and prepare for the interview."),
    "resilience": ("Find an activity they enjoy and go every week.",
                   "Feel more confident speaking up in meetings about their plan."),
    "emotional_health": ("Use coping strategies instead of self-harm when things get hard.",
                         "Meet the life coach regularly and talk about what happened.",
                         "Sleep better and cut down on energy drinks."),
}

REVIEW_SUMMARIES = ("Plan reviewed with the young person and parent; good progress on most goals.",
                    "Review: a harder few weeks, goals kept and support increased.",
                    "Review with the team around them; two goals achieved, new goal agreed.",
                    "Review held at the hub; young person led part of the meeting.")

SPECIALIST_REASONS = {
    "life_coach": "Drawn in for trauma-informed work on what has happened and coping strategies.",
    "communication_support": "Speech and language assessment: struggles to follow meetings and written plans.",
    "mental_health": "Low mood and self-harm: assessment and regular sessions.",
    "substance_misuse": "Cannabis use most days: harm-reduction work.",
}

SUBSTANCES = ("cannabis", "alcohol", "cannabis, alcohol", "nitrous oxide", "cocaine", "ketamine",
              "cannabis, cocaine", "alcohol, nitrous oxide")

ALLOCATION_NOTES = {
    "staff_left": "Handed over in a joint visit before the previous key worker left.",
    "staff_moved": "Previous key worker moved to another role; joint handover visit held.",
    "young_person_asked": "Young person asked for a change; agreed at the review.",
    "better_match": "New key worker shares interests and lives nearer; agreed with the young person.",
    "long_absence": "Covering while the key worker is on long-term leave.",
    "workload": "Caseloads balanced across the team.",
    "other": "Change agreed by the hub manager.",
}


def pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]
