"""An item's content in the store: its bytes in sealed chunks of :data:`CHUNK` bytes (so a 200 MB export never
sits in memory), its sealed metadata, and the chat messages it holds, each sealed on its own."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import Connection, Engine, insert, select

from tumar.errors import IntegrityError, NotFoundError
from tumar.evidence.crypto import Vault
from tumar.evidence.records import ItemInfo, StoredMessage
from tumar.evidence.schema import blobs_t, items_t, messages_t

__all__ = ["CHUNK", "insert_messages", "item_info", "read_chunks", "read_messages", "write_chunks"]

CHUNK = 1 << 20


def write_chunks(conn: Connection, vault: Vault, item_id: str, stream: BinaryIO) -> tuple[str, int, int]:
    """Seal and store ``stream`` chunk by chunk, hashing it on the way in: ``(sha256, size, chunks)``."""
    digest, size, n = hashlib.sha256(), 0, 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        conn.execute(
            insert(blobs_t).values(item_id=item_id, chunk=n, data=vault.seal(chunk, f"blob:{item_id}:{n}"))
        )
        n += 1
    return digest.hexdigest(), size, n


def read_chunks(engine: Engine, vault: Vault, item_id: str) -> Iterator[bytes]:
    """The item's bytes, chunk by chunk, decrypted."""
    with engine.connect() as conn:
        n = conn.execute(select(items_t.c.chunks).where(items_t.c.id == item_id)).scalar_one_or_none()
        if n is None:
            raise NotFoundError(f"no evidence item {item_id!r}")
        for i in range(n):
            data = conn.execute(
                select(blobs_t.c.data).where(blobs_t.c.item_id == item_id, blobs_t.c.chunk == i)
            ).scalar_one_or_none()
            if data is None:
                raise IntegrityError(f"item {item_id}: part {i} of its content is missing from the store")
            yield vault.open(data, f"blob:{item_id}:{i}")


def item_info(vault: Vault, row: Any) -> ItemInfo:
    """The item of a ``tumar_items`` row, its metadata unsealed."""
    meta = vault.open_json(row.sealed, f"item:{row.id}")
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


def insert_messages(
    conn: Connection, vault: Vault, item_id: str, rows: Iterable[tuple[int, dict[str, Any]]]
) -> None:
    """Seal and store the item's messages, ``(seq, data)`` each."""
    batch = [
        {"item_id": item_id, "seq": seq, "sealed": vault.seal_json(data, f"msg:{item_id}:{seq}")}
        for seq, data in rows
    ]
    if batch:
        conn.execute(insert(messages_t), batch)


def read_messages(engine: Engine, vault: Vault, item_id: str) -> Iterator[StoredMessage]:
    """The item's messages in order, unsealed one at a time."""
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=1000).execute(
            select(messages_t.c.seq, messages_t.c.sealed)
            .where(messages_t.c.item_id == item_id)
            .order_by(messages_t.c.seq)
        )
        for row in result:
            yield StoredMessage(item_id, row.seq, vault.open_json(row.sealed, f"msg:{item_id}:{row.seq}"))
