"""The workspace pages for counsellors: log in, unlock the store, cases, uploads, notes, users."""

import functools
from importlib import resources
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tumar.errors import InputError, WrongPassphraseError
from tumar.evidence.ingest import form_ids
from tumar.evidence.users import User
from tumar.interfaces.web.site import Site
from tumar.interfaces.web.workspace.access import SESSION_COOKIE, Access, request_lang, session_token
from tumar.interfaces.web.workspace.case_uploads import add_case_upload
from tumar.interfaces.web.workspace.report import report_response
from tumar.interfaces.web.workspace.state import Workspace
from tumar.interfaces.web.workspace.timeline import case_timeline

__all__ = ["page_routes"]


@functools.cache
def _words() -> dict[str, dict[str, str]]:
    text = (resources.files("tumar.interfaces.web") / "data" / "workspace.yaml").read_text(encoding="utf-8")
    words: dict[str, dict[str, str]] = yaml.safe_load(text)
    return words


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def page_routes(site: Site, ws: Workspace, access: Access) -> APIRouter:
    router = APIRouter()

    def page(request: Request, name: str, lang: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        words = _words()
        return site.page(request, name, lang, status=status, w=lambda key: words[key][lang], **context)

    @router.get("/workspace", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        lang = request_lang(request)
        user = access.page_user(request)
        if user is None:
            return _redirect(f"/workspace/login?lang={lang}")
        cases = [] if ws.locked else ws.store().cases()
        return page(
            request,
            "workspace/cases.html",
            lang,
            user=user,
            locked=ws.locked,
            initialised=ws.initialised,
            cases=cases,
        )

    @router.get("/workspace/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request) -> Response:
        return page(request, "workspace/login.html", request_lang(request), failed=False)

    @router.post("/workspace/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(
        request: Request,
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=1024)],
    ) -> Response:
        lang = request_lang(request)
        access.limit_login(request, username)
        token = ws.login(username, password)
        if token is None:
            return page(request, "workspace/login.html", lang, status=401, failed=True)
        response = _redirect(f"/workspace?lang={lang}")
        site.csrf.rotate(request)
        site.cookies.set(request, response, SESSION_COOKIE, token)
        return response

    @router.post("/workspace/logout", include_in_schema=False)
    def logout_form(request: Request) -> Response:
        token = session_token(request)
        if token:
            ws.logout(token)
        response = _redirect(f"/workspace/login?lang={request_lang(request)}")
        site.cookies.delete(request, response, SESSION_COOKIE)
        return response

    @router.post("/workspace/unlock", include_in_schema=False)
    def unlock_form(
        request: Request,
        user: Annotated[User, Depends(access.admin)],
        passphrase: Annotated[str, Form(max_length=1024)],
    ) -> Response:
        lang = request_lang(request)
        try:
            ws.unlock(passphrase)
        except WrongPassphraseError:
            return page(
                request,
                "workspace/cases.html",
                lang,
                status=403,
                user=user,
                locked=True,
                initialised=ws.initialised,
                cases=[],
                unlock_failed=True,
            )
        ws.users.audit(user.username, "store_unlocked")
        return _redirect(f"/workspace?lang={lang}")

    @router.post("/workspace/cases", include_in_schema=False)
    def new_case_form(
        request: Request,
        user: Annotated[User, Depends(access.current_user)],
        title: Annotated[str, Form(max_length=200)],
        description: Annotated[str, Form(max_length=5000)] = "",
    ) -> Response:
        with ws.lock:
            case = ws.store().create_case(title, actor=user.username, description=description)
        ws.users.audit(user.username, "case_created", case.id)
        return _redirect(f"/workspace/cases/{case.id}?lang={request_lang(request)}")

    @router.get("/workspace/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
    def case_page(
        request: Request, case_id: str, user: Annotated[User, Depends(access.current_user)]
    ) -> Response:
        lang = request_lang(request)
        store = ws.store()
        access.open_case(store, user, case_id, "case_opened")
        return page(
            request,
            "workspace/case.html",
            lang,
            user=user,
            case=store.case(case_id),
            items=store.items(case_id),
            timeline=case_timeline(store, case_id, lang),
            custody=store.custody(case_id),
            form_ids=form_ids,
            added=request.query_params.get("added"),
        )

    @router.post("/workspace/cases/{case_id}/upload", include_in_schema=False)
    async def upload_form(
        request: Request,
        case_id: str,
        user: Annotated[User, Depends(access.current_user)],
        file: Annotated[UploadFile, File()],
    ) -> Response:
        lang = request_lang(request)
        store = ws.store()
        access.open_case(store, user, case_id, "item_uploaded")
        items = await add_case_upload(site, ws, store, case_id, file, user, lang)
        return _redirect(f"/workspace/cases/{case_id}?lang={lang}&added={len(items)}")

    @router.post("/workspace/cases/{case_id}/notes", include_in_schema=False)
    def note_form(
        request: Request,
        case_id: str,
        user: Annotated[User, Depends(access.current_user)],
        text: Annotated[str, Form(max_length=20_000)],
    ) -> Response:
        store = ws.store()
        access.open_case(store, user, case_id, "note_added")
        with ws.lock:
            store.add_note(case_id, text, actor=user.username)
        return _redirect(f"/workspace/cases/{case_id}?lang={request_lang(request)}")

    @router.get("/workspace/cases/{case_id}/report", include_in_schema=False)
    def report_download(
        request: Request, case_id: str, user: Annotated[User, Depends(access.current_user)]
    ) -> Response:
        return report_response(ws, access, request, case_id, user)

    @router.get("/workspace/users", response_class=HTMLResponse, include_in_schema=False)
    def users_page(request: Request, user: Annotated[User, Depends(access.admin)]) -> Response:
        return page(
            request,
            "workspace/users.html",
            request_lang(request),
            user=user,
            users=ws.users.all(),
            audit=ws.users.audit_log(limit=200),
            error=None,
        )

    @router.post("/workspace/users", include_in_schema=False)
    def add_user_form(
        request: Request,
        user: Annotated[User, Depends(access.admin)],
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=1024)],
        role: Annotated[str, Form(max_length=16)] = "counsellor",
    ) -> Response:
        lang = request_lang(request)
        try:
            ws.users.add(username, password, role)
        except InputError as exc:
            return page(
                request,
                "workspace/users.html",
                lang,
                status=400,
                user=user,
                users=ws.users.all(),
                audit=ws.users.audit_log(limit=200),
                error=str(exc),
            )
        ws.users.audit(user.username, f"user_added:{username}")
        return _redirect(f"/workspace/users?lang={lang}")

    return router
