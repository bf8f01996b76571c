"""Change history: who changed which field of which record from what to what.

django-simple-history keeps every version of every casework record; this turns versions into
changes a manager or the data protection officer can read ("Key worker changed the planned
discharge from 12/05/2025 to 19/05/2025"). ``history_for(record)`` covers one record;
``young_person_history(person)`` every record about a young person, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import formats, timezone

from nwd.access.models import User
from nwd.access.policy import YOUNG_PERSON
from nwd.access.relations import model_of

KINDS = {"+": "created", "~": "changed", "-": "deleted"}
IGNORED_FIELDS = {"created_at", "recorded_by"}


@dataclass(frozen=True)
class FieldChange:
    field: str  # the field's name as a person reads it ("planned discharge")
    old: str
    new: str


@dataclass
class Change:
    at: dt.datetime
    user_id: int | None
    user_name: str
    record_type: str  # "stay", "contact"...
    record_id: object
    record: str  # how the record reads at that version
    kind: str  # created, changed, deleted
    fields: list[FieldChange] = field(default_factory=list)
    reason: str = ""  # why, when the change was made with a reason (a correction, a restriction)


def _display(field_, value) -> str:
    if value is None or value == "":
        return "(blank)"
    if field_ is not None and getattr(field_, "choices", None):
        labels = dict(field_.flatchoices)
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value)  # one date format on every page: "14 Jul 2025"
    if isinstance(value, list):  # many-to-many: the related rows, as simple-history gives them
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def _user_names(ids: Iterable[int]) -> dict[int, str]:
    return {user.pk: str(user) for user in User.objects.filter(pk__in={i for i in ids if i})}


def _changes(versions: list, model) -> list[Change]:
    """Versions of one model's records (any order) as changes, each diffed against the one before."""
    by_record: dict[object, list] = {}
    for version in versions:
        by_record.setdefault(version.instance_type._meta.pk.value_from_object(version), []).append(version)
    fields = {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    many = {f.name for f in model._meta.many_to_many}
    named_later: list[tuple[Change, int, object, list, list]] = []
    made = []
    for record_id, record_versions in by_record.items():
        record_versions.sort(key=lambda v: (v.history_date, v.history_id))
        previous = None
        for version in record_versions:
            change = Change(
                at=version.history_date,
                user_id=version.history_user_id,
                user_name="",
                record_type=str(model._meta.verbose_name),
                record_id=record_id,
                record=_safe_str(version),
                kind=KINDS.get(version.history_type, "changed"),
                reason=version.history_change_reason or "",
            )
            if previous is not None and version.history_type == "~":
                delta = version.diff_against(previous)
                for item in delta.changes:
                    if item.field in IGNORED_FIELDS:
                        continue
                    model_field = fields.get(item.field)
                    label = str(getattr(model_field, "verbose_name", item.field))
                    if item.field in many:  # rows of the link table: named below, in one query per field
                        named_later.append((change, len(change.fields), model_field, item.old, item.new))
                        change.fields.append(FieldChange(label, "", ""))
                        continue
                    change.fields.append(
                        FieldChange(label, _display(model_field, item.old), _display(model_field, item.new))
                    )
            made.append(change)
            previous = version
    _name_many(named_later)
    return made


def _name_many(pending: list) -> None:
    """Many-to-many changes (the users named on a restricted record) by name, not as link-table rows."""
    by_field: dict = {}
    for _, _, field_, old, new in pending:
        target = field_.m2m_reverse_field_name()
        by_field.setdefault(field_, set()).update(row[target] for row in [*old, *new])
    names = {field_: {o.pk: str(o) for o in field_.related_model._default_manager.filter(pk__in=ids)}
             for field_, ids in by_field.items()}
    for change, index, field_, old, new in pending:
        target = field_.m2m_reverse_field_name()

        def shown(rows, field_=field_, target=target) -> str:
            return ", ".join(sorted(names[field_].get(row[target], "(a deleted account)") for row in rows)) or "(none)"

        change.fields[index] = FieldChange(change.fields[index].field, shown(old), shown(new))


def _safe_str(version) -> str:
    try:
        return str(version.instance)
    except Exception:  # a version whose related rows are gone cannot always say its own name
        return f"{version.instance_type._meta.verbose_name} {version.pk}"


def _name_users(changes: list[Change]) -> list[Change]:
    names = _user_names(c.user_id for c in changes)
    for change in changes:
        change.user_name = names.get(change.user_id, "the system") if change.user_id else "the system"
    return changes


def history_for(record: models.Model) -> list[Change]:
    """Every version of one record as changes, newest first."""
    versions = list(record.history.all())
    changes = _changes(versions, type(record))
    changes.sort(key=lambda c: c.at, reverse=True)
    return _name_users(changes)


def paths_to_young_person(model) -> list[str]:
    """How rows of ``model`` reach a young person: 'young_person', 'involvement__young_person'..."""
    names = {f.name: f for f in model._meta.get_fields() if getattr(f, "many_to_one", False)}
    if "young_person" in names:
        return ["young_person"]
    for via in ("involvement", "plan", "review", "period", "stay"):
        if via in names:
            return [f"{via}__{path}" for path in paths_to_young_person(names[via].related_model)]
    return []


def tracked_models() -> list:
    """Models with a change history that are about a young person (and the young person itself)."""
    found = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical") or not hasattr(model, "history"):
            continue
        if model is model_of(YOUNG_PERSON) or paths_to_young_person(model):
            found.append(model)
    return found


def young_person_history(young_person, since: dt.datetime | None = None) -> list[Change]:
    """Every change to every record about ``young_person``, newest first.

    One query per kind of record (not per record), whatever the length of the history.
    """
    changes: list[Change] = []
    for model in tracked_models():
        history = model.history.model.objects.all()
        if model is model_of(YOUNG_PERSON):
            history = history.filter(id=young_person.pk)
        else:
            path = paths_to_young_person(model)[0]
            # History rows hold the foreign key ids of their version; follow them through the live tables.
            first, _, rest = path.partition("__")
            if not rest:
                history = history.filter(**{f"{first}_id": young_person.pk})
            else:
                related = model._meta.get_field(first).related_model
                ids = related._base_manager.filter(**{rest: young_person}).values("pk")
                history = history.filter(**{f"{first}_id__in": ids})
        if since is not None:
            history = history.filter(history_date__gte=since)
        changes.extend(_changes(list(history), model))
    changes.sort(key=lambda c: c.at, reverse=True)
    return _name_users(changes)
