"""How every cookie of the app is written: HttpOnly, SameSite=Strict, Secure when the request came over https
(or always / never, configurable); session cookies only, so nothing outlives the browser window."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.types import Scope

__all__ = ["TOKEN_CHARS", "CookiePolicy", "is_https", "pending_cookies"]

TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]+")
_PENDING_COOKIES = "tumar_pending_cookies"  # the request state's cookies for the middleware to write


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


@dataclass(frozen=True)
class CookiePolicy:
    """How every cookie of the app is written: HttpOnly, SameSite=Strict, Path=/, no expiry date."""

    secure: bool | None = None  # None: when the request came over https

    def is_secure(self, request: Request) -> bool:
        return is_https(request.scope) if self.secure is None else self.secure

    def header(self, request: Request, name: str, value: str, *, max_age: int | None = None) -> str:
        """A ``Set-Cookie`` header value. ``max_age`` None makes a session cookie; 0 deletes it."""
        if not TOKEN_CHARS.fullmatch(name) or not TOKEN_CHARS.fullmatch(value or "x"):
            raise ValueError("cookie names and values must be URL-safe tokens")
        parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Strict"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if self.is_secure(request):
            parts.append("Secure")
        return "; ".join(parts)

    def set(
        self, request: Request, response: Any, name: str, value: str, *, max_age: int | None = None
    ) -> None:
        """Write a cookie on a Starlette ``Response``."""
        response.headers.append("set-cookie", self.header(request, name, value, max_age=max_age))

    def delete(self, request: Request, response: Any, name: str) -> None:
        response.headers.append("set-cookie", self.header(request, name, "", max_age=0))

    def defer(self, request: Request, name: str, value: str) -> None:
        """Write the cookie on whatever response this request ends with (done by the middleware)."""
        pending: dict[str, str] = request.scope.setdefault("state", {}).setdefault(_PENDING_COOKIES, {})
        pending[name] = self.header(request, name, value)


def pending_cookies(scope: Scope) -> dict[str, str]:
    """The ``Set-Cookie`` values :meth:`CookiePolicy.defer` left for the response to this request."""
    pending: dict[str, str] = scope.get("state", {}).get(_PENDING_COOKIES, {})
    return pending
