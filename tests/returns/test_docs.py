"""docs/ssda903.md lists every rule the checker has."""

from pathlib import Path

from nwd.returns.checks import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "ssda903.md"


def test_every_rule_is_documented():
    text = DOC.read_text()
    missing = [rule_id for rule_id in RULES if f"| {rule_id} |" not in text]
    assert missing == [], f"add these rules to docs/ssda903.md: {missing}"
