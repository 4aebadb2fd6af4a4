from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tumar.evidence.crypto import KdfParams
from tumar.evidence.store import EvidenceStore

FAST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)  # real Argon2id, cheap for tests
PASSPHRASE = "Ала-Тоо 2026 кызыл алма"


class Clock:
    """A clock that ticks one second per reading, so custody entries get distinct, predictable times."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _postgres_url() -> str | None:
    return os.environ.get("TUMAR_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evidence.db'}"
        return
    url = _postgres_url()
    if url is None and os.environ.get("TUMAR_REQUIRE_POSTGRES"):
        pytest.fail("TUMAR_REQUIRE_POSTGRES is set but TUMAR_TEST_POSTGRES_URL is not")
    if url is None:
        pytest.skip("PostgreSQL not configured: set TUMAR_TEST_POSTGRES_URL (make test starts a server)")
    from sqlalchemy import create_engine, text

    schema_db = f"tumar_test_{os.getpid()}_{abs(hash(request.node.name)) % 10**8}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{schema_db}"'))
        conn.execute(text(f'CREATE DATABASE "{schema_db}"'))
    base = url.rsplit("/", 1)[0]
    yield f"{base}/{schema_db}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{schema_db}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[EvidenceStore]:
    s = EvidenceStore.open(PASSPHRASE, db_url, kdf=FAST_KDF, clock=Clock())
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[EvidenceStore]:
    s = EvidenceStore.open(PASSPHRASE, f"sqlite:///{tmp_path / 'evidence.db'}", kdf=FAST_KDF, clock=Clock())
    yield s
    s.close()
