"""What the analyzer finds. Frozen: a result carries its explanation and never changes after the fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high", "urgent")
PII_TYPES: tuple[str, ...] = (
    "phone",
    "email",
    "address",
    "iin",
    "pin",
    "passport",
    "card",
    "iban",
    "social_handle",
    "url",
    "person_name",
    "workplace",
    "school",
)


@dataclass(frozen=True)
class Cue:
    """One piece of evidence: the matched text, where, which recognizer, how strong."""

    form: str
    start: int
    end: int
    text: str
    recognizer: str
    weight: float


@dataclass(frozen=True)
class Finding:
    """A form recognised in a text, with the evidence and reasoning behind it."""

    form: str
    confidence: float
    spans: tuple[tuple[int, int], ...]
    cues: tuple[str, ...]
    recognizers: tuple[str, ...]
    adjustments: tuple[str, ...] = ()
    explanation: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "confidence": round(self.confidence, 3),
            "spans": [list(s) for s in self.spans],
            "cues": list(self.cues),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class PiiEntity:
    """A piece of personal data found in the text."""

    type: str
    text: str
    start: int
    end: int
    recognizer: str

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class UrgentSignal:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one text (see the README for its JSON contract)."""

    language: str
    severity: str
    urgent: bool
    findings: tuple[Finding, ...]
    pii: tuple[PiiEntity, ...]
    id: Any = None
    mixed: bool = False
    context: tuple[str, ...] = ()
    urgent_reasons: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "urgent": self.urgent,
            "severity": self.severity,
            "findings": [f.to_json() for f in self.findings],
            "pii": [p.to_json() for p in self.pii],
        }

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(f.form for f in self.findings)
