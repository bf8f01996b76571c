"""Configuration from environment variables, and only from them.

Read once at start-up by ``nwd.settings``. Kept apart from the settings module so the rules
(what is required outside development, what the embedded default is) can be tested directly.

Every variable the service reads is declared once, in ``VARIABLES``: its name, its default and one
line saying what it does. docs/configuration.md is generated from that list (``nwd
configuration_doc``; a test fails when they drift), ``nwd.settings`` turns each into the
Django setting of the same name, and code reads ``settings.NWD_...``, never the environment or a
``getattr`` default of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TRUE_WORDS = {"1", "true", "yes", "on"}
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")

# Used only in development and demo mode, never in production: the service refuses to start
# without SECRET_KEY there.
DEVELOPMENT_SECRET_KEY = "nwd-development-only-not-secret"  # noqa: S105

# The most one upload (all its files, a ZIP unpacked) may hold, in MB (1 MB = 1,048,576 bytes). A
# council's SSDA903 return of ten years is a few MB; checking works a block of children at a time, so
# its memory grows little with the file (docs/ssda903.md): the limit bounds how long a check takes.
DEFAULT_UPLOAD_MAX_MB = 100

# PostgreSQL prepares a query on a connection once the connection has run it this many times
# (psycopg's prepare_threshold; docs/performance.md, "Prepared statements (seventh round)").
DEFAULT_PREPARE_THRESHOLD = 2


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
        they need the database's demo marker too (``nwd.access.demo_mode.active``).
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


# --- Every variable, declared once -------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """An environment variable the service reads: what applies when it is unset, and what it does.

    ``read`` turns the variable's text (None when unset) into the setting's value, raising
    ConfigurationError with a one-line message when the text is unusable; None for the variables
    ``from_environment`` reads with rules of their own, and for the passwords only ``nwd db-roles``
    reads (``password``), which are never kept in the settings.
    """

    name: str
    default: str
    description: str
    read: Callable[[str | None], Any] | None = None


def whole_number(name: str, default: int, low: int, high: int, unit: str) -> Callable[[str | None], int]:
    """A reader of a whole number from ``low`` to ``high`` (``default`` when unset or blank)."""

    def read(text: str | None) -> int:
        if text is None or not text.strip():
            return default
        value = text.strip()
        if not value.isdigit() or not low <= int(value) <= high:
            raise ConfigurationError(
                f"{name} is {value!r}: set it to a whole number of {unit} from {low} to {high} "
                f"(default {default}), or leave it unset."
            )
        return int(value)

    return read


def max_requests(text: str | None) -> int:
    """``NWD_WEB_MAX_REQUESTS``: 0 (a process is never replaced), or a count large enough that replacing a
    process (and warming its compiled queries and templates again) stays rare."""
    value = whole_number("NWD_WEB_MAX_REQUESTS", 0, 0, 10_000_000, "requests")(text)
    if 0 < value < 1_000:
        raise ConfigurationError(
            f"NWD_WEB_MAX_REQUESTS is {value}: set it to 0 (never replace a process) or to at least 1000.")
    return value


def evaluation(text: str | None) -> dict[str, Any]:
    """``NWD_EVALUATION``: a JSON object of the evaluation's settings (``nwd.evaluation.params``),
    dates written 2025-04-01: ``{"go_live": "2025-04-01", "data_start": {"care": "2019-04-01"}}``."""
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        if value.get("go_live"):
            value["go_live"] = dt.date.fromisoformat(value["go_live"])
        if "data_start" in value:
            value["data_start"] = {k: dt.date.fromisoformat(v) for k, v in dict(value["data_start"]).items()}
    except (ValueError, TypeError) as error:
        raise ConfigurationError(
            f"NWD_EVALUATION is not usable ({error}): set it to a JSON object such as "
            '{"go_live": "2025-04-01", "data_start": {"care": "2019-04-01"}}, or leave it unset.'
        ) from None
    return value


def text_value(text: str | None) -> str:
    """A free-text variable: its text without surrounding spaces, empty when unset."""
    return (text or "").strip()


DEFAULT_COST_AVOIDED = "nwd.evaluation.forecast_link.cost_avoided"


def cost_avoided(text: str | None) -> str:
    """``NWD_COST_AVOIDED``: the dotted path of the cost-avoided provider; set but empty: no link."""
    return DEFAULT_COST_AVOIDED if text is None else text.strip()


# --- Single sign-on (OpenID Connect: nwd.access.sso, docs/single-sign-on.md) ----------------------

ROLE_MAP_ENTRY = re.compile(r"^(?P<group>[^=]+)=(?P<role>[a-z_]+)(?:@(?P<hub>[A-Za-z0-9_-]+))?$")


def role_map(text: str | None) -> tuple[tuple[str, str, str], ...]:
    """``NWD_OIDC_ROLE_MAP``: ``group=role`` or ``group=role@hub-code`` pairs separated by commas,
    as (group, role, hub code or ""), in the order written (the first that matches wins). Whether
    each role exists is checked by the access app (system check ``access.E020``): this module
    imports nothing of the project."""
    if text is None or not text.strip():
        return ()
    pairs = []
    for entry in text.split(","):
        if not entry.strip():
            continue
        match = ROLE_MAP_ENTRY.match(entry.strip())
        if match is None:
            raise ConfigurationError(
                f"NWD_OIDC_ROLE_MAP has {entry.strip()!r}: write each entry as group=role or group=role@hub-code, "
                "separated by commas, for example 'NWD Key workers=key_worker@north,NWD Analysts=analyst'."
            )
        pairs.append((match["group"].strip(), match["role"], match["hub"] or ""))
    return tuple(pairs)


def words(text: str | None, default: str) -> tuple[str, ...]:
    """A list separated by commas or spaces (``default`` when unset), without blanks."""
    return tuple(w for w in re.split(r"[,\s]+", default if text is None else text) if w)


def url(name: str) -> Callable[[str | None], str]:
    """A reader of an http(s) address, kept as written (an issuer is compared exactly); empty when unset."""

    def read(text: str | None) -> str:
        value = (text or "").strip()
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ConfigurationError(f"{name} is {value!r}: set it to an address starting https://, or leave it unset.")
        return value

    return read


def optional_whole_number(name: str, low: int, high: int, unit: str) -> Callable[[str | None], int | None]:
    """A reader of a whole number from ``low`` to ``high``, None when unset (the code picks the default)."""

    def read(text: str | None) -> int | None:
        if text is None or not text.strip():
            return None
        value = text.strip()
        if not value.isdigit() or not low <= int(value) <= high:
            raise ConfigurationError(
                f"{name} is {value!r}: set it to a whole number of {unit} from {low} to {high}, or leave it unset."
            )
        return int(value)

    return read


def text(value: str | None) -> str:
    return (value or "").strip()


SSO_ENDPOINTS = ("NWD_OIDC_AUTHORIZATION_ENDPOINT", "NWD_OIDC_TOKEN_ENDPOINT", "NWD_OIDC_JWKS_ENDPOINT")


def single_sign_on(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The NWD_OIDC_* settings, checked together: off when NWD_OIDC_CLIENT_ID is unset; when it is
    set, the client secret, the role map and the issuer (or the endpoints) must be set too."""
    env = os.environ if environ is None else environ
    values = {name: read(env.get(name)) for name, read in SSO_READERS.items()}
    if not values["NWD_OIDC_CLIENT_ID"]:
        return values
    missing = [name for name in ("NWD_OIDC_CLIENT_SECRET", "NWD_OIDC_ROLE_MAP") if not values[name]]
    if not values["NWD_OIDC_ISSUER"] and not all(values[name] for name in SSO_ENDPOINTS):
        missing.append("NWD_OIDC_ISSUER (or " + ", ".join(SSO_ENDPOINTS) + ")")
    if missing:
        raise ConfigurationError(
            f"NWD_OIDC_CLIENT_ID is set, so single sign-on is on, but {', '.join(missing)} is not: set "
            "it (docs/single-sign-on.md), or unset NWD_OIDC_CLIENT_ID."
        )
    return values


