"""Each indicator is defined once, in code, and docs/indicators.md is printed from those definitions."""

from nwd.evaluation.docs import DOC_PATH, render_markdown
from nwd.evaluation.registry import SECTIONS, indicators

# The indicators issue 7 asks for, by the key that computes each.
ASKED_FOR = {
    "entries to care and re-entries": ["entries_to_care", "care_entries"],
    "stayed out of care": ["stayed_out_of_care"],
    "placement moves": ["placement_moves"],
    "out-of-area placements": ["out_of_area_days", "placements_on_date"],
    "residential days": ["residential_days"],
    "EET status": ["eet_share"],
    "arrests and police contacts": ["arrests", "police_contacts"],
    "missing episodes (count and hours)": ["missing_episodes", "missing_hours"],
    "exploitation concerns": ["exploitation_concerns"],
    "substance use": ["substance_use"],
    "A&E, admissions, crisis presentations": ["ae_attendances", "hospital_admissions", "crisis_presentations"],
    "key-worker changes": ["key_worker_changes"],
    "length of stay against plan": ["length_of_stay"],
    "referral decisions including warm handovers": ["referral_decisions"],
    "trial outcome": ["trial_outcome"],
    "money": ["placement_spend", "cost_avoided"],
}


def test_docs_match_the_registry():
    assert DOC_PATH.read_text(encoding="utf-8") == render_markdown(), (
        "docs/indicators.md is out of date: run `nwd indicators_doc`."
    )


def test_every_indicator_asked_for_is_defined():
    registry = indicators()
    missing = [key for keys in ASKED_FOR.values() for key in keys if key not in registry]
    assert missing == []


def test_every_definition_is_complete():
    for entry in indicators().values():
        for field in ("title", "definition", "window", "counted", "excluded", "unit"):
            assert getattr(entry, field).strip(), f"{entry.key} has no {field}"
        assert entry.section in SECTIONS
        assert callable(entry.compute)
        if entry.kind == "before_after":
            assert entry.better in ("lower", "higher") and entry.source, entry.key
