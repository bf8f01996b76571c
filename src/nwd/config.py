"""Configuration from environment variables, and only from them.

Read once at start-up by ``nwd.settings``. Kept apart from the settings module so the rules
(what is required outside development, what the embedded default is) can be tested directly.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")

# Used only in development and demo mode, never in production: the service refuses to start
# without SECRET_KEY there.
DEVELOPMENT_SECRET_KEY = "nwd-development-only-not-secret"  # noqa: S105

# The most one upload (all its files, a ZIP unpacked) may hold, in MB (1 MB = 1,048,576 bytes). A
# council's SSDA903 return of ten years is a few MB; checking works a block of children at a time, so
# its memory grows little with the file (docs/ssda903.md): the limit bounds how long a check takes.
DEFAULT_UPLOAD_MAX_MB = 100


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
    trusted_proxy_header: str | None = None
    enrolment_code_hours: int = 72
    upload_max_mb: int = DEFAULT_UPLOAD_MAX_MB
    # The key of the audit log's search digests (nwd.access.audit.search_digest); empty: SECRET_KEY.
    audit_search_key: str = ""

    @property
    def development(self) -> bool:
        """Development mode: DEBUG on, or the demo: may start without SECRET_KEY and ALLOWED_HOSTS.

        The demo's other relaxations (second factor, HSTS, secure cookies) are not decided here:
        they need the database's demo marker too (``nwd.core.demo.active``).
        """
        return self.debug or self.demo

    @property
    def proxy_header_meta_key(self) -> str | None:
        """``X-Forwarded-For`` as Django's ``request.META`` names it: ``HTTP_X_FORWARDED_FOR``."""
        if not self.trusted_proxy_header:
            return None
        return "HTTP_" + self.trusted_proxy_header.upper().replace("-", "_")


def upload_max_mb(text: str | None) -> int:
    """NWD_UPLOAD_MAX_MB as a whole number of MB from 1 to 10,000 (the default when unset)."""
    if text is None or not text.strip():
        return DEFAULT_UPLOAD_MAX_MB
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise ConfigurationError(
            f"NWD_UPLOAD_MAX_MB is {value!r}: set it to a whole number of megabytes from 1 to 10000 "
            f"(default {DEFAULT_UPLOAD_MAX_MB}), or leave it unset."
        )
    return int(value)


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
    proxy_header = env.get("NWD_TRUSTED_PROXY_HEADER", "").strip() or None
    if proxy_header and not HEADER_NAME.match(proxy_header):
        raise ConfigurationError(
            f"NWD_TRUSTED_PROXY_HEADER '{proxy_header}' is not a header name: use letters, digits and "
            "hyphens, for example X-Forwarded-For."
        )
    hours_text = env.get("NWD_ENROLMENT_CODE_HOURS", "").strip() or "72"
    if not hours_text.isdigit() or not 1 <= int(hours_text) <= 24 * 14:
        raise ConfigurationError(
            f"NWD_ENROLMENT_CODE_HOURS '{hours_text}' is not a number of hours from 1 to 336 (two weeks)."
        )
    return Config(
        upload_max_mb=upload_max_mb(env.get("NWD_UPLOAD_MAX_MB")),
        debug=debug,
        demo=demo,
        secret_key=secret_key,
        allowed_hosts=hosts,
        data_dir=data_dir,
        database_url=database_url,
        trusted_proxy_header=proxy_header,
        enrolment_code_hours=int(hours_text),
        audit_search_key=env.get("NWD_AUDIT_SEARCH_KEY", "").strip(),
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
