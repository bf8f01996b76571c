"""`nwd demo`: migrates the embedded database, loads the county once, prints the logins, serves; only on
a database it created."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.core.servers import copy_sqlite_test_database, free_port

pytestmark = pytest.mark.slow


SOURCE = Path(__file__).resolve().parents[2] / "src"


def _env(data_dir):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "NWD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["NWD_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(SOURCE)  # this checkout's code, whatever the working directory
    return env


def test_demo_loads_once_prints_the_logins_and_serves(tmp_path):
    first = subprocess.run(
        [sys.executable, "-m", "nwd", "demo", "--no-serve"], env=_env(tmp_path), cwd=tmp_path,
        capture_output=True, text=True, timeout=600,
    )
    assert first.returncode == 0, first.stderr
    assert "Loading the synthetic county" in first.stdout
    assert "No Wrong Door demo: http://127.0.0.1:8000/" in first.stdout
    assert "Every demo login uses the password: demo-only-password" in first.stdout
    for role in ("Key worker", "Hub manager", "Police liaison officer", "Analyst", "Data protection officer"):
        assert role in first.stdout
    assert (tmp_path / "nwd.sqlite3").exists()
    with sqlite3.connect(tmp_path / "nwd.sqlite3") as database:  # the marker, listing every account
        assert database.execute("SELECT count(*) FROM access_demodatabase").fetchone() == (1,)
        accounts = database.execute("SELECT count(*) FROM access_user").fetchone()[0]
        assert accounts > 0
        assert database.execute("SELECT count(*) FROM access_demodatabase_accounts").fetchone() == (accounts,)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nwd", "demo", "--port", str(port)], env=_env(tmp_path), cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        page = None
        server_header = None
        for _ in range(1800):  # the first start collects the static files (nwd serve)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as response:
                    page = response.read().decode()
                    server_header = response.headers["Server"]
                break
            except OSError:
                time.sleep(0.1)
        assert page is not None, "the demo did not serve"
        assert "Demo logins" in page and "demo-only-password" in page
        assert "synthetic data" in page
        assert server_header == "gunicorn"  # the production server (nwd serve), not Django's runserver
    finally:
        server.terminate()  # as Ctrl-C: the demo stops the server (and the worker) it started
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    with socket.socket() as probe:  # nothing listens any more: the server process has ended too
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert "nwd serve: " in output and '"Booting worker' in output
    assert "already loaded: keeping it" in output
    assert "Loading the synthetic county" not in output


def _migrated_database(data_dir: Path, run: dict) -> None:
    """The database ``nwd migrate`` makes from nothing, in DATA_DIR/nwd.sqlite3, with no records in it.

    Migrating from nothing costs about 14 s of CPU, and the first test above already shows it (the
    demo migrates an empty folder). On SQLite this run's test database is that very database, migrated
    once for the run and empty in a transactional test (``_county_in_place``; the tests before it rolled
    back or emptied it), so it is copied (SQLite's backup API, outside any transaction: the backup
    waits forever for one to end); on PostgreSQL the demo's SQLite database is migrated here.
    """
    if connection.vendor == "sqlite":
        copy_sqlite_test_database(data_dir / "nwd.sqlite3")
    else:
        assert subprocess.run([sys.executable, "-m", "nwd", "migrate", "-v", "0"], **run).returncode == 0
    with sqlite3.connect(data_dir / "nwd.sqlite3") as database:  # migrated, and nothing in it
        applied = {app for (app,) in database.execute("SELECT DISTINCT app FROM django_migrations")}
        assert {"access", "casework", "contenttypes", "auth"} <= applied
        assert database.execute("SELECT count(*) FROM access_user").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM access_demodatabase").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM casework_youngperson").fetchone() == (0,)
    database.close()


@pytest.mark.django_db(transaction=True)
def test_demo_refuses_a_database_with_an_account_it_did_not_create_and_changes_nothing(tmp_path):
    env = {**_env(tmp_path), "DEBUG": "1"}
    run = {"env": env, "cwd": tmp_path, "capture_output": True, "text": True, "timeout": 600}
    _migrated_database(tmp_path, run)
    make_user = ("from nwd.access.models import User; "
                 "User.objects.create_user('aaa-real-user', password='a real password here', role='key_worker')")
    assert subprocess.run([sys.executable, "-m", "nwd", "shell", "-c", make_user], **run).returncode == 0
    with sqlite3.connect(tmp_path / "nwd.sqlite3") as database:
        before = database.execute("SELECT password FROM access_user").fetchall()
    refused = subprocess.run([sys.executable, "-m", "nwd", "demo", "--no-serve"], **{**run, "env": _env(tmp_path)})
    assert refused.returncode != 0
    assert "1 account(s) the demo did not create" in refused.stderr and "changed nothing" in refused.stderr
    assert "synthetic data" not in refused.stdout and "demo-only-password" not in refused.stdout
    with sqlite3.connect(tmp_path / "nwd.sqlite3") as database:
        assert database.execute("SELECT password FROM access_user").fetchall() == before
        assert database.execute("SELECT count(*) FROM access_demodatabase").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM casework_youngperson").fetchone() == (0,)
