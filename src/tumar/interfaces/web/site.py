"""What every page and route of the web app shares: templates, knowledge, the analyzer, security helpers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.types import Scope

from tumar.analysis.analyzer import Analyzer
from tumar.analysis.finding import Analysis
from tumar.errors import InputError
from tumar.i18n import t
from tumar.interfaces.web.apidocs import code_spans
from tumar.interfaces.web.security import (
    CookiePolicy,
    CsrfProtect,
    RateLimiter,
    SecurityConfig,
    json_error,
    wants_html,
)
from tumar.knowledge.loader import KnowledgeBase
from tumar.knowledge.selfcheck import SelfCheck
from tumar.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, check_language

__all__ = ["MICRO_BATCH", "Site", "ui_lang"]

MICRO_BATCH = 64  # texts analysed together at most (the embedding model's batch size)

_ERROR_KEYS = {400: "error_400", 403: "error_403", 404: "error_404", 413: "error_413", 415: "error_415"}
_ERROR_KEYS |= {422: "error_422", 429: "error_429"}


def ui_lang(lang: str | None) -> str:
    """The page language: ``lang`` if Tumar speaks it, else the default (pages never fail on it)."""
    try:
        return check_language(lang, default=DEFAULT_LANGUAGE)
    except InputError:
        return DEFAULT_LANGUAGE


class Site:
    """Shared state of one app instance. The analyzer is created on first use and used by one thread at a
    time (its cache is not thread-safe; the embedding model uses every core on its own)."""

    def __init__(
        self,
        *,
        kb: KnowledgeBase,
        selfcheck: SelfCheck,
        config: SecurityConfig,
        analyzer_factory: Callable[[], Analyzer],
        quick_exit_url: str,
    ) -> None:
        self.kb = kb
        self.selfcheck = selfcheck
        self.config = config
        self.cookies = CookiePolicy(secure=config.secure_cookies)
        self.csrf = CsrfProtect(
            config.secret_key, self.cookies, max_age=config.csrf_max_age, api_prefix=config.api_prefix
        )
        self.quick_exit_url = quick_exit_url
        self.upload_limiter = RateLimiter(limit=20, window=60)  # chat uploads per client and minute
        self.templates = Jinja2Templates(directory=str(resources.files("tumar.interfaces.web") / "templates"))
        self.templates.env.filters["code"] = code_spans
        self._analyzer_factory = analyzer_factory
        self._analyzer: Analyzer | None = None
        self.lock = threading.Lock()
        self._queue: list[tuple[str, str | None, str | None, Future[Analysis]]] = []
        self._queue_lock = threading.Lock()

    # ---- analysis ----------------------------------------------------------------------------------------
    def analyzer(self) -> Analyzer:
        with self.lock:
            if self._analyzer is None:
                self._analyzer = self._analyzer_factory()
            return self._analyzer

    def analyze(self, text: str, lang: str | None = None, *, explain_lang: str | None = None) -> Analysis:
        """One text. Texts that arrive while another analysis runs wait together and then go to the model as
        one batch (the embedding model is much faster per text in batches): whichever waiting request gets
        the lock first analyses everything queued and hands each request its own result."""
        analyzer = self.analyzer()
        mine: Future[Analysis] = Future()
        with self._queue_lock:
            self._queue.append((text, lang, explain_lang, mine))
        with self.lock:
            while not mine.done():
                with self._queue_lock:
                    batch, self._queue = self._queue[:MICRO_BATCH], self._queue[MICRO_BATCH:]
                self._run_queued(analyzer, batch)
        return mine.result()

    @staticmethod
    def _run_queued(
        analyzer: Analyzer, batch: list[tuple[str, str | None, str | None, Future[Analysis]]]
    ) -> None:
        by_explain: dict[str | None, list[tuple[str, str | None, Future[Analysis]]]] = {}
        for text, lang, explain_lang, future in batch:
            by_explain.setdefault(explain_lang, []).append((text, lang, future))
        for explain_lang, group in by_explain.items():
            try:
                results = analyzer.analyze_batch(
                    [(None, text, lang) for text, lang, _ in group], explain_lang=explain_lang
                )
            except BaseException as exc:  # every waiting request gets the error, none hangs
                for _, _, future in group:
                    future.set_exception(exc)
                continue
            for (_, _, future), result in zip(group, results, strict=True):
                future.set_result(result)

    def analyze_batch(
        self, items: list[tuple[object, str, str | None]], *, explain_lang: str | None = None
    ) -> list[Analysis]:
        analyzer = self.analyzer()
        with self.lock:
            return analyzer.analyze_batch(items, explain_lang=explain_lang)

    # ---- pages -------------------------------------------------------------------------------------------
    def quick_exit_href(self, lang: str) -> str:
        url = self.quick_exit_url
        return f"{url}?lang={lang}" if url.startswith("/") and "?" not in url else url

    def page(
        self, request: Request, name: str, lang: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """Render template ``name`` in ``lang`` with everything the base layout needs."""
        return self.templates.TemplateResponse(
            request,
            name,
            {
                "lang": lang,
                "t": lambda key: t(key, lang),
                "languages": LANGUAGES,
                "language_names": LANGUAGE_NAMES,
                "kb": self.kb,
                "path": request.url.path,
                "quick_exit_href": self.quick_exit_href(lang),
                "csrf_field": self.csrf.field_name,
                "csrf_token": lambda: self.csrf.token(request),
                **context,
            },
            status_code=status,
        )

    def error_page(self, request: Request, status: int, message: str) -> HTMLResponse:
        lang = ui_lang(request.query_params.get("lang"))
        key = _ERROR_KEYS.get(status, "error_400")
        return self.page(
            request,
            "error.html",
            lang,
            status=status,
            status_code=status,
            explanation=t(key, lang),
            detail=message,
        )

    def render_error(self, scope: Scope, status: int, message: str) -> tuple[bytes, str]:
        """For the security middleware: an HTML page for browsers, JSON for everyone else."""
        if not wants_html(scope, self.config.api_prefix):
            return json_error(scope, status, message)
        response = self.error_page(Request(scope), status, message)
        return bytes(response.body), "text/html"
