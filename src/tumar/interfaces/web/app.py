"""FastAPI application: the public pages and the versioned REST API, with the security plumbing around them.

Nothing typed into "check a message", marked in the self-check or uploaded is stored or logged. Pages load
nothing from outside the machine (strict Content-Security-Policy, no CDN, the API docs are rendered by the
app), every HTML form post needs a CSRF token, request bodies are size-limited, and every page has a
quick-exit button (also: Esc pressed twice) that leaves no Tumar page in the back-button history.
"""

from __future__ import annotations

import dataclasses
import os
from importlib import resources

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tumar.analysis.analyzer import Analyzer, default_analyzer
from tumar.errors import BadRecordError, InputError, NotFoundError, TumarError, UnknownFormError
from tumar.interfaces.web.api import MAX_BATCH, MAX_TEXT, api_router
from tumar.interfaces.web.pages import page_router
from tumar.interfaces.web.security import SecurityConfig, SecurityMiddleware, wants_html
from tumar.interfaces.web.site import Site
from tumar.interfaces.web.uploads import MAX_UPLOAD_BYTES
from tumar.interfaces.web.workspace import MAX_CASE_UPLOAD, Workspace, workspace_router
from tumar.knowledge.loader import load_knowledge_base
from tumar.knowledge.selfcheck import load_selfcheck

__all__ = ["DEFAULT_BODY_LIMITS", "create_app"]

# A batch of 100 texts of 20,000 characters, JSON-escaped, fits; an upload gets its 20 MB plus the multipart
# envelope. Everything else (form posts, the self-check) stays under SecurityConfig.max_body (512 KB).
DEFAULT_BODY_LIMITS: dict[str, int] = {
    "/api/v1/analyze": MAX_BATCH * MAX_TEXT * 6 + 64 * 1024,
    "/check/upload": MAX_UPLOAD_BYTES + 256 * 1024,
    "/api/v1/chats/analyze": MAX_UPLOAD_BYTES + 256 * 1024,
    "/workspace/cases/*/upload": MAX_CASE_UPLOAD + 256 * 1024,
    "/api/v1/cases/*/items": MAX_CASE_UPLOAD + 256 * 1024,
}

_DESCRIPTION = (
    "Tumar's REST API: analyse messages for forms of technology-facilitated gender-based violence, read the "
    "glossary of 27 forms, and run the red-flag self-check. Nothing sent is stored or logged. Errors are JSON "
    '`{"error": "..."}` with a 4xx status; validation errors name the field.'
)


def _status_of(exc: TumarError) -> int:
    if isinstance(exc, UnknownFormError | NotFoundError):
        return 404
    return 400 if isinstance(exc, InputError) else 500


def create_app(
    analyzer: Analyzer | None = None,
    *,
    security: SecurityConfig | None = None,
    quick_exit_url: str = "/recipes",
    workspace: Workspace | None = None,
) -> FastAPI:
    """The application. ``analyzer`` defaults to the packaged model (created on first use); ``security``
    defaults to :meth:`SecurityConfig.from_env`; ``quick_exit_url`` is where the quick exit goes (a page of
    this app by default, so it works offline); ``workspace`` holds the helpline accounts and evidence store
    (default: the database at ``TUMAR_DATABASE_URL`` or the local SQLite file, opened on first use, unlocked at
    once if ``TUMAR_PASSPHRASE`` is set)."""
    config = security or SecurityConfig.from_env()
    config = dataclasses.replace(config, body_limits={**DEFAULT_BODY_LIMITS, **config.body_limits})
    site = Site(
        kb=load_knowledge_base(),
        selfcheck=load_selfcheck(),
        config=config,
        analyzer_factory=(lambda: analyzer) if analyzer is not None else default_analyzer,
        quick_exit_url=quick_exit_url,
    )
    app = FastAPI(
        title="Tumar",
        version="1",
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        dependencies=[Depends(site.csrf.dependency())],
    )
    app.state.site = site
    app.state.csrf = site.csrf
    app.state.cookies = site.cookies
    app.add_middleware(SecurityMiddleware, config=config, render_error=site.render_error)
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("tumar.interfaces.web") / "static")),
        name="static",
    )

    def error(request: Request, status: int, message: str, **extra: object) -> Response:
        if wants_html(request.scope, config.api_prefix):
            return site.error_page(request, status, message)
        return JSONResponse({"error": message, **extra}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = error(request, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(TumarError)
    async def tumar_error(request: Request, exc: TumarError) -> Response:
        extra = {"field": exc.field} if isinstance(exc, BadRecordError) and exc.field else {}
        return error(request, _status_of(exc), str(exc), **extra)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return error(
            request,
            422,
            f"invalid request: {problems[0]}" if problems else "invalid request",
            details=problems,
        )

    app.include_router(page_router(site))
    app.include_router(api_router(site))
    ws = workspace or Workspace(passphrase=os.environ.get("TUMAR_PASSPHRASE"))
    app.state.workspace = ws
    app.include_router(workspace_router(site, ws))
    return app
