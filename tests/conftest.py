"""Fixtures shared by the whole suite."""

import os


def pytest_report_header(config):
    """Say which database engine this run uses, so CI's two runs are told apart in the log."""
    url = os.environ.get("DATABASE_URL", "")
    engine = url.split(":", 1)[0] if url else "sqlite (embedded)"
    return f"nwd database: {engine}"
