"""An in-process client of the web app (fast analyzer), a CSRF helper and small fictional chat exports."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from fastapi.testclient import TestClient

from tumar.analysis.analyzer import Analyzer
from tumar.interfaces.web import create_app

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def new_client(**kwargs: object) -> TestClient:
    return TestClient(create_app(Analyzer(fast=True)), **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return new_client()


@pytest.fixture
def fresh() -> TestClient:
    """A client with no cookies yet (a first visit)."""
    return new_client()


def csrf_token(client: TestClient, page: str = "/check") -> str:
    """The token of a form on ``page`` (the client keeps the matching cookie)."""
    found = _TOKEN.search(client.get(page).text)
    assert found, f"no CSRF token on {page}"
    return found.group(1)


# A WhatsApp export, in Kyrgyz typed with and without the special letters, with Russian mixed in.
WHATSAPP_KY = (
    "12.01.2026, 21:40 - Айгуль: Азамат, мага мындан ары жазба. Все, хватит\n"
    "12.01.2026, 21:41 - Азамат: сен кайдасың? тез жооп бер\n"
    "12.01.2026, 21:42 - Азамат: жооп бербесең сүрөттөрүңдү баарына жиберем\n"
    "12.01.2026, 21:43 - Азамат: сырсөзүңдү бер азыр, телефонуңду текшерем\n"
    "12.01.2026, 21:50 - Айгуль: отстань\n"
    "12.01.2026, 21:52 - Азамат: өлтүрөм сени, угдуңбу\n"
)


def telegram_json() -> bytes:
    """A Telegram Desktop export of one personal chat (Kazakh and Russian)."""
    texts = [
        ("Ерлан", "Сәлем, қайдасың? неге жауап бермейсің"),
        ("Дана", "Ерлан, маған енді жазба. Не пиши мне больше"),
        ("Ерлан", "Фотоларыңды барлығына жіберемін, ақша төлемесең"),
        ("Ерлан", "Құпиясөзіңді бер, телефоныңды тексеремін"),
    ]
    messages = [
        {
            "id": 200 + i,
            "type": "message",
            "date": f"2026-02-03T22:{10 + i:02d}:00",
            "date_unixtime": str(1770156600 + 60 * i),
            "from": sender,
            "from_id": f"user{1000 + len(sender)}",
            "text": text,
            "text_entities": [{"type": "plain", "text": text}],
        }
        for i, (sender, text) in enumerate(texts)
    ]
    export = {"name": "Ерлан", "type": "personal_chat", "id": 777, "messages": messages}
    return json.dumps(export, ensure_ascii=False, indent=1).encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
