"""The security middleware: request-size limits (413 before the body is read), security headers (CSP,
Referrer-Policy, Permissions-Policy, …), ``Cache-Control: no-store`` on everything but static files, and the
cookies a page deferred (the CSRF cookie when a page issued a new token)."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tumar.interfaces.web.security.config import SecurityConfig
from tumar.interfaces.web.security.cookies import is_https, pending_cookies

__all__ = ["PERMISSIONS_POLICY", "Renderer", "SecurityMiddleware", "json_error", "wants_html"]

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "display-capture=(), interest-cohort=(), browsing-topics=()"
)

Renderer = Callable[[Scope, int, str], tuple[bytes, str]]


def json_error(scope: Scope, status: int, message: str) -> tuple[bytes, str]:
    return json.dumps({"error": message}).encode(), "application/json"


class _BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is larger than {limit:,} bytes")


class SecurityMiddleware:
    """Pure ASGI middleware: body-size limits, security headers, no-store caching, deferred cookies.

    A request whose ``Content-Length`` is over its limit is answered 413 before any of it is read; a chunked
    body that grows past the limit fails with the same 413 as soon as it does. ``render_error`` turns a
    status and message into a body and media type (JSON by default; the app renders an HTML page for
    browsers).
    """

    def __init__(self, app: ASGIApp, config: SecurityConfig, render_error: Renderer = json_error) -> None:
        self.app = app
        self.config = config
        self.render_error = render_error

    def _headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        path: str = scope.get("path", "")
        headers = [
            (b"content-security-policy", self.config.csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", PERMISSIONS_POLICY.encode()),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        if not path.startswith(self.config.static_prefix):
            headers.append((b"cache-control", b"no-store"))
        if is_https(scope):
            headers.append((b"strict-transport-security", b"max-age=31536000"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.config.limit_for(scope.get("path", ""))
        extra = self._headers(scope)
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            status = 413 if length.isdigit() else 400
            message = f"the request is larger than {limit:,} bytes" if status == 413 else "bad Content-Length"
            await self._reject(scope, send, status, message, extra)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra if k not in names]
                pending = pending_cookies(scope)
                headers += [(b"set-cookie", value.encode("latin-1")) for value in pending.values()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)

    async def _reject(
        self, scope: Scope, send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]
    ) -> None:
        body, media_type = self.render_error(scope, status, message)
        headers = [
            (b"content-type", f"{media_type}; charset=utf-8".encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def wants_html(scope: Scope, api_prefix: str = "/api/") -> bool:
    """A browser navigating to a page (not the JSON API, not a script asking for JSON)."""
    if scope.get("path", "").startswith(api_prefix):
        return False
    return "text/html" in Headers(scope=scope).get("accept", "")
