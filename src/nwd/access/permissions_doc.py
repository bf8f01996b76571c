"""docs/permissions.md, generated from the policy table so the document cannot drift from the code.

``nwd permissions_doc --write`` rewrites it; tests/access/test_policy_table.py fails when the file
and ``nwd.access.policy.PERMISSIONS`` differ, and checks every cell against hand-built records.
"""

from __future__ import annotations

from nwd.access import policy
from nwd.access.roles import Role

INTRO = """# Permissions: who may see and do what

Generated from `src/nwd/access/policy.py` by `nwd permissions_doc --write`. Do not edit by hand: a
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
guidance), is locked out for an hour after 5 failures from the same address, and passes a second
factor (a code from an authenticator app) — except in the demo, which says so on every page.
Someone who has lost their phone is reset by an administrator (the admin's action on staff accounts,
audited); they set up a new authenticator at their next sign-in.
Sessions end after 30 minutes without activity, with a warning 2 minutes before.

Every read of a young person's data (a page, a row in a list or search result, an export, a
download), every refused attempt, every change and every sign-in is written to the audit log, which
nobody can change or delete (the database refuses).
"""


def _cell(permission: policy.Permission, role: str) -> str:
    scope = permission.scope_for(role)
    return scope.label if scope is not None else "—"


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
    return "\n".join(lines) + "\n"
