"""How ``collectstatic`` stores the static files for the production server (``settings.STORAGES``).

WhiteNoise's CompressedManifestStaticFilesStorage (a hash of the content in each name, gzip and
Brotli copies beside each file), with Brotli at quality 9 rather than its default 11: measured on
Django admin's scripts, 17 times faster for files 11% larger (still a third smaller than gzip), so
``nwd serve`` starts in seconds on a fresh installation instead of half a minute.
"""

from __future__ import annotations

import brotli  # type: ignore[import-untyped]
from whitenoise.compress import Compressor  # type: ignore[import-untyped]
from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]

BROTLI_QUALITY = 9


class QuickerBrotli(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return brotli.compress(data, quality=BROTLI_QUALITY)


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs) -> Compressor:
        return QuickerBrotli(**kwargs)
