"""The security settings, read once (``SecurityConfig.from_env()``) and passed down."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CSP", "SecurityConfig"]

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


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
