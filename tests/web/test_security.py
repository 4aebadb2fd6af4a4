"""The security plumbing: rate limiter, CSRF tokens, cookies, settings, and the middleware in the real app."""

from __future__ import annotations

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_token, new_client
from tumar.interfaces.web import security
from tumar.interfaces.web.security import (
    CookiePolicy,
    CsrfProtect,
    RateLimiter,
    SecurityConfig,
    rate_limited,
)


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# ---- rate limiter ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("steps", "limit", "window"),
    [
        # (time, allowed, retry_after)
        (
            [(0, True, 0), (1, True, 0), (2, True, 0), (3, False, 7), (9.9, False, 0.1), (10.5, True, 0)],
            3,
            10,
        ),
        ([(0, True, 0), (0, False, 60), (59, False, 1), (60, True, 0), (61, False, 59)], 1, 60),
        ([(0, True, 0), (5, True, 0), (10, False, 10), (20, True, 0), (24, False, 1)], 2, 20),
    ],
)
def test_rate_limiter_sliding_window(steps, limit, window):
    clock = Clock(0)
    limiter = RateLimiter(limit, window, clock=clock)
    for at, allowed, retry_after in steps:
        clock.now = at
        assert limiter.peek("a").allowed is allowed, at
        decision = limiter.hit("a")
        assert (decision.allowed, round(decision.retry_after, 3)) == (allowed, retry_after), at


def test_rate_limiter_keys_are_separate_and_reset_and_bounded():
    clock = Clock()
    limiter = RateLimiter(1, 60, clock=clock, max_keys=2)
    assert limiter.hit("login:aigul").allowed and limiter.hit("login:dana").allowed
    assert not limiter.hit("login:aigul").allowed
    limiter.reset("login:aigul")
    assert limiter.hit("login:aigul").allowed
    assert limiter.hit("login:third").allowed  # evicts the least recently used key (dana)
    assert limiter.hit("login:dana").allowed
    assert limiter.hit("x").remaining == 0


@pytest.mark.parametrize(("limit", "window"), [(0, 10), (1, 0), (-1, 5)])
def test_rate_limiter_rejects_nonsense(limit, window):
    with pytest.raises(ValueError):
        RateLimiter(limit, window)


def test_rate_limited_dependency_answers_429_with_retry_after():
    app = FastAPI()
    limiter = RateLimiter(2, 30)

    @app.post("/login", dependencies=[Depends(rate_limited(limiter, key=lambda r: r.headers["x-user"]))])
    def login() -> dict[str, bool]:
        return {"ok": True}

    client = TestClient(app)
    assert [client.post("/login", headers={"x-user": "a"}).status_code for _ in range(3)] == [200, 200, 429]
    blocked = client.post("/login", headers={"x-user": "a"})
    assert blocked.headers["retry-after"] == "30"
    assert client.post("/login", headers={"x-user": "b"}).status_code == 200


# ---- CSRF tokens -------------------------------------------------------------------------------------------
NONCE = "n" * 43


def _csrf(clock: Clock) -> CsrfProtect:
    return CsrfProtect(b"k" * 32, CookiePolicy(), max_age=3600, clock=clock)


@pytest.mark.parametrize(
    ("nonce", "token", "advance", "reason"),
    [
        (NONCE, "valid", 0, None),
        (NONCE, "valid", 3599, None),
        (NONCE, "valid", 3601, "CSRF token expired"),
        ("o" * 43, "valid", 0, "CSRF token does not match"),
        (NONCE, "tampered", 0, "CSRF token does not match"),
        (NONCE, "", 0, "no CSRF token"),
        ("", "valid", 0, "no CSRF cookie"),
        (NONCE, "abc.def", 0, "malformed CSRF token"),
    ],
)
def test_csrf_token_check(nonce, token, advance, reason):
    clock = Clock()
    csrf = _csrf(clock)
    valid = csrf._sign(NONCE, int(clock.now))
    given = {"valid": valid, "tampered": valid[:-1] + ("0" if valid[-1] != "0" else "1")}.get(token, token)
    clock.now += advance
    assert csrf.check(nonce, given) == reason


def test_csrf_secret_must_be_long_enough():
    with pytest.raises(ValueError):
        CsrfProtect(b"short", CookiePolicy())


# ---- cookies and settings ----------------------------------------------------------------------------------
def _request(scheme: str) -> Request:
    return Request({"type": "http", "scheme": scheme, "headers": [], "path": "/", "query_string": b""})


@pytest.mark.parametrize(
    ("secure", "scheme", "has_secure"),
    [(None, "http", False), (None, "https", True), (True, "http", True), (False, "https", False)],
)
def test_cookie_policy(secure, scheme, has_secure):
    header = CookiePolicy(secure).header(_request(scheme), "tumar_csrf", "abc-DEF_1")
    parts = header.split("; ")
    assert parts[0] == "tumar_csrf=abc-DEF_1"
    assert {"Path=/", "HttpOnly", "SameSite=Strict"} <= set(parts)
    assert ("Secure" in parts) is has_secure
    assert not any(p.startswith(("Expires", "Max-Age")) for p in parts)  # a session cookie


@pytest.mark.parametrize("value", ["a;b", "a b", "é", "a=b"])
def test_cookie_policy_refuses_unsafe_values(value):
    with pytest.raises(ValueError):
        CookiePolicy().header(_request("http"), "name", value)


