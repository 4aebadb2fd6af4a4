"""``tumar analyze`` as a user runs it: one text, JSON lines in and out, bad lines, empty input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tumar.interfaces.cli import cli


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_single_text_json_contract():
    result = run("analyze", "Сенин номериңди бардык группага чыгарам, көрөсүң", "--json", "--fast")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"id", "language", "urgent", "severity", "findings", "pii"}
    assert data["language"] == "ky"
    assert "doxxing" in {f["form"] for f in data["findings"]}


def test_readable_output_in_the_chosen_language(kb):
    result = run("analyze", "сенин номериңди бардык группага чыгарам", "--explain-lang", "ru", "--fast")
    assert result.exit_code == 0
    assert kb.form("doxxing").t("ru").name in result.output
    assert "Куда обратиться" in result.output


def test_nothing_found_says_so():
    result = run("analyze", "салам, эртең сабакка барасыңбы?", "--explain-lang", "en", "--fast")
    assert result.exit_code == 0
    assert "No signs of abuse found." in result.output


@pytest.mark.parametrize("args", [("analyze", ""), ("analyze", "   "), ("analyze",)])
def test_empty_text_is_a_clear_error(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "the text is empty" in result.output and "Traceback" not in result.output


def test_jsonl_keeps_ids_and_order_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "сенин номериңди бардык группага чыгарам"}, ensure_ascii=False),
        "{broken json",
        json.dumps({"id": 7, "text": "hello there"}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "x", "text": "ok", "lang": "de"}),
        json.dumps({"id": "last", "text": "qwxz", "lang": "ru"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe bad bytes\n")
    result = run("analyze", "--jsonl", str(path), "--fast")
    assert result.exit_code == 2
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, 7, None, None, "last", None]
    assert out[1]["line"] == 2 and "broken JSON" in out[1]["error"]
    assert out[3]["line"] == 4 and "field 'text'" in out[3]["error"]
    assert "unsupported language 'de'" in out[4]["error"]
    assert out[6]["line"] == 7 and "not UTF-8" in out[6]["error"]
    assert f"{path}, line 2" in result.stderr
    assert "4 input line(s) could not be analysed" in result.stderr


def test_jsonl_from_stdin():
    stdin = "\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(["hi", "send nudes now"])) + "\n"
    result = run("analyze", "--jsonl", "--fast", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.output.splitlines()] == [0, 1]


def test_unknown_language_is_analysed_anyway():
    data = json.loads(run("analyze", "12345 67890 !!!", "--json", "--fast").output)
    assert data["language"] == "unknown" and data["severity"] == "none"


def test_missing_input_file():
    result = run("analyze", "--jsonl", "/nonexistent/in.jsonl")
    assert result.exit_code == 2 and "cannot read /nonexistent/in.jsonl" in result.output


def test_bad_lang_option():
    result = run("analyze", "салам", "--lang", "xx")
    assert result.exit_code == 2 and "unsupported language 'xx'" in result.output
