"""Language identification, including Kyrgyz/Kazakh typed without special letters and in Latin."""

from __future__ import annotations

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
