"""The virus check: the document's bytes streamed to ClamAV's daemon (clamd) over its socket.

clamav-client (PyPI) speaks clamd's INSTREAM command; the socket is ``NWD_CLAMD_SOCKET``: a Unix
socket's path (Debian's clamav-daemon listens on /var/run/clamav/clamd.ctl) or ``tcp://host:port``.
clamd needs its signature database (freshclam keeps it current: docs/deployment.md); the tests
start a clamd of their own with a signature made at test time (tests/documents/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlparse

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings

TIMEOUT_SECONDS = 60


class ScannerUnavailable(Exception):
    """clamd could not be asked: the document waits and is checked again."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    found: str = ""  # the signature's name when not clean


def client(address: str | None = None) -> ClamdNetworkSocket:
    address = address or settings.NWD_CLAMD_SOCKET
    if address.startswith("tcp://"):
        parsed = urlparse(address)
        return ClamdNetworkSocket(host=parsed.hostname or "127.0.0.1", port=parsed.port or 3310,
                                  timeout=TIMEOUT_SECONDS)
    return ClamdUnixSocket(path=address, timeout=TIMEOUT_SECONDS)


def scan(stream: BinaryIO, address: str | None = None) -> Verdict:
    """Stream ``stream`` to clamd; its verdict. Raises ScannerUnavailable when clamd cannot answer."""
    try:
        results = client(address).instream(stream)
    except (ClamdError, OSError) as error:
        raise ScannerUnavailable(f"The virus checker could not be reached: {error}") from error
    status, found = results.get("stream", ("", None))
    if status == "OK":
        return Verdict(clean=True)
    if status == "FOUND":
        return Verdict(clean=False, found=str(found or "unnamed virus"))
    raise ScannerUnavailable(f"The virus checker answered {status or 'nothing'}: {found or ''}".strip())
