from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tumar.errors import InputError, NotFoundError
from tumar.evidence.store import EvidenceStore, open_database
from tumar.evidence.users import UserDirectory


@pytest.fixture
def users(store: EvidenceStore) -> Iterator[UserDirectory]:
    yield UserDirectory(store.engine)


def test_accounts_log_in_with_the_right_password_only(users: UserDirectory) -> None:
    users.add("aigul.admin", "жылдыз-2026-тоо", role="admin")
    users.add("nurbek", "counsellor pass 1")
    assert users.authenticate("aigul.admin", "жылдыз-2026-тоо").is_admin  # type: ignore[union-attr]
    assert users.authenticate("nurbek", "counsellor pass 1").role == "counsellor"  # type: ignore[union-attr]
    assert users.authenticate("nurbek", "counsellor pass 2") is None
    assert users.authenticate("nobody", "counsellor pass 1") is None
    users.set_active("nurbek", False)
    assert users.authenticate("nurbek", "counsellor pass 1") is None
    users.set_password("aigul.admin", "a brand new one")
    assert users.authenticate("aigul.admin", "жылдыз-2026-тоо") is None
    assert users.authenticate("aigul.admin", "a brand new one") is not None


def test_passwords_are_stored_as_argon2id_hashes(users: UserDirectory) -> None:
    from sqlalchemy import select

    from tumar.evidence.store import users_t

    users.add("dana", "Алматы таулары 7")
    with users._engine.connect() as conn:
        stored = conn.execute(select(users_t.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "Алматы" not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("x", "long enough pass", "counsellor", "username"),
        ("has space", "long enough pass", "counsellor", "username"),
        ("ok.name", "short", "counsellor", "at least 10"),
        ("ok.name", "long enough pass", "boss", "role 'boss'"),
    ],
)
def test_bad_accounts_are_refused(
    users: UserDirectory, username: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        users.add(username, password, role)
    assert users.all() == []


def test_duplicate_and_unknown_users(users: UserDirectory) -> None:
    users.add("dana", "Алматы таулары 7")
    with pytest.raises(InputError, match="already exists"):
        users.add("dana", "another password")
    with pytest.raises(NotFoundError):
        users.set_password("ghost", "long enough pass")


def test_the_audit_log_records_who_opened_which_case(users: UserDirectory) -> None:
    users.audit("nurbek", "case_opened", "a1b2c3d4")
    users.audit("dana", "report_downloaded", "a1b2c3d4")
    users.audit("dana", "login")
    log = users.audit_log("a1b2c3d4")
    assert [(r["username"], r["action"]) for r in log] == [
        ("dana", "report_downloaded"),
        ("nurbek", "case_opened"),
    ]
    assert len(users.audit_log()) == 3


def test_accounts_work_before_the_vault_is_unlocked(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'e.db'}")
    directory = UserDirectory(engine)
    directory.add("first.admin", "first admin password", "admin")
    assert directory.authenticate("first.admin", "first admin password") is not None
    engine.dispose()
