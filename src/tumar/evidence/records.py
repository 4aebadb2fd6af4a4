"""What the evidence store hands out: frozen records of cases, items and stored messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["CaseInfo", "ItemInfo", "StoredMessage"]


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
