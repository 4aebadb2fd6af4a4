"""Build a case's :class:`ReportData` from the evidence store (decrypted in memory, for one report)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from tumar.analysis.explain import explain
from tumar.errors import IntegrityError
from tumar.evidence.store import EvidenceStore
from tumar.knowledge.loader import load_knowledge_base
from tumar.languages import check_language
from tumar.reports.model import (
    CustodyRow,
    EvidenceRow,
    NoteRow,
    ReportData,
    ReportFinding,
    ReportMessage,
    ReportPattern,
)

__all__ = ["build_report_data"]


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _findings(raw: list[dict[str, Any]], lang: str) -> tuple[ReportFinding, ...]:
    kb = load_knowledge_base()
    return tuple(
        ReportFinding(
            f["form"],
            float(f["confidence"]),
            explain(kb, f["form"], lang, list(f.get("cues", [])), []),
            tuple(f.get("cues", [])),
        )
        for f in raw
    )


def _pattern(p: dict[str, Any], lang: str) -> ReportPattern:
    return ReportPattern(
        p["kind"],
        (p.get("descriptions") or {}).get(lang) or p.get("description", ""),
        int(p.get("count", 0)),
        _dt(p.get("first")),
        _dt(p.get("last")),
        p.get("sender"),
    )


def build_report_data(store: EvidenceStore, case_id: str, lang: str) -> ReportData:
    """Everything the report shows: flagged messages, patterns, forms, evidence with hashes and the custody log."""
    check_language(lang)
    case = store.case(case_id)
    items = store.items(case_id)
    try:
        store.verify(case_id)
        verified = True
    except IntegrityError:
        verified = False
    custody = store.custody(case_id)
    authors = {e.item_id: e.actor for e in custody if e.action == "item_added"}
    messages: list[ReportMessage] = []
    patterns: list[ReportPattern] = []
    notes: list[NoteRow] = []
    abusers: Counter[str] = Counter()
    urgent = False
    total = 0
    dates: list[datetime] = []
    for item in items:
        analysis = item.summary.get("analysis") or {}
        if item.kind == "chat":
            total += int(item.summary.get("message_count", 0))
            period = item.summary.get("period")
            if period:
                dates += [datetime.fromisoformat(period[0]), datetime.fromisoformat(period[1])]
            urgent = urgent or bool(analysis.get("urgent"))
            if analysis.get("abuser"):
                abusers[analysis["abuser"]] += len(analysis.get("messages", []))
            patterns += [_pattern(p, lang) for p in analysis.get("patterns", [])]
            for m in analysis.get("messages", []):
                messages.append(
                    ReportMessage(
                        item.id,
                        str(m["id"]),
                        str(m.get("chat") or item.summary.get("chats", [""])[0]),
                        _dt(m.get("date")) or item.acquired_at,
                        m.get("from"),
                        m.get("text", ""),
                        _findings(m.get("findings", []), lang),
                        bool(m.get("urgent")),
                    )
                )
        elif item.kind == "message":
            total += 1
            text = b"".join(store.read_item(item.id)).decode("utf-8")
            if analysis.get("findings"):
                urgent = urgent or bool(analysis.get("urgent"))
                messages.append(
                    ReportMessage(
                        item.id,
                        item.id,
                        item.source,
                        item.acquired_at,
                        None,
                        text,
                        _findings(analysis["findings"], lang),
                        bool(analysis.get("urgent")),
                    )
                )
        elif item.kind == "note":
            text = b"".join(store.read_item(item.id)).decode("utf-8")
            notes.append(NoteRow(item.acquired_at, authors.get(item.id, ""), text))
    forms = Counter(f.form for m in messages for f in m.findings)
    messages.sort(key=lambda m: m.date.replace(tzinfo=None))
    return ReportData(
        case_id=case.id,
        title=case.title,
        created_at=case.created_at,
        generated_at=store.now(),
        description=case.description,
        forms=tuple(f for f, _ in forms.most_common()),
        urgent=urgent,
        abuser=abusers.most_common(1)[0][0] if abusers else None,
        messages=tuple(messages),
        patterns=tuple(patterns),
        evidence=tuple(
            EvidenceRow(i.id, i.kind, i.name, i.sha256, i.size, i.acquired_at, i.source) for i in items
        ),
        custody=tuple(
            CustodyRow(
                e.seq, e.at, e.actor, e.action, e.item_id, _custody_details(e.details), e.prev_hash, e.hash
            )
            for e in custody
        ),
        custody_verified=verified,
        notes=tuple(notes),
        message_count=total,
        period=(min(dates), max(dates)) if dates else None,
    )


def _custody_details(details: dict[str, Any]) -> str:
    shown = {k: v for k, v in details.items() if v not in (None, "", [])}
    return ", ".join(f"{k}={v}" for k, v in shown.items())
