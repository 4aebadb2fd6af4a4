"""Chat exports uploaded to "check a message" and to /api/v1/chats/analyze: limits, types, results, cleanup."""

from __future__ import annotations

import tempfile

import pytest

from tests.web.conftest import WHATSAPP_KY, csrf_token, new_client, telegram_json, zipped
from tumar.interfaces.web import uploads
from tumar.interfaces.web.uploads import MAX_UPLOAD_BYTES, safe_name

API = "/api/v1/chats/analyze?lang=en"


def _post(client, name: str, data: bytes, path: str = API):
    return client.post(path, files={"file": (name, data, "application/octet-stream")})


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """Where temporary files go during the test (to see that nothing is left behind)."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


# ---- limits ------------------------------------------------------------------------------------------------
def test_file_over_20_mb_is_413_json(fresh, temp_root):
    response = _post(fresh, "result.json", b"{" + b" " * MAX_UPLOAD_BYTES)
    assert response.status_code == 413
    assert response.json()["error"] == "file: the chat export is larger than 20 MB"
    assert list(temp_root.iterdir()) == []


def test_request_far_over_the_limit_is_refused_before_reading(fresh):
    response = _post(fresh, "result.json", b"{" + b" " * (MAX_UPLOAD_BYTES + 300 * 1024))
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0JFIF", ".jpg is not a chat export"),
        ("chat.pdf", b"%PDF-1.7", ".pdf is not a chat export"),
        ("chat", b"hello", "no extension is not a chat export"),
        ("chat.json", b"hello, not json", "does not hold JSON"),
        ("chat.zip", b"plain text, not a zip", "not a zip archive"),
        ("chat.txt", b"\x00\x01\x02binary", "binary, not text"),
        ("chat.txt", "Привет, как дела".encode("cp1251"), "not UTF-8 text"),
        ("chat.txt", b"", "the file is empty"),
        ("chat.zip", b"PK\x03\x04 but broken", "damaged"),
    ],
)
def test_wrong_type_is_415_json(fresh, temp_root, name, data, reason):
    response = _post(fresh, name, data)
    assert response.status_code == 415
    error = response.json()["error"]
    assert error.startswith("file: ") and reason in error
    assert list(temp_root.iterdir()) == []


def test_zip_that_unpacks_too_far_is_refused(fresh, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_TEXT", 10_000)
    bomb = zipped({"ChatExport/result.json": b"{" + b" " * 20_000 + b"}"})
    response = _post(fresh, "ChatExport.zip", bomb)
    assert response.status_code == 413
    assert "unpacked" in response.json()["error"]


def test_unreadable_export_is_400_naming_the_file_not_the_temporary_path(fresh):
    response = _post(fresh, "result.json", b'{"about": "not a chat"}')
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("result.json") and "/tmp" not in error and "tumar-upload" not in error


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "C:\\Users\\Dana\\chat.txt", "a/b/<script>.txt"])
def test_file_names_cannot_leave_the_temporary_directory(name):
    clean = safe_name(name)
    assert "/" not in clean and "\\" not in clean and "<" not in clean and clean.endswith(".txt")


def test_uploads_are_rate_limited():
    client = new_client()
    site = client.app.state.site  # type: ignore[attr-defined]
    for _ in range(site.upload_limiter.limit):
        site.upload_limiter.hit("testclient")
    response = _post(client, "chat.txt", WHATSAPP_KY.encode())
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1


# ---- results -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "data", "platform", "abuser"),
    [
        ("WhatsApp Chat with Азамат.txt", WHATSAPP_KY.encode(), "whatsapp", "Азамат"),
        ("WhatsApp Chat with Азамат.zip", zipped({"_chat.txt": WHATSAPP_KY.encode()}), "whatsapp", "Азамат"),
        ("result.json", telegram_json(), "telegram", "Ерлан"),
        (
            "ChatExport_2026-02-03.zip",
            zipped({"ChatExport_2026-02-03/result.json": telegram_json()}),
            "telegram",
            "Ерлан",
        ),
    ],
)
def test_chat_exports_are_analysed_and_nothing_is_left_behind(fresh, temp_root, name, data, platform, abuser):
    response = _post(fresh, name, data)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["source"], body["platform"]) == (name, platform)
    assert body["messages"] >= 4 and body["analyzed"] == body["messages"]
    assert body["summary"]["abuser"] == abuser
    assert body["summary"]["forms"], body
    flagged = body["abusive_messages"]
    assert flagged and all(m["from"] == abuser for m in flagged)
    assert all(f["explanation"] for m in flagged for f in m["findings"])
    assert list(temp_root.iterdir()) == []


def test_upload_page_shows_flagged_messages_and_the_summary(fresh, temp_root):
    token = csrf_token(fresh)
    response = fresh.post(
        "/check/upload?lang=ky",
        files={"file": ("WhatsApp Chat with Азамат.txt", WHATSAPP_KY.encode(), "text/plain")},
        data={"csrf_token": token},
    )
    assert response.status_code == 200
    html = response.text
    assert 'id="chat-result"' in html and 'class="chat-message"' in html
    assert "жооп бербесең сүрөттөрүңдү баарына жиберем" in html
    assert "Азамат" in html.split('id="chat-result"', 1)[1]
    assert list(temp_root.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "data", "status", "lang", "phrase"),
    [
        ("photo.png", b"\x89PNG\r\n", 415, "ru", "Tumar читает только экспорты чатов"),
        ("result.json", b"{" + b" " * MAX_UPLOAD_BYTES, 413, "kk", "Файл немесе мәтін тым үлкен"),
    ],
)
def test_upload_errors_are_pages_for_browsers(fresh, name, data, status, lang, phrase):
    token = csrf_token(fresh)
    response = fresh.post(
        f"/check/upload?lang={lang}",
        files={"file": (name, data, "application/octet-stream")},
        data={"csrf_token": token},
        headers={"accept": "text/html"},
    )
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in response.text and phrase in response.text


def test_missing_file_is_422_naming_the_field(fresh):
    response = fresh.post(API, data={"x": "1"})
    assert response.status_code == 422
    assert "body.file" in response.json()["error"]
