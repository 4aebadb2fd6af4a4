"""The evidence database: its tables (one SQLAlchemy Core schema for SQLite and PostgreSQL) and how it is opened.

What each table holds in clear and what it keeps sealed is described in :mod:`tumar.evidence.store`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.exc import OperationalError

from tumar.errors import InputError

__all__ = [
    "audit_t",
    "blobs_t",
    "cases_t",
    "custody_t",
    "default_database_url",
    "is_initialised",
    "items_t",
    "messages_t",
    "meta_t",
    "metadata",
    "open_database",
    "users_t",
]

metadata = MetaData()

meta_t = Table(
    "tumar_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
cases_t = Table(
    "tumar_cases",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("created_at", String(40), nullable=False),
    Column("sealed", LargeBinary, nullable=False),  # title, description, created_by, custody head
)
items_t = Table(
    "tumar_items",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("case_id", String(16), ForeignKey("tumar_cases.id"), nullable=False, index=True),
    Column("parent_id", String(16), nullable=True),
    Column("kind", String(16), nullable=False),
    Column("size", Integer, nullable=False),
    Column("chunks", Integer, nullable=False),
    Column("messages", Integer, nullable=False, default=0),
    Column("created_at", String(40), nullable=False),
    Column("sealed", LargeBinary, nullable=False),  # name, source, sha256, acquired_at, summary
)
blobs_t = Table(
    "tumar_blobs",
    metadata,
    Column("item_id", String(16), ForeignKey("tumar_items.id"), primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)
messages_t = Table(
    "tumar_messages",
    metadata,
    Column("item_id", String(16), ForeignKey("tumar_items.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("sealed", LargeBinary, nullable=False),
)
custody_t = Table(
    "tumar_custody",
    metadata,
    Column("case_id", String(16), ForeignKey("tumar_cases.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
)
users_t = Table(
    "tumar_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(40), nullable=False),
)
audit_t = Table(
    "tumar_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("username", String(64), nullable=False),
    Column("case_id", String(16), nullable=True),
    Column("action", String(40), nullable=False),
)


def default_database_url() -> str:
    """``TUMAR_DATABASE_URL``, else an SQLite file in ``TUMAR_HOME`` (default ``~/.local/share/tumar``)."""
    url = os.environ.get("TUMAR_DATABASE_URL")
    if url:
        return url
    home = os.environ.get("TUMAR_HOME") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "tumar"
    )
    return f"sqlite:///{os.path.join(home, 'evidence.db')}"


def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            path.touch(mode=0o600)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

    return engine


def open_database(url: str | None = None) -> Engine:
    """An engine on the database at ``url`` (default: :func:`default_database_url`) with the schema created."""
    engine = _engine(url or default_database_url())
    try:
        metadata.create_all(engine)
    except OperationalError as exc:
        engine.dispose()
        raise InputError(f"cannot open the evidence database: {exc.orig}") from None
    return engine


def is_initialised(engine: Engine) -> bool:
    """Whether the store has its key (a first case was created), without needing the passphrase."""
    with engine.connect() as conn:
        return conn.execute(select(meta_t.c.key).where(meta_t.c.key == "sealed_key")).first() is not None
