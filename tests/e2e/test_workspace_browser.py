"""The helpline workspace in a real browser: log in, unlock the store, open a case, upload a WhatsApp export,
see the abusive messages in the timeline and download the PDF report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import LiveServer, Visit, _visit

ADMIN = ("aizada", "тоодо жаз келди 2026")
COUNSELLOR = ("nurbek", "кеңешчи сырсөзү 7")
WHATSAPP = (
    "12.01.2026, 21:40 - Айгуль: Азамат, мага мындан ары жазба. Все, хватит\n"
    "12.01.2026, 21:41 - Азамат: сен кайдасың? тез жооп бер\n"
    "12.01.2026, 21:42 - Азамат: жооп бербесең сүрөттөрүңдү баарына жиберем\n"
    "12.01.2026, 21:50 - Айгуль: отстань\n"
    "12.01.2026, 21:52 - Азамат: өлтүрөм сени, угдуңбу\n"
)


@pytest.fixture(scope="module")
def ws_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from tumar.analysis.analyzer import Analyzer
    from tumar.interfaces.web import create_app
    from tumar.interfaces.web.workspace import Workspace

    db = tmp_path_factory.mktemp("workspace") / "evidence.db"
    workspace = Workspace(f"sqlite:///{db}")
    workspace.users.add(*ADMIN, role="admin")
    workspace.users.add(*COUNSELLOR)
    live = LiveServer(create_app(Analyzer(fast=True), workspace=workspace)).start()
    yield live
    live.stop()
    workspace.close()


@pytest.fixture
def ws_visit(browser: Browser, ws_server: LiveServer) -> Iterator[Visit]:
    yield from _visit(browser, ws_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)


def _log_in(visit: Visit, who: tuple[str, str], lang: str = "ky") -> None:
    visit.go(f"/workspace/login?lang={lang}")
    visit.page.fill("#username", who[0])
    visit.page.fill("#password", who[1])
    visit.page.click("form.stack button[type=submit]")


def test_log_in_create_a_case_upload_whatsapp_and_download_the_pdf(ws_visit: Visit, tmp_path: Path) -> None:
    page = ws_visit.page
    ws_visit.expect_console_errors = True  # the failed login answers 401 on purpose
    _log_in(ws_visit, ("aizada", "wrong password!"))
    expect(page.locator(".error")).to_contain_text("туура эмес")
    _log_in(ws_visit, ADMIN)
    expect(page.locator("#passphrase")).to_be_visible()
    page.fill("#passphrase", "Ысык-Көл жайкы түн")
    page.click("form[action*='/unlock'] button[type=submit]")
    page.fill("#title", "Айгүл — коркутуу жана шантаж")
    page.click("form.stack button[type=submit] >> nth=0")
    expect(page.locator("h1")).to_contain_text("Айгүл — коркутуу жана шантаж")
    page.set_input_files(
        "#file",
        files=[
            {"name": "WhatsApp Chat with Азамат.txt", "mimeType": "text/plain", "buffer": WHATSAPP.encode()}
        ],
    )
    page.click("form[action*='/upload'] button[type=submit]")
    expect(page.locator("[role=status]")).to_be_visible()
    timeline = page.locator(".ws-timeline blockquote")
    expect(timeline.first).to_be_visible()
    assert any("сүрөттөрүңдү баарына жиберем" in t for t in timeline.all_inner_texts())
    hashes = page.locator("code.hash").all_inner_texts()
    assert len(hashes) == 1 and len(hashes[0]) == 64
    with page.expect_download() as info:
        page.click("a[href*='format=pdf']")
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "сүрөттөрүңдү" in text and "Айгүл" in text


def test_a_counsellor_sees_no_admin_pages_and_can_log_out(ws_visit: Visit) -> None:
    ws_visit.expect_console_errors = True  # the 403 page is a deliberate error response
    _log_in(ws_visit, COUNSELLOR, lang="ru")
    page = ws_visit.page
    expect(page.locator("nav.ws-nav")).to_contain_text("nurbek")
    assert page.locator("nav.ws-nav a[href^='/workspace/users']").count() == 0
    response = page.goto(ws_visit.base + "/workspace/users?lang=ru")
    assert response is not None and response.status == 403
    page.goto(ws_visit.base + "/workspace?lang=ru")
    page.click("form[action*='/logout'] button[type=submit]")
    expect(page.locator("#username")).to_be_visible()
