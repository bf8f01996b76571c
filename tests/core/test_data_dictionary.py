from django.conf import settings

from nwd.core.data_dictionary import render


def test_the_data_dictionary_in_docs_matches_the_models():
    on_disk = (settings.PROJECT_DIR / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert on_disk == render(), "docs/data-dictionary.md is stale: run `nwd data_dictionary`"


def test_every_casework_model_is_described():
    text = render()
    for name in ["YoungPerson", "Referral", "Involvement", "KeyWorkerAllocation", "Stay", "MissingEpisode", "CareEpisode"]:
        assert f"### {name} (" in text
