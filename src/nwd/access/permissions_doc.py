"""docs/permissions.md, generated from the policy table so the document cannot drift from the code.

``nwd permissions_doc`` rewrites it; tests/access/test_policy_table.py fails when the file
and ``nwd.access.policy.PERMISSIONS`` differ, and checks every cell against hand-built records.
"""

from __future__ import annotations

from nwd.access import policy
from nwd.access.roles import Role
from nwd.config import RETENTION_YEARS_AFTER_25_DEFAULT

INTRO = """# Permissions: who may see and do what

Generated from `src/nwd/access/policy.py` by `nwd permissions_doc`. Do not edit by hand: a
test fails when this file and the code differ, and another checks every cell of the table below
against records built for the purpose (tests/access/test_policy_table.py).

## How to read it

Each row is a permission (the name views use: `@requires("casework.view_plan", record=...)`,
`user.has_perm("casework.view_plan", young_person)`, `scopes.young_people(user, "casework.view_plan")`).
Each column is a role. A cell says for which records the role holds the permission; an empty cell
(—) means never. Permissions marked *no record* are yes or no for the role as a whole.

**Restricted records** come first, whatever a cell says: a restricted young person (for example a
staff member's relative), their referrals and contact notes are open only to the users named on the
record. Naming someone never widens what their role allows.

The restriction is part of every permission that touches a young person, **hub permissions
included**: asked of a stay or an involvement (a discharge, an admission, a change of key worker),
`hubs.*` and `casework.allocate_key_worker` need the user named on a restricted record too, and the
bed board shows a restricted young person's bed as occupied without their name. Lists, search,
the named lists behind a figure and the alerts on them are the same rules as database filters.

**A record the user may not see answers as one that does not exist**: 404, the same page, and the
attempt recorded as refused in the audit log either way, so ids cannot be probed. Pages about no
record refuse with 403.

**Partner referrals never look a child up.** Matching a referral to an existing record (same NHS
number, UPN, or names and date of birth) happens only among the young people the referrer may see
by name (`casework.view_identity`). A partner referrer sees none, so their referral always brings
its own record, and their pages show the young person as they typed them. At triage the hub
manager is offered the possible matches they may see themselves and links the referral to the
existing record (the record it came with is deleted; its history keeps what the referrer typed).
A police liaison officer's alerts come only from police-shared data ("Missing now"); every alert
is shown only where the viewer may see the part of the record it comes from.

**Superusers** (system administrators) may use the admin site, after the second factor, and
nothing else: superuser status grants none of the permissions below. Every admin page visit is in
the audit log.

**Everyone** signs in with a password (at least 12 characters, not a common password, NCSC
guidance) and passes a second factor (a code from an authenticator app) — except in the demo, on
the demo's own database only, which says so on every page. Setting up the authenticator needs a
one-time set-up code from an administrator (the admin's "reset the second factor" action, or
`nwd enrolment-code USERNAME` at go-live): shown once, kept only as a hash, valid 72 hours
(`NWD_ENROLMENT_CODE_HOURS`), spent at first use, withdrawn by a newer code or after 5 wrong tries,
issue and use audited. A password alone, without an authenticator or a code, reaches only a page
saying to ask an administrator. Someone who has lost their phone is reset the same way.
Sign-in pauses after 5 failed passwords for one account (from any addresses) or 20 from one address
(at any accounts): for 15 minutes, doubled for each pause of the same account or address in the
last 24 hours, up to 4 hours; a guess during a pause is refused and not counted, so it does not
lengthen it. The address is the client's, or the one a trusted proxy appended
(`NWD_TRUSTED_PROXY_HEADER`).
Sessions end after 30 minutes without activity (at most a minute sooner: an expiry that would move by less than a minute is not written, `nwd.access.sessions`), with a warning 2 minutes before.

Every read of a young person's data (a page, a row in a list or search result, an export, a
download), every refused attempt, every change and every sign-in is written to the audit log. Nobody
can change or delete an event: on PostgreSQL the service's own database role may only add to the log
and read it (`nwd db-roles`), the database refuses changes, and each event carries a hash chained to
the one before, so `nwd audit-verify` names any event changed or deleted behind the service's back,
even by the database's owner.
"""


def _cell(permission: policy.Permission, role: str) -> str:
    scope = permission.scope_for(role)
    return scope.label if scope is not None else "—"


