"""The API document's error answers, declared once for every operation (a drf-spectacular
postprocessing hook, ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``).

Every operation may answer 401 (no or a bad token), 403 (a read-only token writing, or an
action refused on an object the person may see) and 404 (what the person may not see does
not exist for them; a page past the end of a list). Writes, and reads that take query
parameters (filters), may answer 400 with the errors of each field; a change of an existing
object may answer 409 when someone else saved it first (``portal/api/exceptions.py``); a body
that cannot be read as its content type says, 415.
"""

WRITES = {"post", "put", "patch", "delete"}

ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": "For each field (or `non_field_errors`), the list of its errors.",
        "additionalProperties": {},
    },
    "StaleEdit": {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "current": {
                "type": "object",
                "description": "The object as it is now, saved by someone else.",
                "additionalProperties": {},
            },
        },
        "required": ["detail", "current"],
    },
}


def _response(description, component):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def declare_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in ERROR_SCHEMAS.items():
        schemas.setdefault(name, definition)
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in WRITES | {"get"}:
                continue
            has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            errors = {
                "401": _response(
                    "No API token, or one that is invalid, expired or revoked.", "Error"
                ),
                "403": _response("Not allowed (a read-only token may only read).", "Error"),
                "404": _response("Not found, or not visible to you.", "Error"),
            }
            if method in WRITES or has_query:
                errors["400"] = _response(
                    "Invalid input: the errors of each field.", "ValidationError"
                )
            if "requestBody" in operation:
                errors["415"] = _response(
                    "A body of a media type this operation does not read.", "Error"
                )
            if method in WRITES and "{" in path:
                errors["409"] = _response(
                    "Someone else saved it first: reload and retry.", "StaleEdit"
                )
            responses = operation.setdefault("responses", {})
            for status, response in errors.items():
                responses.setdefault(status, response)
    return result
