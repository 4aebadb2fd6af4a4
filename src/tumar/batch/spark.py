"""Apache Spark adapter: with :mod:`.session` (starting Spark), the only module that sees Spark's types.

Reads JSONL, CSV and Parquet inputs with Spark's own readers (each row keeps its file and line or row number),
analyses them in ``mapPartitions`` — one :class:`~tumar.analysis.analyzer.Analyzer` per Python worker, loaded on
its first partition, fed 64 texts at a time — and writes one result per readable row as JSON lines or Parquet,
the unreadable rows under ``_errors/``, in input order within each file. Analysis runs once: its outcome is
persisted while the results, the errors and the summary are taken from it.

Local mode (``local[*]``) needs Java 17 or newer and nothing from the network: the driver binds to 127.0.0.1, the
web UI is off and Spark's own log goes to a file in a temporary folder. On a cluster (``master="spark://…"``,
``yarn`` …) Tumar must be installed in the Python the executors run (``PYSPARK_PYTHON``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from pyspark import RDD, StorageLevel
from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from tumar.analysis.analyzer import default_analyzer
from tumar.batch.job import ERRORS_SHOWN, BatchOptions, BatchReport, errors_path
from tumar.batch.records import (
    NOT_UTF8,
    REPLACEMENT,
    RESULT_SCHEMA,
    Columns,
    ErrorRow,
    Record,
    ResultRow,
    analyse,
    parse_json_line,
    record_from_fields,
)
from tumar.batch.session import first_line, start_session
from tumar.batch.sources import Source, check_output, display_name, plan_sources
from tumar.batch.summary import Summary
from tumar.errors import BadRecordError, InputError

__all__ = ["SparkRunner"]

log = logging.getLogger(__name__)

Key = tuple[str, int]  # (file URI, line or row): rows are ordered by it
Row = Record | ErrorRow

_CORRUPT = "_tumar_corrupt_record"


class SparkRunner:
    """Runs batches on a Spark session: a new one on ``master``, or the session already active in this process
    (then ``master`` is not used). ``close()`` — or leaving a ``with`` block — stops only a session it started.

    ::

        with SparkRunner("local[*]") as spark:
            report = spark.run(["comments.csv"], "out", BatchOptions(fast=True, text_column="body"))
    """

    def __init__(self, master: str = "local[*]", *, app_name: str = "tumar batch") -> None:
        active = SparkSession.getActiveSession()
        self._owned = active is None
        self._spark = active if active is not None else start_session(master, app_name)

    def __enter__(self) -> SparkRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self._spark.stop()
            self._owned = False

    def run(self, inputs: Sequence[str], output: str, options: BatchOptions | None = None) -> BatchReport:
        """Analyse every row of ``inputs`` into the new folder ``output``. Rows that cannot be read are
        counted, reported and written to ``output/_errors/``; the others are analysed all the same."""
        started = time.perf_counter()
        options = (options or BatchOptions()).checked()
        sources = plan_sources(inputs, options.input_format)
        check_output(output)
        sc = self._spark.sparkContext
        wanted = options.partitions or 2 * sc.defaultParallelism
        try:
            rows = self._read(sources, options, wanted)
        except AnalysisException as exc:  # e.g. a remote path that does not exist
            raise InputError(f"cannot read the input: {first_line(exc)}") from None
        given = rows.getNumPartitions()
        wanted = options.partitions or max(given, wanted)
        parsed = None
        if wanted < given:
            rows = rows.coalesce(wanted)
        elif wanted > given:  # a small or unsplittable input: spread it out, still in input order
            parsed = rows.persist(StorageLevel.MEMORY_AND_DISK)  # counted, sampled and shuffled: parse once
            rows = parsed.sortByKey(numPartitions=wanted)
        outcomes: RDD[ResultRow | ErrorRow] = rows.values().mapPartitions(
            partial(_analyse_partition, options.fast, options.explain_lang)
        )
        outcomes.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            summary = outcomes.mapPartitions(_summarise).fold(Summary(), Summary.merge)
            if parsed is not None:
                parsed.unpersist()
            self._write_results(outcomes.flatMap(_results), output, options.output_format)
            errors: list[ErrorRow] = []
            if summary.failed:
                failed = outcomes.flatMap(_errors)
                errors = failed.take(ERRORS_SHOWN)
                self._write_lines(failed.map(ErrorRow.json_line).coalesce(1), errors_path(output))
        finally:
            outcomes.unpersist()
            if parsed is not None:
                parsed.unpersist()
        seconds = time.perf_counter() - started
        log.info(
            "batch: %d file(s), %d analysed, %d failed, %.1f s",
            len(sources),
            summary.analysed,
            summary.failed,
            seconds,
        )
        return BatchReport(output, options.output_format, len(sources), summary, tuple(errors), seconds)

    # -- reading ------------------------------------------------------------------------------------------

    def _read(self, sources: list[Source], options: BatchOptions, partitions: int) -> RDD[tuple[Key, Row]]:
        """The rows of every source, keyed by (file, line). Splittable files (JSONL, Parquet) are read in at
        least ``partitions`` parts where they are big enough (Spark's own limits on tiny parts apply)."""
        cwd = os.getcwd()
        parts: list[RDD[tuple[Key, Row]]] = []
        with _sql_setting(self._spark, "spark.sql.files.minPartitionNum", str(partitions)):
            jsonl = [s.path for s in sources if s.format == "jsonl"]
            if jsonl:
                parts.append(self._read_jsonl(jsonl, options, cwd))
            parts += [self._read_csv(s.path, options, cwd) for s in sources if s.format == "csv"]
            parquet = [s.path for s in sources if s.format == "parquet"]
            if parquet:
                parts.append(self._read_parquet(parquet, options, cwd))
        parts = [p for p in parts if p.getNumPartitions()]
        sc = self._spark.sparkContext
        return sc.union(parts) if parts else sc.emptyRDD()

    def _read_jsonl(self, paths: list[str], options: BatchOptions, cwd: str) -> RDD[tuple[Key, Row]]:
        lines = self._spark.read.text(paths).select(
            "value",
            F.col("_metadata.file_path").alias("path"),
            F.col("_metadata.file_block_start").alias("start"),
        )
        # A big file is read in blocks; line numbers continue from the lines of the blocks before.
        counts = sorted(
            (r["path"], r["start"], r["count"]) for r in lines.groupBy("path", "start").count().collect()
        )
        offsets: dict[tuple[str, int], int] = {}
        previous, total = None, 0
        for path, start, count in counts:
            total = total if path == previous else 0
            offsets[(path, start)] = total
            previous, total = path, total + count
        return lines.rdd.mapPartitions(partial(_jsonl_rows, offsets, options.columns, options.lang, cwd))

    def _read_csv(self, path: str, options: BatchOptions, cwd: str) -> RDD[tuple[Key, Row]]:
        reader = self._spark.read.option("header", True).option("multiLine", True)
        header = reader.csv(path).columns
        name = _local_name(path, cwd)
        if not header:  # an empty file
            return self._spark.sparkContext.emptyRDD()
        columns = self._columns(name, header, options)
        schema = StructType(
            [StructField(c, StringType()) for c in header] + [StructField(_CORRUPT, StringType())]
        )
        table = (
            reader.schema(schema)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", _CORRUPT)
            .option("enforceSchema", False)
            .csv(path)
        )
        selected = _select(table, columns, header, _CORRUPT)
        return selected.rdd.mapPartitions(partial(_csv_rows, columns, options.lang, cwd))

    def _read_parquet(self, paths: list[str], options: BatchOptions, cwd: str) -> RDD[tuple[Key, Row]]:
        table = self._spark.read.option("mergeSchema", True).parquet(*paths)
        name = _local_name(paths[0], cwd) if len(paths) == 1 else "the Parquet input"
        header = table.columns
        columns = self._columns(name, header, options)
        kind = table.schema[columns.text].dataType
        if not isinstance(kind, StringType):
            raise InputError(f"{name}: column {columns.text!r} holds {kind.simpleString()}, not text")
        selected = _select(table, columns, header, "_metadata.row_index")
        return selected.rdd.map(partial(_parquet_row, columns, options.lang, cwd))

    @staticmethod
    def _columns(name: str, header: list[str], options: BatchOptions) -> Columns:
        if options.text_column not in header:
            raise InputError(
                f"{name}: no column {options.text_column!r} (it has {', '.join(header)}); "
                "name the text column with --text-column"
            )
        if options.id_column and options.id_column not in header:
            raise InputError(
                f"{name}: no column {options.id_column!r} for the ids (it has {', '.join(header)})"
            )
        return options.columns

    # -- writing ------------------------------------------------------------------------------------------

    def _write_results(self, results: RDD[ResultRow], output: str, output_format: str) -> None:
        if output_format == "parquet":
            table = self._spark.createDataFrame(results.map(ResultRow.table_row), RESULT_SCHEMA)
            _save(lambda: table.write.parquet(output), output)
        else:
            self._write_lines(results.map(ResultRow.json_line), output)

    def _write_lines(self, lines: RDD[str], path: str) -> None:
        table = self._spark.createDataFrame(lines.map(_one_column), "value string")
        _save(lambda: table.write.text(path), path)


# -- starting Spark -------------------------------------------------------------------------------------------


@contextmanager
def _sql_setting(spark: SparkSession, key: str, value: str) -> Iterator[None]:
    """``key`` set to ``value`` on the session for the block, then as it was (the session may be the user's)."""
    before = spark.conf.get(key, None)
    spark.conf.set(key, value)
    try:
        yield
    finally:
        if before is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, before)


