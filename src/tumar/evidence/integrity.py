"""Checking a case in the store: every item re-hashed against its custody entry, and the custody chain."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from tumar.errors import IntegrityError
from tumar.evidence.custody import verify_chain

if TYPE_CHECKING:
    from tumar.evidence.store import EvidenceStore

__all__ = ["verify_case"]


def verify_case(store: EvidenceStore, case_id: str) -> list[str]:
    """Re-hash every item and check the custody chain; :class:`IntegrityError` names the first problem.

    Returns one line per check that passed, for the user to see what was verified.
    """
    entries = store.custody(case_id)
    head = verify_chain(entries, expected_head=store.custody_head(case_id))
    added = {e.item_id: e.details.get("sha256") for e in entries if e.action == "item_added"}
    lines = [f"custody log: {len(entries)} entries, chain intact (head {head[:16]}…)"]
    items = store.items(case_id)
    for item in items:
        digest = hashlib.sha256()
        for chunk in store.read_item(item.id):
            digest.update(chunk)
        actual = digest.hexdigest()
        if actual != item.sha256 or added.get(item.id) != item.sha256:
            raise IntegrityError(
                f"item {item.id} ({item.name}): its content does not match the hash taken at ingestion"
            )
        lines.append(f"item {item.id} ({item.kind}, {item.name}): sha256 {actual} ✓")
    missing = {i for i in added if i is not None} - {i.id for i in items}
    if missing:
        raise IntegrityError(f"item {sorted(missing)[0]} is in the custody log but missing from the store")
    return lines
