"""Security plumbing for the web app, meant for reuse by every page and router.

- :class:`SecurityConfig` — the settings, read once (``SecurityConfig.from_env()``) and passed down.
- :class:`CookiePolicy` — HttpOnly, SameSite=Strict, Secure when the request came over https (or always /
  never, configurable); session cookies only, so nothing outlives the browser window.
- :class:`CsrfProtect` — signed double-submit tokens for HTML forms. A random nonce lives in a cookie; the
  form carries ``<ts>.<HMAC(secret, nonce|ts)>`` in the field ``csrf_token`` (or the ``X-CSRF-Token``
  header). Installed once as an app-wide dependency (``csrf.dependency()``), it checks every POST, PUT,
  PATCH and DELETE except API requests that carry no cookies or a JSON body (:meth:`CsrfProtect.is_exempt`).
- :class:`RateLimiter` — an in-memory sliding-window limiter per key (e.g. a client address or a user name),
  and :func:`rate_limited`, a dependency that answers 429 with ``Retry-After``.
- :class:`SecurityMiddleware` — request-size limits (413 before the body is read), security headers
  (CSP, Referrer-Policy, Permissions-Policy, …), ``Cache-Control: no-store`` on everything but static
  files, and the CSRF cookie written when a page issued a new token.

Usage in a router (the helpline workspace, for instance)::

    csrf = request.app.state.csrf                # the app's CsrfProtect
    token = csrf.token(request)                  # put into <input type="hidden" name="csrf_token">
    csrf.rotate(request)                         # after a login: a fresh nonce, old tokens stop working
    request.app.state.cookies.set(request, response, "session", value)
    limiter = RateLimiter(limit=5, window=300)   # five login attempts per five minutes per key
    @router.post("/login", dependencies=[Depends(rate_limited(limiter, key=client_address))])
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSP",
    "PERMISSIONS_POLICY",
    "CookiePolicy",
    "CsrfError",
    "CsrfProtect",
    "RateDecision",
    "RateLimiter",
    "SecurityConfig",
    "SecurityMiddleware",
    "client_address",
    "rate_limited",
    "wants_html",
]

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "display-capture=(), interest-cohort=(), browsing-topics=()"
)
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]+")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PENDING_COOKIES = "tumar_pending_cookies"


@dataclass(frozen=True)
class SecurityConfig:
    """Everything the security plumbing needs, read once and passed to :func:`create_app`.

    ``secret_key`` signs CSRF tokens; the default is random per process (tokens die with a restart), so give
    one (``TUMAR_SECRET_KEY``) when several worker processes serve the same site. ``secure_cookies``: None
    sets Secure when the request came over https (uvicorn ``--proxy-headers`` behind a TLS proxy), True
    always, False never. ``body_limits`` maps a path to its own size limit in bytes; others get ``max_body``.
    """

    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    secure_cookies: bool | None = None
    max_body: int = 512 * 1024
    body_limits: Mapping[str, int] = field(default_factory=dict)
    csrf_max_age: int = 12 * 3600
    api_prefix: str = "/api/"
    static_prefix: str = "/static/"
    csp: str = CSP

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> SecurityConfig:
        """``TUMAR_SECRET_KEY`` (hex, at least 32 bytes) and ``TUMAR_SECURE_COOKIES`` (auto|true|false)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        key = env.get("TUMAR_SECRET_KEY", "").strip()
        if key:
            try:
                raw = bytes.fromhex(key)
            except ValueError:
                raise ValueError("TUMAR_SECRET_KEY must be hex (e.g. from `openssl rand -hex 32`)") from None
            if len(raw) < 32:
                raise ValueError("TUMAR_SECRET_KEY must be at least 32 bytes (64 hex digits)")
            values["secret_key"] = raw
        secure = env.get("TUMAR_SECURE_COOKIES", "auto").strip().lower()
        if secure not in ("auto", "true", "false"):
            raise ValueError("TUMAR_SECURE_COOKIES must be auto, true or false")
        values["secure_cookies"] = None if secure == "auto" else secure == "true"
        values.update(overrides)
        return cls(**values)

    def limit_for(self, path: str) -> int:
        """The limit for ``path``: an exact key, else a key with ``*`` standing for one path segment."""
        if path in self.body_limits:
            return self.body_limits[path]
        for pattern, limit in self.body_limits.items():
            if "*" in pattern and _segments_match(pattern, path):
                return limit
        return self.max_body


def _segments_match(pattern: str, path: str) -> bool:
    want, got = pattern.split("/"), path.split("/")
    return len(want) == len(got) and all(w in ("*", g) for w, g in zip(want, got, strict=True))


def _is_https(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


@dataclass(frozen=True)
class CookiePolicy:
    """How every cookie of the app is written: HttpOnly, SameSite=Strict, Path=/, no expiry date."""

    secure: bool | None = None  # None: when the request came over https

    def is_secure(self, request: Request) -> bool:
        return _is_https(request.scope) if self.secure is None else self.secure

    def header(self, request: Request, name: str, value: str, *, max_age: int | None = None) -> str:
        """A ``Set-Cookie`` header value. ``max_age`` None makes a session cookie; 0 deletes it."""
        if not _TOKEN_CHARS.fullmatch(name) or not _TOKEN_CHARS.fullmatch(value or "x"):
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
            if not (20 <= len(nonce) <= 100 and _TOKEN_CHARS.fullmatch(nonce)):
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


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after: float  # seconds until the next hit would be allowed (0 when allowed)


class RateLimiter:
    """At most ``limit`` hits per ``window`` seconds for each key, counted over a sliding window.

    In memory and per process; thread-safe. ``max_keys`` bounds the memory: the least recently used key is
    forgotten first.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def hit(self, key: str) -> RateDecision:
        """Count one attempt for ``key`` if it is allowed, and say whether it was."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return RateDecision(False, 0, max(0.0, hits[0] + self.window - now))
            hits.append(now)
            return RateDecision(True, self.limit - len(hits), 0.0)

    def peek(self, key: str) -> RateDecision:
        """What :meth:`hit` would answer, without counting anything."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return RateDecision(False, 0, max(0.0, hits[0] + self.window - now))
            return RateDecision(True, self.limit - len(hits), 0.0)

    def reset(self, key: str) -> None:
        """Forget ``key`` (e.g. after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


def rate_limited(
    limiter: RateLimiter, key: Callable[[Request], str] = client_address
) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency that answers 429 with ``Retry-After`` once ``key(request)`` is over the limit."""

    async def dependency(request: Request) -> None:
        decision = limiter.hit(key(request))
        if not decision.allowed:
            wait = max(1, int(decision.retry_after + 0.999))
            raise HTTPException(
                429, f"too many requests: try again in {wait} s", headers={"Retry-After": str(wait)}
            )

    return dependency


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
        if _is_https(scope):
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
                pending = scope.get("state", {}).get(_PENDING_COOKIES, {})
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
