"""Workspace accounts (admin, counsellor) and the audit log of who opened which case.

Accounts live in the same database as the evidence but outside the vault: a counsellor must be able to log in
before anyone has unlocked the store. Passwords are kept only as Argon2id hashes; usernames and the audit log hold
no survivor data (case ids, not titles).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError as DbIntegrityError

from tumar.errors import InputError, NotFoundError
from tumar.evidence.schema import audit_t, users_t

__all__ = ["MIN_PASSWORD", "ROLES", "User", "UserDirectory"]

ROLES = ("admin", "counsellor")
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[\w.\-@]{2,64}$")
_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, 64 MiB, 3 passes
_DUMMY = _hasher.hash("a password nobody has")  # verified against on unknown names, so timing tells nothing


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    active: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class UserDirectory:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._clock = clock

    def add(self, username: str, password: str, role: str = "counsellor") -> User:
        if not _USERNAME.match(username):
            raise InputError(f"username {username!r}: use 2–64 letters, digits, dots, dashes or @")
        if role not in ROLES:
            raise InputError(f"role {role!r}: use admin or counsellor")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(users_t).values(
                        username=username,
                        role=role,
                        password_hash=_hasher.hash(password),
                        active=True,
                        created_at=self._clock().isoformat(),
                    )
                )
        except DbIntegrityError:
            raise InputError(f"user {username!r} already exists") from None
        return self.get(username)

    def get(self, username: str) -> User:
        with self._engine.connect() as conn:
            row = conn.execute(select(users_t).where(users_t.c.username == username)).first()
        if row is None:
            raise NotFoundError(f"no user {username!r}")
        return User(row.id, row.username, row.role, row.active)

    def all(self) -> list[User]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(users_t).order_by(users_t.c.username)).all()
        return [User(r.id, r.username, r.role, r.active) for r in rows]

    def count(self) -> int:
        return len(self.all())

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right and the account active; None otherwise (same time either way)."""
        with self._engine.connect() as conn:
            row = conn.execute(select(users_t).where(users_t.c.username == username)).first()
        stored = row.password_hash if row is not None else _DUMMY
        try:
            _hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        if _hasher.check_needs_rehash(stored):
            self._set_hash(username, _hasher.hash(password))
        return User(row.id, row.username, row.role, row.active)

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
        self.get(username)
        self._set_hash(username, _hasher.hash(password))

    def set_active(self, username: str, active: bool) -> None:
        self.get(username)
        with self._engine.begin() as conn:
            conn.execute(update(users_t).where(users_t.c.username == username).values(active=active))

    def _set_hash(self, username: str, hashed: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(update(users_t).where(users_t.c.username == username).values(password_hash=hashed))

    # -- audit ---------------------------------------------------------------------------------------------

    def audit(self, username: str, action: str, case_id: str | None = None) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(audit_t).values(
                    at=self._clock().isoformat(), username=username, case_id=case_id, action=action
                )
            )

    def audit_log(self, case_id: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        q = select(audit_t).order_by(audit_t.c.id.desc()).limit(limit)
        if case_id is not None:
            q = q.where(audit_t.c.case_id == case_id)
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]
