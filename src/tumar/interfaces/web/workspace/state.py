"""The workspace's state: accounts, in-memory sessions and the (un)locked evidence store."""

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException
from sqlalchemy import Engine

from tumar.evidence.store import EvidenceStore, is_initialised, open_database
from tumar.evidence.users import User, UserDirectory
from tumar.interfaces.web.security import RateLimiter

__all__ = ["SESSION_TTL", "Session", "Workspace"]

log = logging.getLogger(__name__)

SESSION_TTL = 8 * 3600


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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
