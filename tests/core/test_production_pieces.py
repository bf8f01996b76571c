"""The pieces of the production server, in process: /healthz, the request id, JSON log lines, the
server's settings, and the demo's processes (nwd serve, and nwd worker when installed)."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.db import DatabaseError
from django.test import Client

from nwd.config import ConfigurationError, bind_address, tunables
from nwd.core import health, server
from nwd.core.logs import JsonFormatter, RequestIdFilter, request_id_from


@pytest.mark.django_db
def test_healthz_answers_ok_with_the_database_and_the_queue():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "task_queue": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_says_when_no_queue_is_configured(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "task_queue": "not configured"}
    assert "no-store" in response["Cache-Control"]
    assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_fails_with_503_when_the_database_does_not_answer(monkeypatch):
    class Refusing:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connections", {"default": Refusing()})
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "failing" and response.json()["database"] == "failed: DatabaseError"


def test_the_queue_check_says_what_is_configured(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert health.task_queue() == "not configured"
    settings.TASKS = {"default": {"BACKEND": health.DATABASE_TASKS_BACKEND}}
    from django.apps import apps

    if not apps.is_installed("django_tasks.backends.database"):
        assert health.task_queue().startswith("failed: the task queue's app")


@pytest.mark.django_db
def test_the_request_id_is_kept_from_the_proxy_or_made_and_returned():
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-1")
    assert kept["X-Request-ID"] == "from-the-proxy-1"
    made = Client().get("/healthz", HTTP_X_REQUEST_ID="no spaces; or <tags>")
    assert made["X-Request-ID"] != "no spaces; or <tags>" and len(made["X-Request-ID"]) == 32
    assert request_id_from({}) != request_id_from({})


def test_a_log_record_is_one_json_line_with_its_request_id_and_fields():
    record = logging.LogRecord("nwd.request", logging.INFO, __file__, 1, "GET %s %s", ("/x/", 200), None)
    record.status = 200
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /x/ 200" and entry["status"] == 200 and entry["request_id"] == "-"
    assert entry["level"] == "INFO" and entry["logger"] == "nwd.request"


def test_the_server_settings():
    assert bind_address(None) == "127.0.0.1:8000"
    assert bind_address("0.0.0.0:9000") == "0.0.0.0:9000"
    assert bind_address("unix:/run/nwd.sock") == "unix:/run/nwd.sock"
    with pytest.raises(ConfigurationError, match="NWD_BIND"):
        bind_address("localhost")
    with pytest.raises(ConfigurationError, match="NWD_WEB_WORKERS"):
        tunables({"NWD_WEB_WORKERS": "0"})
    assert tunables({})["NWD_WEB_WORKERS"] is None and tunables({})["NWD_WEB_THREADS"] == 1
    assert server.default_workers(2) == 5 and server.default_workers(64) == server.MOST_WORKERS
    config = server.ServerOptions(bind="127.0.0.1:1", workers=3, threads=4, timeout=60).gunicorn_config()
    assert config["workers"] == 3 and config["threads"] == 4 and config["worker_class"] == "gthread"
    # One thread (the default): gunicorn's sync worker, a connection taken only by a free process.
    single = server.ServerOptions.from_settings(bind="127.0.0.1:1", workers=3).gunicorn_config()
    assert single["threads"] == 1 and single["worker_class"] == "sync"
    assert config["accesslog"] is None  # the application logs each request, with its id
    # Processes are not replaced unless asked: a replaced process's kept-alive connections are cut.
    assert config["max_requests"] == 0 and tunables({})["NWD_WEB_MAX_REQUESTS"] == 0
    replaced = server.ServerOptions(bind="127.0.0.1:1", workers=3, threads=4, timeout=60, max_requests=5000)
    assert replaced.gunicorn_config()["max_requests"] == 5000 and replaced.gunicorn_config()["max_requests_jitter"] == 500
    assert tunables({"NWD_WEB_MAX_REQUESTS": "20000"})["NWD_WEB_MAX_REQUESTS"] == 20000
    for wrong in ("50", "-1", "lots"):
        with pytest.raises(ConfigurationError, match="NWD_WEB_MAX_REQUESTS"):
            tunables({"NWD_WEB_MAX_REQUESTS": wrong})


def test_the_processes_fork_with_the_loaded_application_frozen_out_of_the_collector():
    import gc

    config = server.ServerOptions(bind="127.0.0.1:1", workers=3, threads=4, timeout=60).gunicorn_config()
    thresholds = gc.get_threshold()
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 10_000  # this test process's loaded modules, at least
        config["post_fork"](None, None)
        assert gc.get_threshold() == server.WORKER_GC_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_the_demo_runs_the_worker_only_where_the_command_exists(monkeypatch):
    from django.core import management

    commands = dict(management.get_commands())
    commands.pop("worker", None)
    monkeypatch.setattr(management, "get_commands", lambda: commands)
    assert [c[3] for c in server.demo_commands(8123)] == ["serve"]
    assert server.demo_commands(8123)[0][4:6] == ["--bind", "127.0.0.1:8123"]
    monkeypatch.setattr(management, "get_commands", lambda: {**commands, "worker": "somewhere"})
    assert [c[3] for c in server.demo_commands(8123)] == ["serve", "worker"]


def test_the_demo_serves_with_two_processes_unless_configured(settings):
    settings.NWD_WEB_WORKERS = None
    assert server.demo_commands(8123)[0][-2:] == ["--workers", "2"]
    settings.NWD_WEB_WORKERS = 7
    assert "--workers" not in server.demo_commands(8123)[0]
    assert server.ServerOptions.from_settings(bind="127.0.0.1:1", workers=None, threads=None).workers == 7


def test_when_one_process_ends_the_other_is_stopped():
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    failing = [sys.executable, "-c", "import sys; sys.exit(3)"]
    assert server.run_processes([sleeper, failing], grace_seconds=10) == 3