DATA_PROTECTION = f"""## Data protection: rectification, restriction, retention

**Rectification.** The data protection officer and the service manager (`casework.rectify_identity`)
correct a young person's identity details (first, last and preferred names, date of birth, sex,
gender, ethnicity, NHS number, UPN, home postcode, date of death) on the young person's data
protection page (`/young-people/<id>/data-protection/`, linked from the young person's page and, for
the data protection officer, from search). A reason is required (100 characters at most): the record
changes, its change history keeps what it said before, who changed it and the reason (shown on the
change history page), and the change is in the audit log.

**Restriction.** The same two roles (`casework.restrict_record`) restrict a record to named users,
change who is named, or lift the restriction, with a reason, on the same page. A restricted record
names at least one data protection officer or service manager, so that someone can always change it
again; lifting a restriction removes the names (the history keeps them). Each change is one history
version, holding the names and the reason, and one audit entry. The restriction binds these two
roles as it binds every other: on a restricted record they must be named, and someone who restricts
a record without naming themselves can no longer open it.

**Retention.** `nwd retention --dry-run --as USER` lists the young people whose records are past
their retention period, by rule; `nwd retention --apply --as USER` destroys them
(`casework.apply_retention`: the data protection officer).

| rule | young people | kept until |
|---|---|---|
| looked-after children's case records | looked after (a period or episode of care) or accommodated in a hub bed (a registered children's home) | the 75th birthday (Care Planning, Placement and Case Review (England) Regulations 2010, reg. 50; Children's Homes (England) Regulations 2015, reg. 36) |
| looked after, died before 18 | as above, with a date of death before the 18th birthday | 15 years after the death (same regulations) |
| other service records | never looked after: referred, edge of care or outreach only | `NWD_RETENTION_YEARS_AFTER_25` years (default {RETENTION_YEARS_AFTER_25_DEFAULT}) after the later of the 25th birthday and the end of the service's last work with them: the service works with young people up to 25, and 6 years is the Limitation Act 1980's period for a claim about that work |

Records are kept on the last day of their period and are due the day after. A young person with
anything still open (support, a stay, a period of care, an undecided referral) is never destroyed;
the dry run lists them apart, to be checked. The dry run changes nothing (it writes one audit entry
per young person it shows, as any list does). `--apply` deletes, in one transaction, the young
person and every record about them (referrals, involvements and key-worker allocations, specialists
drawn in, contacts, plans with their goals, reviews and progress, missing episodes, police contacts,
health events, exploitation concerns, substance use, EET, stays, periods and episodes of care, care
reviews, OC2 and OC3 outcomes, drafts that name them) and every change-history version of each
(the named users of a restriction included), then writes one audit entry: for each rule, how many
young people and records, and no personal data.

**The audit log keeps its rows.** It is append-only: retention neither changes nor deletes them.
A row about a young person holds ids (the young person's, the record's and its type), who, when,
from which address, the page's path and a short label; once the records are gone those ids lead
nowhere (ids are never reused). A search's words are kept only as their keyed hash (an HMAC with
NWD_AUDIT_SEARCH_KEY, else SECRET_KEY, in its label and path): they do not outlive the records, yet
an auditor can still tell whether anyone searched for given words by hashing them
(`nwd.access.queries.searched_for`; rows written before this change hold the words typed). A
download's file name is kept as it was (a subject access export's name holds the council child id).
The dry run counts the searches among the rows it keeps.
"""


def render() -> str:
    roles = list(Role)
    lines = [INTRO, "## The table", ""]
    header = ["permission", "record", *[policy.ROLE_CAPTIONS[r] for r in roles]]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for permission in policy.PERMISSIONS:
        cells = [f"`{permission.name}`", permission.kind, *[_cell(permission, r) for r in roles]]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## What each permission allows", ""]
    for permission in policy.PERMISSIONS:
        lines.append(f"- `{permission.name}` ({permission.kind}): {permission.allows}")
    lines += ["", "## What each cell means", ""]
    lines.append("| cell | record | meaning | relation in the code |")
    lines.append("|---|---|---|---|")
    kinds = {}
    for permission in policy.PERMISSIONS:
        for scope in permission.grants.values():
            kinds.setdefault(scope, permission.kind)
    for scope in policy.SCOPES:
        if scope in kinds:
            lines.append(f"| {scope.label} | {kinds[scope]} | {scope.meaning} | `{scope.relation.name}` |")
    lines += ["", "## Roles", ""]
    for role in roles:
        lines.append(f"- {policy.ROLE_CAPTIONS[role]} (`{role.value}`): {role.label}")
    lines += ["", DATA_PROTECTION.rstrip()]
    return "\n".join(lines) + "\n"
