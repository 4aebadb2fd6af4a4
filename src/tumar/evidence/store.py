"""The evidence locker: cases, items, messages and the custody log in SQLite (default) or PostgreSQL.

One SQLAlchemy Core schema serves both databases. Everything a survivor or a counsellor wrote or uploaded is
sealed with the store's vault (AES-256-GCM, see :mod:`tumar.evidence.crypto`); the clear columns are only ids,
kinds, sizes, sequence numbers, creation times and hashes of custody entries. Without the passphrase, the database
file shows that cases exist, never what is in them.

Every write that adds evidence runs in one transaction together with its custody entry, so an import that fails
half-way leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
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
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import OperationalError

from tumar.errors import InputError, IntegrityError, NotFoundError
from tumar.evidence.crypto import KdfParams, SealedKey, Vault, new_vault, open_vault
from tumar.evidence.custody import CustodyEntry, verify_chain

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

CHUNK = 1 << 20  # items are stored in sealed chunks of 1 MiB, so a 200 MB export never sits in memory
ITEM_KINDS = ("chat", "message", "file", "screenshot", "media", "image_match", "note")
SCHEMA_VERSION = "1"
KEY_CHECK = b"tumar evidence store"

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


def _utcnow() -> datetime:
    return datetime.now(UTC)


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


@dataclass(frozen=True)
class CaseInfo:
    id: str
    title: str
    description: str
    created_at: datetime
    created_by: str
    items: int = 0


@dataclass(frozen=True)
class ItemInfo:
    id: str
    case_id: str
    kind: str
    name: str
    sha256: str
    size: int
    acquired_at: datetime
    source: str
    parent_id: str | None = None
    messages: int = 0
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredMessage:
    """A chat message as stored: its fields as imported, plus what the analyzer found (if it ran)."""

    item_id: str
    seq: int
    data: dict[str, Any]


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
        return cls(engine, cls._unlock(engine, passphrase, create, kdf), clock)

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
            vault = cls._unlock(engine, passphrase, create, kdf)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, vault, clock)

    @staticmethod
    def _unlock(engine: Engine, passphrase: str, create: bool, kdf: KdfParams | None) -> Vault:
        with engine.begin() as conn:
            rows: dict[str, str] = {
                r.key: r.value for r in conn.execute(select(meta_t.c.key, meta_t.c.value))
            }
            if "sealed_key" not in rows:
                if not create:
                    raise NotFoundError("no evidence store here yet: create a case first")
                vault, sealed = new_vault(passphrase, kdf)
                signing = Ed25519PrivateKey.generate().private_bytes_raw()
                conn.execute(
                    insert(meta_t),
                    [
                        {"key": "schema_version", "value": SCHEMA_VERSION},
                        {"key": "sealed_key", "value": sealed.to_json()},
                        {"key": "key_check", "value": vault.seal(KEY_CHECK, "meta:key_check").hex()},
                        {"key": "signing_key", "value": vault.seal(signing, "meta:signing_key").hex()},
                    ],
                )
                log.info("initialised a new evidence store")
            else:
                vault = open_vault(SealedKey.from_json(rows["sealed_key"]), passphrase)
                vault.open(bytes.fromhex(rows["key_check"]), "meta:key_check")
        return vault

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
        with self._engine.connect() as conn:
            hexed: str = conn.execute(
                select(meta_t.c.value).where(meta_t.c.key == "signing_key")
            ).scalar_one()
        return Ed25519PrivateKey.from_private_bytes(
            self._vault.open(bytes.fromhex(hexed), "meta:signing_key")
        )

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
        digest, size, n = hashlib.sha256(), 0, 0
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
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            conn.execute(
                insert(blobs_t).values(
                    item_id=item_id, chunk=n, data=self._vault.seal(chunk, f"blob:{item_id}:{n}")
                )
            )
            n += 1
        meta: dict[str, Any] = {
            "name": name,
            "source": source,
            "sha256": digest.hexdigest(),
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
        batch = [
            {"item_id": item_id, "seq": seq, "sealed": self._vault.seal_json(data, f"msg:{item_id}:{seq}")}
            for seq, data in rows
        ]
        if batch:
            conn.execute(insert(messages_t), batch)

    def _item_from_row(self, row: Any) -> ItemInfo:
        meta = self._vault.open_json(row.sealed, f"item:{row.id}")
        return ItemInfo(
            row.id,
            row.case_id,
            row.kind,
            meta["name"],
            meta["sha256"],
            row.size,
            datetime.fromisoformat(meta["acquired_at"]),
            meta["source"],
            row.parent_id,
            row.messages,
            meta.get("summary") or {},
        )

    def items(self, case_id: str) -> list[ItemInfo]:
        with self._engine.connect() as conn:
            self._case_data(conn, case_id)
            rows = conn.execute(
                select(items_t)
                .where(items_t.c.case_id == case_id)
                .order_by(items_t.c.created_at, items_t.c.id)
            ).all()
        return sorted((self._item_from_row(r) for r in rows), key=lambda i: i.acquired_at)

    def item(self, item_id: str) -> ItemInfo:
        with self._engine.connect() as conn:
            row = conn.execute(select(items_t).where(items_t.c.id == item_id)).first()
        if row is None:
            raise NotFoundError(f"no evidence item {item_id!r}")
        return self._item_from_row(row)

    def read_item(self, item_id: str) -> Iterator[bytes]:
        """The item's bytes, chunk by chunk, decrypted."""
        with self._engine.connect() as conn:
            n = conn.execute(select(items_t.c.chunks).where(items_t.c.id == item_id)).scalar_one_or_none()
            if n is None:
                raise NotFoundError(f"no evidence item {item_id!r}")
            for i in range(n):
                data = conn.execute(
                    select(blobs_t.c.data).where(blobs_t.c.item_id == item_id, blobs_t.c.chunk == i)
                ).scalar_one_or_none()
                if data is None:
                    raise IntegrityError(f"item {item_id}: part {i} of its content is missing from the store")
                yield self._vault.open(data, f"blob:{item_id}:{i}")

    def messages(self, item_id: str) -> Iterator[StoredMessage]:
        with self._engine.connect() as conn:
            result = conn.execution_options(yield_per=1000).execute(
                select(messages_t.c.seq, messages_t.c.sealed)
                .where(messages_t.c.item_id == item_id)
                .order_by(messages_t.c.seq)
            )
            for row in result:
                yield StoredMessage(
                    item_id, row.seq, self._vault.open_json(row.sealed, f"msg:{item_id}:{row.seq}")
                )

    # -- verification ----------------------------------------------------------------------------------------

    def verify(self, case_id: str) -> list[str]:
        """Re-hash every item and check the custody chain; :class:`IntegrityError` names the first problem.

        Returns one line per check that passed, for the user to see what was verified.
        """
        entries = self.custody(case_id)
        head = verify_chain(entries, expected_head=self.custody_head(case_id))
        added = {e.item_id: e.details.get("sha256") for e in entries if e.action == "item_added"}
        lines = [f"custody log: {len(entries)} entries, chain intact (head {head[:16]}…)"]
        items = self.items(case_id)
        for item in items:
            digest = hashlib.sha256()
            for chunk in self.read_item(item.id):
                digest.update(chunk)
            actual = digest.hexdigest()
            if actual != item.sha256 or added.get(item.id) != item.sha256:
                raise IntegrityError(
                    f"item {item.id} ({item.name}): its content does not match the hash taken at ingestion"
                )
            lines.append(f"item {item.id} ({item.kind}, {item.name}): sha256 {actual} ✓")
        missing = {i for i in added if i is not None} - {i.id for i in items}
        if missing:
            raise IntegrityError(
                f"item {sorted(missing)[0]} is in the custody log but missing from the store"
            )
        return lines