@pytest.mark.parametrize(
    ("env", "secure", "error"),
    [
        ({}, None, None),
        ({"TUMAR_SECURE_COOKIES": "true"}, True, None),
        ({"TUMAR_SECURE_COOKIES": "FALSE"}, False, None),
        ({"TUMAR_SECURE_COOKIES": "auto"}, None, None),
        ({"TUMAR_SECURE_COOKIES": "maybe"}, None, "auto, true or false"),
        ({"TUMAR_SECRET_KEY": "ab" * 16}, None, "at least 32 bytes"),
        ({"TUMAR_SECRET_KEY": "zz" * 32}, None, "must be hex"),
        ({"TUMAR_SECRET_KEY": "ab" * 32}, None, None),
    ],
)
def test_security_config_from_env(env, secure, error):
    if error:
        with pytest.raises(ValueError, match=error):
            SecurityConfig.from_env(env)
        return
    config = SecurityConfig.from_env(env)
    assert config.secure_cookies is secure
    assert config.secret_key == (
        bytes.fromhex(env["TUMAR_SECRET_KEY"]) if "TUMAR_SECRET_KEY" in env else config.secret_key
    )
    assert len(config.secret_key) >= 32
    assert SecurityConfig.from_env({}).secret_key != SecurityConfig.from_env({}).secret_key


# ---- headers in the app ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/check", "/api/v1/forms", "/api/docs", "/recipes", "/nowhere"])
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"] and "geolocation=()" in headers["permissions-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in headers


def test_static_files_may_be_cached(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
    assert "content-security-policy" in response.headers


def test_https_adds_hsts_and_secure_cookies():
    client = new_client(base_url="https://testserver")
    response = client.get("/check")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "; Secure" in response.headers["set-cookie"]


def test_csrf_cookie_is_a_strict_httponly_session_cookie(fresh):
    cookie = fresh.get("/check").headers["set-cookie"]
    assert cookie.startswith("tumar_csrf=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Max-Age" not in cookie and "Expires" not in cookie and "Secure" not in cookie
    assert "set-cookie" not in fresh.get("/check").headers  # the browser has it now: not set again
    assert "set-cookie" not in new_client().get("/glossary").headers  # pages without forms set none


# ---- CSRF in the app ---------------------------------------------------------------------------------------
def test_form_post_without_token_is_refused(fresh):
    response = fresh.post("/check", data={"text": "салам"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "data"),
    [("/check", {"text": "салам"}), ("/check-yourself", {"yes": "reads_chats"})],
)
@pytest.mark.parametrize("token", ["none", "other", "valid", "header"])
def test_csrf_on_every_form(fresh, path, data, token):
    valid = csrf_token(fresh)
    other = csrf_token(new_client())
    headers = {"x-csrf-token": valid} if token == "header" else {}
    fields = dict(data)
    if token in ("other", "valid"):
        fields["csrf_token"] = valid if token == "valid" else other
    response = fresh.post(path, data=fields, headers=headers)
    assert response.status_code == (200 if token in ("valid", "header") else 403)


def test_csrf_on_uploads(fresh):
    files = {"file": ("chat.txt", "Азамат: салам".encode(), "text/plain")}
    assert fresh.post("/check/upload", files=files).status_code == 403
    token = csrf_token(fresh)
    assert fresh.post("/check/upload", files=files, data={"csrf_token": token}).status_code == 200


def test_json_api_is_exempt_but_cookie_carrying_forms_to_it_are_not(fresh):
    body = {"answers": {"reads_chats": True}}
    assert fresh.post("/api/v1/assess", json=body).status_code == 200  # no cookies
    csrf_token(fresh)  # now the client carries the CSRF cookie
    assert fresh.post("/api/v1/assess", json=body).status_code == 200  # JSON: needs a CORS preflight
    files = {"file": ("chat.txt", "Азамат: салам".encode(), "text/plain")}
    assert fresh.post("/api/v1/chats/analyze", files=files).status_code == 403
    headers = {"x-csrf-token": csrf_token(fresh)}
    assert fresh.post("/api/v1/chats/analyze", files=files, headers=headers).status_code == 200
    assert new_client().post("/api/v1/chats/analyze", files=files).status_code == 200


def test_rotated_nonce_invalidates_old_tokens():
    csrf = _csrf(Clock())
    request = _request("http")
    old = csrf.token(request)
    new = csrf.rotate(request)
    nonce = request.scope["state"]["tumar_csrf_nonce"]
    assert csrf.check(nonce, new) is None
    assert csrf.check(nonce, old) == "CSRF token does not match"
    assert "tumar_csrf" in request.scope["state"][security._PENDING_COOKIES]


# ---- request size ------------------------------------------------------------------------------------------
def test_body_over_the_limit_is_refused_before_reading(client):
    big = b"x" * (512 * 1024 + 1)
    api = client.post("/api/v1/assess", content=big, headers={"content-type": "application/json"})
    assert api.status_code == 413 and "larger than" in api.json()["error"]
    page = client.post(
        "/check",
        content=b"text=" + big,
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html"},
    )
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text


def test_chunked_body_over_the_limit_is_cut_off(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 65536

    response = client.post("/api/v1/assess", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


def test_bad_content_length_is_a_400(client):
    response = client.post(
        "/api/v1/assess", content=b"{}", headers={"content-type": "application/json", "content-length": "abc"}
    )
    assert response.status_code == 400


def test_security_module_declares_its_public_names():
    assert set(security.__all__) <= set(dir(security))
    assert {"CsrfProtect", "RateLimiter", "CookiePolicy", "SecurityConfig", "SecurityMiddleware"} <= set(
        security.__all__
    )
