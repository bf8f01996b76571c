"""The demo: ``nwd demo`` and its logins, one per role, on a database the demo made.

Above casework's use cases in the layers (pyproject.toml, docs/architecture.md): the logins are
access's users, picked by role and by casework's source agencies, and the command checks for
casework's young people. Demo *mode* (the database marker read on every request, the relaxed
security middleware) is lower, in ``nwd.access.demo_mode``, because the sign-in and the second
factor ask it.
"""
