"""Language identification, including Kyrgyz/Kazakh typed without special letters and in Latin."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tumar.analysis.doc import Doc
from tumar.analysis.langid import detect_language

CASES = [
    ("Сенин номериңди бардык топторго чыгарам", "ky"),
    ("сенин номеринди бардык группага чыгарам эмне кыласын", "ky"),
    ("эмнеге жооп бербей жатасын, мага жаз азыр", "ky"),
    ("seni oltyrom, kaerde jatkanyndy bilem", "ky"),
    ("сенің нөміріңді барлық топқа саламын", "kk"),
    ("неге жауап бермейсің, маған жаз қазір", "kk"),
    ("неге жауап бермейсин маган жаз казир", "kk"),
    ("я тебя найду, и все увидят твои фотки", "ru"),
    ("ya tvoi foto vsem skinu esli ne otvetish", "ru"),
    ("send me more pics or everyone sees these", "en"),
    ("i know where u live lol", "en"),
    ("12345 !!!", "unknown"),
]


@pytest.mark.parametrize(("text", "lang"), CASES)
def test_language(text, lang):
    assert detect_language(Doc(text)).language == lang


def test_mixed_russian_and_kyrgyz():
    guess = detect_language(Doc("Кызым, тебе сколько лет? апаңа айтпа, ладно?"))
    assert guess.mixed


def test_doc_views_keep_offsets():
    doc = Doc("Өлтүрөм seni, пиzда")
    assert len(doc.folded) == len(doc.text)
    assert doc.folded.startswith("олтуром")
    assert "пизда" in doc.folded
    i = doc.cyr.index("сени")
    assert doc.text[slice(*doc.cyr_span(i, i + 4))] == "seni"


@pytest.mark.parametrize(
    "text",
    ["Ich werde dich finden und alle sehen deine Fotos", "我会找到你，我知道你住在哪里", "asdf qwer zxcv"],
)
def test_other_languages_and_scripts_are_unknown(text):
    assert detect_language(Doc(text)).language == "unknown"


@pytest.mark.parametrize(("text", "lang"), [("да", "ru"), ("ооба", "ky"), ("иә", "kk")])
def test_a_single_word_goes_by_its_marker(text, lang):
    assert detect_language(Doc(text)).language == lang


def test_the_language_model_is_fitted_from_labeled_messages():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
    from langid_fit import fit

    records = [
        {"lang": "ky", "text": "кайда жүрөсүң, эмнеге телефон албайсың"},
        {"lang": "kk", "text": "қайда жүрсің, неге телефон алмайсың"},
        {"lang": "ru", "text": "где ты ходишь, почему трубку не берешь"},
        {"lang": "en", "text": "where are you, why don't you pick up the phone"},
    ]
    model = fit(records)
    assert [model.classify(r["text"]) for r in records] == ["ky", "kk", "ru", "en"]
    assert model.classify("почему не берешь") == "ru"
    assert model.classify("эмнеге албайсың") == "ky"


def test_the_fast_mode_goes_by_marker_words(monkeypatch):
    from tumar.analysis import langid

    def no_model():
        raise AssertionError("the n-gram model was used in the fast mode")

    monkeypatch.setattr(langid, "naive_bayes", no_model)
    assert detect_language(Doc("я тебя найду, и все увидят твои фотки"), fast=True).language == "ru"
    with pytest.raises(AssertionError):
        detect_language(Doc("я тебя найду, и все увидят твои фотки"))
