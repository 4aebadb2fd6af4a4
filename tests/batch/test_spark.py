"""Batches on a real Spark in local mode (local[2]): the results are exactly what ``Analyzer.analyze_batch``
gives for the same texts, ids and order are kept, and unreadable rows are named and counted."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pyspark.sql import SparkSession

from tumar.analysis.analyzer import Analyzer, default_analyzer
from tumar.analysis.finding import Analysis
from tumar.batch import BatchOptions, ResultRow, Summary
from tumar.errors import InputError
from tumar.interfaces.cli import cli

from .messages import MESSAGES

FAST = BatchOptions(fast=True)


@pytest.fixture(scope="module")
def fast() -> Analyzer:
    return Analyzer(fast=True)


@pytest.fixture
def spark(runner: Any) -> SparkSession:
    session = SparkSession.getActiveSession()
    assert session is not None
    return session


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """Objects become JSON lines; strings are written as they are (broken or blank lines)."""
    text = "".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines)
    path.write_text(text, encoding="utf-8")
    return path


def output_lines(folder: Path) -> list[str]:
    """The JSON lines of an output folder, in order (part files are numbered in input order)."""
    return [line for part in sorted(folder.glob("part-*")) for line in part.read_text("utf-8").splitlines()]


def contract_lines(analyses: list[Analysis]) -> list[str]:
    return [json.dumps(a.to_json(), ensure_ascii=False) for a in analyses]


def items(n: int) -> list[tuple[Any, str, str | None]]:
    """n messages (the same dozen over and over) with ids that alternate between numbers and strings."""
    return [(i if i % 2 else f"m-{i}", *MESSAGES[i % len(MESSAGES)]) for i in range(n)]


def as_json(item: tuple[Any, str, str | None]) -> dict[str, Any]:
    ident, text, lang = item
    return {"id": ident, "text": text, **({"lang": lang} if lang else {})}


def test_jsonl_results_equal_analyze_batch(runner: Any, fast: Analyzer, tmp_path: Path) -> None:
    batch = items(150)
    source = write_jsonl(tmp_path / "comments.jsonl", [as_json(i) for i in batch])
    report = runner.run([str(source)], str(tmp_path / "out"), FAST)
    expected = fast.analyze_batch(batch)
    assert output_lines(tmp_path / "out") == contract_lines(expected)
    assert len(list((tmp_path / "out").glob("part-*"))) == 4  # spread over 2 × 2 cores, still in order
    assert report.summary == Summary.of([ResultRow.of(a) for a in expected])
    assert report.summary.analysed == 150 and report.summary.failed == 0 and report.errors == ()
    assert report.files == 1 and not (tmp_path / "out" / "_errors").exists()


def test_repeated_texts_keep_their_own_ids(runner: Any, fast: Analyzer, tmp_path: Path) -> None:
    text = MESSAGES[0][0]
    batch = [(f"r{i}", text, None) for i in range(130)] + [("other", MESSAGES[8][0], None)]
    source = write_jsonl(tmp_path / "same.jsonl", [as_json(i) for i in batch])
    runner.run([str(source)], str(tmp_path / "out"), BatchOptions(fast=True, partitions=1))
    out = [json.loads(line) for line in output_lines(tmp_path / "out")]
    assert [o["id"] for o in out] == [i for i, _, _ in batch]
    first = {k: v for k, v in out[0].items() if k != "id"}
    assert first["findings"] and all({k: v for k, v in o.items() if k != "id"} == first for o in out[:130])
    assert out[-1] == fast.analyze(MESSAGES[8][0], id="other").to_json()


def test_broken_lines_are_named_and_the_rest_is_written(
    runner: Any, fast: Analyzer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tumar")
    good = items(6)
    first = write_jsonl(
        tmp_path / "a.jsonl",
        [
            as_json(good[0]),
            '{"id": 1, "text": "Ты пожалеешь"',  # line 2: broken
            as_json(good[1]),
            "   ",  # line 4: blank, skipped
            {"id": "no-text", "body": "hi"},  # line 5
            {"id": "de", "text": "Hallo", "lang": "de"},  # line 6
            as_json(good[2]),
        ],
    )
    with first.open("ab") as f:
        f.write(b'{"id": 8, "text": "\xff\xfe not UTF-8"}\n')  # line 8
    second = write_jsonl(tmp_path / "b.jsonl", [as_json(g) for g in good[3:]])
    report = runner.run([str(first), str(second), str(first)], str(tmp_path / "out"), FAST)

    assert output_lines(tmp_path / "out") == contract_lines(fast.analyze_batch(good))
    errors = [json.loads(x) for x in output_lines(tmp_path / "out" / "_errors")]
    name = str(first)
    assert [(e["source"], e["line"], e["field"]) for e in errors] == [
        (name, 2, None),
        (name, 5, "text"),
        (name, 6, "lang"),
        (name, 8, None),
    ]
    assert errors[0]["error"].startswith(f"{name}, line 2: broken JSON (Expecting ',' delimiter")
    assert errors[1]["error"] == f"{name}, line 5, field 'text': missing or not a string"
    assert [e.message for e in report.errors] == [e["error"] for e in errors]
    assert errors[3]["error"].startswith(f"{name}, line 8: not UTF-8 text")
    assert (report.summary.analysed, report.summary.failed) == (6, 4)
    logged = caplog.text
    assert "analysed" in logged and all(text not in logged for text, _ in MESSAGES)


def test_line_numbers_run_on_across_the_blocks_of_a_big_file(
    runner: Any, spark: SparkSession, fast: Analyzer, tmp_path: Path
) -> None:
    batch = items(300)
    lines: list[Any] = [as_json(i) for i in batch]
    for n in (1, 123, 300):
        lines[n - 1] = "{broken"
    source = write_jsonl(tmp_path / "big.jsonl", lines)
    spark.conf.set("spark.sql.files.maxPartitionBytes", "8192")
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    try:
        assert spark.read.text(str(source)).rdd.getNumPartitions() > 3  # read in several blocks
        report = runner.run([str(source)], str(tmp_path / "out"), BatchOptions(fast=True, partitions=3))
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
        spark.conf.unset("spark.sql.files.openCostInBytes")
    assert [e.line for e in report.errors] == [1, 123, 300]
    kept = [b for n, b in enumerate(batch, 1) if n not in (1, 123, 300)]
    assert output_lines(tmp_path / "out") == contract_lines(fast.analyze_batch(kept))


def test_csv_with_other_columns_quoted_line_breaks_and_a_short_row(
    runner: Any, fast: Analyzer, tmp_path: Path
) -> None:
    rows = [
        ["c1", "Айгүл", MESSAGES[1][0], "ky"],
        ["c2", "Дана", 'Первая строка,\nвторая "в кавычках"', ""],
        ["c3", "Ben", "", "en"],  # an empty comment is analysed as an empty text
        ["c4", "Марат", MESSAGES[4][0], "RU"],
    ]
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["comment_id", "author", "body", "lang"])
        writer.writerows(rows[:2])
        f.write("c-short,Ерлан\r\n")  # row 4: too few fields
        writer.writerows(rows[2:])
    options = BatchOptions(fast=True, text_column="body", id_column="comment_id", lang="ky")
    report = runner.run([str(path)], str(tmp_path / "out"), options)
    expected = fast.analyze_batch(
        [("c1", rows[0][2], "ky"), ("c2", rows[1][2], "ky"), ("c3", "", "en"), ("c4", rows[3][2], "ru")]
    )
    assert output_lines(tmp_path / "out") == contract_lines(expected)
    assert [(e.source, e.line, e.field) for e in report.errors] == [(str(path), 4, "")]
    assert "malformed CSV row" in report.errors[0].message

    with pytest.raises(InputError, match="no column 'text'"):
        runner.run([str(path)], str(tmp_path / "out2"), FAST)


def test_parquet_in_and_out(runner: Any, spark: SparkSession, fast: Analyzer, tmp_path: Path) -> None:
    batch = [(i, text, lang) for i, (text, lang) in enumerate(MESSAGES)]
    table = [(i, t, lang) for i, t, lang in batch] + [(99, None, None)]  # row 13: no text
    spark.createDataFrame(table, "id long, text string, lang string").coalesce(1).write.parquet(
        str(tmp_path / "in")
    )
    report = runner.run(
        [str(tmp_path / "in")], str(tmp_path / "out"), BatchOptions(fast=True, output_format="parquet")
    )

    written = (
        spark.read.parquet(str(tmp_path / "out"))
        .select("*", "_metadata.file_name", "_metadata.row_index")
        .orderBy("file_name", "row_index")
        .collect()
    )
    columns = ["id", "language", "urgent", "severity", "forms", "findings", "pii", "pii_types"]
    got = [tuple(row[c] for c in columns) for row in written]
    expected = fast.analyze_batch(batch)
    assert got == [ResultRow.of(a).table_row() for a in expected]
    assert got[0][0] == "0" and any(r[4] for r in got) and any(r[7] for r in got)
    (error,) = report.errors
    assert (error.line, error.field) == (13, "text") and error.source.endswith(".parquet")


def test_empty_input(runner: Any, spark: SparkSession, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    blank = write_jsonl(tmp_path / "blank.jsonl", ["", "   "])
    report = runner.run(
        [str(empty), str(blank)], str(tmp_path / "out"), BatchOptions(fast=True, output_format="parquet")
    )
    assert report.summary == Summary() and report.errors == ()
    assert spark.read.parquet(str(tmp_path / "out")).count() == 0


def test_output_folder_must_be_new(runner: Any, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "hi"}])
    with pytest.raises(InputError, match="already exists"):
        runner.run([str(source)], str(tmp_path), FAST)


def test_full_model_on_a_handful(runner: Any, tmp_path: Path) -> None:
    batch = [(f"f{i}", text, lang) for i, (text, lang) in enumerate(MESSAGES[:6])]
    source = write_jsonl(tmp_path / "few.jsonl", [as_json(i) for i in batch])
    runner.run([str(source)], str(tmp_path / "out"), BatchOptions(explain_lang="en"))
    expected = default_analyzer(False).analyze_batch(batch, explain_lang="en")
    assert output_lines(tmp_path / "out") == contract_lines(expected)


def test_cli(runner: Any, fast: Analyzer, tmp_path: Path) -> None:
    batch = items(5)
    source = write_jsonl(tmp_path / "in.jsonl", [as_json(batch[0]), "{oops", *map(as_json, batch[1:])])
    args = ["batch", str(source), "-o", str(tmp_path / "out"), "--fast", "--master", "local[2]", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    summary = json.loads(result.stdout)
    assert (summary["analysed"], summary["failed"], summary["files"]) == (5, 1, 1)
    expected = fast.analyze_batch(batch)
    assert summary["forms"] == Summary.of([ResultRow.of(a) for a in expected]).to_json()["forms"]
    assert summary["forms"] and summary["format"] == "jsonl"
    assert output_lines(tmp_path / "out") == contract_lines(expected)
    assert f"tumar: error: {source}, line 2: broken JSON" in result.stderr
    assert "1 input row(s) could not be analysed" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "de"], "unsupported language 'de'"),
        (["--partitions", "0"], "Invalid value for '--partitions'"),
        (["--format", "csv"], "Invalid value for '--format'"),
    ],
)
def test_cli_refuses_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "hi"}])
    result = CliRunner().invoke(cli, ["batch", str(source), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and message in result.output
