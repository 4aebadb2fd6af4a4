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

    def identity(self) -> dict[str, Any]:
        """What identifies the item and its acquisition, as JSON (the CLI, the API and bundle manifests)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "acquired_at": self.acquired_at.isoformat(),
            "source": self.source,
            "parent": self.parent_id,
        }


@dataclass(frozen=True)
class StoredMessage:
    """A chat message as stored: its fields as imported, plus what the analyzer found (if it ran)."""

    item_id: str
    seq: int
    data: dict[str, Any]
