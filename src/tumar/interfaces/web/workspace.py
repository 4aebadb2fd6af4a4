"""The helpline workspace: log in, unlock the evidence store, keep cases, upload exports and files, read the
timeline, download the report — as pages for counsellors and as the authenticated ``/api/v1/cases`` API.

Accounts are checked with Argon2id (:mod:`tumar.evidence.users`); sessions are random tokens kept in memory
(a restart logs everyone out) and carried by an HttpOnly, SameSite=Strict cookie or an ``Authorization:
Bearer`` header. Login attempts are rate-limited per client and per name. The evidence store starts locked
unless ``TUMAR_PASSPHRASE`` is set: an admin unlocks it once after a restart; the passphrase is kept only
in memory. Every opening of a case is written to the audit log, and every change to the case's custody log.
"""

import functools
import hashlib
import logging
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from tumar.errors import InputError, WrongPassphraseError
from tumar.evidence.ingest import add_path, add_text, form_ids, item_json
from tumar.evidence.report import build_report_data
from tumar.evidence.store import EvidenceStore, ItemInfo, is_initialised, open_database
from tumar.evidence.users import User, UserDirectory
from tumar.interfaces.web.security import RateLimiter, client_address
from tumar.interfaces.web.site import Site, ui_lang
from tumar.interfaces.web.uploads import safe_name
from tumar.languages import check_language

__all__ = ["CASE_UPLOAD_SUFFIXES", "MAX_CASE_UPLOAD", "Workspace", "workspace_router"]

log = logging.getLogger(__name__)

SESSION_COOKIE = "tumar_session"
SESSION_TTL = 8 * 3600
MAX_CASE_UPLOAD = 50 * 1024 * 1024
CASE_UPLOAD_SUFFIXES = (
    ".txt", ".json", ".zip",  # chat exports
    ".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif",  # screenshots and photos
    ".mp4", ".mov", ".ogg", ".opus", ".m4a", ".mp3",  # videos and voice messages
    ".pdf",  # documents
)  # fmt: skip
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".zip": (b"PK\x03\x04", b"PK\x05\x06"),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",),
    ".ogg": (b"OggS",),
    ".opus": (b"OggS",),
}


@dataclass(frozen=True)
class Session:
    user: User
    expires: float


class Workspace:
    """Accounts, sessions and the (un)locked evidence store behind the workspace pages and API."""

    def __init__(
        self, url: str | None = None, *, engine: Engine | None = None, passphrase: str | None = None
    ) -> None:
        """On the database at ``url`` (default: :func:`default_database_url`), opened on first use."""
        self._url = url
        self._engine = engine
        self._users: UserDirectory | None = None
        self._store: EvidenceStore | None = None
        self._sessions: dict[str, Session] = {}
        self._lock = threading.RLock()
        self.login_limiter = RateLimiter(limit=5, window=300)
        self._passphrase = passphrase

    @classmethod
    def from_url(cls, url: str | None = None, *, passphrase: str | None = None) -> "Workspace":
        return cls(url, passphrase=passphrase)

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = open_database(self._url)
            if self._passphrase:
                passphrase, self._passphrase = self._passphrase, None
                self._store = EvidenceStore.unlock(self._engine, passphrase, create=True)
            return self._engine

    @property
    def users(self) -> UserDirectory:
        with self._lock:
            if self._users is None:
                self._users = UserDirectory(self.engine)
            return self._users

    # ---- the store ---------------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        self.engine  # noqa: B018 - opens the database (and unlocks with TUMAR_PASSPHRASE) on first use
        return self._store is None

    @property
    def initialised(self) -> bool:
        return is_initialised(self.engine)

    def unlock(self, passphrase: str) -> None:
        with self._lock:
            self._store = EvidenceStore.unlock(self.engine, passphrase, create=True)
        log.info("evidence store unlocked")

    def store(self) -> EvidenceStore:
        if self.locked:
            raise HTTPException(423, "the evidence store is locked: an admin must unlock it first")
        assert self._store is not None
        return self._store

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    # ---- sessions ----------------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> str | None:
        user = self.users.authenticate(username, password)
        if user is None:
            return None
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[_digest(token)] = Session(user, time.time() + SESSION_TTL)
        self.users.audit(user.username, "login")
        return token

    def logout(self, token: str) -> None:
        with self._lock:
            session = self._sessions.pop(_digest(token), None)
        if session:
            self.users.audit(session.user.username, "logout")

    def session_user(self, token: str | None) -> User | None:
        if not token:
            return None
        with self._lock:
            session = self._sessions.get(_digest(token))
            if session is None or session.expires < time.time():
                self._sessions.pop(_digest(token), None)
                return None
        return session.user


