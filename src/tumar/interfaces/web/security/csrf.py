"""Signed double-submit CSRF tokens for HTML forms.

A random nonce lives in a cookie; the form carries ``<ts>.<HMAC(secret, nonce|ts)>`` in the field
``csrf_token`` (or the ``X-CSRF-Token`` header). Installed once as an app-wide dependency
(``csrf.dependency()``), it checks every POST, PUT, PATCH and DELETE except API requests that carry no cookies
or a JSON body (:meth:`CsrfProtect.is_exempt`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request

from tumar.interfaces.web.security.cookies import TOKEN_CHARS, CookiePolicy

__all__ = ["UNSAFE_METHODS", "CsrfError", "CsrfProtect"]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfError(HTTPException):
    """A state-changing request without a valid CSRF token (HTTP 403)."""

    def __init__(self, reason: str) -> None:
        super().__init__(403, f"CSRF check failed: {reason}. Reload the page and send the form again.")
        self.reason = reason


class CsrfProtect:
    """Signed double-submit CSRF tokens bound to a per-browser nonce cookie."""

    cookie_name = "tumar_csrf"
    field_name = "csrf_token"
    header_name = "x-csrf-token"

    def __init__(
        self,
        secret_key: bytes,
        cookies: CookiePolicy,
        *,
        max_age: int = 12 * 3600,
        api_prefix: str = "/api/",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if len(secret_key) < 32:
            raise ValueError("the CSRF secret must be at least 32 bytes")
        self._secret = secret_key
        self._cookies = cookies
        self._max_age = max_age
        self._api_prefix = api_prefix
        self._clock = clock

    # ---- issuing -----------------------------------------------------------------------------------------
    def _sign(self, nonce: str, ts: int) -> str:
        mac = hmac.new(self._secret, f"{nonce}|{ts}".encode(), hashlib.sha256).hexdigest()
        return f"{ts}.{mac}"

    def _nonce(self, request: Request) -> str:
        state = request.scope.setdefault("state", {})
        if "tumar_csrf_nonce" not in state:
            nonce = request.cookies.get(self.cookie_name, "")
            if not (20 <= len(nonce) <= 100 and TOKEN_CHARS.fullmatch(nonce)):
                nonce = secrets.token_urlsafe(32)
                self._cookies.defer(request, self.cookie_name, nonce)
            state["tumar_csrf_nonce"] = nonce
        return str(state["tumar_csrf_nonce"])

    def token(self, request: Request) -> str:
        """A token for a form on the page being rendered (sets the nonce cookie if the browser has none)."""
        return self._sign(self._nonce(request), int(self._clock()))

    def rotate(self, request: Request) -> str:
        """A fresh nonce (call after a login or logout): tokens issued before stop working."""
        nonce = secrets.token_urlsafe(32)
        request.scope.setdefault("state", {})["tumar_csrf_nonce"] = nonce
        self._cookies.defer(request, self.cookie_name, nonce)
        return self._sign(nonce, int(self._clock()))

    # ---- checking ----------------------------------------------------------------------------------------
    def is_exempt(self, request: Request) -> bool:
        """Safe methods, and API requests that carry no cookies (no ambient authority to forge) or a JSON
        body (a browser sends JSON to another site only after a CORS preflight, which this app never
        grants)."""
        if request.method not in UNSAFE_METHODS:
            return True
        if not request.url.path.startswith(self._api_prefix):
            return False
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return "cookie" not in request.headers or media == "application/json"

    def check(self, nonce: str, token: str) -> str | None:
        """None when ``token`` is valid for ``nonce``; otherwise the reason."""
        if not nonce:
            return "no CSRF cookie"
        if not token:
            return "no CSRF token"
        ts_text, _, _ = token.partition(".")
        if not ts_text.isdigit():
            return "malformed CSRF token"
        ts = int(ts_text)
        if not hmac.compare_digest(self._sign(nonce, ts), token):
            return "CSRF token does not match"
        age = self._clock() - ts
        if age > self._max_age or age < -60:
            return "CSRF token expired"
        return None

    async def verify(self, request: Request) -> None:
        """Raise :class:`CsrfError` unless the request is exempt or carries a valid token."""
        if self.is_exempt(request):
            return
        token = request.headers.get(self.header_name, "")
        content_type = request.headers.get("content-type", "")
        if not token and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            form = await request.form()  # cached on the request: FastAPI reuses it for Form() parameters
            value = form.get(self.field_name)
            token = value if isinstance(value, str) else ""
        reason = self.check(request.cookies.get(self.cookie_name, ""), token)
        if reason:
            raise CsrfError(reason)

    def dependency(self) -> Callable[[Request], Awaitable[None]]:
        """A FastAPI dependency: ``FastAPI(dependencies=[Depends(csrf.dependency())])`` checks every route."""

        async def csrf_protect(request: Request) -> None:
            await self.verify(request)

        return csrf_protect
