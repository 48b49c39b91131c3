"""docs/api.md, written from the service's own OpenAPI document, so the
reference in the repository is the API the code serves:

    python -m entrypoints.http.api_reference > docs/api.md

(`make api-docs`; a test fails when docs/api.md is behind the code)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

HEADER = """# API reference

Generated from the OpenAPI document the service serves at
`/schema/openapi.json` (`make api-docs`); the Swagger page `/schema/swagger`
shows the same. Errors are problem details (`application/problem+json`,
`{type, title, status, detail, code, requestId, errors?}`); each answer below
lists its status and the `code`s it may carry. Routes marked *bearer* need
`Authorization: Bearer <access token>`.
"""


def markdown(openapi: dict[str, Any]) -> str:
    lines = [HEADER]
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            lines += _operation(method.upper(), path, operation)
    lines += ["## Schemas", ""]
    for name, schema in sorted(openapi.get("components", {}).get("schemas", {}).items()):
        lines += _schema(name, schema)
    return "\n".join(lines).rstrip() + "\n"


def _operation(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    secured = " *bearer*" if operation.get("security") else ""
    lines = [f"## {method} `{path}`{secured}", ""]
    for text in (operation.get("summary"), operation.get("description")):
        if text:
            lines += [text, ""]
    body = operation.get("requestBody", {}).get("content", {})
    for media_type, content in body.items():
        lines += [f"- body ({media_type}): {_type(content.get('schema', {}))}"]
    for status, answer in operation.get("responses", {}).items():
        content = answer.get("content", {})
        schemas = [_type(c.get("schema", {})) for c in content.values()]
        described = answer.get("description", "")
        codes = described.split(": ", 1)[1] if int(status) >= 400 and ": " in described else ""
        shown = codes or (", ".join(schemas) if schemas else "no body")
        lines += [f"- {status}: {shown}"]
    return [*lines, ""]


def _schema(name: str, schema: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = [f"### {name}", ""]
    for field, spec in schema.get("properties", {}).items():
        lines += [f"- `{field}`{'' if field in required else ' (optional)'}: {_type(spec)}"]
    if schema.get("enum"):
        lines += ["One of " + ", ".join(f"`{value}`" for value in schema["enum"]) + "."]
    return [*lines, ""]


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return f"`{schema['$ref'].rsplit('/', 1)[1]}`"
    for combined in ("oneOf", "anyOf"):
        if combined in schema:
            return " or ".join(_type(option) for option in schema[combined])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    shown = schema.get("format", kind)
    return f"{shown}" if "enum" not in schema else f"{shown}: " + ", ".join(f"`{v}`" for v in schema["enum"])


def served_openapi() -> dict[str, Any]:
    """The document a service with default settings serves (in memory)."""
    from entrypoints.bootstrap import bootstrap
    from entrypoints.http.app import create_app
    from entrypoints.settings import Settings

    with tempfile.TemporaryDirectory() as scratch:
        wiring = bootstrap(Settings(data_dir=Path(scratch)), storage="memory")
        try:
            return create_app(wiring).openapi_schema.to_schema()
        finally:
            wiring.close()


if __name__ == "__main__":
    print(markdown(served_openapi()), end="")
