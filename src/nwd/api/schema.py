"""The OpenAPI contract's shared parts: the bearer token, and the problems every operation may answer
(RFC 9457), so a client (and Schemathesis, tests/api/test_contract.py) knows every answer it can get."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from nwd.api.problems import CONTENT_TYPE, TITLES


class BearerToken(OpenApiAuthenticationExtension):
    target_class = "nwd.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API token made with `nwd api-token create` (docs/api.md)."}


PROBLEM = {
    "type": "object",
    "description": "A problem (RFC 9457): never a stack trace, never personal data.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For a request that could not be accepted: each field and what is wrong with it.",
            "items": {"type": "object", "properties": {"field": {"type": "string", "nullable": True},
                                                        "message": {"type": "string"}},
                      "required": ["field", "message"]},
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ANSWERED_BY_EVERY_OPERATION = (400, 401, 403, 404, 429)


def problems(result, generator, request, public):
    """drf-spectacular's post-processing hook: the Problem schema, answered by every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in ANSWERED_BY_EVERY_OPERATION:
                responses.setdefault(str(status), {"description": TITLES[status], "content": reference})
    return result
