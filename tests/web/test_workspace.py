"""The helpline workspace: login, unlock, cases, uploads, timeline, report — pages and API, with roles,
rate limiting, CSRF and the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tumar.analysis.analyzer import Analyzer
from tumar.interfaces.web import create_app
from tumar.interfaces.web.workspace import Workspace

from .conftest import WHATSAPP_KY, csrf_token

ADMIN = ("aizada", "тоодо жаз келди 2026")
COUNSELLOR = ("nurbek", "кеңешчи сырсөзү 7")
PASSPHRASE = "Ысык-Көл жайкы түн"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.from_url(f"sqlite:///{tmp_path / 'evidence.db'}")
    ws.users.add(*ADMIN, role="admin")
    ws.users.add(*COUNSELLOR)
    yield ws
    ws.close()


@pytest.fixture
def app_client(workspace: Workspace) -> TestClient:
    return TestClient(create_app(Analyzer(fast=True), workspace=workspace))


def _login(client: TestClient, who: tuple[str, str]) -> None:
    token = csrf_token(client, "/workspace/login")
    r = client.post(
        "/workspace/login",
        data={"username": who[0], "password": who[1], "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def _api_token(client: TestClient, who: tuple[str, str]) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": who[0], "password": who[1]})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_pages_need_a_login(app_client: TestClient) -> None:
    r = app_client.get("/workspace", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/workspace/login")
    assert app_client.get("/api/v1/cases").status_code == 401
    assert app_client.get("/workspace/cases/abcd1234").status_code == 401


def test_admin_unlocks_then_a_counsellor_keeps_a_case(app_client: TestClient, workspace: Workspace) -> None:
    _login(app_client, ADMIN)
    page = app_client.get("/workspace?lang=ru")
    assert "Хранилище доказательств заперто" in page.text and 'name="passphrase"' in page.text
    token = csrf_token(app_client, "/workspace?lang=ru")
    r = app_client.post(
        "/workspace/unlock", data={"passphrase": PASSPHRASE, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303 and not workspace.locked

    counsellor = TestClient(app_client.app)
    _login(counsellor, COUNSELLOR)
    token = csrf_token(counsellor, "/workspace?lang=ky")
    r = counsellor.post(
        "/workspace/cases?lang=ky",
        data={"title": "Айгүл — коркутуу", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    case_url = r.headers["location"].split("?")[0]
    case_id = case_url.rsplit("/", 1)[1]
    token = csrf_token(counsellor, f"{case_url}?lang=ky")
    r = counsellor.post(
        f"{case_url}/upload?lang=ky",
        files={"file": ("WhatsApp Chat with Azamat.txt", WHATSAPP_KY.encode(), "text/plain")},
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = counsellor.get(f"{case_url}?lang=ky").text
    assert "сүрөттөрүңдү баарына жиберем" in page  # the timeline shows the abusive message
    assert "Азамат" in page and "chat_imported" in page
    report = counsellor.get(f"{case_url}/report?lang=ky&format=pdf")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    assert f"tumar-case-{case_id}-ky.pdf" in report.headers["content-disposition"]
    actions = [(a["username"], a["action"]) for a in workspace.users.audit_log(case_id)]
    assert ("nurbek", "case_opened") in actions and ("nurbek", "report_downloaded") in actions


def test_wrong_passphrase_and_counsellor_cannot_unlock(app_client: TestClient, workspace: Workspace) -> None:
    workspace.unlock(PASSPHRASE)
    workspace._store = None
    _login(app_client, COUNSELLOR)
    token = csrf_token(app_client, "/workspace")
    r = app_client.post("/workspace/unlock", data={"passphrase": PASSPHRASE, "csrf_token": token})
    assert r.status_code == 403 and workspace.locked
    admin = TestClient(app_client.app)
    _login(admin, ADMIN)
    token = csrf_token(admin, "/workspace")
    r = admin.post("/workspace/unlock", data={"passphrase": "туура эмес", "csrf_token": token})
    assert r.status_code == 403 and workspace.locked


def test_forms_without_csrf_token_are_refused(app_client: TestClient) -> None:
    _login(app_client, ADMIN)
    r = app_client.post("/workspace/unlock", data={"passphrase": PASSPHRASE})
    assert r.status_code == 403


def test_login_is_rate_limited(app_client: TestClient) -> None:
    for _ in range(5):
        r = app_client.post("/api/v1/auth/login", json={"username": "nurbek", "password": "wrong password"})
        assert r.status_code == 401
    r = app_client.post("/api/v1/auth/login", json={"username": "nurbek", "password": COUNSELLOR[1]})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert r.json()["error"].startswith("too many login attempts")


def test_api_case_lifecycle(app_client: TestClient, workspace: Workspace) -> None:
    workspace.unlock(PASSPHRASE)
    auth = _api_token(app_client, COUNSELLOR)
    r = app_client.post("/api/v1/cases", json={"title": "Дана — шантаж"}, headers=auth)
    assert r.status_code == 201
    case_id = r.json()["id"]
    r = app_client.post(
        f"/api/v1/cases/{case_id}/items?lang=ru",
        files={"file": ("WhatsApp Chat with Azamat.txt", WHATSAPP_KY.encode(), "text/plain")},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    chat = r.json()[0]
    assert chat["kind"] == "chat" and re.fullmatch(r"[0-9a-f]{64}", chat["sha256"]) and chat["messages"] == 6
    r = app_client.post(
        f"/api/v1/cases/{case_id}/messages", json={"text": "сени өлтүрөм, эртең үйүңө барам"}, headers=auth
    )
    assert r.status_code == 201
    timeline = app_client.get(f"/api/v1/cases/{case_id}/timeline?lang=ru", headers=auth).json()
    assert timeline["messages"] and timeline["custody_verified"]
    assert all(m["findings"] for m in timeline["messages"])
    case = app_client.get(f"/api/v1/cases/{case_id}", headers=auth).json()
    assert [e["action"] for e in case["custody"]][:2] == ["case_created", "item_added"]
    html = app_client.get(f"/api/v1/cases/{case_id}/report?format=html&lang=en", headers=auth)
    assert (html.status_code == 200 and "Chain of custody" in html.text) or "custody" in html.text.lower()
    assert [c["id"] for c in app_client.get("/api/v1/cases", headers=auth).json()] == [case_id]


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("virus.exe", b"MZ\x90\x00", 415),
        ("photo.jpg", b"not really a jpeg", 415),
        ("empty.txt", b"", 422),
    ],
)
def test_upload_type_checks(
    app_client: TestClient, workspace: Workspace, name: str, content: bytes, status: int
) -> None:
    workspace.unlock(PASSPHRASE)
    auth = _api_token(app_client, COUNSELLOR)
    case_id = app_client.post("/api/v1/cases", json={"title": "x"}, headers=auth).json()["id"]
    r = app_client.post(f"/api/v1/cases/{case_id}/items", files={"file": (name, content)}, headers=auth)
    assert r.status_code == status and "file:" in r.json()["error"]
    assert app_client.get(f"/api/v1/cases/{case_id}", headers=auth).json()["items"] == []


def test_api_errors_are_json(app_client: TestClient, workspace: Workspace) -> None:
    auth = _api_token(app_client, COUNSELLOR)
    locked = app_client.get("/api/v1/cases", headers=auth)
    assert locked.status_code == 423 and "locked" in locked.json()["error"]
    workspace.unlock(PASSPHRASE)
    missing = app_client.get("/api/v1/cases/deadbeef", headers=auth)
    assert missing.status_code == 404 and "no case" in missing.json()["error"]
    bad = app_client.post("/api/v1/cases", json={"title": ""}, headers=auth)
    assert bad.status_code == 422 and "title" in bad.json()["error"]
    assert app_client.get("/api/v1/cases", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_admin_pages_are_for_admins(app_client: TestClient) -> None:
    _login(app_client, COUNSELLOR)
    assert app_client.get("/workspace/users").status_code == 403
    admin = TestClient(app_client.app)
    _login(admin, ADMIN)
    page = admin.get("/workspace/users?lang=kk")
    assert page.status_code == 200 and "nurbek" in page.text and "Кім қай істі ашты" in page.text
