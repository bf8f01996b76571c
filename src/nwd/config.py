"""Configuration from environment variables, and only from them.

Read once at start-up by ``nwd.settings``. Kept apart from the settings module so the rules
(what is required outside development, what the embedded default is) can be tested directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}

# Used only in development and demo mode, never in production: the service refuses to start
# without SECRET_KEY there.
DEVELOPMENT_SECRET_KEY = "nwd-development-only-not-secret"  # noqa: S105


class ConfigurationError(Exception):
    """A setting is missing or wrong; the message is one line saying what to do."""


def flag(value: str | None) -> bool:
    return (value or "").strip().lower() in TRUE_WORDS


@dataclass(frozen=True)
class Config:
    debug: bool
    demo: bool
    secret_key: str
    allowed_hosts: list[str]
    data_dir: Path
    database_url: str | None

    @property
    def development(self) -> bool:
        """Development mode: DEBUG on, or the demo. Relaxes the rules a production service keeps."""
        return self.debug or self.demo


def from_environment(environ: dict[str, str] | None = None) -> Config:
    """Build the configuration; raise ConfigurationError with a one-line explanation when unusable."""
    env = os.environ if environ is None else environ
    debug = flag(env.get("DEBUG"))
    demo = flag(env.get("NWD_DEMO"))
    secret_key = env.get("SECRET_KEY", "").strip()
    if not secret_key:
        if not (debug or demo):
            raise ConfigurationError(
                "SECRET_KEY is not set: set it to a long random string "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
                "or set DEBUG=1 for development."
            )
        secret_key = DEVELOPMENT_SECRET_KEY
    hosts = [h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts and (debug or demo):
        hosts = ["127.0.0.1", "localhost", "[::1]"]
    data_dir = Path(env.get("NWD_DATA_DIR") or "var").resolve()
    database_url = env.get("DATABASE_URL", "").strip() or None
    return Config(
        debug=debug,
        demo=demo,
        secret_key=secret_key,
        allowed_hosts=hosts,
        data_dir=data_dir,
        database_url=database_url,
    )


RETENTION_YEARS_AFTER_25_DEFAULT = 6


def retention_years_after_25(environ: dict[str, str] | None = None) -> int:
    """``NWD_RETENTION_YEARS_AFTER_25``: how long the records of young people who were never looked
    after are kept, in years after the 25th birthday or the end of support, whichever is later
    (default 6, the Limitation Act 1980's period for a claim; see nwd.casework.retention)."""
    env = os.environ if environ is None else environ
    text = (env.get("NWD_RETENTION_YEARS_AFTER_25") or "").strip()
    if not text:
        return RETENTION_YEARS_AFTER_25_DEFAULT
    if not text.isdigit() or int(text) > 50:
        raise ConfigurationError(
            f"NWD_RETENTION_YEARS_AFTER_25 is '{text}': set it to a whole number of years from 0 to 50 "
            f"(default {RETENTION_YEARS_AFTER_25_DEFAULT})."
        )
    return int(text)
