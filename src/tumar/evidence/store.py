"""The evidence locker: cases, items, messages and the custody log in SQLite (default) or PostgreSQL.

One SQLAlchemy Core schema serves both databases. Everything a survivor or a counsellor wrote or uploaded is
sealed with the store's vault (AES-256-GCM, see :mod:`tumar.evidence.crypto`); the clear columns are only ids,
kinds, sizes, sequence numbers, creation times and hashes of custody entries. Without the passphrase, the database
file shows that cases exist, never what is in them.

Every write that adds evidence runs in one transaction together with its custody entry, so an import that fails
half-way leaves nothing behind.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, func, insert, select, update

from tumar.errors import InputError, NotFoundError
from tumar.evidence.crypto import KdfParams, Vault
from tumar.evidence.custody import CustodyEntry
from tumar.evidence.integrity import verify_case
from tumar.evidence.items import CHUNK, insert_messages, item_info, read_chunks, read_messages, write_chunks
from tumar.evidence.keyring import signing_key, unlock_vault
from tumar.evidence.records import CaseInfo, ItemInfo, StoredMessage
from tumar.evidence.schema import audit_t as audit_t
from tumar.evidence.schema import blobs_t as blobs_t
from tumar.evidence.schema import (
    cases_t,
    custody_t,
    default_database_url,
    is_initialised,
    items_t,
    meta_t,
    open_database,
)
from tumar.evidence.schema import metadata as metadata
from tumar.evidence.schema import users_t as users_t

__all__ = [
    "CHUNK",
    "ITEM_KINDS",
    "CaseInfo",
    "EvidenceStore",
    "ItemInfo",
    "StoredMessage",
    "default_database_url",
    "is_initialised",
    "open_database",
]

log = logging.getLogger(__name__)

ITEM_KINDS = ("chat", "message", "file", "screenshot", "media", "image_match", "note")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class EvidenceStore:
    """Open with :meth:`open`; all reads and writes go through the vault opened by the passphrase."""

    @classmethod
    def unlock(
        cls,
        engine: Engine,
        passphrase: str,
        *,
        create: bool = True,
        kdf: KdfParams | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> EvidenceStore:
        """A store on an engine that is already open (the web app unlocks its store this way)."""
        return cls(engine, unlock_vault(engine, passphrase, create, kdf), clock)

    def __init__(self, engine: Engine, vault: Vault, clock: Callable[[], datetime] = _utcnow) -> None:
        self._engine = engine
        self._vault = vault
        self._clock = clock

    # -- opening -------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        passphrase: str,
        url: str | None = None,
        *,
        create: bool = True,
        kdf: KdfParams | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> EvidenceStore:
        """Open (or, with ``create``, initialise) the store at ``url``; a wrong passphrase raises."""
        engine = open_database(url)
        try:
            vault = unlock_vault(engine, passphrase, create, kdf)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, vault, clock)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def vault(self) -> Vault:
        return self._vault

    def now(self) -> datetime:
        return self._clock()

    def signing_key(self) -> Ed25519PrivateKey:
        """The store's Ed25519 key that signs exported bundles (kept sealed in the store)."""
        return signing_key(self._engine, self._vault)

    def change_passphrase(self, new_passphrase: str, kdf: KdfParams | None = None) -> None:
        if not new_passphrase:
            raise InputError("the new passphrase is empty")
        sealed = self._vault.rewrap(new_passphrase, kdf)
        with self._engine.begin() as conn:
            conn.execute(update(meta_t).where(meta_t.c.key == "sealed_key").values(value=sealed.to_json()))

    # -- cases -----------------------------------------------------------------------------------------------

    def create_case(self, title: str, *, actor: str, description: str = "") -> CaseInfo:
        title = title.strip()
        if not title:
            raise InputError("a case needs a title")
        case_id = secrets.token_hex(4)
        at = self.now()
        with self._engine.begin() as conn:
            conn.execute(
                insert(cases_t).values(
                    id=case_id,
                    created_at=at.isoformat(),
                    sealed=self._seal_case(
                        case_id, {"title": title, "description": description, "created_by": actor, "head": ""}
                    ),
                )
            )
            self.append_custody(conn, case_id, actor, "case_created", None, {})
        log.info("case %s created", case_id)
        return self.case(case_id)

    def _seal_case(self, case_id: str, data: dict[str, Any]) -> bytes:
        return self._vault.seal_json(data, f"case:{case_id}")

    def _case_data(self, conn: Connection, case_id: str) -> dict[str, Any]:
        row = conn.execute(select(cases_t.c.sealed).where(cases_t.c.id == case_id)).first()
        if row is None:
            raise NotFoundError(f"no case {case_id!r}: `tumar case list` shows the cases")
        data: dict[str, Any] = self._vault.open_json(row.sealed, f"case:{case_id}")
        return data

    def case(self, case_id: str) -> CaseInfo:
        with self._engine.connect() as conn:
            data = self._case_data(conn, case_id)
            created: str = conn.execute(
                select(cases_t.c.created_at).where(cases_t.c.id == case_id)
            ).scalar_one()
            n = conn.execute(
                select(func.count()).select_from(items_t).where(items_t.c.case_id == case_id)
            ).scalar_one()
        return CaseInfo(
            case_id,
            data["title"],
            data["description"],
            datetime.fromisoformat(created),
            data["created_by"],
            n,
        )

    def cases(self) -> list[CaseInfo]:
        with self._engine.connect() as conn:
            ids: list[str] = list(conn.execute(select(cases_t.c.id).order_by(cases_t.c.created_at)).scalars())
        return [self.case(i) for i in ids]

    # -- custody -----------------------------------------------------------------------------------------------

    def append_custody(
        self,
        conn: Connection,
        case_id: str,
        actor: str,
        action: str,
        item_id: str | None,
        details: dict[str, Any],
    ) -> CustodyEntry:
        last = conn.execute(
            select(custody_t.c.seq, custody_t.c.sealed)
            .where(custody_t.c.case_id == case_id)
            .order_by(custody_t.c.seq.desc())
            .limit(1)
        ).first()
        prev = self._open_entry(case_id, last.seq, last.sealed) if last else None
        entry = CustodyEntry.next(prev, self.now(), actor, action, item_id, details)
        conn.execute(
            insert(custody_t).values(
                case_id=case_id,
                seq=entry.seq,
                hash=entry.hash,
                sealed=self._vault.seal_json(entry.to_json(), f"custody:{case_id}:{entry.seq}"),
            )
        )
        data = self._case_data(conn, case_id)
        data["head"] = entry.hash
        conn.execute(
            update(cases_t).where(cases_t.c.id == case_id).values(sealed=self._seal_case(case_id, data))
        )
        return entry

    def _open_entry(self, case_id: str, seq: int, sealed: bytes) -> CustodyEntry:
        return CustodyEntry.from_json(self._vault.open_json(sealed, f"custody:{case_id}:{seq}"))

    def log_action(
        self,
        case_id: str,
        actor: str,
        action: str,
        item_id: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> CustodyEntry:
        """Append an entry (e.g. ``exported``, ``report_written``) to the case's custody log."""
        with self._engine.begin() as conn:
            self._case_data(conn, case_id)
            return self.append_custody(conn, case_id, actor, action, item_id, details or {})

    def custody(self, case_id: str) -> list[CustodyEntry]:
        with self._engine.connect() as conn:
            self._case_data(conn, case_id)
            rows = conn.execute(
                select(custody_t.c.seq, custody_t.c.sealed)
                .where(custody_t.c.case_id == case_id)
                .order_by(custody_t.c.seq)
            ).all()
        return [self._open_entry(case_id, r.seq, r.sealed) for r in rows]

    def custody_head(self, case_id: str) -> str:
        with self._engine.connect() as conn:
            return str(self._case_data(conn, case_id)["head"])

    # -- items ----------------------------------------------------------------------------------------------

    def add_stream(
        self,
        case_id: str,
        stream: BinaryIO,
        *,
        name: str,
        actor: str,
        kind: str = "file",
        source: str = "",
        parent_id: str | None = None,
        summary: dict[str, Any] | None = None,
        conn: Connection | None = None,
    ) -> ItemInfo:
        """Store the bytes of ``stream`` as a new item, hashing them on the way in, with its custody entry."""
        if kind not in ITEM_KINDS:
            raise InputError(f"unknown item kind {kind!r}: use one of {', '.join(ITEM_KINDS)}")
        if conn is None:
            with self._engine.begin() as c:
                return self.add_stream(
                    case_id,
                    stream,
                    name=name,
                    actor=actor,
                    kind=kind,
                    source=source,
                    parent_id=parent_id,
                    summary=summary,
                    conn=c,
                )
        self._case_data(conn, case_id)
        item_id = secrets.token_hex(5)
        at = self.now()
        conn.execute(
            insert(items_t).values(
                id=item_id,
                case_id=case_id,
                parent_id=parent_id,
                kind=kind,
                size=0,
                chunks=0,
                messages=0,
                created_at=at.isoformat(),
                sealed=b"",
            )
        )
        sha256, size, n = write_chunks(conn, self._vault, item_id, stream)
        meta: dict[str, Any] = {
            "name": name,
            "source": source,
            "sha256": sha256,
            "acquired_at": at.isoformat(),
            "summary": summary or {},
        }
        conn.execute(
            update(items_t)
            .where(items_t.c.id == item_id)
            .values(size=size, chunks=n, sealed=self._vault.seal_json(meta, f"item:{item_id}"))
        )
        self.append_custody(
            conn,
            case_id,
            actor,
            "item_added",
            item_id,
            {"kind": kind, "sha256": meta["sha256"], "size": size, "parent": parent_id},
        )
        log.info("case %s: item %s added (%s, %d bytes)", case_id, item_id, kind, size)
        return ItemInfo(
            item_id, case_id, kind, name, meta["sha256"], size, at, source, parent_id, 0, meta["summary"]
        )

    def add_bytes(self, case_id: str, data: bytes, **kwargs: Any) -> ItemInfo:
        import io

        return self.add_stream(case_id, io.BytesIO(data), **kwargs)

    def add_note(self, case_id: str, text: str, *, actor: str) -> ItemInfo:
        if not text.strip():
            raise InputError("the note is empty")
        return self.add_bytes(
            case_id, text.encode("utf-8"), name="note", actor=actor, kind="note", source="typed note"
        )

    def set_summary(self, conn: Connection, item_id: str, summary: dict[str, Any], messages: int) -> None:
        row = conn.execute(select(items_t.c.sealed).where(items_t.c.id == item_id)).one()
        meta = self._vault.open_json(row.sealed, f"item:{item_id}")
        meta["summary"] = summary
        conn.execute(
            update(items_t)
            .where(items_t.c.id == item_id)
            .values(sealed=self._vault.seal_json(meta, f"item:{item_id}"), messages=messages)
        )

    def insert_messages(
        self, conn: Connection, item_id: str, rows: Iterable[tuple[int, dict[str, Any]]]
    ) -> None:
        insert_messages(conn, self._vault, item_id, rows)

    def items(self, case_id: str) -> list[ItemInfo]:
        with self._engine.connect() as conn:
            self._case_data(conn, case_id)
            rows = conn.execute(
                select(items_t)
                .where(items_t.c.case_id == case_id)
                .order_by(items_t.c.created_at, items_t.c.id)
            ).all()
        return sorted((item_info(self._vault, r) for r in rows), key=lambda i: i.acquired_at)

    def item(self, item_id: str) -> ItemInfo:
        with self._engine.connect() as conn:
            row = conn.execute(select(items_t).where(items_t.c.id == item_id)).first()
        if row is None:
            raise NotFoundError(f"no evidence item {item_id!r}")
        return item_info(self._vault, row)

    def read_item(self, item_id: str) -> Iterator[bytes]:
        """The item's bytes, chunk by chunk, decrypted."""
        yield from read_chunks(self._engine, self._vault, item_id)

    def messages(self, item_id: str) -> Iterator[StoredMessage]:
        yield from read_messages(self._engine, self._vault, item_id)

    # -- verification ----------------------------------------------------------------------------------------

    def verify(self, case_id: str) -> list[str]:
        """Re-hash every item and check the custody chain; :class:`IntegrityError` names the first problem.

        Returns one line per check that passed, for the user to see what was verified.
        """
        return verify_case(self, case_id)
