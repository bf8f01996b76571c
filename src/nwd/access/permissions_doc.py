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
Sessions end after 30 minutes without activity, with a warning 2 minutes before.

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