DEFAULT_BIND = "127.0.0.1:8000"


def bind_address(text: str | None) -> str:
    """``NWD_BIND``: ``host:port`` or ``unix:/path`` (default 127.0.0.1:8000)."""
    if text is None or not text.strip():
        return DEFAULT_BIND
    value = text.strip()
    if value.startswith("unix:") and len(value) > 5:
        return value
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigurationError(
            f"NWD_BIND is {value!r}: set it to host:port (for example 127.0.0.1:8000 or 0.0.0.0:8000) "
            "or unix:/path/to/socket, or leave it unset."
        )
    return value


def optional_text(text: str | None) -> str:
    """A free text setting, empty when unset."""
    return (text or "").strip()


def api_rate(value: str | None) -> str:
    """NWD_API_RATE: calls per period, as Django REST framework's throttles read it (``120/minute``)."""
    rate = (value or "").strip() or "120/minute"
    number, _, period = rate.partition("/")
    if not number.isdigit() or int(number) < 1 or period not in ("second", "minute", "hour", "day"):
        raise ConfigurationError(f"NWD_API_RATE must look like 120/minute (second, minute, hour or day), not {rate!r}.")
    return rate


VARIABLES: tuple[Variable, ...] = (
    Variable("DATABASE_URL", "SQLite at `$NWD_DATA_DIR/nwd.sqlite3`",
             "The database, as a URL (`postgres://user@host:5432/name` for PostgreSQL 15)."),
    Variable("SECRET_KEY", "none: required outside development",
             "Django's signing key; the service refuses to start without it unless DEBUG or NWD_DEMO is set."),
    Variable("ALLOWED_HOSTS", "none (in development: 127.0.0.1, localhost, [::1])",
             "The host names the service answers to, separated by commas."),
    Variable("DEBUG", "off", "Development mode (1, true, yes or on): Django's debug pages, no HTTPS redirect."),
    Variable("NWD_DEMO", "off", "Demo mode, set by `nwd demo`: relaxes nothing unless the database is one the "
             "demo created (nwd.access.demo_mode)."),
    Variable("NWD_DATA_DIR", "`./var`", "The folder for the embedded database, uploads and static files."),
    Variable("NWD_TRUSTED_PROXY_HEADER", "unset (REMOTE_ADDR)",
             "The header the service's reverse proxy puts the client's address in, such as X-Forwarded-For."),
    Variable("NWD_AUDIT_SEARCH_KEY", "unset (SECRET_KEY)",
             "The key of the HMAC in which the audit log keeps the words of a search (never the words themselves)."),
    Variable("NWD_ENROLMENT_CODE_HOURS", "72", "How long a second-factor set-up code lasts, in hours (1 to 336)."),
    Variable("NWD_UPLOAD_MAX_MB", str(DEFAULT_UPLOAD_MAX_MB),
             "The largest upload, in MB (1 to 10000); larger ones are refused before they are read."),
    Variable("NWD_RETENTION_YEARS_AFTER_25", "6",
             "Years the records of young people never looked after are kept after the 25th birthday or the end "
             "of support, whichever is later (0 to 50)."),
    Variable("NWD_EVIDENCE_CACHE_SECONDS", "300",
             "How long the evidence pages keep a report built for a period, hub and cohort, in seconds.",
             whole_number("NWD_EVIDENCE_CACHE_SECONDS", 300, 0, 86_400, "seconds")),
    Variable("NWD_API_RATE", "120/minute",
             "How many calls each API client (token) may make: a number, a slash and second, minute, hour or day.",
             api_rate),
    Variable("NWD_API_TOKEN_DAYS", "90",
             "How long a new API token is valid for, in days (nwd api-token create --days overrides it).",
             whole_number("NWD_API_TOKEN_DAYS", 90, 1, 730, "days")),
    Variable("NWD_FORECAST_CACHE_SECONDS", "900",
             "How long the forecast page keeps a forecast run for the same records and scenario, in seconds.",
             whole_number("NWD_FORECAST_CACHE_SECONDS", 900, 0, 86_400, "seconds")),
    Variable("NWD_EVALUATION", "`{}` (the defaults in nwd.evaluation.params)",
             "The evaluation's own numbers as a JSON object (go_live, data_start, window_months, savings_target...).",
             evaluation),
    Variable("NWD_COST_AVOIDED", f"`{DEFAULT_COST_AVOIDED}`",
             "The dotted path of the cost-avoided provider for the evidence report; set but empty: no link.",
             cost_avoided),
    Variable("NWD_DRAFT_DAYS", "30", "Days a form's saved draft is kept before `nwd purge_drafts` deletes it.",
             whole_number("NWD_DRAFT_DAYS", 30, 1, 365, "days")),
    Variable("NWD_PLACING_AUTHORITY", "`The council`",
             "The council's name as the hubs' admission register gives it for the children it places.",
             lambda text: (text or "").strip() or "The council"),
    Variable("NWD_903_EXAMPLES_PER_RULE", "20",
             "How many examples of each SSDA903 problem the check page lists (the CSV report has them all).",
             whole_number("NWD_903_EXAMPLES_PER_RULE", 20, 1, 10_000, "examples")),
    Variable("NWD_SESSION_WARNING_SECONDS", "120",
             "How long before a session ends for inactivity the page warns, in seconds.",
             whole_number("NWD_SESSION_WARNING_SECONDS", 120, 10, 1_500, "seconds")),
    Variable("NWD_TASK_LEASE_SECONDS", "60",
             "A background task whose worker has not shown a sign of life for this long is run again by another "
             "worker, in seconds (the worker's heartbeat comes every quarter of it).",
             whole_number("NWD_TASK_LEASE_SECONDS", 60, 1, 3_600, "seconds")),
    # The worklist's clocks (issue 16, nwd.worklist.clocks): how often the worker raises the tasks due.
    Variable("NWD_CLOCKS_EVERY_SECONDS", "3600",
             "How often the worker runs the clocks that raise tasks (plan reviews, referral decisions, pathway "
             "plan reviews, adviser contacts), in seconds; `nwd raise-tasks` runs them at once.",
             whole_number("NWD_CLOCKS_EVERY_SECONDS", 3600, 60, 86_400, "seconds")),
    Variable("NWD_TASK_MAX_ATTEMPTS", "3",
             "How many times a background task is started before one interrupted that often is given up as failed.",
             whole_number("NWD_TASK_MAX_ATTEMPTS", 3, 1, 20, "attempts")),
    Variable("NWD_EMAIL_HOST", "unset (no email is sent; in development it is printed by the worker)",
             "The SMTP server the service sends its emails through (Django's SMTP backend).", text_value),
    Variable("NWD_EMAIL_PORT", "25", "The SMTP server's port.", whole_number("NWD_EMAIL_PORT", 25, 1, 65_535, "port")),
    Variable("NWD_EMAIL_USER", "unset", "The user name to sign in to the SMTP server with, if it asks for one.",
             text_value),
    Variable("NWD_EMAIL_PASSWORD", "unset", "The password to sign in to the SMTP server with, if it asks for one.",
             text_value),
    Variable("NWD_EMAIL_TLS", "False (off)", "Use STARTTLS with the SMTP server (1, true, yes or on).",
             lambda text: flag(text)),
    Variable("NWD_EMAIL_FROM", "`No Wrong Door <no-reply@localhost>`", "The address the service's emails come from.",
             lambda text: (text or "").strip() or "No Wrong Door <no-reply@localhost>"),
    Variable("NWD_SITE_URL", "`http://localhost:8000`",
             "The service's address as staff reach it, for the links in emails (no trailing slash).",
             lambda text: ((text or "").strip() or "http://localhost:8000").rstrip("/")),
    # --- The production server (nwd serve, nwd.core.server) and backups (nwd backup / restore) ---
    Variable("NWD_BIND", "`127.0.0.1:8000`",
             "Where `nwd serve` listens: host:port (behind a reverse proxy on the same machine), or `unix:/path`.",
             bind_address),
    Variable("NWD_WEB_WORKERS", "2 x CPUs + 1 (at most 12)",
             "How many processes `nwd serve` runs (1 to 64); each holds its own database connections.",
             optional_whole_number("NWD_WEB_WORKERS", 1, 64, "processes")),
    Variable("NWD_WEB_THREADS", "1",
             "Threads in each `nwd serve` process (1 to 32). With 1, a process takes a connection only when it is "
             "free (gunicorn's sync worker), so the requests spread evenly over the processes; it needs a "
             "buffering proxy in front (nginx), as the deployment guide has.",
             whole_number("NWD_WEB_THREADS", 1, 1, 32, "threads")),
    Variable("NWD_WEB_MAX_REQUESTS", "0 (never)",
             "Requests after which `nwd serve` replaces a process (0 never, else 1,000 to 10,000,000, with a tenth "
             "as jitter). Replacing a threaded process (NWD_WEB_THREADS above 1) closes its kept-alive connections, and "
             "a request a client sends on one at that moment is lost: set it only if memory grows.",
             max_requests),
    Variable("NWD_WEB_TIMEOUT", "60",
             "Seconds a request may take before `nwd serve` restarts the process serving it (10 to 3600).",
             whole_number("NWD_WEB_TIMEOUT", 60, 10, 3_600, "seconds")),
    Variable("NWD_PG_BIN", "unset (PATH, then /usr/lib/postgresql/15/bin)",
             "The folder holding pg_dump and pg_restore for `nwd backup` and `nwd restore` on PostgreSQL.",
             optional_text),
    Variable("NWD_PG_PREPARE_THRESHOLD", str(DEFAULT_PREPARE_THRESHOLD),
             "PostgreSQL: how many times a connection runs the same query before it prepares it (1 to 1000), or "
             "`off` to never prepare (behind a transaction-pooling PgBouncer older than 1.21).",
             lambda text: prepare_threshold(text)),
    Variable("NWD_DB_OWNER_PASSWORD", "unset (no password set)",
             "The password `nwd db-roles` gives the owner role; read by that command only, never kept in settings."),
    Variable("NWD_DB_APP_PASSWORD", "unset (no password set)",
             "The password `nwd db-roles` gives the application role; read by that command only."),
    # Single sign-on (OpenID Connect): nwd.access.sso, docs/single-sign-on.md; read together by
    # single_sign_on(), which checks they make sense as a whole (SSO_READERS).
    Variable("NWD_OIDC_CLIENT_ID", "unset (single sign-on off)",
             "The service's client id at the OpenID Connect provider; set, the sign-in page offers single sign-on."),
    Variable("NWD_OIDC_CLIENT_SECRET", "none: required with NWD_OIDC_CLIENT_ID",
             "The client secret the provider issued (from the environment or a secret store, never a file in git)."),
    Variable("NWD_OIDC_ISSUER", "unset (the endpoints below)",
             "The provider's issuer URL; its endpoints and keys are read from its discovery document."),
    Variable("NWD_OIDC_AUTHORIZATION_ENDPOINT", "unset (from discovery)",
             "The provider's authorization endpoint, when not read from discovery."),
    Variable("NWD_OIDC_TOKEN_ENDPOINT", "unset (from discovery)",
             "The provider's token endpoint, when not read from discovery."),
    Variable("NWD_OIDC_USERINFO_ENDPOINT", "unset (from discovery; none: the ID token's claims only)",
             "The provider's userinfo endpoint, when not read from discovery."),
    Variable("NWD_OIDC_JWKS_ENDPOINT", "unset (from discovery)",
             "The address of the provider's signing keys (JWKS), when not read from discovery."),
    Variable("NWD_OIDC_PROVIDER_NAME", "your organisation",
             "The provider's name as people know it: the sign-in page says \"Sign in with <name>\"."),
    Variable("NWD_OIDC_SCOPES", "openid email profile",
             "The scopes asked of the provider, separated by spaces (openid is always asked)."),
    Variable("NWD_OIDC_GROUPS_CLAIM", "groups",
             "The claim carrying the person's groups (Entra ID: groups, or roles for app roles)."),
    Variable("NWD_OIDC_ROLE_MAP", "none: required with NWD_OIDC_CLIENT_ID",
             "The provider's groups to the service's roles: group=role or group=role@hub-code, separated by "
             "commas; the first that matches wins."),
    Variable("NWD_OIDC_MFA_AMR", "mfa",
             "The `amr` values that alone show the provider checked a second factor (none: always ask the "
             "service's own); two factors of different kinds count too."),
    Variable("NWD_OIDC_LINK_BY_EMAIL", "off",
             "On (1, true, yes or on): a first sign-in takes over the existing account with the same email "
             "address; off, an administrator links it."),
    # The hubs as children's homes (issue 15; nwd.safeguarding, docs/safeguarding.md).
    Variable("NWD_REG40_NOTIFY_HOURS", "24",
             "Regulation 40's \"without delay\" as a number: hours after a notifiable event before a body not yet "
             "told is flagged overdue (1 to 168).",
             whole_number("NWD_REG40_NOTIFY_HOURS", 24, 1, 168, "hours")),
    Variable("NWD_REG40_LOCAL_EVENTS", "missing",
             "Events this council notifies as well as those regulation 40 names, separated by commas: missing, "
             "away, or none.",
             lambda value: local_events(value)),
    Variable("NWD_INSPECTOR_GRANT_DAYS", "14",
             "The longest an inspector's read access to a hub's records may run, in days (1 to 90).",
             whole_number("NWD_INSPECTOR_GRANT_DAYS", 14, 1, 90, "days")),
    # Documents (nwd.documents, issue 16): where their bytes are kept, the virus checker, the limits.
    Variable("NWD_MEDIA_DIR", "`$NWD_DATA_DIR/media`",
             "The folder documents are kept in on local disk (when NWD_S3_BUCKET is unset); never served directly.",
             optional_text),
    Variable("NWD_S3_BUCKET", "unset (documents on local disk)",
             "An S3-compatible bucket to keep documents in instead (needs the s3 extra: django-storages[s3]; "
             "credentials from the usual AWS_* variables or the machine's role).", optional_text),
    Variable("NWD_S3_ENDPOINT_URL", "unset (Amazon S3)", "The S3-compatible store's address, for a store other than Amazon's.",
             optional_text),
    Variable("NWD_S3_REGION", "unset", "The bucket's region, if the store needs one.", optional_text),
    # Files the machines share (issue 14): uploads waiting to be checked and imported, jobs' outputs.
    Variable("NWD_FILES_DIR", "`$NWD_DATA_DIR/files`",
             "The folder the uploaded returns waiting to be checked and imported and the files background jobs make "
             "are kept in on local disk (when NWD_S3_BUCKET is unset: then they go to the bucket, under nwd-work/); "
             "with workers on other machines than the web servers, one folder they all mount.",
             optional_text),
    Variable("NWD_CLAMD_SOCKET", "`/var/run/clamav/clamd.ctl`",
             "Where ClamAV's daemon listens, to check documents for viruses: a Unix socket's path or tcp://host:port.",
             lambda text: (text or "").strip() or "/var/run/clamav/clamd.ctl"),
    Variable("NWD_DOCUMENT_MAX_MB", "20", "The largest document that can be attached, in MB (1 to 500).",
             whole_number("NWD_DOCUMENT_MAX_MB", 20, 1, 500, "MB")),
    Variable("NWD_DOCUMENT_TYPES", "`pdf,docx,odt,doc,png,jpeg,txt`",
             "The kinds of file that may be attached, told by their content (not their name), separated by commas.",
             lambda text: tuple(w.strip().lower() for w in ((text or "").strip() or "pdf,docx,odt,doc,png,jpeg,txt")
                                .split(",") if w.strip())),
)


