"""`nwd serve`, the production server, started as a real process on this run's database.

gunicorn, static files by WhiteNoise after collectstatic (hashed names, a year's cache, Brotli and
gzip), /healthz, the sign-in page, and JSON log lines carrying the request's id.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest
from django.db import connection

from tests.core.servers import copy_sqlite_test_database, free_port

SOURCE = Path(__file__).resolve().parents[2] / "src"
REQUEST_ID = "serve-test-0042"


def _database_for_subprocess(data_dir: Path) -> dict[str, str]:
    """The server's database: this run's (migrated) test database.

    PostgreSQL: the same test database, by URL. SQLite: the test database lives in this process's
    memory, so it is copied (the online backup API) to the file the server opens by default.
    """
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        user = params["USER"] or "postgres"
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        url = f"postgres://{user}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
        return {"DATABASE_URL": url}
    copy_sqlite_test_database(data_dir / "nwd.sqlite3")
    return {}


def _request(port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture
def served(tmp_path):
    """``nwd serve`` on a free port, production settings (no DEBUG); yields (port, data dir, log file)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "NWD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "NWD_BIND"}}
    env.update(
        NWD_DATA_DIR=str(data_dir), PYTHONPATH=str(SOURCE), SECRET_KEY="serve-test-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="nwd.settings", **_database_for_subprocess(data_dir),
    )
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "nwd", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
            env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 240  # the first collectstatic hashes and compresses every file
        while True:
            assert process.poll() is None, f"nwd serve ended early:\n{log.read_text()}"
            try:
                if _request(port, "/healthz")[0] in (200, 503):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"nwd serve did not answer:\n{log.read_text()}"
            time.sleep(0.3)
        yield port, data_dir, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, log.read_text()


@pytest.mark.django_db(transaction=True)
def test_nwd_serve_runs_gunicorn_with_static_files_health_and_json_logs(served):
    port, data_dir, log = served
    https = {"X-Forwarded-Proto": "https"}  # as the reverse proxy says; else the pages redirect to https

    # /healthz over plain http (a probe's): the database, and the task queue when one is configured.
    status, headers, body = _request(port, "/healthz")
    assert status == 200, body
    health = json.loads(body)
    assert health["status"] == "ok" and health["database"] == "ok"
    assert health["task_queue"] in ("ok", "not configured")
    assert headers["server"] == "gunicorn" and "no-store" in headers["cache-control"]

    # The sign-in page names the static files by their hashed names.
    manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["nwd/nwd.css"]
    assert hashed != "nwd/nwd.css"
    status, headers, body = _request(port, "/sign-in/", {**https, "X-Request-ID": REQUEST_ID})
    assert status == 200
    assert f"/static/{hashed}" in body.decode()
    assert headers["x-request-id"] == REQUEST_ID

    # A hashed static file: cached for a year, immutable, Brotli or gzip as the browser asks.
    original = (SOURCE / "nwd" / "web" / "static" / "nwd" / "nwd.css").read_bytes()
    status, headers, body = _request(port, f"/static/{hashed}", {**https, "Accept-Encoding": "br"})
    assert status == 200 and headers["content-encoding"] == "br"
    assert "immutable" in headers["cache-control"] and "max-age=315360000" in headers["cache-control"]
    assert brotli.decompress(body) == original
    status, headers, body = _request(port, f"/static/{hashed}", {**https, "Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == original
    # The name without the hash is served too (for what imports it by name), with a short cache.
    status, headers, _ = _request(port, "/static/nwd/nwd.css", https)
    assert status == 200 and "immutable" not in headers["cache-control"]

    # Standard output: JSON lines; the sign-in request's line carries the id the proxy sent.
    time.sleep(0.2)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    sign_in = [line for line in lines if line.get("path") == "/sign-in/"]
    assert sign_in and sign_in[0]["request_id"] == REQUEST_ID and sign_in[0]["status"] == 200
    assert sign_in[0]["logger"] == "nwd.request" and sign_in[0]["method"] == "GET"
