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

from tumar.interfaces.web.security.config import CSP, SecurityConfig
from tumar.interfaces.web.security.cookies import _PENDING_COOKIES as _PENDING_COOKIES
from tumar.interfaces.web.security.cookies import CookiePolicy
from tumar.interfaces.web.security.csrf import CsrfError, CsrfProtect
from tumar.interfaces.web.security.limits import RateDecision, RateLimiter, client_address, rate_limited
from tumar.interfaces.web.security.middleware import PERMISSIONS_POLICY, SecurityMiddleware, wants_html
from tumar.interfaces.web.security.middleware import json_error as json_error

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
