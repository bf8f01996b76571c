"""A real ClamAV daemon for the documents' tests, started once per test session (per xdist worker).

Debian's clamav-daemon has no signature database here and none can be fetched, so the daemon gets a
temporary configuration and a database of one signature written at test time: the EICAR test
string as a ClamAV hex signature (.ndb). The EICAR string itself is put together at run time, so no
file in the repository carries it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# The EICAR anti-virus test string, in two halves so this file is not itself "infected".
EICAR = (b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clamd stopped (exit {process.returncode})")
        if path.exists():
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                try:
                    probe.connect(str(path))
                    probe.sendall(b"zPING\0")
                    if probe.recv(16).startswith(b"PONG"):
                        return
                except OSError:
                    pass
        time.sleep(0.1)
    raise RuntimeError("clamd did not start within a minute")


@pytest.fixture(scope="session")
def clamd_socket():
    """The path of a running clamd's socket whose only signature is the EICAR test string."""
    if not os.path.exists(CLAMD):
        pytest.fail("clamd is not installed: apt-get install clamav-daemon (the .ci/run script does)")
    folder = Path(tempfile.mkdtemp(prefix="nwd-clamd-"))
    database = folder / "db"
    database.mkdir()
    (database / "nwd-test.ndb").write_text(f"Nwd.Test.EICAR:0:*:{EICAR.hex()}\n", encoding="ascii")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text("\n".join([
        f"LocalSocket {sock}", f"DatabaseDirectory {database}", "Foreground yes", f"TemporaryDirectory {folder}",
        f"PidFile {folder / 'clamd.pid'}", f"LogFile {folder / 'clamd.log'}", "LogVerbose no", "SelfCheck 0",
        "StreamMaxLength 30M", "",
    ]), encoding="ascii")
    process = subprocess.Popen([CLAMD, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(sock, process)
        yield str(sock)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clamd(clamd_socket, settings):
    """The test's settings point the virus check at the session's clamd."""
    settings.NWD_CLAMD_SOCKET = clamd_socket
    return clamd_socket
