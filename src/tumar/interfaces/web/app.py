"""FastAPI application: the glossary and "check a message" pages, and the versioned REST API.

Nothing typed into "check a message" is stored or logged. Pages load nothing from outside the machine
(strict Content-Security-Policy), and every page has a quick-exit button (also: Esc pressed twice).
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from tumar.analysis.analyzer import Analyzer, default_analyzer
from tumar.errors import InputError, TumarError, UnknownFormError
from tumar.i18n import t
from tumar.knowledge.booklet import forms_in_order, law_json
from tumar.knowledge.loader import load_knowledge_base
from tumar.knowledge.search import search_forms
from tumar.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, check_language

MAX_TEXT = 20_000
MAX_BATCH = 100

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class AnalyzeItem(BaseModel):
    id: Any = None
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    lang: str | None = None


class AnalyzeRequest(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    lang: str | None = None
    explain_lang: str | None = None
    items: list[AnalyzeItem] | None = Field(default=None, max_length=MAX_BATCH)


def create_app(analyzer: Analyzer | None = None) -> FastAPI:
    """The application; ``analyzer`` defaults to the packaged model (created on first use)."""
    app = FastAPI(
        title="Tumar", version="1", docs_url="/api/docs", openapi_url="/api/v1/openapi.json", redoc_url=None
    )
    templates = Jinja2Templates(directory=str(resources.files("tumar.interfaces.web") / "templates"))
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("tumar.interfaces.web") / "static")),
        name="static",
    )
    kb = load_knowledge_base()
    state: dict[str, Analyzer] = {}

    def get_analyzer() -> Analyzer:
        if "a" not in state:
            state["a"] = analyzer or default_analyzer()
        return state["a"]

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        if not request.url.path.startswith("/api/docs"):
            response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(TumarError)
    async def tumar_error(request: Request, exc: TumarError) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownFormError) else 400 if isinstance(exc, InputError) else 500
        return JSONResponse({"error": str(exc)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return JSONResponse({"error": "invalid request", "details": problems}, status_code=422)

    def page(request: Request, name: str, lang: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            name,
            {
                "lang": lang,
                "t": lambda key: t(key, lang),
                "languages": LANGUAGES,
                "language_names": LANGUAGE_NAMES,
                "kb": kb,
                "path": request.url.path,
                **context,
            },
        )

    def ui_lang(lang: str | None) -> str:
        try:
            return check_language(lang, default=DEFAULT_LANGUAGE)
        except InputError:
            return DEFAULT_LANGUAGE

    # ---- pages -------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, lang: str | None = None) -> HTMLResponse:
        return page(request, "home.html", ui_lang(lang))

    @app.get("/glossary", response_class=HTMLResponse)
    def glossary_page(request: Request, lang: str | None = None, q: str | None = None) -> HTMLResponse:
        lg = ui_lang(lang)
        hits = search_forms(q, lang=lg) if q and q.strip() else None
        return page(request, "glossary.html", lg, forms=forms_in_order(kb, lg), q=q or "", hits=hits)

    @app.get("/glossary/{form_id}", response_class=HTMLResponse)
    def form_page(request: Request, form_id: str, lang: str | None = None) -> HTMLResponse:
        lg = ui_lang(lang)
        try:
            form = kb.form(form_id)
        except UnknownFormError as exc:
            raise HTTPException(404, str(exc)) from None
        return page(
            request,
            "form.html",
            lg,
            form=form,
            text=form.t(lg),
            laws=kb.laws_for(form.id),
            cases=kb.cases_for(form.id),
        )

    @app.get("/check", response_class=HTMLResponse)
    def check_page(request: Request, lang: str | None = None) -> HTMLResponse:
        return page(request, "check.html", ui_lang(lang), result=None, text="")

    @app.post("/check", response_class=HTMLResponse)
    def check_submit(
        request: Request, text: Annotated[str, Form(max_length=MAX_TEXT)] = "", lang: str | None = None
    ) -> HTMLResponse:
        lg = ui_lang(lang)
        result = get_analyzer().analyze(text, explain_lang=lg) if text.strip() else None
        return page(request, "check.html", lg, result=result, text=text)

    @app.get("/help", response_class=HTMLResponse)
    def help_page(request: Request, lang: str | None = None) -> HTMLResponse:
        return page(request, "help.html", ui_lang(lang))

    # ---- API ---------------------------------------------------------------------------------------------
    @app.get("/api/v1/forms")
    def api_forms(lang: str | None = None) -> list[dict[str, Any]]:
        lg = check_language(lang, default="en")
        return [
            {
                "id": f.id,
                "group": f.group,
                "severity": f.severity,
                "name": f.t(lg).name,
                "definition": f.t(lg).definition,
            }
            for f in kb.forms.values()
        ]

    @app.get("/api/v1/forms/{form_id}")
    def api_form(form_id: str, lang: str | None = None) -> dict[str, Any]:
        lg = check_language(lang, default="en")
        form = kb.form(form_id)
        return {
            "id": form.id,
            "group": form.group,
            "severity": form.severity,
            "language": lg,
            **form.t(lg).model_dump(),
            "related": list(form.related),
            "laws": [law_json(x, lg) for x in kb.laws_for(form.id)],
            "cases": [
                {"id": c.id, "title": c.title.get(lg), "story": c.story.get(lg)}
                for c in kb.cases_for(form.id)
            ],
        }

    @app.get("/api/v1/search")
    def api_search(
        q: Annotated[str, Query(max_length=200)] = "", lang: str | None = None
    ) -> list[dict[str, Any]]:
        return [
            {"id": h.form_id, "score": round(h.score, 1), "matched": h.matched}
            for h in search_forms(q, lang=lang)
        ]

    @app.post("/api/v1/analyze")
    def api_analyze(body: AnalyzeRequest) -> Any:
        explain_lang = check_language(body.explain_lang) if body.explain_lang else None
        if (body.text is None) == (body.items is None):
            raise InputError("give either 'text' or 'items'")
        if body.items is not None:
            items = [(i.id, i.text, check_language(i.lang) if i.lang else None) for i in body.items]
            return [a.to_json() for a in get_analyzer().analyze_batch(items, explain_lang=explain_lang)]
        assert body.text is not None
        lang = check_language(body.lang) if body.lang else None
        return get_analyzer().analyze(body.text, lang, explain_lang=explain_lang).to_json()

    return app