def prepare_threshold(value: str | None) -> int | None:
    """NWD_PG_PREPARE_THRESHOLD: psycopg's ``prepare_threshold`` (None: never prepare).

    "off" (or "none", "no", "false") rather than 0 turns preparing off, because psycopg reads 0 as
    "prepare every query at once", the opposite of what someone setting 0 would mean.
    """
    text = (value or "").strip().lower()
    if text in {"off", "none", "no", "false"}:
        return None
    if not text:
        return DEFAULT_PREPARE_THRESHOLD
    if not text.isdigit() or not 1 <= int(text) <= 1_000:
        raise ConfigurationError(
            f"NWD_PG_PREPARE_THRESHOLD is {value!r}: set it to a whole number of executions from 1 to 1000 "
            f"(default {DEFAULT_PREPARE_THRESHOLD}), to off to never prepare, or leave it unset."
        )
    return int(text)


def local_events(value: str | None) -> tuple[str, ...]:
    """NWD_REG40_LOCAL_EVENTS: local additions to regulation 40's notifiable events."""
    chosen = tuple(w.lower() for w in words(value, "missing") if w.lower() != "none")
    unknown = [w for w in chosen if w not in ("missing", "away")]
    if unknown:
        raise ConfigurationError(f"NWD_REG40_LOCAL_EVENTS names {', '.join(unknown)}: use missing, away, or none.")
    return chosen

