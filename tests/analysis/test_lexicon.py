"""The lexicon files load, cover every form in every language, and their cues fire where they should."""

from __future__ import annotations

import pytest

from tumar.analysis.doc import Doc
from tumar.knowledge.models import ALL_FORM_IDS
from tumar.recognizers.lexicon import LexiconRecognizer, _lower_unescaped, find_signals, load_lexicon


@pytest.mark.parametrize("lang", ["ky", "kk", "ru", "en"])
def test_every_form_has_cues(lang):
    lexicon = load_lexicon(lang)
    assert set(lexicon.cues.by_label) == set(ALL_FORM_IDS)
    assert lexicon.urgent.by_label and lexicon.context.by_label


def test_lowering_keeps_escapes():
    assert _lower_unescaped(r"Өлтүр(\w+\W+){0,5}\S\D\B") == r"өлтүр(\w+\W+){0,5}\S\D\B"


CUES = [
    ("сенин номериңди бардык группага чыгарам", "doxxing"),
    ("seni oltyrom", None),
    ("акча которбосоң видеоңду бардыгына жиберем", "sextortion"),
    ("ya tvoi nudes vsem skinu", "revenge_porn"),
    ("скинь нюдсы или я тебя брошу", "coerced_sexting"),
    ("I am going to post your nudes everywhere", "image_based_sexual_abuse"),
]


@pytest.mark.parametrize(("text", "form"), CUES)
def test_cue_examples(text, form):
    doc = Doc(text)
    cues = LexiconRecognizer().analyze(doc)
    if form:
        assert form in {c.form for c in cues}
    for cue in cues:
        assert 0 <= cue.start < cue.end <= len(text)


@pytest.mark.parametrize("text", ["seni oltyrom", "я тебя убью, сука", "өлтүрөм сени", "i want to die"])
def test_urgent_signals(text):
    assert find_signals(Doc(text), "urgent")


@pytest.mark.parametrize(
    "text",
    ["а" * 100_000, "слово " * 3_000, "!!! " * 25_000, "x" * 100_000, "(" * 100_000],
    ids=["one-long-word", "many-words", "punctuation", "latin-run", "brackets"],
)
def test_pathological_input_is_analysed(text):
    doc = Doc(text)
    assert LexiconRecognizer().analyze(doc) == []
    assert len(doc.folded) == len(text)


def test_spans_of_transliterated_words_cover_the_whole_word():
    doc = Doc("ok seni oltyrom")
    i = doc.cyr.index("олтыром")
    assert doc.text[slice(*doc.cyr_span(i, i + 7))] == "oltyrom"


def test_windows_find_cues_late_in_long_texts():
    text = "салам " * 2000 + "сенин номериңди бардык группага чыгарам"
    cues = LexiconRecognizer().analyze(Doc(text))
    assert any(c.form == "doxxing" and c.start > 11_000 for c in cues)
