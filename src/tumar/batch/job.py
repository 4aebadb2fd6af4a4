"""What a batch is asked to do (:class:`BatchOptions`) and what came of it (:class:`BatchReport`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tumar.batch.records import Columns, ErrorRow
from tumar.batch.sources import OUTPUT_FORMATS
from tumar.batch.summary import Summary
from tumar.errors import InputError
from tumar.languages import check_language

__all__ = ["ERRORS_SHOWN", "BatchOptions", "BatchReport", "errors_path"]

ERRORS_SHOWN = 20  # errors a report carries; all of them are in the errors output


@dataclass(frozen=True)
class BatchOptions:
    """``fast``: lexicon mode, no embedding model. ``lang``: the language of rows that do not name one.
    ``id_column``: the field or column of the ids (``None``: ``id`` when there is one). ``partitions``: how many
    parts the work is split into (``None``: at least twice the cores Spark has)."""

    fast: bool = False
    lang: str | None = None
    explain_lang: str | None = None
    text_column: str = "text"
    id_column: str | None = None
    output_format: str = "jsonl"
    input_format: str | None = None
    partitions: int | None = None

    def checked(self) -> BatchOptions:
        """These options with the languages normalised; an :class:`InputError` for a bad value."""
        if self.output_format not in OUTPUT_FORMATS:
            raise InputError(f"unknown output format {self.output_format!r}: use jsonl or parquet")
        if self.partitions is not None and self.partitions < 1:
            raise InputError("--partitions must be 1 or more")
        if not self.text_column or self.id_column == "":
            raise InputError("a column name is empty")
        return replace(
            self,
            lang=check_language(self.lang) if self.lang else None,
            explain_lang=check_language(self.explain_lang) if self.explain_lang else None,
        )

    @property
    def columns(self) -> Columns:
        return Columns(text=self.text_column, id=self.id_column or "id")


@dataclass(frozen=True)
class BatchReport:
    """The counts, the first :data:`ERRORS_SHOWN` errors (all are in :attr:`errors_path`) and the time taken."""

    output: str
    output_format: str
    files: int
    summary: Summary
    errors: tuple[ErrorRow, ...]
    seconds: float

    @property
    def errors_path(self) -> str:
        return errors_path(self.output)


def errors_path(output: str) -> str:
    """Where the rows that could not be analysed are written: ``_errors/`` inside the output folder (Spark and
    Parquet readers skip names that start with ``_``, so the output folder still reads as one table)."""
    return output.rstrip("/") + "/_errors"
