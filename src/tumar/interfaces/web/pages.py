"""Server-rendered pages in ky/ru/kk/en: home, check a message, the self-check, glossary, help, API docs and
the neutral page the quick exit leads to. Nothing typed or uploaded is stored or logged."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse

from tumar.chats.importers import parse_pasted
from tumar.errors import BadRecordError, ImportFormatError, UnknownFormError
from tumar.interfaces.web.api import MAX_TEXT
from tumar.interfaces.web.apidocs import describe
from tumar.interfaces.web.chatcheck import check_pasted, check_upload, looks_like_chat
from tumar.interfaces.web.security import rate_limited
from tumar.interfaces.web.site import Site, ui_lang
from tumar.interfaces.web.uploads import MAX_UPLOAD_BYTES
from tumar.knowledge.booklet import forms_in_order
from tumar.knowledge.models import FORM_IDS
from tumar.knowledge.search import search_forms
from tumar.knowledge.selfcheck import assess

__all__ = ["page_router"]


@lru_cache(maxsize=1)
def neutral_page() -> dict[str, Any]:
    """The recipe shown by the quick exit (``data/neutral.yaml``)."""
    path = resources.files("tumar.interfaces.web") / "data" / "neutral.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def page_router(site: Site) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    kb = site.kb

    @router.get("/", response_class=HTMLResponse)
    def home(request: Request, lang: str | None = None) -> HTMLResponse:
        return site.page(request, "home.html", ui_lang(lang))

    @router.get("/glossary", response_class=HTMLResponse)
    def glossary_page(
        request: Request, lang: str | None = None, q: str | None = None, group: str | None = None
    ) -> HTMLResponse:
        lg = ui_lang(lang)
        hits = search_forms(q, lang=lg) if q and q.strip() else None
        forms = forms_in_order(kb, lg)
        chosen = group if group in FORM_IDS else None
        if chosen:
            forms = [f for f in forms if f.group == chosen]
        return site.page(request, "glossary.html", lg, forms=forms, q=q or "", hits=hits, group=chosen)

    @router.get("/glossary/{form_id}", response_class=HTMLResponse)
    def form_page(request: Request, form_id: str, lang: str | None = None) -> HTMLResponse:
        lg = ui_lang(lang)
        try:
            form = kb.form(form_id)
        except UnknownFormError as exc:
            raise HTTPException(404, str(exc)) from None
        return site.page(
            request,
            "form.html",
            lg,
            form=form,
            text=form.t(lg),
            laws=kb.laws_for(form.id),
            cases=kb.cases_for(form.id),
        )

    def check_page_context() -> dict[str, Any]:
        return {"max_upload": MAX_UPLOAD_BYTES, "result": None, "chat": None, "text": ""}

    @router.get("/check", response_class=HTMLResponse)
    def check_page(request: Request, lang: str | None = None) -> HTMLResponse:
        return site.page(request, "check.html", ui_lang(lang), **check_page_context())

    @router.post("/check", response_class=HTMLResponse)
    def check_submit(
        request: Request, text: Annotated[str, Form(max_length=MAX_TEXT)] = "", lang: str | None = None
    ) -> HTMLResponse:
        """One message, or a chat pasted as text (then every message and the patterns across them)."""
        lg = ui_lang(lang)
        context = check_page_context() | {"text": text}
        if text.strip():
            try:
                messages = parse_pasted(text)
            except ImportFormatError:
                messages = []
            if looks_like_chat(messages):
                context["chat"] = check_pasted(site, messages, lg)
            else:
                context["result"] = site.analyze(text, explain_lang=lg)
        return site.page(request, "check.html", lg, **context)

    @router.post(
        "/check/upload",
        response_class=HTMLResponse,
        dependencies=[Depends(rate_limited(site.upload_limiter))],
    )
    async def check_upload_page(request: Request, file: UploadFile, lang: str | None = None) -> HTMLResponse:
        lg = ui_lang(lang)
        chat = await check_upload(site, file, lg)
        return site.page(request, "check.html", lg, **(check_page_context() | {"chat": chat}))

    @router.get("/check-yourself", response_class=HTMLResponse)
    def selfcheck_page(request: Request, lang: str | None = None) -> HTMLResponse:
        return site.page(request, "selfcheck.html", ui_lang(lang), selfcheck=site.selfcheck)

    @router.post("/check-yourself", response_class=HTMLResponse)
    def selfcheck_submit(
        request: Request,
        yes: Annotated[list[str] | None, Form(max_length=100)] = None,
        country: Annotated[str, Form(max_length=2)] = "",
        lang: str | None = None,
    ) -> HTMLResponse:
        lg = ui_lang(lang)
        marked = set(yes or [])
        known = {q.id for q in site.selfcheck.questions}
        unknown = sorted(marked - known)
        if unknown:
            raise BadRecordError("unknown question id", source="form", field=f"yes={unknown[0]}")
        answers = {qid: qid in marked for qid in known}
        result = assess(answers, lg, country=country or None, kb=kb, selfcheck=site.selfcheck)
        return site.page(request, "plan.html", lg, result=result, country=country)

    @router.get("/help", response_class=HTMLResponse)
    def help_page(request: Request, lang: str | None = None) -> HTMLResponse:
        return site.page(request, "help.html", ui_lang(lang))

    @router.get("/recipes", response_class=HTMLResponse)
    def neutral(request: Request, lang: str | None = None) -> HTMLResponse:
        lg = ui_lang(lang)
        data = neutral_page()
        response = site.templates.TemplateResponse(
            request, "neutral.html", {"lang": lg, "page": {key: value[lg] for key, value in data.items()}}
        )
        response.headers["Clear-Site-Data"] = '"cache"'
        return response

    @router.get("/api/docs", response_class=HTMLResponse)
    def api_docs(request: Request, lang: str | None = None) -> HTMLResponse:
        spec = request.app.openapi()
        return site.page(
            request,
            "apidocs.html",
            ui_lang(lang),
            spec=spec,
            endpoints=describe(spec),
        )

    return router
