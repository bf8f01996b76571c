"""The ``nwd`` command: Django's management entry point with the project's settings as default.

``nwd migrate``, ``nwd runserver``, ``nwd createsuperuser`` and the project's own commands
(``nwd synth``, ``nwd demo``, ``nwd import-903``, ``nwd forecast``, ...) all run through it.
"""

from __future__ import annotations

import os
import sys

from nwd.config import ConfigurationError


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nwd.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo is development mode by definition: it may run without a SECRET_KEY, and its
        # logins may skip the second factor (and the pages say so).
        os.environ.setdefault("NWD_DEMO", "1")
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ConfigurationError as error:
        sys.stderr.write(f"nwd: {error}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
