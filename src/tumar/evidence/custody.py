"""The chain of custody: an append-only log in which each entry carries the hash of the one before.

An entry's hash is SHA-256 over its canonical JSON (sorted keys, UTF-8) including the previous hash, so changing,
removing or reordering any entry breaks every hash after it. Entries that add evidence carry the item's SHA-256 in
``details``, so the chain also commits to the evidence itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tumar.errors import IntegrityError

__all__ = ["GENESIS", "CustodyEntry", "entry_hash", "verify_chain"]

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    item_id: str | None,
    details: dict[str, Any],
) -> str:
    payload = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "item": item_id,
        "details": details,
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CustodyEntry:
    seq: int
    at: datetime  # UTC
    actor: str
    action: str
    item_id: str | None
    prev_hash: str
    hash: str
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def next(
        cls,
        prev: CustodyEntry | None,
        at: datetime,
        actor: str,
        action: str,
        item_id: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> CustodyEntry:
        seq = prev.seq + 1 if prev else 1
        prev_hash = prev.hash if prev else GENESIS
        details = dict(details or {})
        return cls(
            seq,
            at,
            actor,
            action,
            item_id,
            prev_hash,
            entry_hash(prev_hash, seq, at, actor, action, item_id, details),
            details,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "item": self.item_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CustodyEntry:
        return cls(
            int(d["seq"]),
            datetime.fromisoformat(d["at"]),
            str(d["actor"]),
            str(d["action"]),
            d.get("item"),
            str(d["prev_hash"]),
            str(d["hash"]),
            dict(d.get("details") or {}),
        )


def verify_chain(entries: Iterable[CustodyEntry], expected_head: str | None = None) -> str:
    """The head hash of a valid chain; :class:`IntegrityError` naming the first broken entry otherwise."""
    prev_hash, expected_seq = GENESIS, 1
    for e in entries:
        if e.seq != expected_seq:
            raise IntegrityError(
                f"custody log: entry {expected_seq} is missing (found entry {e.seq} in its place)"
            )
        if e.prev_hash != prev_hash:
            raise IntegrityError(
                f"custody log: entry {e.seq} does not follow entry {e.seq - 1} (previous hash differs)"
            )
        actual = entry_hash(e.prev_hash, e.seq, e.at, e.actor, e.action, e.item_id, e.details)
        if actual != e.hash:
            raise IntegrityError(
                f"custody log: entry {e.seq} ({e.action}) was changed (its hash does not match)"
            )
        prev_hash, expected_seq = e.hash, e.seq + 1
    if expected_head is not None and prev_hash != expected_head:
        raise IntegrityError("custody log: the last entries were removed (the chain head does not match)")
    return prev_hash