SSO_READERS: dict[str, Callable[[str | None], Any]] = {
    "NWD_OIDC_CLIENT_ID": text,
    "NWD_OIDC_CLIENT_SECRET": text,
    "NWD_OIDC_ISSUER": url("NWD_OIDC_ISSUER"),
    "NWD_OIDC_AUTHORIZATION_ENDPOINT": url("NWD_OIDC_AUTHORIZATION_ENDPOINT"),
    "NWD_OIDC_TOKEN_ENDPOINT": url("NWD_OIDC_TOKEN_ENDPOINT"),
    "NWD_OIDC_USERINFO_ENDPOINT": url("NWD_OIDC_USERINFO_ENDPOINT"),
    "NWD_OIDC_JWKS_ENDPOINT": url("NWD_OIDC_JWKS_ENDPOINT"),
    "NWD_OIDC_PROVIDER_NAME": lambda value: text(value) or "your organisation",
    "NWD_OIDC_SCOPES": lambda value: " ".join(dict.fromkeys(("openid", *words(value, "openid email profile")))),
    "NWD_OIDC_GROUPS_CLAIM": lambda value: text(value) or "groups",
    "NWD_OIDC_ROLE_MAP": role_map,
    "NWD_OIDC_MFA_AMR": lambda value: () if text(value).lower() == "none" else words(value, "mfa"),
    "NWD_OIDC_LINK_BY_EMAIL": flag,
}



def tunables(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings of every variable declared with a reader, by name, from the environment."""
    env = os.environ if environ is None else environ
    return {v.name: v.read(env.get(v.name)) for v in VARIABLES if v.read is not None}


def password(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """A declared password variable (``NWD_DB_*_PASSWORD``), None when unset or blank."""
    if name not in {v.name for v in VARIABLES if v.name.endswith("_PASSWORD")}:
        raise KeyError(f"{name} is not a declared password variable (nwd.config.VARIABLES)")
    env = os.environ if environ is None else environ
    return env.get(name) or None
