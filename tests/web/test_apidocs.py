"""The API reference page: rendered by the app from its own OpenAPI schema, nothing loaded from outside."""

from __future__ import annotations

import re

import pytest

from tumar.interfaces.web.apidocs import code_spans, describe

_URL_ATTR = re.compile(r'(?:src|href|action)="([^"]*)"')


def test_docs_page_renders_every_endpoint_without_external_urls(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.text
    assert "default-src 'self'" in response.headers["content-security-policy"]
    spec = client.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method in item:
            assert f"<code>{path}</code>" in html
            assert f">{method.upper()}</span>" in html
    urls = _URL_ATTR.findall(html)
    assert urls and all(u.startswith(("/", "#", "data:")) for u in urls), [
        u for u in urls if not u.startswith("/")
    ]
    assert "cdn" not in html.lower() and "swagger" not in html.lower()
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/quickexit.js" defer>',
        '<script src="/static/app.js" defer>',
    ]
    assert "<style" not in html and " style=" not in html and " on" + "click=" not in html


def test_docs_page_shows_schemas_of_bodies_and_responses(client):
    html = client.get("/api/docs").text
    assess = html.split('id="post-api-v1-assess"', 1)[1].split('class="endpoint"', 1)[0]
    for field in ("answers", "lang", "country", "level", "safety_plan", "digital_hygiene", "help"):
        assert f"<code>{field}</code>" in assess, field
    assert "one of: KG, KZ" in assess or "&#39;KG&#39;" in assess
    assert "<h4>422" in assess
    search = html.split('id="get-api-v1-search"', 1)[1].split('class="endpoint"', 1)[0]
    assert "<code>q</code> <small>in query</small>" in search and "max length 200" in search


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/api/redoc"])
def test_framework_docs_from_a_cdn_are_not_served(client, path):
    assert client.get(path).status_code == 404


def test_openapi_schema_is_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Tumar"
    assert {"/api/v1/analyze", "/api/v1/assess", "/api/v1/chats/analyze", "/api/v1/forms"} <= set(
        spec["paths"]
    )
    assert not any(p.startswith(("/check", "/glossary", "/recipes")) for p in spec["paths"])


SPEC = {
    "paths": {
        "/things/{id}": {
            "get": {
                "summary": "A thing",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 5},
                    "kind": {"enum": ["a", "b"]},
                    "parent": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "tags": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
            }
        }
    },
}


def test_describe_resolves_references_and_stops_at_recursion():
    (endpoint,) = describe(SPEC)
    assert (endpoint.method, endpoint.path, endpoint.anchor) == ("GET", "/things/{id}", "get-things-id")
    assert endpoint.parameters[0].required and endpoint.parameters[0].schema.type == "string"
    node = endpoint.responses[0].schema
    assert node is not None and node.type == "Node"
    fields = {f.name: f for f in node.fields}
    assert fields["name"].required and fields["name"].schema.constraints == "max length 5"
    assert fields["kind"].schema.type == "one of: a, b"
    assert fields["parent"].schema.type == "Node | null" and fields["parent"].schema.fields == ()
    assert fields["children"].schema.type == "array of Node" and fields["children"].schema.fields == ()
    assert fields["tags"].schema.type == "object of integer"


def test_code_spans_escape_and_mark_literals():
    assert str(code_spans('Send ``{"text": ...}`` or `items` <b>')) == (
        "Send <code>{&#34;text&#34;: ...}</code> or <code>items</code> &lt;b&gt;"
    )
