"""The plain-Python half of batches: inputs, parsing rows, analysing in batches, result rows, summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tumar.batch
from tumar.analysis.analyzer import Analyzer
from tumar.batch.job import BatchOptions
from tumar.batch.records import (
    Columns,
    ErrorRow,
    Record,
    ResultRow,
    analyse,
    parse_json_line,
    record_from_fields,
)
from tumar.batch.sources import Source, check_output, display_name, format_of, plan_sources
from tumar.batch.summary import Summary
from tumar.errors import BadRecordError, InputError, UnsupportedLanguageError

from .messages import MESSAGES

COLUMNS = Columns()


@pytest.fixture(scope="module")
def fast() -> Analyzer:
    return Analyzer(fast=True)


def test_public_names_exist() -> None:
    for name in tumar.batch.__all__:
        assert getattr(tumar.batch, name) is not None, name
    assert tumar.batch.SparkRunner.__name__ == "SparkRunner"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"id": 1, "text": "салам"}', Record("f.jsonl", 3, 1, "салам", None)),
        ('{"id": "a", "text": "hi", "lang": "EN"}', Record("f.jsonl", 3, "a", "hi", "en")),
        ('{"text": "hi", "lang": null}', Record("f.jsonl", 3, None, "hi", None)),
        ('{"id": 2, "text": ""}', Record("f.jsonl", 3, 2, "", None)),
    ],
)
def test_good_json_lines(raw: str, expected: Record) -> None:
    assert parse_json_line(raw, "f.jsonl", 3, COLUMNS) == expected


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ("{oops", "", "f.jsonl, line 3: broken JSON (Expecting property name"),
        ("[1, 2]", "", "f.jsonl, line 3: expected a JSON object"),
        ('{"id": 1}', "text", "f.jsonl, line 3, field 'text': missing or not a string"),
        ('{"id": 1, "text": 5}', "text", "f.jsonl, line 3, field 'text': missing or not a string"),
        ('{"text": "hi", "lang": "de"}', "lang", "f.jsonl, line 3, field 'lang': unsupported language 'de'"),
        ('{"text": "hi", "lang": 7}', "lang", "f.jsonl, line 3, field 'lang': unsupported language 7"),
        ('{"text": "caf\ufffd"}', "", "f.jsonl, line 3: not UTF-8 text"),
    ],
)
def test_bad_json_lines_say_where(raw: str, field: str, message: str) -> None:
    error = parse_json_line(raw, "f.jsonl", 3, COLUMNS)
    assert isinstance(error, BadRecordError)
    assert (error.source, error.line, error.field) == ("f.jsonl", 3, field)
    assert str(error).startswith(message)
    row = ErrorRow.of(error)
    assert row.to_json() == {"source": "f.jsonl", "line": 3, "field": field or None, "error": str(error)}


def test_blank_lines_are_skipped() -> None:
    assert parse_json_line("  \t", "f.jsonl", 1, COLUMNS) is None


def test_other_columns_and_the_default_language() -> None:
    columns = Columns(text="body", id="comment_id")
    fields = {"body": "салам", "comment_id": "c-9", "lang": " "}
    assert record_from_fields(fields, "t.csv", 4, columns, "ky") == Record("t.csv", 4, "c-9", "салам", "ky")
    assert record_from_fields({"body": "x", "lang": "ru"}, "t.csv", 5, columns, "ky").lang == "ru"  # type: ignore[union-attr]


def test_result_row_keeps_the_public_contract(fast: Analyzer) -> None:
    analyses = fast.analyze_batch([(i, text, lang) for i, (text, lang) in enumerate(MESSAGES)])
    assert any(a.findings for a in analyses) and any(a.pii for a in analyses)
    for analysis in analyses:
        row = ResultRow.of(analysis)
        assert row.json_line() == json.dumps(analysis.to_json(), ensure_ascii=False)
        assert row.forms == analysis.forms
        assert row.pii_types == tuple(sorted({p.type for p in analysis.pii}))
        table = row.table_row()
        assert table[0] == json.dumps(analysis.id)  # a number id is held as its JSON text in a table
        assert json.loads(table[5]) == analysis.to_json()["findings"]
        assert json.loads(table[6]) == analysis.to_json()["pii"]
    assert ResultRow.of(analyses[0]).table_row()[0] == "0"
    text_id = fast.analyze("hi", id="m-1")
    assert ResultRow.of(text_id).table_row()[0] == "m-1"


class Recording:
    """A stand-in analyzer that records the batches it is given (and delegates to the real one)."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.batches: list[int] = []

    def analyze_batch(self, items, *, explain_lang=None):  # type: ignore[no-untyped-def]
        self.batches.append(len(items))
        return self.analyzer.analyze_batch(items, explain_lang=explain_lang)


def test_analyse_batches_of_64_in_order_with_errors_in_place(fast: Analyzer) -> None:
    items: list[Record | ErrorRow] = []
    for n in range(150):
        text, lang = MESSAGES[n % len(MESSAGES)]
        items.append(Record("f.jsonl", n + 1, n, text, lang))
        if n % 50 == 7:
            items.append(ErrorRow("f.jsonl", n + 1, "", f"f.jsonl, line {n + 1}: broken"))
    recording = Recording(fast)
    out = list(analyse(items, recording, explain_lang="en"))  # type: ignore[arg-type]
    assert recording.batches == [64, 64, 22]
    assert len(out) == len(items)
    expected = fast.analyze_batch(
        [(r.id, r.text, r.lang) for r in items if isinstance(r, Record)], explain_lang="en"
    )
    results = iter(expected)
    for item, got in zip(items, out, strict=True):
        if isinstance(item, ErrorRow):
            assert got is item
        else:
            assert isinstance(got, ResultRow) and got == ResultRow.of(next(results))


