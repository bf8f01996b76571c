"""Settings for the test suite: the production settings with a throwaway key and fast hashing.

DATABASE_URL still chooses the engine, so the same suite runs on SQLite and PostgreSQL.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
if "NWD_DATA_DIR" not in os.environ:
    # One throwaway folder per test run, removed when the process that made it ends; the processes it
    # starts (pytest-xdist workers, `nwd` subprocesses) inherit the variable and share the folder.
    os.environ["NWD_DATA_DIR"] = tempfile.mkdtemp(prefix="nwd-test-")
    atexit.register(shutil.rmtree, os.environ["NWD_DATA_DIR"], ignore_errors=True)
_worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... in a parallel run (make test)
if _worker and os.path.basename(os.environ["NWD_DATA_DIR"]) != _worker:
    # Each worker its own folder inside the run's (uploads, files written by commands), as each has
    # its own test database: workers never see each other's files.
    os.environ["NWD_DATA_DIR"] = os.path.join(os.environ["NWD_DATA_DIR"], _worker)
    os.makedirs(os.environ["NWD_DATA_DIR"], exist_ok=True)

from nwd.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Static files: the pages are rendered from the source folders (staticfiles' finders), without the
# hashed names `collectstatic` writes for the production server; tests/core/test_serve.py runs that
# server, with collectstatic, in a subprocess.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 (WhiteNoise looks in it when it starts)
