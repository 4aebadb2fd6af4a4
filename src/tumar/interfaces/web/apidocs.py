"""The API reference page, rendered by the app itself from its OpenAPI schema (no CDN, no script).

:func:`describe` turns the OpenAPI document into plain frozen views — endpoints with their parameters,
request body and responses, each schema resolved (``$ref``) into a tree of fields — that a Jinja template
prints as HTML under the app's Content-Security-Policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

__all__ = ["Endpoint", "Parameter", "Payload", "SchemaView", "code_spans", "describe"]

_METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"``(.+?)``|`([^`]+)`")
_MAX_DEPTH = 6


@dataclass(frozen=True)
class SchemaView:
    """A schema as a reader sees it: a type line and, for objects and lists of objects, its fields."""

    type: str
    description: str = ""
    constraints: str = ""
    fields: tuple[FieldView, ...] = ()


@dataclass(frozen=True)
class FieldView:
    name: str
    required: bool
    schema: SchemaView


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: SchemaView
    description: str = ""


@dataclass(frozen=True)
class Payload:
    """A request body or a response: status (responses only), media type, description and schema."""

    status: str
    media_type: str
    description: str
    schema: SchemaView | None


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: Payload | None
    responses: tuple[Payload, ...]

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.method} {self.path}".lower()).strip("-")


class _Resolver:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def deref(self, schema: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """The schema behind a ``$ref`` and the referenced name ("" when not a reference)."""
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return schema, ""
        node: Any = self.spec
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return (node if isinstance(node, dict) else {}), ref.rsplit("/", 1)[-1]

    def type_of(self, schema: dict[str, Any], seen: frozenset[str] = frozenset()) -> str:
        schema, name = self.deref(schema)
        if name and name in seen:
            return name
        if "anyOf" in schema or "oneOf" in schema:
            options = [self.type_of(s, seen) for s in schema.get("anyOf", schema.get("oneOf", []))]
            return " | ".join(dict.fromkeys(options))
        if "enum" in schema:
            return "one of: " + ", ".join(str(v) for v in schema["enum"])
        if "const" in schema:
            return repr(schema["const"])
        kind = schema.get("type")
        if kind == "array":
            return f"array of {self.type_of(schema.get('items', {}), seen)}"
        if kind == "object" or "properties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra and not schema.get("properties"):
                return f"object of {self.type_of(extra, seen)}"
            return name or "object"
        if isinstance(kind, str):
            fmt = schema.get("format")
            return f"{kind} ({fmt})" if fmt else kind
        return name or "any"

    def view(self, schema: dict[str, Any], depth: int = 0, seen: frozenset[str] = frozenset()) -> SchemaView:
        target, name = self.deref(schema)
        line = self.type_of(schema, seen)
        description = str(target.get("description") or schema.get("description") or "")
        if name and name in seen:  # a model that contains itself: name it, do not expand it again
            return SchemaView(line, description)
        inner = seen | {name} if name else seen
        fields = self._fields(target, depth, inner) if depth < _MAX_DEPTH else ()
        return SchemaView(line, description, _constraints(target), fields)

    def _fields(self, schema: dict[str, Any], depth: int, seen: frozenset[str]) -> tuple[FieldView, ...]:
        for option in schema.get("anyOf", []):
            inner, name = self.deref(option)
            if (inner.get("type") == "object" or "properties" in inner) and name not in seen:
                return self._fields(inner, depth, seen | ({name} if name else set()))
            if inner.get("type") == "array":
                return self._fields(inner, depth, seen)
        if schema.get("type") == "array":
            items, name = self.deref(schema.get("items", {}))
            if name in seen:
                return ()
            return self._fields(items, depth, seen | ({name} if name else set()))
        required = set(schema.get("required", []))
        return tuple(
            FieldView(key, key in required, self.view(sub, depth + 1, seen))
            for key, sub in schema.get("properties", {}).items()
        )


def _constraints(schema: dict[str, Any]) -> str:
    parts = []
    for key, label in (
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("pattern", "pattern"),
    ):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default {schema['default']!r}")
    return ", ".join(parts)


def describe(spec: dict[str, Any]) -> list[Endpoint]:
    """Every operation of an OpenAPI 3 document, in the document's order."""
    resolver = _Resolver(spec)
    endpoints = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params = tuple(
                Parameter(
                    name=str(p.get("name", "")),
                    location=str(p.get("in", "")),
                    required=bool(p.get("required", False)),
                    schema=resolver.view(p.get("schema", {})),
                    description=str(p.get("description", "")),
                )
                for p in (resolver.deref(raw)[0] for raw in op.get("parameters", []))
            )
            body = None
            if "requestBody" in op:
                request_body, _ = resolver.deref(op["requestBody"])
                content = request_body.get("content", {})
                media = next(iter(content), "")
                schema = content.get(media, {}).get("schema")
                body = Payload(
                    "",
                    media,
                    str(request_body.get("description", "")),
                    resolver.view(schema) if schema else None,
                )
            responses = []
            for status, raw in op.get("responses", {}).items():
                response, _ = resolver.deref(raw)
                content = response.get("content", {})
                media = next(iter(content), "")
                schema = content.get(media, {}).get("schema")
                responses.append(
                    Payload(
                        str(status),
                        media,
                        str(response.get("description", "")),
                        resolver.view(schema) if schema else None,
                    )
                )
            endpoints.append(
                Endpoint(
                    method=method.upper(),
                    path=path,
                    summary=str(op.get("summary", "")),
                    description=str(op.get("description", "")),
                    tags=tuple(op.get("tags", ())),
                    parameters=params,
                    body=body,
                    responses=tuple(responses),
                )
            )
    return endpoints


def code_spans(text: str) -> Markup:
    """``text`` escaped, with ``literal`` and `literal` spans of docstrings shown as <code>."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", str(escape(text))))
