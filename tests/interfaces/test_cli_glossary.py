"""The glossary commands, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tumar.interfaces.cli import cli
from tumar.knowledge.booklet import forms_in_order
from tumar.text.alphabet import sort_key


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(("query", "expected"), [("доксинг", "doxxing"), ("kiberstalking", "cyberstalking")])
def test_search_json_puts_the_form_first(query, expected):
    result = run("glossary", "search", query, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["id"] == expected


def test_search_human_output_in_chosen_language(kb):
    result = run("glossary", "search", "sekstorsiya", "--lang", "ru")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(" 1. " + kb.form("sextortion").t("ru").name)


def test_show_prints_all_parts(kb):
    result = run("glossary", "show", "doxxing", "--lang", "kk")
    assert result.exit_code == 0, result.output
    text = kb.form("doxxing").t("kk")
    assert text.definition in result.output
    assert text.what_to_do[0] in result.output
    assert "Кылмыш" not in result.output  # Kazakh page shows Kazakh text, not Kyrgyz


def test_show_json(kb):
    data = json.loads(run("glossary", "show", "sextortion", "--json", "--lang", "en").output)
    assert data["id"] == "sextortion" and data["language"] == "en"
    assert data["laws"] and all(law["source"] for law in data["laws"])
    assert any(c["id"] for c in data["cases"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("glossary", "show", "doxing"), "unknown form id 'doxing'"),
        (("glossary", "search", " "), "query is empty"),
        (("glossary", "search", "доксинг", "--lang", "de"), "unsupported language 'de'"),
        (("glossary", "export", "--lang", "fr"), "unsupported language 'fr'"),
    ],
)
def test_bad_input_clear_message_nonzero_exit(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_kyrgyz_booklet_has_all_terms_in_kyrgyz_order(kb, tmp_path):
    out = tmp_path / "glossary-ky.md"
    result = run("glossary", "export", "--format", "md", "--lang", "ky", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    names = [f.t("ky").name for f in forms_in_order(kb, "ky")]
    positions = [text.index(f"### {name}\n") for name in names]
    assert positions == sorted(positions) and len(names) == 27
    assert names == sorted(names, key=lambda n: sort_key(n, "ky"))
    for form in kb.forms.values():
        assert form.t("ky").definition in text
        assert form.t("ky").what_to_do[0] in text
    for case in kb.cases:
        assert case.story.get("ky") in text


def test_kyrgyz_alphabet_puts_special_letters_in_place():
    words = ["Өч", "Оюн", "Пайда", "Үй", "Уят", "Фейк", "Ңа", "Нан"]
    assert sorted(words, key=lambda w: sort_key(w, "ky")) == [
        "Нан",
        "Ңа",
        "Оюн",
        "Өч",
        "Пайда",
        "Уят",
        "Үй",
        "Фейк",
    ]


def test_kazakh_alphabet_puts_special_letters_in_place():
    words = ["Әке", "Бала", "Ана", "Іс", "Ыдыс", "Қала", "Кітап", "Ұл", "Үй", "Уақыт"]
    assert sorted(words, key=lambda w: sort_key(w, "kk")) == [
        "Ана",
        "Әке",
        "Бала",
        "Кітап",
        "Қала",
        "Уақыт",
        "Ұл",
        "Үй",
        "Ыдыс",
        "Іс",
    ]


@pytest.mark.parametrize("fmt", ["html", "json"])
@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_export_other_formats(kb, fmt, lang):
    result = run("glossary", "export", "--format", fmt, "--lang", lang)
    assert result.exit_code == 0
    if fmt == "json":
        data = json.loads(result.output)
        assert [f["id"] for f in data["forms"]] == [f.id for f in forms_in_order(kb, lang)]
    else:
        assert result.output.startswith("<!DOCTYPE html>")
        assert 'src="http' not in result.output and 'href="http' not in result.output


def test_installed_entry_point_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "tumar", "glossary", "search", "doksing", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["id"] == "doxxing"
