"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright against the app served by uvicorn.

The app runs in a background thread on a free localhost port. Chromium starts headless with a fresh
temporary profile (Playwright's ``launch`` creates and deletes it) and no network features. Every test's page
records each request it makes and every console error; a test fails if any request leaves 127.0.0.1 or, unless
it says otherwise, if the console reports an error (a Content-Security-Policy violation, a script error).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        f"end-to-end tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    sync_playwright,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The app served by uvicorn in a daemon thread on 127.0.0.1."""

    def __init__(self, app: object) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,  # type: ignore[arg-type]
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"uvicorn-{self.port}", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    """The app with the fast analyzer (lexicon cues only): quick, and the same pages and security."""
    from tumar.analysis.analyzer import Analyzer
    from tumar.interfaces.web import create_app

    live = LiveServer(create_app(Analyzer(fast=True))).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Visit:
    """A browser page plus what it did: every request URL (and body) and every console error."""

    page: Page
    base: str
    requests: list[Request] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    expect_console_errors: bool = False

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def outside_requests(self) -> list[str]:
        out = []
        for request in self.requests:
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "about", "blob"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(request.url)
        return out


def _visit(browser: Browser, base: str, **context_options: object) -> Iterator[Visit]:
    context = browser.new_context(**context_options)  # type: ignore[arg-type]
    page = context.new_page()
    visit = Visit(page, base)
    context.on("request", lambda request: visit.requests.append(request))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
    yield visit
    context.close()
    assert not visit.outside_requests(), f"requests left this machine: {visit.outside_requests()}"
    assert not visit.page_errors, f"script errors: {visit.page_errors}"
    if not visit.expect_console_errors:
        assert not visit.console_errors, f"console errors: {visit.console_errors}"


@pytest.fixture
def visit(browser: Browser, server: LiveServer) -> Iterator[Visit]:
    """A fresh browser context (no cookies, no history) at a desktop size."""
    yield from _visit(browser, server.url, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser: Browser, server: LiveServer) -> Iterator[Visit]:
    """A fresh browser context the size of a small phone (360×640, touch)."""
    yield from _visit(
        browser, server.url, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
