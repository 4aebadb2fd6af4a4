"""Batch scanning at scale: a moderator's or a researcher's million comments, analysed on Apache Spark.

Inputs are JSON lines ``{id, text, lang?}``, CSV or Parquet (any column can hold the text); every readable row
gets one result with the public JSON contract of ``tumar analyze --jsonl``, written as JSON lines or Parquet;
a row that cannot be read is named (file, line or row, field) under ``_errors/`` and counted, and the rest are
analysed all the same. Typical use::

    with SparkRunner("local[*]") as spark:
        report = spark.run(["comments.jsonl"], "results", BatchOptions(fast=True, output_format="parquet"))
    print(report.summary.to_json())

``sources``, ``records``, ``summary`` and ``job`` are plain Python; ``spark`` is the adapter that holds
Spark's types, imported on first use of :class:`SparkRunner` (so that ``import tumar.batch`` stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tumar.batch.job import ERRORS_SHOWN, BatchOptions, BatchReport, errors_path
from tumar.batch.records import BATCH, RESULT_SCHEMA, Columns, ErrorRow, Record, ResultRow, analyse
from tumar.batch.sources import FORMATS, OUTPUT_FORMATS, Source, plan_sources
from tumar.batch.summary import Summary

if TYPE_CHECKING:
    from tumar.batch.spark import SparkRunner

__all__ = [
    "BATCH",
    "ERRORS_SHOWN",
    "FORMATS",
    "OUTPUT_FORMATS",
    "RESULT_SCHEMA",
    "BatchOptions",
    "BatchReport",
    "Columns",
    "ErrorRow",
    "Record",
    "ResultRow",
    "Source",
    "SparkRunner",
    "Summary",
    "analyse",
    "errors_path",
    "plan_sources",
]


def __getattr__(name: str) -> object:
    if name == "SparkRunner":
        from tumar.batch.spark import SparkRunner

        return SparkRunner
    raise AttributeError(f"module 'tumar.batch' has no attribute {name!r}")
