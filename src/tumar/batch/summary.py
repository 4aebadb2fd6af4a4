"""What a batch found, counted: messages per form, language, severity and personal-data type, urgent ones,
and rows that could not be read. Summaries of parts merge into the summary of the whole."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tumar.analysis.finding import SEVERITIES
from tumar.batch.records import ErrorRow, ResultRow

__all__ = ["Summary"]


@dataclass
class Summary:
    analysed: int = 0
    failed: int = 0
    urgent: int = 0
    severities: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    pii_types: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, rows: Iterable[ResultRow | ErrorRow]) -> Summary:
        summary = cls()
        for row in rows:
            summary.add(row)
        return summary

    def add(self, row: ResultRow | ErrorRow) -> None:
        if isinstance(row, ErrorRow):
            self.failed += 1
            return
        self.analysed += 1
        self.urgent += row.urgent
        self.severities[row.severity] += 1
        self.languages[row.language] += 1
        self.forms.update(row.forms)
        self.pii_types.update(row.pii_types)

    def merge(self, other: Summary) -> Summary:
        """A new summary of both parts."""
        return Summary(
            self.analysed + other.analysed,
            self.failed + other.failed,
            self.urgent + other.urgent,
            self.severities + other.severities,
            self.languages + other.languages,
            self.forms + other.forms,
            self.pii_types + other.pii_types,
        )

    def to_json(self) -> dict[str, Any]:
        """Counts of messages; forms and the rest most frequent first, severities from none to urgent."""
        return {
            "analysed": self.analysed,
            "failed": self.failed,
            "urgent": self.urgent,
            "severity": {s: self.severities[s] for s in SEVERITIES if self.severities[s]},
            "languages": _by_count(self.languages),
            "forms": _by_count(self.forms),
            "pii": _by_count(self.pii_types),
        }


def _by_count(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
