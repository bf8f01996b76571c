"""`nwd demo`: migrates the embedded database, loads the county once, prints the logins, serves."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def _env(data_dir):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "NWD_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["NWD_DATA_DIR"] = str(data_dir)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nwd", "demo", "--port", str(port)], env=_env(tmp_path), cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        page = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None, "the demo did not serve"
        assert "Demo logins" in page and "demo-only-password" in page
        assert "synthetic data" in page
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "already loaded: keeping it" in output
    assert "Loading the synthetic county" not in output
