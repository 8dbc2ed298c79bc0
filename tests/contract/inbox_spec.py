"""The vendor's Inbox v1 document (transcribed in ``inbox_v1_openapi.json``) as test tools.

* ``problems(value, schema)`` — where a JSON value departs from a schema (``strict``: also any
  field the document does not have, which is how the sandbox is held to "exactly the spec's shapes");
* ``sample(schema)`` — a payload shaped like the document: ``full`` fills every field, ``minimal``
  leaves optional fields out and nullable ones null; ``extras`` adds fields the document lacks
  (a newer server), which a client must ignore;
* ``request_problems(request, base_path)`` — whether one request the provider made is an operation
  of the document: its method and path, every query key in the document's bracket notation with a
  value of the right type, its body's keys and their types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx

SPEC: dict[str, Any] = json.loads((Path(__file__).with_name("inbox_v1_openapi.json")).read_text())
SCHEMAS: dict[str, Any] = SPEC["schemas"]
OPERATIONS: dict[str, Any] = SPEC["operations"]
ID_RE = re.compile(r"^[0-9a-z]+$")
_KEY_RE = re.compile(r"^([A-Za-z]+)((?:\[[^\[\]]*\])*)$")


# --- response shapes -----------------------------------------------------------------------------


def _object_schema(schema: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """(required, properties) of a ``$ref`` (with the document's ``context`` add-on) or inline object."""
    if "$ref" in schema:
        target = SCHEMAS[schema["$ref"]]
        required, properties = list(target["required"]), dict(target["properties"])
        if "context" in schema:
            required.append("context")
            properties["context"] = {"$ref": schema["context"]}
        return required, properties
    return list(schema.get("required", [])), dict(schema.get("properties", {}))


def problems(value: Any, schema: Mapping[str, Any], where: str = "$", *, strict: bool = False) -> list[str]:
    """Every way ``value`` departs from ``schema`` (empty when it conforms)."""
    if schema.get("any"):  # the document's {not: {}}: a shape it leaves open (null included)
        return []
    if value is None:
        return [] if schema.get("nullable") else [f"{where}: null where the document has no null"]
    if "enum" in schema:
        return [] if value in schema["enum"] else [f"{where}: {value!r} not in {schema['enum']}"]
    if "const" in schema:
        return [] if value == schema["const"] else [f"{where}: {value!r} is not {schema['const']!r}"]
    if schema.get("id"):
        ok = isinstance(value, str) and ID_RE.fullmatch(value) is not None
        return [] if ok else [f"{where}: {value!r} is not an Inbox id"]
    kind = schema.get("type")
    if "$ref" in schema or kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        required, properties = _object_schema(schema)
        found = [f"{where}.{name}: required, absent" for name in required if name not in value]
        for name, item in value.items():
            if name in properties:
                found += problems(item, properties[name], f"{where}.{name}", strict=strict)
            elif strict and properties:
                found.append(f"{where}.{name}: not in the document")
        return found
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        out: list[str] = []
        for index, item in enumerate(value):
            out += problems(item, schema.get("items", {"any": True}), f"{where}[{index}]", strict=strict)
        return out
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        if schema.get("format") == "date-time":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return [f"{where}: {value!r} is not a date-time"]
        return []
    if kind in ("number", "integer"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else [f"{where}: not a number"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: not a boolean"]
    return []


def response_problems(operation: str, value: Any, *, strict: bool = True) -> list[str]:
    return problems(value, OPERATIONS[operation]["response"], operation, strict=strict)


# --- spec-shaped payloads ------------------------------------------------------------------------


def sample(
    schema: Mapping[str, Any] | str,
    *,
    minimal: bool = False,
    extras: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> Any:
    """A value shaped like ``schema``; ``overrides`` replace top-level fields (dotted keys reach in)."""
    if isinstance(schema, str):
        schema = {"$ref": schema}
    value = _sample(schema, minimal=minimal, extras=extras, seed=[0])
    for key, item in (overrides or {}).items():
        target = value
        *parents, last = key.split(".")
        for part in parents:
            target = target[part]
        target[last] = item
    return value


def _sample(schema: Mapping[str, Any], *, minimal: bool, extras: bool, seed: list[int]) -> Any:
    seed[0] += 1
    n = seed[0]
    if minimal and schema.get("nullable"):
        return None
    if schema.get("any"):
        return {"opaque": n}
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("id"):
        return f"s{n:05d}"
    kind = schema.get("type")
    if "$ref" in schema or kind == "object":
        required, properties = _object_schema(schema)
        out = {
            name: _sample(prop, minimal=minimal, extras=extras, seed=seed)
            for name, prop in properties.items()
            if not minimal or name in required
        }
        if extras and properties:
            out["futureField"] = {"added": "by a newer server"}
        return out
    if kind == "array":
        return (
            [] if minimal else [_sample(schema.get("items", {"any": True}), minimal=minimal, extras=extras, seed=seed)]
        )
    if kind == "string":
        return "2026-11-19T10:00:00.000Z" if schema.get("format") == "date-time" else f"text {n}"
    if kind in ("number", "integer"):
        return n
    if kind == "boolean":
        return False
    return None


# --- requests ------------------------------------------------------------------------------------


def _template_match(template: str, path: str) -> dict[str, str] | None:
    pattern = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
    match = re.match(pattern, path)
    return match.groupdict() if match else None


def operation_of(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The document's operation for a method and a path relative to the base URL (literal paths first)."""
    candidates = sorted(OPERATIONS, key=lambda op: op.count("{"))
    for name in candidates:
        op_method, template = name.split(" ", 1)
        if op_method != method:
            continue
        found = _template_match(template, path)
        if found is not None:
            return name, found
    return None


def _walk_deep(schema: Mapping[str, Any], parts: list[str], key: str) -> tuple[Mapping[str, Any] | None, str | None]:
    """The schema a bracket path reaches, or why it reaches nothing."""
    for part in parts:
        if schema.get("type") == "array":
            if part != "" and not part.isdigit():
                return None, f"{key}: [{part}] on an array"
            schema = schema.get("items", {"any": True})
        elif schema.get("type") == "object" or "properties" in schema:
            properties = schema.get("properties", {})
            if part not in properties:
                return None, f"{key}: [{part}] is not a property"
            schema = properties[part]
        else:
            return None, f"{key}: [{part}] on a scalar"
    return schema, None


def _scalar_problem(key: str, value: str, schema: Mapping[str, Any]) -> str | None:
    if schema.get("type") in ("array", "object") or "properties" in schema:
        return f"{key}: a scalar where the document has an {schema.get('type', 'object')}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{key}: {value!r} not in {schema['enum']}"
    if schema.get("id") and not ID_RE.fullmatch(value):
        return f"{key}: {value!r} is not an id"
    if schema.get("type") == "integer":
        if not value.isdigit() or not schema.get("minimum", 0) <= int(value) <= schema.get("maximum", 2**53):
            return f"{key}: {value!r} out of range"
    if schema.get("type") == "boolean" and value not in ("true", "false"):
        return f"{key}: {value!r} is not true/false"
    if schema.get("format") == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"{key}: {value!r} is not a date-time"
    return None


def request_problems(request: httpx.Request, base_path: str) -> list[str]:
    """Every way ``request`` departs from the document's operations (empty when it is one)."""
    path = unquote(request.url.path)
    if not path.startswith(base_path):
        return [f"{path}: outside {base_path}"]
    found = operation_of(request.method, path[len(base_path) :] or "/")
    if found is None:
        return [f"{request.method} {path}: no such operation in the document"]
    name, path_params = found
    operation = OPERATIONS[name]
    out = [
        f"{name}: path parameter {param}={value!r} is not an id"
        for param, value in path_params.items()
        if operation.get("path", {}).get(param, {}).get("id") and not ID_RE.fullmatch(value)
    ]
    if "idempotency-key" in request.headers:
        out.append(f"{name}: sends an Idempotency-Key header the document does not define")
    query = operation.get("query", {})
    for key, value in parse_qsl(request.url.query.decode(), keep_blank_values=True):
        match = _KEY_RE.fullmatch(key)
        if match is None or match.group(1) not in query:
            out.append(f"{name}: query {key!r} is not a parameter of the operation")
            continue
        param = query[match.group(1)]
        parts = re.findall(r"\[([^\[\]]*)\]", match.group(2))
        if parts and param["style"] != "deepObject":
            out.append(f"{name}: {key!r} uses brackets on a {param['style']} parameter")
            continue
        schema, problem = _walk_deep(param["schema"], parts, key)
        if problem is None and schema is not None and schema.get("type") == "array" and not parts:
            schema = schema.get("items", {"any": True})  # a repeated key is an array too
        problem = problem or (schema is not None and _scalar_problem(key, value, schema)) or None
        if problem:
            out.append(f"{name}: {problem}")
    body_spec = operation.get("body")
    content = request.content
    if body_spec is None:
        if content:
            out.append(f"{name}: a body on an operation without one")
        return out
    body = json.loads(content) if content else {}
    if not isinstance(body, dict):
        return [*out, f"{name}: the body is not an object"]
    out += [f"{name}: body lacks required {field!r}" for field in body_spec["required"] if field not in body]
    for field, item in body.items():
        if field not in body_spec["properties"]:
            out.append(f"{name}: body field {field!r} is not in the document")
        else:
            out += problems(item, body_spec["properties"][field], f"{name} body.{field}")
    return out


class Recorder(httpx.AsyncBaseTransport):
    """Answers from ``handler`` and keeps every request, so a test can check each against the document."""

    def __init__(self, handler: Any) -> None:
        self.inner = httpx.MockTransport(handler)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def problems(self, base_path: str) -> list[str]:
        return [problem for request in self.requests for problem in request_problems(request, base_path)]


__all__ = [
    "OPERATIONS",
    "SCHEMAS",
    "SPEC",
    "Recorder",
    "operation_of",
    "problems",
    "request_problems",
    "response_problems",
    "sample",
]
