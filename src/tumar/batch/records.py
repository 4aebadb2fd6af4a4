"""One input row of a batch and what becomes of it.

A row is parsed into a :class:`Record` or refused as a :class:`~tumar.errors.BadRecordError` (kept as an
:class:`ErrorRow`, which crosses process boundaries intact); :func:`analyse` runs the records through
:meth:`Analyzer.analyze_batch <tumar.analysis.analyzer.Analyzer.analyze_batch>` 64 at a time and yields one
:class:`ResultRow` or :class:`ErrorRow` per row, in order. Plain Python: the Spark adapter hands rows in and
takes these out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tumar.analysis.analyzer import Analyzer
from tumar.analysis.finding import Analysis
from tumar.errors import BadRecordError
from tumar.languages import LANGUAGES

__all__ = [
    "BATCH",
    "NOT_UTF8",
    "REPLACEMENT",
    "RESULT_SCHEMA",
    "Columns",
    "ErrorRow",
    "Record",
    "ResultRow",
    "analyse",
    "parse_json_line",
    "record_from_fields",
]

BATCH = 64  # texts per analyze_batch call: exact repeats within a batch are embedded once

# Spark decodes text files as UTF-8 and puts U+FFFD where the bytes are not; such a row is refused, not guessed.
REPLACEMENT = "\ufffd"
NOT_UTF8 = "not UTF-8 text (or it holds the replacement character U+FFFD)"

# The Parquet columns of a result, as a Spark DDL string (the adapter turns it into a schema).
RESULT_SCHEMA = (
    "id string, language string, urgent boolean, severity string, forms array<string>, findings string, "
    "pii string, pii_types array<string>"
)


@dataclass(frozen=True)
class Columns:
    """Which JSON keys or table columns hold the id, the text and the language of a message."""

    text: str = "text"
    id: str = "id"
    lang: str = "lang"


@dataclass(frozen=True)
class Record:
    """A message to analyse and where it came from (``line``: line of a JSONL file, row of a table)."""

    source: str
    line: int
    id: Any
    text: str
    lang: str | None


@dataclass(frozen=True)
class ErrorRow:
    """A row that could not be analysed: where it is, which field, and the whole message."""

    source: str
    line: int | None
    field: str
    message: str

    @classmethod
    def of(cls, error: BadRecordError) -> ErrorRow:
        return cls(error.source, error.line, error.field, str(error))

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "field": self.field or None, "error": self.message}

    def json_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


@dataclass(frozen=True)
class ResultRow:
    """One analysed message: the public JSON contract of ``tumar analyze --jsonl`` (``findings`` and ``pii``
    as JSON text) plus the form ids and personal-data types as lists, for tables."""

    id: Any
    language: str
    urgent: bool
    severity: str
    forms: tuple[str, ...]
    findings: str
    pii: str
    pii_types: tuple[str, ...]

    @classmethod
    def of(cls, analysis: Analysis) -> ResultRow:
        data = analysis.to_json()
        return cls(
            id=analysis.id,
            language=analysis.language,
            urgent=analysis.urgent,
            severity=analysis.severity,
            forms=analysis.forms,
            findings=json.dumps(data["findings"], ensure_ascii=False),
            pii=json.dumps(data["pii"], ensure_ascii=False),
            pii_types=tuple(sorted({p.type for p in analysis.pii})),
        )

    def to_json(self) -> dict[str, Any]:
        """The same object as ``Analysis.to_json()``: one line of ``tumar analyze --jsonl``."""
        return {
            "id": self.id,
            "language": self.language,
            "urgent": self.urgent,
            "severity": self.severity,
            "findings": json.loads(self.findings),
            "pii": json.loads(self.pii),
        }

    def json_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    def table_row(self) -> tuple[Any, ...]:
        """The values of :data:`RESULT_SCHEMA`; a table holds the id as text (a number as its JSON)."""
        ident = self.id if self.id is None or isinstance(self.id, str) else json.dumps(self.id)
        return (
            ident,
            self.language,
            self.urgent,
            self.severity,
            list(self.forms),
            self.findings,
            self.pii,
            list(self.pii_types),
        )


def record_from_fields(
    fields: Mapping[str, Any], source: str, line: int, columns: Columns, default_lang: str | None = None
) -> Record | BadRecordError:
    """A record from a JSON object or a table row; ``default_lang`` for rows that do not name a language."""
    text = fields.get(columns.text)
    if not isinstance(text, str):
        return BadRecordError("missing or not a string", source=source, line=line, field=columns.text)
    lang = fields.get(columns.lang)
    if lang is None or (isinstance(lang, str) and not lang.strip()):
        lang = default_lang
    elif not isinstance(lang, str) or lang.strip().lower() not in LANGUAGES:
        return BadRecordError(
            f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}",
            source=source,
            line=line,
            field=columns.lang,
        )
    else:
        lang = lang.strip().lower()
    return Record(source, line, fields.get(columns.id), text, lang)


def parse_json_line(
    raw: str, source: str, line: int, columns: Columns, default_lang: str | None = None
) -> Record | BadRecordError | None:
    """One line of a JSONL file: a record, an error naming the line, or ``None`` for a blank line."""
    if not raw.strip():
        return None
    if REPLACEMENT in raw:
        return BadRecordError(NOT_UTF8, source=source, line=line)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        return BadRecordError(f"broken JSON ({exc.msg} at column {exc.colno})", source=source, line=line)
    if not isinstance(value, dict):
        return BadRecordError("expected a JSON object", source=source, line=line)
    return record_from_fields(value, source, line, columns, default_lang)


def analyse(
    items: Iterable[Record | ErrorRow],
    analyzer: Analyzer,
    *,
    explain_lang: str | None = None,
    batch: int = BATCH,
) -> Iterator[ResultRow | ErrorRow]:
    """One result or error per item, in order; records go to the analyzer ``batch`` at a time."""
    pending: list[Record | ErrorRow] = []
    waiting = 0

    def flush() -> Iterator[ResultRow | ErrorRow]:
        records = [r for r in pending if isinstance(r, Record)]
        analyses = iter(
            analyzer.analyze_batch([(r.id, r.text, r.lang) for r in records], explain_lang=explain_lang)
            if records
            else ()
        )
        for item in pending:
            yield ResultRow.of(next(analyses)) if isinstance(item, Record) else item
        pending.clear()

    for item in items:
        pending.append(item)
        waiting += isinstance(item, Record)
        if waiting >= batch:
            yield from flush()
            waiting = 0
    yield from flush()
