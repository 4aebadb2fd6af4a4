"""Who is asking: the session behind a request, admin-only routes, login rate limits, audited case opening.

:class:`Access`'s methods are FastAPI dependencies (``Depends(access.current_user)``) shared by the
workspace pages and API.
"""

from fastapi import HTTPException, Request

from tumar.evidence.store import EvidenceStore
from tumar.evidence.users import User
from tumar.interfaces.web.security import client_address
from tumar.interfaces.web.site import ui_lang
from tumar.interfaces.web.workspace.state import Workspace

__all__ = ["SESSION_COOKIE", "Access", "LoginRequiredError", "request_lang", "session_token"]

SESSION_COOKIE = "tumar_session"


def session_token(request: Request) -> str | None:
    """The session token of a request: an ``Authorization: Bearer`` header, else the session cookie."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


def request_lang(request: Request) -> str:
    """The page language from ``?lang=``."""
    return ui_lang(request.query_params.get("lang"))


class LoginRequiredError(HTTPException):
    def __init__(self) -> None:
        super().__init__(401, "log in first", headers={"WWW-Authenticate": "Bearer"})


class Access:
    """The checks every workspace route makes, on one :class:`Workspace`."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def current_user(self, request: Request) -> User:
        """The logged-in user (401 otherwise)."""
        user = self._ws.session_user(session_token(request))
        if user is None:
            raise LoginRequiredError()
        return user

    def admin(self, request: Request) -> User:
        """The logged-in user if an admin (401 when not logged in, 403 otherwise)."""
        user = self.current_user(request)
        if not user.is_admin:
            raise HTTPException(403, "only an admin can do this")
        return user

    def page_user(self, request: Request) -> User | None:
        return self._ws.session_user(session_token(request))

    def limit_login(self, request: Request, username: str) -> None:
        """Count a login attempt per client and per name; 429 with ``Retry-After`` over the limit."""
        for key in (f"ip:{client_address(request)}", f"user:{username.lower()}"):
            decision = self._ws.login_limiter.hit(key)
            if not decision.allowed:
                raise HTTPException(
                    429,
                    "too many login attempts: wait a few minutes",
                    headers={"Retry-After": str(int(decision.retry_after) + 1)},
                )

    def open_case(self, store: EvidenceStore, user: User, case_id: str, action: str) -> None:
        """Check the case exists (404 otherwise) and write ``action`` to the audit log."""
        store.case(case_id)  # NotFoundError → 404
        self._ws.users.audit(user.username, action, case_id)
