"""The imported tables' state, to tell whether an import changed anything: row counts and a checksum.

The checksum covers every column of every row (primary keys included, ordered by them), so an
import that deleted and re-created a row, or touched one field, changes it.
"""

from __future__ import annotations

import hashlib


def imported_models():
    from nwd.care.models import AnnualOutcome, CareEpisode, CareLeaverOutcome, CarePeriod, CareReview
    from nwd.casework.models import YoungPerson
    from nwd.events.models import MissingEpisode

    models = [YoungPerson, CarePeriod, CareEpisode, MissingEpisode, CareReview, AnnualOutcome, CareLeaverOutcome]
    return models + [m.history.model for m in models if hasattr(m, "history")]


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in imported_models()}


def checksum() -> str:
    digest = hashlib.sha256()
    for model in imported_models():
        digest.update(model._meta.label.encode())
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()
