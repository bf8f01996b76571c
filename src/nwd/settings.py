"""Django settings for nwd, read from the environment (see ``nwd.config`` and docs/architecture.md).

Environment variables: every one is declared in ``nwd.config.VARIABLES`` with its default and what
it does (docs/configuration.md is generated from them). With no DATABASE_URL the data lives in
SQLite under NWD_DATA_DIR.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

from nwd.config import from_environment, retention_years_after_25, single_sign_on, tunables
from nwd.core.logs import logging_config

CONFIG = from_environment()
TUNABLES = tunables()
BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

DEBUG = CONFIG.debug
NWD_DEMO = CONFIG.demo
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
NWD_DATA_DIR = CONFIG.data_dir

# Uploads (the SSDA903 import is the only form that takes files): a request whose body is larger than
# NWD_UPLOAD_MAX_BYTES is refused before it is read (nwd.core.uploads); a file is never held whole in
# memory: anything over FILE_UPLOAD_MAX_MEMORY_SIZE is streamed, in chunks, to a temporary file on
# disk, which the import then copies into its own folder. Form fields other than files (and any
# body that is not multipart) may hold at most DATA_UPLOAD_MAX_MEMORY_SIZE.
NWD_UPLOAD_MAX_BYTES = CONFIG.upload_max_mb * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default, stated
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_HANDLERS = [
    "nwd.core.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

INSTALLED_APPS = [
    # Django's admin with the site that admits only verified superusers (nwd.access.admin_site).
    "nwd.access.apps.NwdAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "nwd.core",
    "nwd.access",
    "nwd.hubs",
    "nwd.casework",
    "nwd.events",
    "nwd.care",
    "nwd.returns",
    "nwd.forecast",
    "nwd.evaluation",
    "nwd.placements",  # providers, their quality, unlawful placements, sufficiency (issue 18)
    "nwd.synth",
    "nwd.web",
    "nwd.drafts",
    # Background work (nwd.jobs, docs/decisions/0008-task-queue.md): the queue is a table.
    "django_tasks",
    "django_tasks.backends.database",
    "nwd.jobs",
    # Care leavers and Ofsted's Annex A (issue 17).
    "nwd.leavers",
    # Documents and the chronology (issue 16).
    "nwd.documents",
    "nwd.demo",
    # Partner systems' API (issue 19, docs/api.md): DRF, its OpenAPI schema, Swagger UI's files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "nwd.api",
    # Tasks and reminders, notifications, meetings (issue 16).
    "nwd.worklist",
    # The hubs as registered children's homes: daily logs, regulations 44 and 45, schedule 4 (issue 15).
    "nwd.homes",
    # The hubs as children's homes: restraint, notifications, return interviews, Ofsted's counts (issue 15).
    "nwd.safeguarding",
]

MIDDLEWARE = [
    # Every request gets an id (X-Request-ID, kept from the proxy or made) on its log lines (nwd.core.logs).
    "nwd.core.logs.RequestId",
    # Django's SecurityMiddleware, relaxed only in demo mode on the demo's own database (nwd.access.demo_mode).
    "nwd.access.demo_mode.DemoAwareSecurityMiddleware",
    # Static files from STATIC_ROOT (after `collectstatic`, which `nwd serve` runs): WhiteNoise.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nwd.web.middleware.SecurityHeaders",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, its device lookup compiled once a process (nwd.access.middleware).
    "nwd.access.middleware.SecondFactor",
    # A null character in the address (search, filters) is refused before any view (400).
    "nwd.core.middleware.RefuseNullCharacters",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses any view that declares no permission (nwd.access.decorators); the URL walk tests too.
    "nwd.access.middleware.DeclaredViewsOnly",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nwd.urls"
WSGI_APPLICATION = "nwd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nwd.web.context.service",
            ],
            # {% url %} reversing each route once (docs/performance.md, "Templates").
            "builtins": ["nwd.web.templatetags.nwd_url"],
        },
    },
]

if CONFIG.database_url:
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
else:
    NWD_DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": NWD_DATA_DIR / "nwd.sqlite3",
            "OPTIONS": {
                # WAL lets pages read while the synthetic county or an import writes; IMMEDIATE
                # transactions take the write lock up front instead of failing half way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

# PostgreSQL: no JIT compilation. The pages' queries are short; a plan the planner thinks costly (a
# search by a word of one or two letters, which no trigram index serves, scans the young people) was
# compiled for 0.5 s to run for 0.1 s (docs/performance.md).
#
# Server-side parameter binding and prepared statements: psycopg sends the parameters apart from the
# SQL, and prepares a query on a connection once it has run NWD_PG_PREPARE_THRESHOLD times there, so
# the pages' repeated queries skip parsing and planning (about half the database's CPU per request;
# docs/performance.md, "Prepared statements (seventh round)"; docs/decisions/0011). Off (None) behind
# a transaction-pooling PgBouncer older than 1.21, which cannot keep a prepared statement.
NWD_PG_PREPARE_THRESHOLD = TUNABLES["NWD_PG_PREPARE_THRESHOLD"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        options="-c jit=off", server_side_binding=True, prepare_threshold=NWD_PG_PREPARE_THRESHOLD,
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "access.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"]
# One date format on every page (nwd/formats/en_GB/formats.py): "10 May 2012".
FORMAT_MODULE_PATH = ["nwd.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = NWD_DATA_DIR / "static"
# The production server (`nwd serve`, nwd.core.server): `collectstatic` writes each file under a name
# holding a hash of its content, with gzip and Brotli copies beside it; WhiteNoise serves them with a
# cache of a year (a changed file has a new name), and any other file with WHITENOISE_MAX_AGE.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "nwd.core.static_storage.HashedCompressedStorage"},
}
WHITENOISE_MAX_AGE = 300
# Source maps are fetched only by a developer's browser tools: not worth compressing at each deployment.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
WHITENOISE_AUTOREFRESH = False  # as in production even with DEBUG: the collected files only
WHITENOISE_USE_FINDERS = False
NWD_BIND = TUNABLES["NWD_BIND"]
NWD_WEB_WORKERS = TUNABLES["NWD_WEB_WORKERS"]
NWD_WEB_THREADS = TUNABLES["NWD_WEB_THREADS"]
NWD_WEB_TIMEOUT = TUNABLES["NWD_WEB_TIMEOUT"]
NWD_WEB_MAX_REQUESTS = TUNABLES["NWD_WEB_MAX_REQUESTS"]
NWD_PG_BIN = TUNABLES["NWD_PG_BIN"]  # nwd backup / nwd restore on PostgreSQL (nwd.core.backup)
# Front-end packages come from the npm registry at install time (package.json; `npm install`), never
# a CDN, and only their built files are served: /static/govuk/... and /static/htmx/... GOV.UK Frontend's
# CSS is built from its Sass with a system font (`npm run build`, src/nwd/web/frontend/govuk.scss) and
# served as /static/frontend/govuk-frontend.min.css.
NODE_MODULES = PROJECT_DIR / "node_modules"
NWD_FRONTEND = {
    "frontend": NODE_MODULES / ".nwd-frontend",
    "govuk": NODE_MODULES / "govuk-frontend" / "dist" / "govuk",
    "htmx": NODE_MODULES / "htmx.org" / "dist",
}
STATICFILES_DIRS = [(prefix, path) for prefix, path in NWD_FRONTEND.items() if path.exists()]
NWD_FRONTEND_DIRS_MISSING = [str(path) for path in NWD_FRONTEND.values() if not path.exists()]

LOGIN_URL = "access:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "access:sign_in"

# Sessions end after 30 minutes without activity; pages warn two minutes before.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions whose per-request save moves only the expiry when nothing else changed (one UPDATE).
SESSION_ENGINE = "nwd.access.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
NWD_SESSION_WARNING_SECONDS = TUNABLES["NWD_SESSION_WARNING_SECONDS"]

# Lockout (django-axes; the rules and their reasons are in nwd.access.lockout and docs/permissions.md):
# an account is locked after 5 failures from any addresses, an address after 20 failures at any
# accounts, each lock lasting as long as the window the failures are counted in: 15 minutes, doubled
# for each lock of the same account or address in the last 24 hours, up to 4 hours. A refused attempt
# during a lock is not counted (it would extend the lock for ever), and a lock's attempts expire with
# it row by row. The client address is REMOTE_ADDR, or the one the trusted proxy appended to
# NWD_TRUSTED_PROXY_HEADER when that is set.
NWD_TRUSTED_PROXY_HEADER_META = CONFIG.proxy_header_meta_key
# The audit log keeps the words of a search as an HMAC with this key (else SECRET_KEY): nwd.access.audit.
NWD_AUDIT_SEARCH_KEY = CONFIG.audit_search_key
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "nwd.access.lockout.failure_limit"
AXES_COOLOFF_TIME = "nwd.access.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "nwd.access.lockout.client_ip"
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# A success does not wipe the counts: it would give anyone guessing at the account fresh guesses each
# time its owner signs in, and anyone with one good account a clean slate for their address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "nwd.access.lockout.lockout_response"

# Second factor: TOTP from an authenticator app (nwd.access.second_factor); every account needs it,
# except in demo mode on the demo's own database. The issuer is the name the app shows beside the
# codes. Setting one up needs a one-time set-up code (nwd.access.enrolment), valid this many hours.
OTP_TOTP_ISSUER = "No Wrong Door"
NWD_ENROLMENT_CODE_HOURS = CONFIG.enrolment_code_hours

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The session warning's "Stay signed in" reads the CSRF token from its cookie.
CSRF_COOKIE_HTTPONLY = False

# Content security policy (nwd.web.middleware): every script and style is a static file of this
# site; no inline script or style, no eval, no other origin. The QR code is inline SVG markup.
NWD_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
NWD_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# On unless DEBUG: NWD_DEMO alone relaxes none of these. In demo mode on the demo's own database,
# nwd.access.demo_mode.DemoAwareSecurityMiddleware drops the redirect, HSTS and the Secure flag at run time.
if not CONFIG.debug:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The health check answers probes over plain http (a load balancer's, or curl on the machine).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Retention (nwd retention): years the records of young people never looked after are kept after
# the 25th birthday or the end of support (nwd.casework.retention).
NWD_RETENTION_YEARS_AFTER_25 = retention_years_after_25()

# The service's tunables (nwd.config.VARIABLES says what each does and its default).
NWD_EVIDENCE_CACHE_SECONDS = TUNABLES["NWD_EVIDENCE_CACHE_SECONDS"]  # nwd.evaluation.cache
NWD_FORECAST_CACHE_SECONDS = TUNABLES["NWD_FORECAST_CACHE_SECONDS"]  # nwd.forecast.web.runs
NWD_EVALUATION = TUNABLES["NWD_EVALUATION"]  # nwd.evaluation.params
NWD_COST_AVOIDED = TUNABLES["NWD_COST_AVOIDED"]  # nwd.evaluation.money
NWD_DRAFT_DAYS = TUNABLES["NWD_DRAFT_DAYS"]  # nwd.drafts.services
NWD_903_EXAMPLES_PER_RULE = TUNABLES["NWD_903_EXAMPLES_PER_RULE"]  # nwd.returns.views
NWD_PLACING_AUTHORITY = TUNABLES["NWD_PLACING_AUTHORITY"]  # nwd.homes.queries (the admission register)

# Background work (nwd.jobs; docs/decisions/0008-task-queue.md): Django's Tasks API (the
# django-tasks backport) on its database backend, so the queue is a table of the service's own
# database, SQLite or PostgreSQL. A task's row is written in the transaction that queues it (not on
# commit): the job and its task commit together. `nwd worker` runs the tasks.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.database.DatabaseBackend",
        "ENQUEUE_ON_COMMIT": False,
    },
}
NWD_TASK_LEASE_SECONDS = TUNABLES["NWD_TASK_LEASE_SECONDS"]  # nwd.jobs.worker
NWD_TASK_MAX_ATTEMPTS = TUNABLES["NWD_TASK_MAX_ATTEMPTS"]  # nwd.jobs.worker
NWD_CLOCKS_EVERY_SECONDS = TUNABLES["NWD_CLOCKS_EVERY_SECONDS"]  # nwd.worklist.clocks (issue 16)

# Documents (nwd.documents, issue 16): their bytes through Django's storage API, on local disk under
# NWD_MEDIA_DIR (never served directly: only the permission-checked, audited download view hands
# them out), or in an S3-compatible bucket with NWD_S3_BUCKET (the optional s3 extra); checked by
# ClamAV's daemon at NWD_CLAMD_SOCKET before anyone can open them (docs/deployment.md).
NWD_MEDIA_DIR = Path(TUNABLES["NWD_MEDIA_DIR"] or NWD_DATA_DIR / "media").resolve()
if TUNABLES["NWD_S3_BUCKET"]:
    STORAGES["documents"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": TUNABLES["NWD_S3_BUCKET"], "endpoint_url": TUNABLES["NWD_S3_ENDPOINT_URL"] or None,
        "region_name": TUNABLES["NWD_S3_REGION"] or None, "default_acl": "private", "file_overwrite": False,
        "querystring_auth": True, "location": "nwd"}}
else:
    STORAGES["documents"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": NWD_MEDIA_DIR, "base_url": "/documents/not-served/", "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700}}
# The files the machines share (issue 14, nwd.core.files): SSDA903 uploads waiting to be checked and
# imported, and what background jobs make, through the default storage: on local disk under
# NWD_FILES_DIR (one folder every web and worker machine mounts), or in the documents' S3-compatible
# bucket under nwd-work/ (so a worker on another machine reads what a web server wrote).
NWD_FILES_DIR = Path(TUNABLES["NWD_FILES_DIR"] or NWD_DATA_DIR / "files").resolve()
if TUNABLES["NWD_S3_BUCKET"]:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **STORAGES["documents"]["OPTIONS"], "location": "nwd-work", "file_overwrite": True}}
else:
    STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": NWD_FILES_DIR, "base_url": "/files/not-served/", "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700}}
NWD_CLAMD_SOCKET = TUNABLES["NWD_CLAMD_SOCKET"]
NWD_DOCUMENT_MAX_BYTES = TUNABLES["NWD_DOCUMENT_MAX_MB"] * 1024 * 1024
NWD_DOCUMENT_TYPES = TUNABLES["NWD_DOCUMENT_TYPES"]

# Email (nwd.casework.notifications): sent from background tasks only, never in a request, through
# Django's SMTP backend. Without NWD_EMAIL_HOST nothing is sent (in development the worker prints it).
NWD_SITE_URL = TUNABLES["NWD_SITE_URL"]
if TUNABLES["NWD_EMAIL_HOST"]:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif CONFIG.development:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
EMAIL_HOST = TUNABLES["NWD_EMAIL_HOST"] or "localhost"
EMAIL_PORT = TUNABLES["NWD_EMAIL_PORT"]
EMAIL_HOST_USER = TUNABLES["NWD_EMAIL_USER"]
EMAIL_HOST_PASSWORD = TUNABLES["NWD_EMAIL_PASSWORD"]
EMAIL_USE_TLS = TUNABLES["NWD_EMAIL_TLS"]
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = SERVER_EMAIL = TUNABLES["NWD_EMAIL_FROM"]
# Single sign-on with OpenID Connect beside local accounts (nwd.access.sso, docs/single-sign-on.md):
# off unless NWD_OIDC_CLIENT_ID is set. mozilla-django-oidc does the protocol (state, nonce, PKCE, the
# code exchange, the ID token's signature); nwd.access.sso adds discovery, the ID token's issuer,
# audience and expiry, matching and creating accounts, the roles from the groups and the amr claim.
_sso = single_sign_on()  # not a setting itself: lower case
NWD_OIDC_CLIENT_ID = _sso["NWD_OIDC_CLIENT_ID"]
NWD_OIDC_CLIENT_SECRET = _sso["NWD_OIDC_CLIENT_SECRET"]
NWD_OIDC_ISSUER = _sso["NWD_OIDC_ISSUER"]
NWD_OIDC_AUTHORIZATION_ENDPOINT = _sso["NWD_OIDC_AUTHORIZATION_ENDPOINT"]
NWD_OIDC_TOKEN_ENDPOINT = _sso["NWD_OIDC_TOKEN_ENDPOINT"]
NWD_OIDC_USERINFO_ENDPOINT = _sso["NWD_OIDC_USERINFO_ENDPOINT"]
NWD_OIDC_JWKS_ENDPOINT = _sso["NWD_OIDC_JWKS_ENDPOINT"]
NWD_OIDC_PROVIDER_NAME = _sso["NWD_OIDC_PROVIDER_NAME"]
NWD_OIDC_SCOPES = _sso["NWD_OIDC_SCOPES"]
NWD_OIDC_GROUPS_CLAIM = _sso["NWD_OIDC_GROUPS_CLAIM"]
NWD_OIDC_ROLE_MAP = _sso["NWD_OIDC_ROLE_MAP"]
NWD_OIDC_MFA_AMR = _sso["NWD_OIDC_MFA_AMR"]
NWD_OIDC_LINK_BY_EMAIL = _sso["NWD_OIDC_LINK_BY_EMAIL"]
AUTHENTICATION_BACKENDS.append("nwd.access.sso.SingleSignOnBackend")  # answers only the provider's callback
# mozilla-django-oidc's own settings (the endpoints and client come from nwd.access.sso at run time).
OIDC_AUTHENTICATION_CALLBACK_URL = "access:sso_callback"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_TIMEOUT = 10
OIDC_MAX_STATES = 10

# JSON lines on standard output, each with its request's id (nwd.core.logs); expected refusals (403,
# 404) in one line, 500s keep their traceback (nwd.core.log_filters).
LOGGING = logging_config()

# Django's deploy check looks for its SecurityMiddleware by name; nwd.access.demo_mode.DemoAwareSecurityMiddleware
# is that class (a subclass), relaxed only in demo mode on the demo's own database.
SILENCED_SYSTEM_CHECKS = ["security.W001"]


# Partner systems' API (issue 19, docs/api.md): token clients only (no sessions, so no CSRF), the
# policy in nwd.access decides what each reads, errors as problem details, a rate per client.
NWD_API_RATE = TUNABLES["NWD_API_RATE"]  # nwd.api.authentication.PerClient
NWD_API_TOKEN_DAYS = TUNABLES["NWD_API_TOKEN_DAYS"]  # nwd api-token create
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["nwd.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["nwd.api.permissions.FollowsPolicy"],
    "DEFAULT_THROTTLE_CLASSES": ["nwd.api.authentication.PerClient"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nwd.api.problems.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "nwd: the No Wrong Door service's API",
    "DESCRIPTION": "For partner systems: send referrals and follow them; read the service's records within "
                   "the same need-to-know rules as the pages. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "nwd.api.schema.problems"],
}
# The hubs as children's homes (issue 15): nwd.safeguarding.
NWD_REG40_NOTIFY_HOURS = TUNABLES["NWD_REG40_NOTIFY_HOURS"]
NWD_REG40_LOCAL_EVENTS = TUNABLES["NWD_REG40_LOCAL_EVENTS"]
NWD_INSPECTOR_GRANT_DAYS = TUNABLES["NWD_INSPECTOR_GRANT_DAYS"]
