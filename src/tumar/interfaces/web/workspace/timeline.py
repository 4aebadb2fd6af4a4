"""A case's timeline as JSON: the abusive messages in date order with what was found, and the patterns."""

from typing import Any

from tumar.evidence.report import build_report_data
from tumar.evidence.store import EvidenceStore

__all__ = ["case_timeline"]


def case_timeline(store: EvidenceStore, case_id: str, lang: str) -> dict[str, Any]:
    data = build_report_data(store, case_id, lang)
    return {
        "case": case_id,
        "forms": list(data.forms),
        "urgent": data.urgent,
        "abuser": data.abuser,
        "message_count": data.message_count,
        "custody_verified": data.custody_verified,
        "patterns": [
            {"kind": p.kind, "description": p.description, "count": p.count, "sender": p.sender}
            for p in data.patterns
        ],
        "messages": [
            {
                "item": m.item_id,
                "id": m.message_id,
                "chat": m.chat,
                "date": m.date.isoformat(),
                "from": m.sender,
                "text": m.text,
                "urgent": m.urgent,
                "findings": [
                    {"form": f.form, "confidence": round(f.confidence, 3), "explanation": f.explanation}
                    for f in m.findings
                ],
            }
            for m in data.messages
        ],
    }