@functools.cache
def _words() -> dict[str, dict[str, str]]:
    text = (resources.files("tumar.interfaces.web") / "data" / "workspace.yaml").read_text(encoding="utf-8")
    words: dict[str, dict[str, str]] = yaml.safe_load(text)
    return words


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ---- request helpers -----------------------------------------------------------------------------------------


def _token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


def _lang(request: Request) -> str:
    return ui_lang(request.query_params.get("lang"))


class _LoginRequired(HTTPException):
    def __init__(self) -> None:
        super().__init__(401, "log in first", headers={"WWW-Authenticate": "Bearer"})


async def _save_case_upload(upload: UploadFile, folder: Path) -> Path:
    """Copy an upload into ``folder`` after checking its type and size; 413/415 otherwise."""
    name = safe_name(upload.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in CASE_UPLOAD_SUFFIXES:
        raise HTTPException(
            415,
            f"file: {suffix or 'no extension'} is not accepted; upload chat exports, screenshots, photos, "
            "videos, voice messages or PDF files",
        )
    target = folder / name
    size = 0
    head = b""
    with target.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            if not head:
                head = chunk[:16]
            size += len(chunk)
            if size > MAX_CASE_UPLOAD:
                raise HTTPException(413, f"file: larger than {MAX_CASE_UPLOAD // (1 << 20)} MB")
            out.write(chunk)
    if size == 0:
        raise HTTPException(422, "file: the file is empty")
    magic = _MAGIC.get(suffix)
    if magic and not head.startswith(magic):
        raise HTTPException(415, f"file: the content is not a {suffix} file")
    return target


def _timeline(store: EvidenceStore, case_id: str, lang: str) -> dict[str, Any]:
    data = build_report_data(store, case_id, lang)
    return {
        "case": case_id,
        "forms": list(data.forms),
        "urgent": data.urgent,
        "abuser": data.abuser,
        "message_count": data.message_count,
        "custody_verified": data.custody_verified,
        "patterns": [
            {"kind": p.kind, "description": p.description, "count": p.count, "sender": p.sender}
            for p in data.patterns
        ],
        "messages": [
            {
                "item": m.item_id,
                "id": m.message_id,
                "chat": m.chat,
                "date": m.date.isoformat(),
                "from": m.sender,
                "text": m.text,
                "urgent": m.urgent,
                "findings": [
                    {"form": f.form, "confidence": round(f.confidence, 3), "explanation": f.explanation}
                    for f in m.findings
                ],
            }
            for m in data.messages
        ],
    }


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class CaseRequest(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)


class NoteRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


def workspace_router(site: Site, ws: Workspace) -> APIRouter:
    router = APIRouter()

    def current_user(request: Request) -> User:
        user = ws.session_user(_token(request))
        if user is None:
            raise _LoginRequired()
        return user

    def admin(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.is_admin:
            raise HTTPException(403, "only an admin can do this")
        return user

    def limited_login(request: Request, username: str) -> None:
        for key in (f"ip:{client_address(request)}", f"user:{username.lower()}"):
            decision = ws.login_limiter.hit(key)
            if not decision.allowed:
                raise HTTPException(
                    429,
                    "too many login attempts: wait a few minutes",
                    headers={"Retry-After": str(int(decision.retry_after) + 1)},
                )

    def page_user(request: Request) -> User | None:
        return ws.session_user(_token(request))

    def page(request: Request, name: str, lang: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        words = _words()
        return site.page(request, name, lang, status=status, w=lambda key: words[key][lang], **context)

    def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def open_case(store: EvidenceStore, user: User, case_id: str, action: str) -> None:
        store.case(case_id)  # NotFoundError → 404
        ws.users.audit(user.username, action, case_id)

    def analyzer_add(store: EvidenceStore, case_id: str, path: Path, user: User, lang: str) -> list[ItemInfo]:
        analyzer = site.analyzer()
        with site.lock, ws.lock:
            return add_path(store, case_id, path, actor=user.username, analyzer=analyzer, explain_lang=lang)

    # ---- pages ------------------------------------------------------------------------------------------
    @router.get("/workspace", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        lang = _lang(request)
        user = page_user(request)
        if user is None:
            return redirect(f"/workspace/login?lang={lang}")
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
        return page(request, "workspace/login.html", _lang(request), failed=False)

    @router.post("/workspace/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(
        request: Request,
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=1024)],
    ) -> Response:
        lang = _lang(request)
        limited_login(request, username)
        token = ws.login(username, password)
        if token is None:
            return page(request, "workspace/login.html", lang, status=401, failed=True)
        response = redirect(f"/workspace?lang={lang}")
        site.csrf.rotate(request)
        site.cookies.set(request, response, SESSION_COOKIE, token)
        return response

    @router.post("/workspace/logout", include_in_schema=False)
    def logout_form(request: Request) -> Response:
        token = _token(request)
        if token:
            ws.logout(token)
        response = redirect(f"/workspace/login?lang={_lang(request)}")
        site.cookies.delete(request, response, SESSION_COOKIE)
        return response

    @router.post("/workspace/unlock", include_in_schema=False)
    def unlock_form(
        request: Request,
        user: Annotated[User, Depends(admin)],
        passphrase: Annotated[str, Form(max_length=1024)],
    ) -> Response:
        lang = _lang(request)
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
        return redirect(f"/workspace?lang={lang}")

    @router.post("/workspace/cases", include_in_schema=False)
    def new_case_form(
        request: Request,
        user: Annotated[User, Depends(current_user)],
        title: Annotated[str, Form(max_length=200)],
        description: Annotated[str, Form(max_length=5000)] = "",
    ) -> Response:
        with ws.lock:
            case = ws.store().create_case(title, actor=user.username, description=description)
        ws.users.audit(user.username, "case_created", case.id)
        return redirect(f"/workspace/cases/{case.id}?lang={_lang(request)}")

    @router.get("/workspace/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
    def case_page(request: Request, case_id: str, user: Annotated[User, Depends(current_user)]) -> Response:
        lang = _lang(request)
        store = ws.store()
        open_case(store, user, case_id, "case_opened")
        return page(
            request,
            "workspace/case.html",
            lang,
            user=user,
            case=store.case(case_id),
            items=store.items(case_id),
            timeline=_timeline(store, case_id, lang),
            custody=store.custody(case_id),
            form_ids=form_ids,
            added=request.query_params.get("added"),
        )

    @router.post("/workspace/cases/{case_id}/upload", include_in_schema=False)
    async def upload_form(
        request: Request,
        case_id: str,
        user: Annotated[User, Depends(current_user)],
        file: Annotated[UploadFile, File()],
    ) -> Response:
        lang = _lang(request)
        store = ws.store()
        open_case(store, user, case_id, "item_uploaded")
        with tempfile.TemporaryDirectory(prefix="tumar-case-") as tmp:
            path = await _save_case_upload(file, Path(tmp))
            items = await run_in_threadpool(analyzer_add, store, case_id, path, user, lang)
        return redirect(f"/workspace/cases/{case_id}?lang={lang}&added={len(items)}")

    @router.post("/workspace/cases/{case_id}/notes", include_in_schema=False)
    def note_form(
        request: Request,
        case_id: str,
        user: Annotated[User, Depends(current_user)],
        text: Annotated[str, Form(max_length=20_000)],
    ) -> Response:
        store = ws.store()
        open_case(store, user, case_id, "note_added")
        with ws.lock:
            store.add_note(case_id, text, actor=user.username)
        return redirect(f"/workspace/cases/{case_id}?lang={_lang(request)}")

    @router.get("/workspace/cases/{case_id}/report", include_in_schema=False)
    def report_download(
        request: Request, case_id: str, user: Annotated[User, Depends(current_user)]
    ) -> Response:
        return _report(request, case_id, user)

    @router.get("/workspace/users", response_class=HTMLResponse, include_in_schema=False)
    def users_page(request: Request, user: Annotated[User, Depends(admin)]) -> Response:
        return page(
            request,
            "workspace/users.html",
            _lang(request),
            user=user,
            users=ws.users.all(),
            audit=ws.users.audit_log(limit=200),
            error=None,
        )

    @router.post("/workspace/users", include_in_schema=False)
    def add_user_form(
        request: Request,
        user: Annotated[User, Depends(admin)],
        username: Annotated[str, Form(max_length=64)],
        password: Annotated[str, Form(max_length=1024)],
        role: Annotated[str, Form(max_length=16)] = "counsellor",
    ) -> Response:
        lang = _lang(request)
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
        return redirect(f"/workspace/users?lang={lang}")

    # ---- API --------------------------------------------------------------------------------------------
    @router.post("/api/v1/auth/login", tags=["workspace"])
    def api_login(request: Request, body: LoginRequest) -> dict[str, Any]:
        """Log in with a workspace account; send the token as ``Authorization: Bearer <token>``."""
        limited_login(request, body.username)
        token = ws.login(body.username, body.password)
        if token is None:
            raise HTTPException(401, "wrong username or password")
        return {"token": token, "expires_in": SESSION_TTL}

    @router.post("/api/v1/auth/logout", tags=["workspace"])
    def api_logout(request: Request, user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
        token = _token(request)
        if token:
            ws.logout(token)
        return {"ok": True}

    @router.get("/api/v1/cases", tags=["workspace"])
    def api_cases(user: Annotated[User, Depends(current_user)]) -> list[dict[str, Any]]:
        """The cases (ids, titles, number of items)."""
        return [
            {"id": c.id, "title": c.title, "created_at": c.created_at.isoformat(), "items": c.items}
            for c in ws.store().cases()
        ]

    @router.post("/api/v1/cases", tags=["workspace"], status_code=201)
    def api_new_case(body: CaseRequest, user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
        """Open a case."""
        with ws.lock:
            case = ws.store().create_case(body.title, actor=user.username, description=body.description)
        ws.users.audit(user.username, "case_created", case.id)
        return {"id": case.id, "title": case.title, "created_at": case.created_at.isoformat()}

    @router.get("/api/v1/cases/{case_id}", tags=["workspace"])
    def api_case(case_id: str, user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
        """A case: its items with their SHA-256 and the custody log."""
        store = ws.store()
        open_case(store, user, case_id, "case_opened")
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
        user: Annotated[User, Depends(current_user)],
        file: Annotated[UploadFile, File()],
    ) -> list[dict[str, Any]]:
        """Upload a chat export (Telegram result.json or zip, WhatsApp .txt or .zip) or a file to a case."""
        store = ws.store()
        open_case(store, user, case_id, "item_uploaded")
        lang = check_language(request.query_params.get("lang"), default="en")
        with tempfile.TemporaryDirectory(prefix="tumar-case-") as tmp:
            path = await _save_case_upload(file, Path(tmp))
            items = await run_in_threadpool(analyzer_add, store, case_id, path, user, lang)
        return [item_json(i) for i in items]

    @router.post("/api/v1/cases/{case_id}/messages", tags=["workspace"], status_code=201)
    def api_add_message(
        request: Request, case_id: str, body: NoteRequest, user: Annotated[User, Depends(current_user)]
    ) -> dict[str, Any]:
        """Add one received message as text; it is analysed and stored as evidence."""
        store = ws.store()
        open_case(store, user, case_id, "item_uploaded")
        lang = check_language(request.query_params.get("lang"), default="en")
        analyzer = site.analyzer()
        with site.lock, ws.lock:
            item = add_text(
                store, case_id, body.text, actor=user.username, analyzer=analyzer, explain_lang=lang
            )
        return item_json(item)

    @router.get("/api/v1/cases/{case_id}/timeline", tags=["workspace"])
    def api_timeline(
        request: Request, case_id: str, user: Annotated[User, Depends(current_user)]
    ) -> dict[str, Any]:
        """The abusive messages in date order with what was found, and the patterns across the chats."""
        store = ws.store()
        open_case(store, user, case_id, "timeline_viewed")
        return _timeline(store, case_id, check_language(request.query_params.get("lang"), default="en"))

    @router.get("/api/v1/cases/{case_id}/report", tags=["workspace"])
    def api_report(request: Request, case_id: str, user: Annotated[User, Depends(current_user)]) -> Response:
        """The case report: ``?format=pdf|html&lang=ky|ru|kk|en``."""
        return _report(request, case_id, user)

    def _report(request: Request, case_id: str, user: User) -> Response:
        from tumar.reports.render import render_html, render_pdf

        lang = check_language(request.query_params.get("lang"), default="ky")
        fmt = request.query_params.get("format", "pdf")
        if fmt not in ("pdf", "html"):
            raise HTTPException(422, "format: use pdf or html")
        store = ws.store()
        open_case(store, user, case_id, "report_downloaded")
        data = build_report_data(store, case_id, lang)
        with ws.lock:
            store.log_action(case_id, user.username, "report_written", None, {"format": fmt, "lang": lang})
        if fmt == "pdf":
            body, media = render_pdf(data, lang), "application/pdf"
        else:
            body, media = render_html(data, lang).encode("utf-8"), "text/html; charset=utf-8"
        return Response(
            body,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="tumar-case-{case_id}-{lang}.{fmt}"'},
        )

    return router
