"""The architecture's import contracts (pyproject.toml, [tool.importlinter]; docs/architecture.md) hold.

`make test` runs `lint-imports` too; this test makes a plain `pytest` run fail on a forbidden import
as well (about half a second).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("importlinter")


def test_every_import_contract_is_kept():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
         "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "8 kept, 0 broken" in done.stdout  # 8: placements-rules-pure (issue 18)


def test_no_contract_ignores_an_import():
    """No exception hides a cycle or a layer crossing: a needed one is a design change, not a line here."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    assert {c["id"] for c in contracts} >= {"layers", "app-cycles", "code-lists"}
    assert [c["id"] for c in contracts if c.get("ignore_imports")] == []
