"""Settings in one place: every variable declared in nwd.config.VARIABLES, read as settings.X, documented."""

import datetime as dt
import re

import pytest
from django.conf import settings

from nwd.config import VARIABLES, ConfigurationError, api_rate, tunables
from nwd.core.configuration_doc import render
from nwd.returns.problems import EXAMPLES_PER_RULE

SRC = settings.PROJECT_DIR / "src" / "nwd"
# Where the environment is read: the configuration itself, and the entry points that choose settings.
READS_ENVIRONMENT = {"config.py", "settings.py", "test_settings.py", "__main__.py", "wsgi.py",
                     # passes the environment on to pg_dump and pg_restore, with the password added
                     "core/backup.py"}
# Settings the settings module derives or states (not environment variables): structure, not tunables.
DERIVED = {"NWD_TRUSTED_PROXY_HEADER_META", "NWD_UPLOAD_MAX_BYTES", "NWD_FRONTEND", "NWD_FRONTEND_DIRS_MISSING",
           "NWD_CONTENT_SECURITY_POLICY", "NWD_PERMISSIONS_POLICY",
           "NWD_DOCUMENT_MAX_BYTES"}  # from NWD_DOCUMENT_MAX_MB


def sources():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def test_the_document_is_the_declarations():
    on_disk = (settings.PROJECT_DIR / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert on_disk == render(), "docs/configuration.md is stale: run `nwd configuration_doc`"


def test_no_module_reads_the_environment_or_a_default_of_its_own():
    found = []
    for path, text in sources():
        relative = path.relative_to(SRC).as_posix()
        if relative not in READS_ENVIRONMENT and re.search(r"os\.environ|os\.getenv", text):
            found.append(f"{relative}: reads the environment")
        if re.search(r"getattr\(\s*settings\s*,\s*[\"']NWD_", text):
            found.append(f"{relative}: getattr(settings, 'NWD_...') with a default of its own")
    assert found == []


def test_every_nwd_setting_read_is_declared_and_set():
    declared = {v.name for v in VARIABLES}
    read = set()
    for _path, text in sources():
        read |= set(re.findall(r"settings\.(NWD_[A-Z0-9_]+)", text))
    assert read - declared - DERIVED == set()
    for name in read:
        assert hasattr(settings, name), name


def test_every_tunable_has_its_default_when_unset():
    values = tunables({})
    assert values == {
        "NWD_EVIDENCE_CACHE_SECONDS": 300, "NWD_FORECAST_CACHE_SECONDS": 900, "NWD_EVALUATION": {},
        "NWD_COST_AVOIDED": "nwd.evaluation.forecast_link.cost_avoided", "NWD_DRAFT_DAYS": 30,
        "NWD_903_EXAMPLES_PER_RULE": EXAMPLES_PER_RULE, "NWD_SESSION_WARNING_SECONDS": 120,
        # Background work and email (nwd.jobs, nwd.casework.notifications).
        "NWD_TASK_LEASE_SECONDS": 60, "NWD_TASK_MAX_ATTEMPTS": 3, "NWD_CLOCKS_EVERY_SECONDS": 3600, "NWD_EMAIL_HOST": "", "NWD_EMAIL_PORT": 25,
        "NWD_EMAIL_USER": "", "NWD_EMAIL_PASSWORD": "", "NWD_EMAIL_TLS": False,
        "NWD_EMAIL_FROM": "No Wrong Door <no-reply@localhost>", "NWD_SITE_URL": "http://localhost:8000",
        # The production server and backups (nwd serve, nwd backup / restore).
        "NWD_BIND": "127.0.0.1:8000", "NWD_WEB_WORKERS": None, "NWD_WEB_THREADS": 1, "NWD_WEB_TIMEOUT": 60,
        "NWD_WEB_MAX_REQUESTS": 0,
        "NWD_PG_BIN": "", "NWD_PG_PREPARE_THRESHOLD": 2,
        # The partner systems' API (nwd.api).
        "NWD_API_RATE": "120/minute", "NWD_API_TOKEN_DAYS": 90,
        # The hubs as children's homes (nwd.homes, nwd.safeguarding).
        "NWD_PLACING_AUTHORITY": "The council", "NWD_REG40_NOTIFY_HOURS": 24, "NWD_REG40_LOCAL_EVENTS": ("missing",),
        "NWD_INSPECTOR_GRANT_DAYS": 14,
        # Documents (nwd.documents): local disk unless a bucket is named; the virus checker; the limits.
        "NWD_MEDIA_DIR": "", "NWD_S3_BUCKET": "", "NWD_S3_ENDPOINT_URL": "", "NWD_S3_REGION": "",
        "NWD_CLAMD_SOCKET": "/var/run/clamav/clamd.ctl", "NWD_DOCUMENT_MAX_MB": 20,
        "NWD_DOCUMENT_TYPES": ("pdf", "docx", "odt", "doc", "png", "jpeg", "txt"),
        # The files the machines share (nwd.core.files): local disk unless a bucket is named.
        "NWD_FILES_DIR": "",
    }
    for variable in VARIABLES:
        # the documented default is the one applied (None: worked out when used, as the text says)
        if variable.read is not None and values[variable.name] is not None:
            value = values[variable.name]
            shown = ",".join(value) if isinstance(value, tuple) else str(value)  # a list: as it is written
            assert variable.default.replace("`", "").startswith(shown), variable.name


def test_tunables_are_read_from_the_environment():
    values = tunables({
        "NWD_EVIDENCE_CACHE_SECONDS": " 60 ", "NWD_DRAFT_DAYS": "7", "NWD_COST_AVOIDED": "",
        "NWD_EVALUATION": '{"go_live": "2025-04-01", "data_start": {"care": "2019-04-01"}, "window_months": 6}',
    })
    assert values["NWD_EVIDENCE_CACHE_SECONDS"] == 60
    assert values["NWD_DRAFT_DAYS"] == 7
    assert values["NWD_COST_AVOIDED"] == ""  # set but empty: no link
    assert values["NWD_EVALUATION"] == {
        "go_live": dt.date(2025, 4, 1), "data_start": {"care": dt.date(2019, 4, 1)}, "window_months": 6,
    }


@pytest.mark.parametrize("name, text", [
    ("NWD_EVIDENCE_CACHE_SECONDS", "five"), ("NWD_FORECAST_CACHE_SECONDS", "-1"), ("NWD_DRAFT_DAYS", "0"),
    ("NWD_903_EXAMPLES_PER_RULE", "1e3"), ("NWD_SESSION_WARNING_SECONDS", "99999"),
    ("NWD_EVALUATION", "[1, 2]"), ("NWD_EVALUATION", '{"go_live": "1 April 2025"}'), ("NWD_EVALUATION", "{"),
])
def test_an_unusable_value_stops_start_up_with_one_line_naming_the_variable(name, text):
    with pytest.raises(ConfigurationError) as error:
        tunables({name: text})
    assert name in str(error.value)
    assert "\n" not in str(error.value)


def test_the_api_rate_is_read_as_rest_framework_reads_it():
    assert api_rate("30/second") == "30/second"
    for wrong in ("fast", "0/minute", "10/fortnight"):
        with pytest.raises(ConfigurationError):
            api_rate(wrong)
