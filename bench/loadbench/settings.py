"""The settings the load benchmark serves with: the project's own (production: DEBUG off), plus a bare
Django view at /bench/bare/ to compare the pages with, and plain HTTP on the loopback address.

Only bench/load_bench.py uses this module (DJANGO_SETTINGS_MODULE=loadbench.settings with bench/ on
the path); the bare view exists nowhere else, so it is never served in production.
"""

from nwd.settings import *  # noqa: F403

ROOT_URLCONF = "loadbench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The benchmark talks plain HTTP to 127.0.0.1 (production puts TLS in front, at the proxy).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
