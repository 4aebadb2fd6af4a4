"""The authenticated workspace API: ``/api/v1/auth`` and ``/api/v1/cases``."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tumar.evidence.ingest import add_text, item_json
from tumar.evidence.users import User
from tumar.interfaces.web.site import Site
from tumar.interfaces.web.workspace.access import Access, session_token
from tumar.interfaces.web.workspace.case_uploads import add_case_upload
from tumar.interfaces.web.workspace.report import report_response
from tumar.interfaces.web.workspace.state import SESSION_TTL, Workspace
from tumar.interfaces.web.workspace.timeline import case_timeline
from tumar.languages import check_language

__all__ = ["CaseRequest", "LoginRequest", "NoteRequest", "api_routes"]


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class CaseRequest(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)


class NoteRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


def api_routes(site: Site, ws: Workspace, access: Access) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/auth/login", tags=["workspace"])
    def api_login(request: Request, body: LoginRequest) -> dict[str, Any]:
        """Log in with a workspace account; send the token as ``Authorization: Bearer <token>``."""
        access.limit_login(request, body.username)
        token = ws.login(body.username, body.password)
        if token is None:
            raise HTTPException(401, "wrong username or password")
        return {"token": token, "expires_in": SESSION_TTL}

    @router.post("/api/v1/auth/logout", tags=["workspace"])
    def api_logout(request: Request, user: Annotated[User, Depends(access.current_user)]) -> dict[str, Any]:
        token = session_token(request)
        if token:
            ws.logout(token)
        return {"ok": True}

    @router.get("/api/v1/cases", tags=["workspace"])
    def api_cases(user: Annotated[User, Depends(access.current_user)]) -> list[dict[str, Any]]:
        """The cases (ids, titles, number of items)."""
        return [
            {"id": c.id, "title": c.title, "created_at": c.created_at.isoformat(), "items": c.items}
            for c in ws.store().cases()
        ]

    @router.post("/api/v1/cases", tags=["workspace"], status_code=201)
    def api_new_case(
        body: CaseRequest, user: Annotated[User, Depends(access.current_user)]
    ) -> dict[str, Any]:
        """Open a case."""
        with ws.lock:
            case = ws.store().create_case(body.title, actor=user.username, description=body.description)
        ws.users.audit(user.username, "case_created", case.id)
        return {"id": case.id, "title": case.title, "created_at": case.created_at.isoformat()}

    @router.get("/api/v1/cases/{case_id}", tags=["workspace"])
    def api_case(case_id: str, user: Annotated[User, Depends(access.current_user)]) -> dict[str, Any]:
        """A case: its items with their SHA-256 and the custody log."""
        store = ws.store()
        access.open_case(store, user, case_id, "case_opened")
        case = store.case(case_id)
        return {
            "id": case.id,
            "title": case.title,
            "description": case.description,
            "created_at": case.created_at.isoformat(),
            "items": [item_json(i) for i in store.items(case_id)],
            "custody": [e.to_json() for e in store.custody(case_id)],
        }

    @router.post("/api/v1/cases/{case_id}/items", tags=["workspace"], status_code=201)
    async def api_upload(
        request: Request,
        case_id: str,
        user: Annotated[User, Depends(access.current_user)],
        file: Annotated[UploadFile, File()],
    ) -> list[dict[str, Any]]:
        """Upload a chat export (Telegram result.json or zip, WhatsApp .txt or .zip) or a file to a case."""
        store = ws.store()
        access.open_case(store, user, case_id, "item_uploaded")
        lang = check_language(request.query_params.get("lang"), default="en")
        items = await add_case_upload(site, ws, store, case_id, file, user, lang)
        return [item_json(i) for i in items]

    @router.post("/api/v1/cases/{case_id}/messages", tags=["workspace"], status_code=201)
    def api_add_message(
        request: Request, case_id: str, body: NoteRequest, user: Annotated[User, Depends(access.current_user)]
    ) -> dict[str, Any]:
        """Add one received message as text; it is analysed and stored as evidence."""
        store = ws.store()
        access.open_case(store, user, case_id, "item_uploaded")
        lang = check_language(request.query_params.get("lang"), default="en")
        analyzer = site.analyzer()
        with site.lock, ws.lock:
            item = add_text(
                store, case_id, body.text, actor=user.username, analyzer=analyzer, explain_lang=lang
            )
        return item_json(item)

    @router.get("/api/v1/cases/{case_id}/timeline", tags=["workspace"])
    def api_timeline(
        request: Request, case_id: str, user: Annotated[User, Depends(access.current_user)]
    ) -> dict[str, Any]:
        """The abusive messages in date order with what was found, and the patterns across the chats."""
        store = ws.store()
        access.open_case(store, user, case_id, "timeline_viewed")
        return case_timeline(store, case_id, check_language(request.query_params.get("lang"), default="en"))

    @router.get("/api/v1/cases/{case_id}/report", tags=["workspace"])
    def api_report(
        request: Request, case_id: str, user: Annotated[User, Depends(access.current_user)]
    ) -> Response:
        """The case report: ``?format=pdf|html&lang=ky|ru|kk|en``."""
        return report_response(ws, access, request, case_id, user)

    return router