def _save(write: Any, path: str) -> None:
    try:
        write()
    except AnalysisException as exc:
        raise InputError(f"cannot write {path}: {first_line(exc)}") from None


# -- what runs on the executors: plain Python values in, plain Python values out --------------------------------


def _select(table: DataFrame, columns: Columns, header: list[str], position: str) -> DataFrame:
    """text, id, lang (null when the table has no such column), the file and ``position``."""

    def column(name: str) -> Any:
        return F.col(f"`{name}`") if name in header else F.lit(None)

    return table.select(
        column(columns.text),
        column(columns.id),
        column(columns.lang),
        F.col("_metadata.file_path"),
        F.col(position) if position.startswith("_metadata") else F.col(f"`{position}`"),
    )


def _plain(row: Record | BadRecordError) -> Row:
    return ErrorRow.of(row) if isinstance(row, BadRecordError) else row


def _plain_id(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _jsonl_rows(
    offsets: dict[tuple[str, int], int], columns: Columns, lang: str | None, cwd: str, rows: Iterable[Any]
) -> Iterator[tuple[Key, Row]]:
    block, line = None, 0
    for value, path, start in rows:
        if (path, start) != block:
            block, line = (path, start), offsets[(path, start)]
        line += 1
        record = parse_json_line(value, display_name(path, cwd), line, columns, lang)
        if record is not None:
            yield (path, line), _plain(record)


def _csv_rows(columns: Columns, lang: str | None, cwd: str, rows: Iterable[Any]) -> Iterator[tuple[Key, Row]]:
    # A CSV file with quoted line breaks is read whole by one task, so rows are counted per file here; the
    # header is row 1, as a spreadsheet numbers them.
    path, number = None, 1
    for text, ident, lang_value, file_path, corrupt in rows:
        if file_path != path:
            path, number = file_path, 1
        number += 1
        source = display_name(file_path, cwd)
        if corrupt is not None:
            error = BadRecordError(
                "malformed CSV row: its fields do not match the header (too many or too few, or an open quote)",
                source=source,
                line=number,
            )
            yield (file_path, number), ErrorRow.of(error)
            continue
        if text is not None and REPLACEMENT in text:
            yield (
                (file_path, number),
                ErrorRow.of(BadRecordError(NOT_UTF8, source=source, line=number, field=columns.text)),
            )
            continue
        # An empty cell is an empty message (CSV cannot tell it from a missing one).
        fields = {columns.text: text or "", columns.id: ident, columns.lang: lang_value}
        yield (file_path, number), _plain(record_from_fields(fields, source, number, columns, lang))


def _parquet_row(columns: Columns, lang: str | None, cwd: str, row: Any) -> tuple[Key, Row]:
    text, ident, lang_value, file_path, index = row
    number = index + 1
    fields = {columns.text: text, columns.id: _plain_id(ident), columns.lang: lang_value}
    record = record_from_fields(fields, display_name(file_path, cwd), number, columns, lang)
    return (file_path, number), _plain(record)


def _analyse_partition(
    fast: bool, explain_lang: str | None, rows: Iterable[Row]
) -> Iterator[ResultRow | ErrorRow]:
    yield from analyse(rows, default_analyzer(fast), explain_lang=explain_lang)


def _summarise(rows: Iterable[ResultRow | ErrorRow]) -> Iterator[Summary]:
    yield Summary.of(rows)


def _results(row: ResultRow | ErrorRow) -> Iterator[ResultRow]:
    if isinstance(row, ResultRow):
        yield row


def _errors(row: ResultRow | ErrorRow) -> Iterator[ErrorRow]:
    if isinstance(row, ErrorRow):
        yield row


def _one_column(line: str) -> tuple[str]:
    return (line,)


def _local_name(path: str, cwd: str) -> str:
    return display_name(Path(path).as_uri(), cwd) if path.startswith("/") else path
