"""Configuration comes from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nwd.config import DEVELOPMENT_SECRET_KEY, ConfigurationError, from_environment


def test_production_without_secret_key_is_refused_with_one_line():
    with pytest.raises(ConfigurationError) as error:
        from_environment({})
    message = str(error.value)
    assert "SECRET_KEY is not set" in message
    assert "\n" not in message


def test_development_mode_uses_a_development_key():
    config = from_environment({"DEBUG": "1"})
    assert config.secret_key == DEVELOPMENT_SECRET_KEY
    assert config.development
    assert "127.0.0.1" in config.allowed_hosts


def test_demo_is_development_mode():
    assert from_environment({"NWD_DEMO": "1"}).development


def test_values_are_read_from_the_environment(tmp_path):
    config = from_environment(
        {
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "nwd.example.gov.uk, intranet.local",
            "NWD_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u@db/nwd",
            "DEBUG": "no",
        }
    )
    assert config.secret_key == "k" * 50
    assert config.allowed_hosts == ["nwd.example.gov.uk", "intranet.local"]
    assert config.data_dir == tmp_path.resolve()
    assert config.database_url == "postgres://u@db/nwd"
    assert not config.debug and not config.development


def test_embedded_default_is_sqlite_under_the_data_dir(tmp_path):
    config = from_environment({"DEBUG": "1", "NWD_DATA_DIR": str(tmp_path / "data")})
    assert config.database_url is None
    assert config.data_dir == (tmp_path / "data").resolve()


def test_default_data_dir_is_var_under_the_working_directory():
    assert from_environment({"DEBUG": "1"}).data_dir == Path("var").resolve()


def _nwd(args, env_overrides, cwd):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "NWD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "nwd", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_nwd_command_refuses_to_start_in_production_without_a_key(tmp_path):
    result = _nwd(["check"], {"NWD_DATA_DIR": str(tmp_path)}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("nwd: SECRET_KEY is not set")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_nwd_command_runs_django_commands(tmp_path):
    result = _nwd(["check"], {"DEBUG": "1", "NWD_DATA_DIR": str(tmp_path)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_migrations_are_complete(tmp_path):
    result = _nwd(["makemigrations", "--check", "--dry-run"], {"DEBUG": "1", "NWD_DATA_DIR": str(tmp_path)}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_trusted_proxy_header_is_off_unless_named_and_must_be_a_header_name():
    assert from_environment({"DEBUG": "1"}).proxy_header_meta_key is None
    config = from_environment({"DEBUG": "1", "NWD_TRUSTED_PROXY_HEADER": "X-Forwarded-For"})
    assert config.proxy_header_meta_key == "HTTP_X_FORWARDED_FOR"
    with pytest.raises(ConfigurationError, match="not a header name"):
        from_environment({"DEBUG": "1", "NWD_TRUSTED_PROXY_HEADER": "X-Forwarded-For: 1.2.3.4"})


def test_set_up_codes_last_72_hours_unless_configured_within_two_weeks():
    assert from_environment({"DEBUG": "1"}).enrolment_code_hours == 72
    assert from_environment({"DEBUG": "1", "NWD_ENROLMENT_CODE_HOURS": "24"}).enrolment_code_hours == 24
    for wrong in ("0", "337", "a day"):
        with pytest.raises(ConfigurationError, match="NWD_ENROLMENT_CODE_HOURS"):
            from_environment({"DEBUG": "1", "NWD_ENROLMENT_CODE_HOURS": wrong})