def test_analyse_nothing(fast: Analyzer) -> None:
    assert list(analyse([], fast)) == []
    error = ErrorRow("f", 1, "", "f, line 1: broken")
    assert list(analyse([error], fast)) == [error]


def test_summary_counts_and_merges(fast: Analyzer) -> None:
    rows = [
        ResultRow.of(a) for a in fast.analyze_batch([(i, t, lang) for i, (t, lang) in enumerate(MESSAGES)])
    ]
    error = ErrorRow("f", 1, "", "broken")
    whole = Summary.of([*rows, error])
    merged = Summary.of(rows[:5]).merge(Summary.of([error, *rows[5:]]))
    assert merged == whole
    data = whole.to_json()
    assert data["analysed"] == len(MESSAGES) and data["failed"] == 1
    assert data["urgent"] == sum(r.urgent for r in rows) >= 1
    assert sum(data["severity"].values()) == len(MESSAGES)
    assert list(data["severity"]) == [
        s for s in ("none", "low", "medium", "high", "urgent") if s in data["severity"]
    ]
    assert data["languages"] == {"en": 4, "ky": 3, "kk": 2, "ru": 3}
    assert data["forms"]["image_based_sexual_abuse"] == sum(
        "image_based_sexual_abuse" in r.forms for r in rows
    )
    assert data["pii"] == {"email": 1, "phone": 1}
    assert Summary().merge(Summary()) == Summary()


def test_inputs_are_planned_from_names_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "b.csv.gz").write_bytes(b"")
    folder = tmp_path / "dump"
    (folder / "part").mkdir(parents=True)
    (folder / "1.parquet").write_bytes(b"")
    (folder / "part" / "2.ndjson").write_text("")
    (folder / "_SUCCESS").write_text("")
    (folder / ".hidden.csv").write_text("")
    sources = plan_sources([str(tmp_path / "a.jsonl"), str(tmp_path / "b.csv.gz"), str(folder)])
    assert sources == [
        Source(str(tmp_path / "a.jsonl"), "jsonl"),
        Source(str(tmp_path / "b.csv.gz"), "csv"),
        Source(str(folder / "1.parquet"), "parquet"),
        Source(str(folder / "part" / "2.ndjson"), "jsonl"),
    ]
    assert len(plan_sources([str(tmp_path / "a.jsonl"), str(tmp_path / "a.jsonl")])) == 1
    assert plan_sources(["hdfs://nn/x/comments.csv"]) == [Source("hdfs://nn/x/comments.csv", "csv")]
    assert plan_sources([str(tmp_path / "a.jsonl")], "csv")[0].format == "csv"
    assert format_of("x.PARQUET") == "parquet" and format_of("notes.txt") is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.jsonl", "no such file or folder"),
        ("notes.txt", "cannot tell the input format .* --input-format"),
        ("empty", "holds no input files"),
        ("s3a://bucket/comments", "--input-format"),
    ],
)
def test_bad_inputs_are_refused_before_any_work(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "empty").mkdir()
    given = name if "://" in name else str(tmp_path / name)
    with pytest.raises(InputError, match=message):
        plan_sources([given])


def test_output_must_be_new(tmp_path: Path) -> None:
    check_output(str(tmp_path / "new"))
    check_output("hdfs://nn/out")  # Spark checks remote folders itself
    with pytest.raises(InputError, match="already exists"):
        check_output(str(tmp_path))


def test_display_names(tmp_path: Path) -> None:
    assert display_name("file:/data/in/a%20b.jsonl", "/data") == "in/a b.jsonl"
    assert display_name("file:///srv/x.csv", "/data") == "/srv/x.csv"
    assert display_name("hdfs://nn/x.csv", "/data") == "hdfs://nn/x.csv"


def test_options_are_checked() -> None:
    assert BatchOptions(lang="RU", explain_lang="En").checked().lang == "ru"
    with pytest.raises(UnsupportedLanguageError):
        BatchOptions(lang="de").checked()
    with pytest.raises(InputError, match="output format"):
        BatchOptions(output_format="csv").checked()
    with pytest.raises(InputError, match="partitions"):
        BatchOptions(partitions=0).checked()


def test_the_readable_summary(fast: Analyzer) -> None:
    from tumar.batch.job import BatchReport
    from tumar.interfaces.cli.batch import render

    rows = [
        ResultRow.of(a) for a in fast.analyze_batch([(i, t, lang) for i, (t, lang) in enumerate(MESSAGES)])
    ]
    summary = Summary.of([*rows, ErrorRow("f", 1, "", "broken")])
    text = render(BatchReport("out", "parquet", 2, summary, (), 4.0))
    lines = text.splitlines()
    assert (
        lines[0]
        == "Analysed 12 message(s) from 2 file(s) in 4.0 s (3.0 messages/s); 1 row(s) could not be read."
    )
    assert lines[1] == "Results (parquet): out"
    assert f"Urgent: {summary.urgent}" in lines
    assert "Languages: en 4, ky 3, ru 3, kk 2" in lines
    forms = lines[lines.index("Forms:") + 1 :]
    assert forms[0].split() == ["image_based_sexual_abuse", str(summary.forms["image_based_sexual_abuse"])]
    assert "Personal data: email 1, phone 1" in lines
