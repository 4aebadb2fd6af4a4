"""The data a case report is rendered from. The evidence locker builds it; ``render`` turns it into HTML/PDF.

Everything here is plain, already-decrypted data in memory: a report is written only where the user asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "CustodyRow",
    "EvidenceRow",
    "NoteRow",
    "ReportData",
    "ReportFinding",
    "ReportMessage",
    "ReportPattern",
]


@dataclass(frozen=True, slots=True)
class ReportFinding:
    form: str  # one of the 27 form ids
    confidence: float
    explanation: str  # already in the report's language
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportMessage:
    """An abusive message as evidence: who wrote it, when, in which chat, and what Tumar found in it."""

    item_id: str  # the evidence item the message came from
    message_id: str
    chat: str
    date: datetime
    sender: str | None
    text: str
    findings: tuple[ReportFinding, ...]
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class ReportPattern:
    """A pattern seen across a conversation (contact after a refusal, a flood at night, escalation...)."""

    kind: str  # machine name, e.g. "contact_after_refusal", "night_flood", "escalation", "repeated_demand"
    description: str  # one sentence in the report's language, with counts and times
    count: int
    first: datetime | None = None
    last: datetime | None = None
    sender: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    item_id: str
    kind: str  # chat | message | file | screenshot | image_match | note
    name: str  # file name or short title
    sha256: str
    size: int
    acquired_at: datetime  # when Tumar ingested it (UTC)
    source: str  # where it came from: the path given, "pasted text", "web upload"


@dataclass(frozen=True, slots=True)
class CustodyRow:
    seq: int
    at: datetime  # UTC
    actor: str
    action: str  # case_created | item_added | note_added | exported | report_written | viewed ...
    item_id: str | None
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class NoteRow:
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ReportData:
    case_id: str
    title: str
    created_at: datetime
    generated_at: datetime
    description: str = ""
    forms: tuple[str, ...] = ()  # forms found in the case, most frequent first
    urgent: bool = False
    abuser: str | None = None  # the likely abuser (display name), if the conversation analysis found one
    messages: tuple[ReportMessage, ...] = ()  # only messages with findings, in date order
    patterns: tuple[ReportPattern, ...] = ()
    evidence: tuple[EvidenceRow, ...] = ()
    custody: tuple[CustodyRow, ...] = ()
    custody_verified: bool = True  # the hash chain was checked when the report was built
    notes: tuple[NoteRow, ...] = ()
    countries: tuple[str, ...] = ("KG", "KZ")  # whose laws and help services to list
    message_count: int = 0  # all messages in the case, abusive or not
    period: tuple[datetime, datetime] | None = None  # first and last message date
    extra: dict[str, str] = field(default_factory=dict)
