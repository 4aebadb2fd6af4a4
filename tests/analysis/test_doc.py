"""The prepared views of a text: the quick paths give exactly what the full character-by-character build gives."""

from __future__ import annotations

import pytest

from tumar.analysis.doc import MAX_GAP, MAX_WORD, Doc

TEXTS = [
    "сенин номериңди бардык группага чыгарам",  # nothing to cut or transliterate
    "ok seni oltyrom, ты поняла?",  # Latin words to transliterate
    "I'll post your pics tonight",  # English
    "пиzда, 3.14здец, с*ка",  # look-alikes, π, stars
    "ну и что!!!!!!!!!!!!!!!!!! ответь",  # a gap longer than MAX_GAP
    "а" * (MAX_WORD + 5) + " seni " + "x" * (MAX_WORD + 9),  # words longer than MAX_WORD
    "shchastye yozh, Ялта — İstanbul",  # multi-letter transliteration, a letter that lower-cases to two
    "",
    "   \n\t ",
    "😂😂 seni 😂",
]


def _spans(length: int) -> list[tuple[int, int]]:
    return [(start, end) for start in range(length) for end in range(start + 1, min(length, start + 12) + 1)]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_views_and_spans_match_the_full_build(text):
    doc, full = Doc(text), Doc(text)
    cyr, cyr_index = full._view(translit=True)
    lat, lat_index = full._view(translit=False)
    assert doc.cyr == cyr and doc.lat == lat
    assert len(doc.folded) == len(text)
    for start, end in _spans(len(cyr)):
        assert doc.cyr_span(start, end) == full._map_span(cyr_index, start, end)
    for start, end in _spans(len(lat)):
        assert doc.lat_span(start, end) == full._map_span(lat_index, start, end)


def test_transliterated_word_maps_back_whole_and_gaps_are_cut():
    doc = Doc("ну!!!!!!!!!!!!!!! seni oltyrom")
    assert "!" * (MAX_GAP + 1) not in doc.cyr
    start = doc.cyr.index("олтыром")
    assert doc.text[slice(*doc.cyr_span(start, start + 3))] == "oltyrom"


def test_latin_share():
    assert Doc("hello мир").latin_share == pytest.approx(5 / 8)
    assert Doc("123 !!").latin_share == 0.0
