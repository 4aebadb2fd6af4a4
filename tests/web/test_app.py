"""The web app and REST API, through an in-process client."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from tumar.analysis.analyzer import Analyzer
from tumar.interfaces.web import create_app


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(Analyzer(fast=True)))


@pytest.mark.parametrize("lang", ["ky", "ru", "kk", "en"])
def test_pages_in_every_language(client, kb, lang):
    for path in ("/", "/glossary", "/glossary/doxxing", "/check", "/help"):
        response = client.get(f"{path}?lang={lang}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text
    assert (
        str(escape(kb.form("doxxing").t(lang).definition))
        in client.get(f"/glossary/doxxing?lang={lang}").text
    )


def test_pages_load_nothing_from_outside(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert 'src="http' not in response.text and 'href="http' not in response.text
    assert 'id="quick-exit"' in response.text


def test_glossary_search_page(client, kb):
    response = client.get("/glossary?lang=ru&q=kiberstalking")
    assert kb.form("cyberstalking").t("ru").name in response.text.split('class="hits"')[1][:500]


def test_api_forms_and_search(client):
    forms = client.get("/api/v1/forms?lang=kk").json()
    assert len(forms) == 27
    assert client.get("/api/v1/forms/sextortion?lang=en").json()["laws"]
    assert client.get("/api/v1/search?q=доксинг").json()[0]["id"] == "doxxing"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/forms/doxing", None, 404),
        ("get", "/api/v1/forms?lang=de", None, 400),
        ("get", "/api/v1/search?q=", None, 400),
        ("post", "/api/v1/analyze", {}, 400),
        ("post", "/api/v1/analyze", {"text": ""}, 422),
        ("post", "/api/v1/analyze", {"text": "салам", "explain_lang": "fr"}, 400),
        ("post", "/api/v1/analyze", {"items": [{"id": 1}]}, 422),
    ],
)
def test_bad_requests_get_clear_4xx(client, method, path, body, status):
    response = getattr(client, method)(path, json=body) if body is not None else getattr(client, method)(path)
    assert response.status_code == status
    assert "error" in response.json()


def test_api_analyze_single_and_batch(client):
    one = client.post("/api/v1/analyze", json={"text": "hello, how are you?"}).json()
    assert set(one) >= {"id", "language", "urgent", "severity", "findings", "pii"}
    batch = client.post(
        "/api/v1/analyze", json={"items": [{"id": "a", "text": "салам"}, {"id": "b", "text": "hi"}]}
    )
    assert [r["id"] for r in batch.json()] == ["a", "b"]
