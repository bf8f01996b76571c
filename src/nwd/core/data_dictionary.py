"""docs/data-dictionary.md, generated from the models so it cannot drift from them.

``nwd data_dictionary`` rewrites the file; a test fails when the file and the models differ.
History tables (simple-history's ``Historical*``) are described once, not model by model.
"""

from __future__ import annotations

import inspect

from django.apps import apps
from django.db import models

APPS = ["access", "hubs", "casework", "events", "care", "evaluation", "returns", "forecast", "documents",
        "leavers", "placements", "homes", "safeguarding", "worklist", "api", "jobs"]

INTRO = """# Data dictionary

Generated from the models by `nwd data_dictionary`; a test fails if this file and the
models disagree, so edit the models (their docstrings, `verbose_name` and `help_text`), not this file.

Every casework table also has a history table (`Historical<Model>`, from django-simple-history)
holding each version of each row with who changed it, when, and the kind of change; the change
history pages read it. Codes named after SSDA903 fields (RNE, LS, CIN, PLACE, PLACE_PROVIDER, REC,
REASON_PLACE_CHANGE, MISSING, SEX, ETHNIC) follow the DfE's lists year by year
(`src/nwd/codelists/codes.py`, shown in the admin under Providers > code lists).
"""


def _type(field: models.Field) -> str:
    if field.is_relation:
        target = field.related_model
        name = "history user" if target is None else target._meta.object_name
        kind = "many-to-many" if field.many_to_many else "link"
        return f"{kind} to {name}"
    return field.get_internal_type().replace("Field", "").lower() or "text"


def _choices(field: models.Field) -> str:
    if not field.choices:
        return ""
    values = [str(value) for value, _label in field.flatchoices]
    if len(values) > 12:
        return f"{len(values)} codes: {', '.join(values[:8])}, ..."
    return ", ".join(values)


def _meaning(field: models.Field) -> str:
    parts = [str(field.verbose_name)]
    if field.help_text:
        parts.append(str(field.help_text))
    return ". ".join(p.rstrip(".") for p in parts if p)


def _docstring(model) -> str:
    doc = inspect.getdoc(model) or ""
    if doc.startswith(model.__name__ + "("):
        return ""
    return " ".join(doc.split("\n\n")[0].split())


def render() -> str:
    lines = [INTRO]
    for label in APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        model_list = [m for m in config.get_models() if not m.__name__.startswith("Historical")]
        if not model_list:
            continue
        lines.append(f"## {config.verbose_name} (`{label}`)\n")
        for model in model_list:
            meta = model._meta
            lines.append(f"### {meta.object_name} (`{meta.db_table}`)\n")
            doc = _docstring(model)
            if doc:
                lines.append(doc + "\n")
            lines.append("| field | type | required | meaning | codes |")
            lines.append("|---|---|---|---|---|")
            for field in meta.get_fields():
                if field.auto_created and not field.concrete:
                    continue
                if not getattr(field, "concrete", False) and not field.many_to_many:
                    continue
                if label == "access" and field.name in {"password", "groups", "user_permissions"}:
                    continue
                required = "no" if (field.null or field.blank) else "yes"
                lines.append(
                    f"| {field.name} | {_type(field)} | {required} | {_meaning(field)} | {_choices(field)} |"
                )
            constraints = [c for c in meta.constraints if getattr(c, "violation_error_message", None)]
            custom = [c for c in constraints if "%(name)s" not in str(c.violation_error_message)]
            if custom:
                lines.append("")
                lines.append("Rules the database enforces:")
                lines.append("")
                for constraint in custom:
                    lines.append(f"- `{constraint.name}`: {constraint.violation_error_message}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
