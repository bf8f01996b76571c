"""pyproject.toml's metadata in the form today's build backends read without a deprecation warning."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.licenses import canonicalize_license_expression
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())


def test_license_is_an_spdx_expression():
    """PEP 639: ``project.license`` is an SPDX string; the old table warns on every install."""
    license = PYPROJECT["project"]["license"]
    assert isinstance(license, str)
    assert canonicalize_license_expression(license) == license == "MIT"
    classifiers = PYPROJECT["project"].get("classifiers", [])
    assert not [c for c in classifiers if c.startswith("License ::")], "an SPDX licence replaces the classifiers"


def test_build_backend_reads_spdx_licences():
    """setuptools reads an SPDX ``license`` string from version 77 on (earlier ones refuse it)."""
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"
    setuptools = next(Requirement(r) for r in PYPROJECT["build-system"]["requires"] if re.match(r"setuptools\b", r))
    assert not setuptools.specifier.contains(Version("76.9"))
    assert setuptools.specifier.contains(Version("77.0"))
